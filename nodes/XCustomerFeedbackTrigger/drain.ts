/**
 * Reads feedback events range by range and turns them into parts, each once. Pure: the caller
 * passes the page fetcher and the clock. Pages come through the one event reader (eventReader.ts),
 * with its guards. A poll stops early at the item cap, the time budget, the rate-limit reserve or a
 * stuck listing, with the range's cursor kept in the state for the next poll; pages are taken whole,
 * so the state is consistent after every page.
 */
import { AnomalyLog } from '../shared/feedbackLog/anomalies';
import { announcedParts, createAnnouncer, DEFAULT_TOLERANCE, forgetAnnounced, savedRecent, type EventTolerance } from '../shared/feedbackLog/announcements';
import { createEventReader, StuckListingError, type EventReader, type PageFetcher } from '../shared/feedbackLog/eventReader';
import { partKey, type FeedbackPart } from '../shared/feedbackLog/parts';
import { DAY_MS, MINUTE_MS } from '../shared/time';
import { keptFromOf, latestReadableMs, MAX_BACKOFF_MS, type PollState } from './pollState';

export { PAGE_SIZE, type PageFetcher, type PageRequest } from '../shared/feedbackLog/eventReader';

export interface DrainLimits {
	nowMs: number;
	minEventAgeMs: number;
	maxItems: number;
	/** Stop before the next page when this says so (the poll's time budget). */
	outOfTime: () => boolean;
	/** Calls to leave unused in the rate-limit window. */
	rateReserve: number;
	/** How far X may stamp an event from the parts it carries (announcements.ts); the default when absent. */
	tolerance?: EventTolerance;
}

export type StopReason = 'caughtUp' | 'maxItems' | 'outOfTime' | 'rateReserve' | 'backoff' | 'stuck' | 'error';

export interface DrainResult<T = FeedbackPart> {
	/** What `toItem` made of each new part, in order. */
	parts: T[];
	stoppedBy: StopReason;
	/** Pages read. */
	pages: number;
	/** Calls made to X (a page asked for twice counts twice). */
	calls: number;
	error?: unknown;
	/** Events and parts set aside, by reason. */
	anomalies: AnomalyLog;
	/** The key (partKey) of each of `parts`, in order. */
	keys: string[];
	/** When the first and the last event that brought one of `parts` were stamped (ms): where to read them again. */
	eventSpan?: { fromMs: number; toMs: number };
}

/** The first wait after a stuck listing; it doubles while the listing stays stuck, up to MAX_BACKOFF_MS. */
const FIRST_BACKOFF_MS = MINUTE_MS;

/** Whether the last rate-limit reading says to wait for the window to reset. */
export function mustWaitForRateReset(state: PollState, nowMs: number, reserve: number): boolean {
	return state.rate !== undefined && state.rate.remaining <= reserve && nowMs < state.rate.resetAt * 1000;
}

/**
 * Advances `state` in place and returns the parts it read, each turned into what the caller keeps
 * (`toItem`) as soon as its page is read: a part holds the whole snapshot it came from, and a poll
 * that kept a thousand of them to its end spent a third of its own time collecting garbage (bench,
 * drain).
 */
export async function drain<T = FeedbackPart>(
	state: PollState,
	fetchPage: PageFetcher,
	limits: DrainLimits,
	accept: (part: FeedbackPart) => boolean = () => true,
	anomalies: AnomalyLog = new AnomalyLog(),
	toItem: (part: FeedbackPart) => T = (part) => part as T,
): Promise<DrainResult<T>> {
	const parts: T[] = [];
	const keys: string[] = [];
	let spanFromMs = Infinity;
	let spanToMs = -Infinity;
	let pages = 0;
	let calls = 0;
	const announcer = createAnnouncer(state.sinceMs, state.highMs, state.recent, anomalies, {
		keptFromMs: keptFromOf(state),
		tolerance: limits.tolerance ?? DEFAULT_TOLERANCE,
		latestPartMs: limits.nowMs + DAY_MS,
	});
	const latest = latestReadableMs(limits.nowMs, limits.minEventAgeMs);
	let reader: EventReader | undefined;

	const stop = (stoppedBy: StopReason, error?: unknown): DrainResult<T> => {
		calls += reader?.calls ?? 0;
		state.highMs = announcer.highMs;
		state.recent = savedRecent(announcer);
		state.keptFromMs = announcer.keptFromMs;
		if (stoppedBy === 'stuck') {
			const stuckFor = state.failingSinceMs !== undefined ? limits.nowMs - state.failingSinceMs : 0;
			state.waitUntilMs = limits.nowMs + Math.min(MAX_BACKOFF_MS, Math.max(FIRST_BACKOFF_MS, stuckFor));
		} else if (stoppedBy !== 'backoff') {
			delete state.waitUntilMs;
		}
		const eventSpan = spanFromMs <= spanToMs ? { fromMs: spanFromMs, toMs: spanToMs } : undefined;
		return { parts, keys, stoppedBy, pages, calls, error, anomalies, ...(eventSpan ? { eventSpan } : {}) };
	};

	if (state.waitUntilMs !== undefined && limits.nowMs < state.waitUntilMs) return stop('backoff');
	if (mustWaitForRateReset(state, limits.nowMs, limits.rateReserve)) return stop('rateReserve');

	for (;;) {
		if (!state.range) {
			if (latest <= state.windowEndMs) return stop('caughtUp');
			state.range = { fromMs: state.windowEndMs + 1, toMs: latest, cursor: '' };
		}
		const range = state.range;
		reader ??= createEventReader(fetchPage, range, { cursor: range.cursor, anomalies });
		let page: Awaited<ReturnType<EventReader['next']>>;
		try {
			page = await reader.next();
			pages++;
		} catch (error) {
			return stop(error instanceof StuckListingError ? 'stuck' : 'error', error);
		}
		const { rateLimit } = page;
		if (rateLimit) state.rate = { remaining: rateLimit.remaining, resetAt: rateLimit.resetAt };

		// Indexed loops: this async function runs unoptimized often enough that for...of made an
		// iterator result per event and per part (bench, drain).
		const listed = page.events;
		for (let i = 0; i < listed.length; i++) {
			const atMs = listed[i].atMs;
			const fresh = announcedParts(announcer, listed[i].event, atMs);
			for (let j = 0; j < fresh.length; j++) {
				if (!accept(fresh[j])) continue;
				parts.push(toItem(fresh[j]));
				keys.push(partKey(fresh[j]));
				if (atMs < spanFromMs) spanFromMs = atMs;
				if (atMs > spanToMs) spanToMs = atMs;
			}
		}
		if (page.next !== undefined) {
			range.cursor = page.next;
			forgetAnnounced(announcer, announcer.highMs);
		} else {
			// An empty next_cursor vouches for the whole range; a missing one only for the events shown,
			// because a cut-short answer looks the same. Then the next range starts again at the newest
			// event seen (re-read parts are recognised), and this poll stops rather than reading that
			// range straight away. Events are bounded by the range, so no date can vouch past it.
			const vouched = page.end === 'empty' ? range.toMs : Math.min(range.toMs, Math.max(range.fromMs - 1, announcer.highMs - 1));
			state.windowEndMs = vouched;
			state.range = undefined;
			calls += reader.calls;
			reader = undefined;
			announcer.highMs = Math.max(announcer.highMs, vouched);
			forgetAnnounced(announcer, vouched + 1);
			if (vouched < range.toMs) return stop('caughtUp');
		}

		if (parts.length >= limits.maxItems) return stop('maxItems');
		if (rateLimit && rateLimit.remaining <= limits.rateReserve) return stop('rateReserve');
		if (limits.outOfTime()) return stop('outOfTime');
	}
}
