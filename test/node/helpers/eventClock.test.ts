/** helpers/eventClock.ts: a part's gap to its own event, and the snapshot mode, from hand-made snapshots. */
import { readEventClock } from '../../../nodes/XCustomerFeedback/helpers/eventClock';
import { DEFAULT_TOLERANCE } from '../../../nodes/shared/feedbackLog/announcements';
import type { XFeedback, XFeedbackEvent } from '../../../nodes/shared/types';

const T = Date.UTC(2026, 0, 10, 12);
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** A snapshot with the request at T and, when given, a score and a comment. */
function snapshot(id: string, updatedMs: number, scoreMs?: number, commentMs?: number): XFeedback {
	return {
		id,
		created_at: iso(T),
		updated_at: iso(updatedMs),
		type: 'csat',
		test: false,
		dm_id: '1',
		from_user_id: '1',
		to_user_id: '2',
		privacy_url: 'https://acme.example/privacy',
		response: {
			...(scoreMs !== undefined ? { score: { value: 4, created_at: iso(scoreMs) } } : {}),
			...(commentMs !== undefined ? { text: { value: 'ok', created_at: iso(commentMs) } } : {}),
		},
	} as XFeedback;
}
const at = (ms: number, type: string, feedback: XFeedback) => ({ event: { event_type: type, created_at: iso(ms), feedback } as XFeedbackEvent, atMs: ms });

test('as of the event, a view event after the score: the score is matched to its own event, not the view', () => {
	const clock = readEventClock(
		[at(T, 'feedback.created', snapshot('a', T)), at(T + 10 * MIN, 'feedback.updated', snapshot('a', T + 10 * MIN, T + 10 * MIN)), at(T + 11 * MIN, 'feedback.updated', snapshot('a', T + 11 * MIN, T + 10 * MIN))],
		DEFAULT_TOLERANCE,
	);
	expect(clock).toMatchObject({ partsSeen: 2, stampedAfterPart: { count: 2, maxSec: 0 }, snapshotMode: 'event', snapshotEvidence: { current: 0, event: 1 } });
});

test('one request event only, no answer: no evidence, mode unknown; a created event carrying an answer is the feedback as it is now', () => {
	expect(readEventClock([at(T, 'feedback.created', snapshot('a', T))], DEFAULT_TOLERANCE).snapshotMode).toBe('unknown');
	expect(readEventClock([at(T, 'feedback.created', snapshot('a', T + MIN, T + MIN))], DEFAULT_TOLERANCE).snapshotMode).toBe('current');
});

test('evidence both ways is mixed; no events: nothing seen', () => {
	const clock = readEventClock(
		[at(T, 'feedback.created', snapshot('a', T + MIN, T + MIN)), at(T + 2 * MIN, 'feedback.created', snapshot('b', T)), at(T + 3 * MIN, 'feedback.updated', snapshot('b', T + 3 * MIN, T + 3 * MIN))],
		DEFAULT_TOLERANCE,
	);
	expect(clock.snapshotMode).toBe('mixed');
	expect(readEventClock([], DEFAULT_TOLERANCE)).toMatchObject({ eventsRead: 0, partsSeen: 0, snapshotMode: 'unknown', stampedAfterPart: { count: 0, medianSec: null } });
});

test('median and p95 by nearest rank; exactly at the tolerance is within it', () => {
	const events = Array.from({ length: 20 }, (_, n) => at(T + (n === 19 ? 6 * 60 : n) * MIN, 'feedback.created', snapshot(`f${n}`, T)));
	const clock = readEventClock(events, DEFAULT_TOLERANCE);
	expect(clock.stampedAfterPart).toEqual({ count: 20, minSec: 0, medianSec: 9 * 60, p95Sec: 18 * 60, maxSec: 6 * 3600 });
	expect(clock.beyondTolerance).toEqual({ after: 0, before: 0 });
});
