/**
 * A model of X's feedback history for the pure trigger tests: feedback requests, scores, comments
 * and other updates at whole seconds, listed as X would (as-of-event or current snapshots), with
 * pages that may be short or empty.
 */
import fc from 'fast-check';

import { formatXDate } from '../../emulator/xDate';
import type { PageFetcher } from '../../nodes/XCustomerFeedbackTrigger/drain';
import type { FeedbackType, XFeedback, XFeedbackEvent } from '../../nodes/shared/types';

export type Change = { feedbackId: string; atSec: number } & (
	| { kind: 'created'; type: FeedbackType; test: boolean }
	| { kind: 'score'; value: number }
	| { kind: 'comment'; value: string }
	| { kind: 'touch' }
);

/** History starts here (epoch seconds), well after 1970 so that times look like X's. */
export const BASE_SEC = 1_760_000_000;

export type SnapshotMode = 'event' | 'current';

function applyChange(feedback: XFeedback | undefined, c: Change): XFeedback | undefined {
	const at = formatXDate(c.atSec * 1000);
	if (c.kind === 'created') {
		return {
			id: c.feedbackId,
			created_at: at,
			updated_at: at,
			type: c.type,
			test: c.test,
			dm_id: `dm${c.feedbackId}`,
			from_user_id: '1',
			to_user_id: `9${c.feedbackId}`,
			privacy_url: 'https://example.com/privacy',
			question_variant_id: '0',
		};
	}
	if (!feedback) return feedback;
	const next: XFeedback = { ...feedback, updated_at: at, response: { ...feedback.response } };
	if (c.kind === 'score') next.response = { ...next.response, score: { value: c.value, created_at: at } };
	if (c.kind === 'comment') next.response = { ...next.response, text: { value: c.value, created_at: at } };
	return next;
}

/** Every change as an event; `changes` must be in time order. */
export function eventsOf(changes: Change[], mode: SnapshotMode): Array<XFeedbackEvent & { atMs: number }> {
	const asOf: XFeedback[] = [];
	const latest = new Map<string, XFeedback | undefined>();
	for (const c of changes) {
		const next = applyChange(latest.get(c.feedbackId), c);
		latest.set(c.feedbackId, next);
		asOf.push(next!);
	}
	return changes.map((c, i) => ({
		event_type: c.kind === 'created' ? 'feedback.created' : 'feedback.updated',
		created_at: formatXDate(c.atSec * 1000),
		atMs: c.atSec * 1000,
		feedback: mode === 'event' ? asOf[i] : latest.get(c.feedbackId)!,
	}));
}

/** Parts a consumer should report: every created, score and comment change. */
export function expectedParts(changes: Change[], sinceSec = -Infinity): string[] {
	const kinds = { created: 'r', score: 's', comment: 'c' } as Record<string, string>;
	return changes
		.filter((c) => c.kind !== 'touch' && c.atSec > sinceSec)
		.map((c) => `${c.feedbackId}${kinds[c.kind]}`)
		.sort();
}

export interface FakeApiOptions {
	pageSizes?: number[];
	/** Index of requests (0-based) that fail. */
	failAt?: Set<number>;
	/** How the last page says it is the last: `next_cursor: ""` or no field at all. */
	endMarker?: 'empty' | 'missing';
	/** Index of requests whose answer loses its next_cursor field although more events follow. */
	dropCursorAt?: Set<number>;
	/** Hostile: request index -> events X slips into that page (bad dates, no feedback). */
	noiseAt?: Map<number, NoiseKind[]>;
	/** Hostile: request index -> a stuck answer (no events; the same cursor, or a new one each time). */
	stuckAt?: Map<number, 'same' | 'rotate'>;
}

/** Events a hostile X slips into pages; each must be set aside and counted, never read as a part. */
export type NoiseKind = 'future' | 'past' | 'unreadable' | 'noFeedback';

let noiseId = 0;
function noiseEvent(kind: NoiseKind, req: { fromMs: number; toMs: number }): XFeedbackEvent {
	const id = `noise${noiseId++}`;
	const at = { future: formatXDate(Date.UTC(2999, 0, 1)), past: formatXDate(req.fromMs - 3_600_000), unreadable: 'not a date', noFeedback: formatXDate(req.toMs) }[kind];
	const feedback = { id, created_at: at, updated_at: at, type: 'csat', test: false, dm_id: 'd', from_user_id: '1', to_user_id: '2', privacy_url: 'https://example.com' };
	return { event_type: 'feedback.created', created_at: at, feedback: kind === 'noFeedback' ? (undefined as unknown as XFeedback) : (feedback as XFeedback) };
}

/** An event as X serves it: without the time the fake sorts by. */
function asServed(e: XFeedbackEvent & { atMs: number }): XFeedbackEvent {
	const served: Partial<XFeedbackEvent & { atMs: number }> = { ...e };
	delete served.atMs;
	return served as XFeedbackEvent;
}

function lowerBound(events: Array<{ atMs: number }>, ms: number): number {
	let lo = 0;
	let hi = events.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (events[mid].atMs < ms) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** Serves pages of events in [from, to] with an index cursor, like X: only an empty cursor ends. */
export function fakeEventsApi(events: () => Array<XFeedbackEvent & { atMs: number }>, options: FakeApiOptions = {}) {
	let requests = 0;
	let noiseServed = 0;
	/** Answers that brought nothing new, in a row, and the longest such run since the last mark. */
	let wastedRun = 0;
	let longestWastedRun = 0;
	/** Answers in a row that handed back the cursor they were asked with, and the longest such run. */
	let handedBackRun = 0;
	let longestHandedBackRun = 0;
	const fetchPage: PageFetcher = async (req) => {
		const n = requests++;
		if (options.failAt?.has(n)) throw Object.assign(new Error('X is over capacity'), { context: { x: { transient: true } } });
		const all = events();
		const first = lowerBound(all, req.fromMs);
		const inRange = all.slice(first, lowerBound(all, req.toMs + 1));
		// A cursor is the position, with a suffix a stuck X may vary.
		const start = req.cursor ? Number(req.cursor.split(':')[0]) : 0;
		const stuck = options.stuckAt?.get(n);
		if (stuck) {
			wastedRun++;
			longestWastedRun = Math.max(longestWastedRun, wastedRun);
			if (stuck === 'same' && req.cursor) longestHandedBackRun = Math.max(longestHandedBackRun, ++handedBackRun);
			else handedBackRun = 0;
			return {
				page: { events: [], next_cursor: stuck === 'same' && req.cursor ? req.cursor : `${start}:${n}` },
				rateLimit: { limit: 1000, remaining: 1000 - n, resetAt: 0 },
			};
		}
		handedBackRun = 0;
		const sizes = options.pageSizes ?? [req.count];
		const size = Math.min(req.count, sizes[n % sizes.length]);
		const slice = inRange.slice(start, start + size);
		const next = start + size;
		const more = next < inRange.length && !options.dropCursorAt?.has(n);
		const served: XFeedbackEvent[] = slice.map(asServed);
		wastedRun = size > 0 && slice.length > 0 ? 0 : wastedRun + 1;
		if (more) longestWastedRun = Math.max(longestWastedRun, wastedRun);
		else wastedRun = 0;
		for (const kind of options.noiseAt?.get(n) ?? []) {
			served.splice(noiseId % (served.length + 1), 0, noiseEvent(kind, req));
			noiseServed++;
		}
		return {
			// An empty page (size 0) is X moving on: a fresh cursor at the same position, as X's cursors
			// are unique within a range; a cursor handed back is the stuck case (stuckAt 'same').
			page: more
				? { events: served, next_cursor: size === 0 ? `${next}:${n}` : String(next) }
				: options.endMarker === 'missing' || next < inRange.length
					? { events: served }
					: { events: served, next_cursor: '' },
			rateLimit: { limit: 1000, remaining: 1000 - n, resetAt: 0 },
		};
	};
	return {
		fetchPage,
		requests: () => requests,
		noiseServed: () => noiseServed,
		/** The longest run of answers in a row that brought nothing new, since the last call. */
		/** The longest run of answers in a row that handed back the cursor asked with, since the last call. */
		takeLongestHandedBackRun: () => {
			const longest = longestHandedBackRun;
			longestHandedBackRun = 0;
			handedBackRun = 0;
			return longest;
		},
		takeLongestWastedRun: () => {
			const longest = longestWastedRun;
			longestWastedRun = 0;
			wastedRun = 0;
			return longest;
		},
	};
}

/** Random histories: feedback created, then score and/or comment later, extra updates, same-second bursts. */
export const historyArb = fc
	.array(
		fc.record({
			createdSec: fc.integer({ min: 0, max: 5000 }).map((t) => BASE_SEC + t),
			type: fc.constantFrom<FeedbackType>('csat', 'nps'),
			test: fc.boolean(),
			scoreAfter: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
			commentAfter: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
			touches: fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 3 }),
			score: fc.integer({ min: 0, max: 10 }),
		}),
		{ maxLength: 40 },
	)
	.map((specs) => {
		const changes: Change[] = [];
		specs.forEach((s, i) => {
			const id = String(1000 + i);
			changes.push({ kind: 'created', feedbackId: id, atSec: s.createdSec, type: s.type, test: s.test });
			if (s.scoreAfter !== undefined) {
				const value = s.type === 'csat' ? 1 + (s.score % 5) : s.score;
				changes.push({ kind: 'score', feedbackId: id, atSec: s.createdSec + s.scoreAfter, value });
			}
			if (s.commentAfter !== undefined) {
				changes.push({ kind: 'comment', feedbackId: id, atSec: s.createdSec + s.commentAfter, value: `comment ${id}` });
			}
			for (const t of s.touches) changes.push({ kind: 'touch', feedbackId: id, atSec: s.createdSec + t });
		});
		const order = (c: Change) => ({ created: 0, score: 1, comment: 2, touch: 3 })[c.kind];
		return changes.sort(
			(a, b) => a.atSec - b.atSec || a.feedbackId.localeCompare(b.feedbackId) || order(a) - order(b),
		);
	});
