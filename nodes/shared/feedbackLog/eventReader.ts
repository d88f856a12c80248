/**
 * The one reader of feedback/events, for the trigger, Get Many and Get Report. Pure: the caller
 * passes the page fetcher. It pages through one range with one page size and one set of guards:
 *
 * - Only an empty or missing next_cursor ends a listing (X: "make no assumption about empty /
 *   partial page returned in events as a signal that there is no more data"). A full page without
 *   the field at all is asked for once more before it is believed (an answer cut short looks the same).
 * - Every event X lists is passed on, identical ones included: X documents no repeat across pages.
 * - Bounded time: an event whose created_at cannot be read, or lies outside the range asked for
 *   (give or take EVENT_TIME_SKEW_MS), is set aside and counted, so it can move no cursor, marker or
 *   read-up-to point. So is an event without a feedback id.
 * - Bounded pages: at most `count` (PAGE_SIZE) events of a page are taken; the rest of a page larger
 *   than asked for is set aside and counted (`beyondPageSize`), so one answer cannot make a giant execution.
 * - Fresh cursors are followed through any run of empty or short pages; such a run is bounded by the
 *   rate budget (the caller's reserve of x-rate-limit-remaining), and absolutely by one rate-limit
 *   window's worth of calls. A cursor this listing already had (handed back, or a cycle A->B->A) is
 *   stuck at once: following it would read pages again. Both throw StuckListingError saying what X
 *   did (what was read before stays read).
 */
import { parseXDateMs } from '../dates';
import type { RateLimit, XFeedbackEvent, XFeedbackEventsPage } from '../types';
import type { AnomalyLog } from './anomalies';
import { EVENTS_CALLS_PER_WINDOW, PAGE_SIZE } from '../xLimits';

/** Events per page: X's maximum. */
export { PAGE_SIZE };
/**
 * The absolute bound on pages in a row that bring no new event under fresh cursors: X's whole
 * rate-limit window for feedback/events (1,000 calls). The rate budget stops such a run long before
 * whenever X sends its rate-limit headers.
 */
export const MAX_IDLE_PAGES = EVENTS_CALLS_PER_WINDOW;
/** X stamps events to the whole second, so an event may carry the second a range starts or ends in. */
export const EVENT_TIME_SKEW_MS = 1000;

export interface PageRequest {
	fromMs: number;
	toMs: number;
	cursor?: string;
	count: number;
}

export type PageFetcher = (req: PageRequest) => Promise<{ page: XFeedbackEventsPage; rateLimit?: RateLimit }>;

/** An event that passed the checks, with its time already read. */
export interface ListedEvent {
	event: XFeedbackEvent;
	atMs: number;
}

export interface ListedPage {
	events: ListedEvent[];
	/** X's cursor for the next page; undefined when this page ended the listing. */
	next?: string;
	/** How the listing ended: an empty next_cursor vouches for the whole range, a missing one only for the events shown. */
	end?: 'empty' | 'missing';
	rateLimit?: RateLimit;
}

export class StuckListingError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'StuckListingError';
	}
}

export interface ReaderOptions {
	/** Where to go on (a cursor X gave for this range). */
	cursor?: string;
	anomalies: AnomalyLog;
	/**
	 * Calls to leave in X's rate-limit window (x-rate-limit-remaining): a run of pages with no new
	 * event stops when X says no more than this is left. Without it (the trigger, which stops at its
	 * own reserve after every page) only the absolute bound applies.
	 */
	rateReserve?: number;
}

export interface EventReader {
	next(): Promise<ListedPage>;
	/** Calls made so far (a re-asked page counts twice). */
	readonly calls: number;
}

/**
 * What tells events apart: type and time, the feedback's id and update time, and its parts' times
 * (two updates of one feedback in one second differ in the part they bring).
 */
function eventKey(event: XFeedbackEvent): string {
	const feedback = event.feedback;
	const response = feedback?.response;
	return `${event.event_type}|${event.created_at}|${feedback?.id}|${feedback?.updated_at}|${response?.score?.created_at}|${response?.text?.created_at}`;
}

/** Whether any of `events` is none of `previous`. */
function bringsNewEvent(events: ListedEvent[], previous: ListedEvent[]): boolean {
	const previousKeys = new Set(previous.map(({ event }) => eventKey(event)));
	return events.some(({ event }) => !previousKeys.has(eventKey(event)));
}

function quote(cursor: string): string {
	return JSON.stringify(cursor.length > 40 ? `${cursor.slice(0, 37)}...` : cursor);
}

function plural(n: number, one: string, many = `${one}s`): string {
	return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export function createEventReader(fetchPage: PageFetcher, range: { fromMs: number; toMs: number }, options: ReaderOptions): EventReader {
	const { anomalies, rateReserve } = options;
	const earliest = range.fromMs - EVENT_TIME_SKEW_MS;
	const latest = range.toMs + EVENT_TIME_SKEW_MS;
	let cursor = options.cursor || undefined;
	const cursorsSeen = new Set<string>(cursor ? [cursor] : []);
	let previousEvents: ListedEvent[] = [];
	let previousHighMs = -Infinity;
	/** Pages in a row, each under a fresh cursor, that brought no new event. */
	let idle = 0;
	let calls = 0;

	async function fetch(): Promise<{ page: XFeedbackEventsPage; rateLimit?: RateLimit }> {
		calls++;
		return await fetchPage({ fromMs: range.fromMs, toMs: range.toMs, count: PAGE_SIZE, cursor });
	}

	/** The event if it can be used; else it is counted and left out. */
	function check(event: XFeedbackEvent): ListedEvent | undefined {
		const feedback = event && typeof event === 'object' ? event.feedback : undefined;
		const id = feedback && typeof feedback === 'object' ? (feedback.id as unknown) : undefined;
		if (id === undefined || id === null || id === '' || (typeof id !== 'string' && typeof id !== 'number')) {
			anomalies.add('noFeedback', undefined, event);
			return undefined;
		}
		if (typeof id === 'number' && !Number.isSafeInteger(id)) {
			anomalies.add('noFeedback', undefined, `feedback id ${String(id)} is a number too large to read exactly`);
			return undefined;
		}
		const atMs = parseXDateMs(event.created_at);
		if (Number.isNaN(atMs)) {
			anomalies.add('unreadableEventDate', id, event.created_at);
			return undefined;
		}
		if (atMs < earliest || atMs > latest) {
			anomalies.add('eventOutsideRange', id, event.created_at);
			return undefined;
		}
		return { event, atMs };
	}

	function stuck(how: string): StuckListingError {
		return new StuckListingError(
			`X sent ${how}: the listing was stopped`,
			`Listing feedback events from ${new Date(range.fromMs).toISOString()} to ${new Date(range.toMs).toISOString()}, X's cursor did not lead on. What was read before is kept. This is a problem on X's side; try again later.`,
		);
	}

	async function next(): Promise<ListedPage> {
		let { page, rateLimit } = await fetch();
		if (Array.isArray(page.events) && page.events.length >= PAGE_SIZE && !('next_cursor' in page)) ({ page, rateLimit } = await fetch());

		let raw = Array.isArray(page.events) ? page.events : [];
		if (raw.length > PAGE_SIZE) {
			// X sent more than asked for: the first PAGE_SIZE (oldest first) are taken, the rest are set
			// aside with one count, never built into items.
			const extra = raw.length - PAGE_SIZE;
			anomalies.addMany(
				'beyondPageSize',
				extra,
				`X sent ${raw.length.toLocaleString('en-US')} events on one page that asked for ${PAGE_SIZE}: the first ${PAGE_SIZE} were taken, ${extra.toLocaleString('en-US')} set aside`,
			);
			raw = raw.slice(0, PAGE_SIZE);
		}
		const events: ListedEvent[] = [];
		let pageHighMs = -Infinity;
		for (const event of raw) {
			const listed = check(event);
			if (!listed) continue;
			events.push(listed);
			if (listed.atMs > pageHighMs) pageHighMs = listed.atMs;
		}
		// Only a usable event the previous non-empty page did not have is progress (a hostile X could
		// send a fresh unusable one, or the same events again, on every page). X lists oldest first, so
		// a page that reaches a later time than the previous one brought something new; otherwise its
		// events are compared.
		// The keys are made only for that comparison: most pages reach a later time (bench, drain).
		const fresh = events.length > 0 && (pageHighMs > previousHighMs || bringsNewEvent(events, previousEvents));
		// An empty page leaves the comparison as it was: [P], [], [P] ... is no progress either.
		if (events.length > 0) {
			previousEvents = events;
			previousHighMs = Math.max(previousHighMs, pageHighMs);
		}

		const given = page.next_cursor as unknown;
		if (given === '') return { events, end: 'empty', rateLimit };
		if (typeof given !== 'string' && typeof given !== 'number') return { events, end: 'missing', rateLimit };
		const nextCursor = String(given);
		if (cursorsSeen.has(nextCursor)) {
			const how = nextCursor === cursor ? 'the cursor it was asked with' : 'a cursor it had given before in this listing';
			throw stuck(`back ${how} (${quote(nextCursor)}), so following it would read the same pages again`);
		}
		idle = fresh ? 0 : idle + 1;
		if (idle > 0) {
			const run = `${plural(idle, 'page')} in a row with no new events, a new cursor each time (last ${quote(nextCursor)})`;
			if (rateReserve !== undefined && rateLimit !== undefined && rateLimit.remaining <= rateReserve) {
				throw stuck(
					`${run}, and its rate limit for feedback/events has ${plural(rateLimit.remaining, 'call')} left; ${plural(rateReserve, 'call is', 'calls are')} kept in reserve for other work`,
				);
			}
			if (idle >= MAX_IDLE_PAGES) {
				throw stuck(`${run}: a whole rate-limit window of feedback/events calls (${plural(MAX_IDLE_PAGES, 'call')}) spent on nothing new`);
			}
		}
		cursorsSeen.add(nextCursor);
		cursor = nextCursor;
		return { events, next: nextCursor, rateLimit };
	}

	return {
		next,
		get calls() {
			return calls;
		},
	};
}
