/**
 * Reads feedback events range by range and turns them into parts, each once. Pure: the caller
 * passes the page fetcher and the clock. A poll stops early at the item cap, the time budget or the
 * rate-limit reserve, with the range's cursor kept in the state for the next poll; pages are taken
 * whole, so the state is consistent after every page.
 */
import { announcedParts, createAnnouncer, forgetAnnounced, savedRecent } from './announcements';
import type { FeedbackPart } from './parts';
import type { PollState } from './pollState';
import type { RateLimit, XFeedbackEventsPage } from '../types';

export const PAGE_SIZE = 100;

export interface PageRequest {
	fromMs: number;
	toMs: number;
	cursor?: string;
	count: number;
}

export type PageFetcher = (req: PageRequest) => Promise<{ page: XFeedbackEventsPage; rateLimit?: RateLimit }>;

export interface DrainLimits {
	nowMs: number;
	minEventAgeMs: number;
	maxItems: number;
	/** Stop before the next page when this says so (the poll's time budget). */
	outOfTime: () => boolean;
	/** Calls to leave unused in the rate-limit window. */
	rateReserve: number;
}

export type StopReason = 'caughtUp' | 'maxItems' | 'outOfTime' | 'rateReserve' | 'error';

export interface DrainResult {
	parts: FeedbackPart[];
	stoppedBy: StopReason;
	pages: number;
	error?: unknown;
}

/** Whether the last rate-limit reading says to wait for the window to reset. */
export function mustWaitForRateReset(state: PollState, nowMs: number, reserve: number): boolean {
	return state.rate !== undefined && state.rate.remaining <= reserve && nowMs < state.rate.resetAt * 1000;
}

/** Advances `state` in place and returns the parts it read. */
export async function drain(
	state: PollState,
	fetchPage: PageFetcher,
	limits: DrainLimits,
	accept: (part: FeedbackPart) => boolean = () => true,
): Promise<DrainResult> {
	const parts: FeedbackPart[] = [];
	let pages = 0;
	const announcer = createAnnouncer(state.sinceMs, state.highMs, state.recent);
	// Only whole seconds that are over: X stamps events to the second, so an event still to come
	// in the current second would carry a time this range already covered.
	const latest = Math.floor((limits.nowMs - limits.minEventAgeMs) / 1000) * 1000 - 1;

	const stop = (stoppedBy: StopReason, error?: unknown): DrainResult => {
		state.highMs = announcer.highMs;
		state.recent = savedRecent(announcer);
		return { parts, stoppedBy, pages, error };
	};

	if (mustWaitForRateReset(state, limits.nowMs, limits.rateReserve)) return stop('rateReserve');

	for (;;) {
		if (!state.range) {
			if (latest <= state.windowEndMs) return stop('caughtUp');
			state.range = { fromMs: state.windowEndMs + 1, toMs: latest, cursor: '' };
		}
		const range = state.range;
		let fetched: Awaited<ReturnType<PageFetcher>>;
		try {
			fetched = await fetchPage({ fromMs: range.fromMs, toMs: range.toMs, count: PAGE_SIZE, cursor: range.cursor || undefined });
			pages++;
		} catch (error) {
			return stop('error', error);
		}
		const { page, rateLimit } = fetched;
		if (rateLimit) state.rate = { remaining: rateLimit.remaining, resetAt: rateLimit.resetAt };

		for (const event of page.events) {
			for (const part of announcedParts(announcer, event)) {
				if (accept(part)) parts.push(part);
			}
		}
		if (page.next_cursor) {
			range.cursor = page.next_cursor;
			forgetAnnounced(announcer, announcer.highMs);
		} else {
			// Only an empty or missing next_cursor ends a listing. An empty one vouches for the whole
			// range; a missing one only for the events shown, because a cut-short answer looks the
			// same. Then the next range starts again at the newest event seen (re-read parts are
			// recognised), and this poll stops rather than reading that range straight away.
			const vouched = page.next_cursor === '' ? range.toMs : Math.max(range.fromMs - 1, announcer.highMs - 1);
			state.windowEndMs = vouched;
			state.range = undefined;
			announcer.highMs = Math.max(announcer.highMs, vouched);
			forgetAnnounced(announcer, vouched + 1);
			if (vouched < range.toMs) return stop('caughtUp');
		}

		if (parts.length >= limits.maxItems) return stop('maxItems');
		if (rateLimit && rateLimit.remaining <= limits.rateReserve) return stop('rateReserve');
		if (limits.outOfTime()) return stop('outOfTime');
	}
}
