/**
 * The one reader of feedback/events, for the trigger, Get Many and Get Report. Pure: the caller
 * passes the page fetcher. It pages through one range with one page size and one set of guards:
 *
 * - Only an empty or missing next_cursor ends a listing. A full page without the field at all is
 *   asked for once more before it is believed (an answer cut short looks the same).
 * - Bounded time: an event whose created_at cannot be read, or lies outside the range asked for
 *   (give or take EVENT_TIME_SKEW_MS), is set aside and counted, so it can move no cursor, marker or
 *   read-up-to point. So is an event without a feedback id.
 * - Stuck listings end: a call is wasted when its page brings no usable event or hands back a cursor
 *   this listing already had; after MAX_WASTED_CALLS in a row the reader throws StuckListingError
 *   saying what X did (what was read before stays read). A page that only repeats the previous
 *   page's events under a new cursor is legitimate a few times (several updates of one feedback in
 *   one second are identical in a current snapshot), so it has its own bound, MAX_REPEATED_PAGES.
 */
import { parseXDateMs } from '../dates';
import type { RateLimit, XFeedbackEvent, XFeedbackEventsPage } from '../types';
import type { AnomalyLog } from './anomalies';
import { PAGE_SIZE } from '../xLimits';

/** Events per page: X's maximum. */
export { PAGE_SIZE };
/** Wasted calls in a row (an empty page, or a cursor given before) after which a listing is given up as stuck. */
export const MAX_WASTED_CALLS = 3;
/** Pages in a row that bring only the previous page's events again, under new cursors, before the same. */
export const MAX_REPEATED_PAGES = 10;
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
	/** Pass on once an event that is byte for byte one of the previous page's (Get Many), counted. */
	dropRepeats?: boolean;
}

export interface EventReader {
	next(): Promise<ListedPage>;
	/** Calls made so far (a re-asked page counts twice). */
	readonly calls: number;
}

/**
 * What tells events apart: type and time, the feedback's id and update time, and its parts' times
 * (two updates of one feedback in one second differ in the part they bring). Equal keys are
 * compared in full only where it matters (Get Many's repeats).
 */
function eventKey(event: XFeedbackEvent): string {
	const feedback = event.feedback;
	const response = feedback?.response;
	return `${event.event_type}|${event.created_at}|${feedback?.id}|${feedback?.updated_at}|${response?.score?.created_at}|${response?.text?.created_at}`;
}

function quote(cursor: string): string {
	return JSON.stringify(cursor.length > 40 ? `${cursor.slice(0, 37)}...` : cursor);
}

export function createEventReader(fetchPage: PageFetcher, range: { fromMs: number; toMs: number }, options: ReaderOptions): EventReader {
	const { anomalies } = options;
	const earliest = range.fromMs - EVENT_TIME_SKEW_MS;
	const latest = range.toMs + EVENT_TIME_SKEW_MS;
	let cursor = options.cursor || undefined;
	const cursorsSeen = new Set<string>(cursor ? [cursor] : []);
	let previous: XFeedbackEvent[] = [];
	let previousHighMs = -Infinity;
	let repeats = 0;
	let wasted = 0;
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

	async function next(): Promise<ListedPage> {
		let { page, rateLimit } = await fetch();
		if (page.events.length >= PAGE_SIZE && !('next_cursor' in page)) ({ page, rateLimit } = await fetch());

		const raw = Array.isArray(page.events) ? page.events : [];
		// The previous page's events by key, built only when needed: to pass a repeat on once (Get
		// Many), or to tell whether a page that reaches no later time than the last brought anything new.
		let before: Map<string, XFeedbackEvent> | undefined;
		const previousKeys = () => (before ??= new Map(previous.map((e) => [eventKey(e), e])));
		const events: ListedEvent[] = [];
		let pageHighMs = -Infinity;
		let dropped = 0;
		for (const event of raw) {
			if (options.dropRepeats && event && typeof event === 'object') {
				const twin = previousKeys().get(eventKey(event));
				if (twin !== undefined && JSON.stringify(twin) === JSON.stringify(event)) {
					anomalies.add('repeatedAcrossPages', event.feedback?.id, event.created_at);
					dropped++;
					continue;
				}
			}
			const listed = check(event);
			if (!listed) continue;
			events.push(listed);
			if (listed.atMs > pageHighMs) pageHighMs = listed.atMs;
		}
		// Only a usable event the previous non-empty page did not have is progress (a hostile X could
		// send a fresh unusable one on every page). X lists oldest first, so a page that reaches a later
		// time than the previous one brought something new; otherwise its events are compared.
		const fresh =
			events.length > 0 && (pageHighMs > previousHighMs || events.some(({ event }) => !previousKeys().has(eventKey(event))));
		// An empty page leaves the comparison as it was: [P], [], [P] ... is no progress either.
		if (events.length > 0) {
			previous = events.map((e) => e.event);
			previousHighMs = pageHighMs;
		}

		const given = page.next_cursor as unknown;
		if (given === '') return { events, end: 'empty', rateLimit };
		if (typeof given !== 'string' && typeof given !== 'number') return { events, end: 'missing', rateLimit };
		const nextCursor = String(given);
		const repeated = cursorsSeen.has(nextCursor);
		// A page of repeats Get Many dropped counts as repeats, as it does for the trigger, which keeps them.
		if ((events.length === 0 && dropped === 0) || repeated) {
			wasted++;
		} else {
			wasted = 0;
			// The previous page's events again, with a new cursor: X may list several updates of one
			// feedback in one second (identical in a current snapshot) a page each, so this is allowed a
			// few times in a row, never for ever.
			repeats = fresh ? 0 : repeats + 1;
		}
		if (wasted >= MAX_WASTED_CALLS || repeats >= MAX_REPEATED_PAGES) {
			const how =
				wasted >= MAX_WASTED_CALLS
					? `${MAX_WASTED_CALLS} pages in a row with no new events and ${repeated ? `handed back the cursor ${quote(nextCursor)} it had given before` : `gave a new cursor each time (last ${quote(nextCursor)})`}`
					: `${MAX_REPEATED_PAGES} pages in a row with no new events, only the same events again under a new cursor each time (last ${quote(nextCursor)})`;
			throw new StuckListingError(
				`X sent ${how}: the listing was stopped to save the rate limit`,
				`Listing feedback events from ${new Date(range.fromMs).toISOString()} to ${new Date(range.toMs).toISOString()}, X's cursor did not move on. What was read before is kept. This is a problem on X's side; try again later.`,
			);
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
