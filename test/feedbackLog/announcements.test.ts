import { AnomalyLog } from '../../nodes/shared/feedbackLog/anomalies';
import { announcedParts, createAnnouncer, DEFAULT_TOLERANCE, forgetAnnounced, isRemembered, REPEAT_SLACK_MS, savedRecent, type Announcer } from '../../nodes/shared/feedbackLog/announcements';
import { checkPollState, initialPollState, keptFromOf } from '../../nodes/XCustomerFeedbackTrigger/pollState';
import { restorePollState } from '../trigger/restorePollState';
import { formatXDate } from '../../emulator/xDate';
import type { XFeedback, XFeedbackEvent } from '../../nodes/shared/types';

const T = Date.UTC(2026, 10, 1, 12, 0, 0);
const at = (sec: number) => formatXDate(T + sec * 1000);

function feedback(parts: { score?: number; scoreAt?: number; text?: string; textAt?: number }): XFeedback {
	return {
		id: '77',
		created_at: at(0),
		updated_at: at(Math.max(parts.scoreAt ?? 0, parts.textAt ?? 0)),
		type: 'nps',
		test: false,
		dm_id: '5',
		from_user_id: '1',
		to_user_id: '2',
		privacy_url: 'https://example.com/p',
		response: {
			...(parts.score !== undefined ? { score: { value: parts.score, created_at: at(parts.scoreAt!) } } : {}),
			...(parts.text !== undefined ? { text: { value: parts.text, created_at: at(parts.textAt!) } } : {}),
		},
	};
}
const event = (sec: number, fb: XFeedback): XFeedbackEvent => ({ event_type: 'feedback.updated', created_at: at(sec), feedback: fb });
const fresh = (): Announcer => createAnnouncer(T - 1);
const kinds = (a: Announcer, e: XFeedbackEvent) => announcedParts(a, e).map((p) => p.kind);

describe('announcements', () => {
	test('score then comment later: two parts at their own events', () => {
		const a = fresh();
		expect(kinds(a, { ...event(0, feedback({})), event_type: 'feedback.created' })).toEqual(['request']);
		expect(kinds(a, event(100, feedback({ score: 3, scoreAt: 100 })))).toEqual(['score']);
		expect(kinds(a, event(500, feedback({ score: 3, scoreAt: 100, text: 'slow', textAt: 500 })))).toEqual(['comment']);
	});

	test('current-state snapshots: the first event carrying a part announces it, even one stamped before it', () => {
		const a = fresh();
		const current = feedback({ score: 9, scoreAt: 300, text: 'great', textAt: 900 });
		expect(kinds(a, { ...event(0, current), event_type: 'feedback.created' })).toEqual(['request', 'score', 'comment']);
		expect(kinds(a, event(300, current))).toEqual([]);
		expect(kinds(a, event(900, current))).toEqual([]);
	});

	test('several updates in the same second announce each part once', () => {
		const a = fresh();
		const both = feedback({ score: 2, scoreAt: 50, text: 'bad', textAt: 50 });
		// The request (created at 0) is within the lag of this first event seen, so it comes out too.
		expect(kinds(a, event(50, feedback({ score: 2, scoreAt: 50 })))).toEqual(['request', 'score']);
		expect(kinds(a, event(50, both))).toEqual(['comment']);
		expect(kinds(a, event(50, both))).toEqual([]);
	});

	test('parts before the start are never announced', () => {
		const a: Announcer = createAnnouncer(T + 200_000);
		expect(kinds(a, event(199, feedback({ score: 5, scoreAt: 199 })))).toEqual([]);
	});

	const AFTER_SEC = DEFAULT_TOLERANCE.afterMs / 1000;

	test('an event stamped up to the tolerance after its part announces it, and one beyond it too when nothing is forgotten', () => {
		expect(kinds(fresh(), event(10 + AFTER_SEC, feedback({ score: 5, scoreAt: 10 })))).toContain('score');
		const anomalies = new AnomalyLog();
		const a = createAnnouncer(T - 1, 0, undefined, anomalies);
		expect(kinds(a, event(10 + AFTER_SEC + 1, feedback({ score: 5, scoreAt: 10 })))).toContain('score');
		expect(anomalies.byReason).toEqual({ lateEvent: 2 });
	});

	test('an event stamped before its part announces it', () => {
		expect(kinds(fresh(), event(10, feedback({ score: 5, scoreAt: 10 + 2 * 3600 })))).toContain('score');
	});

	test('a part forgotten behind the horizon is not announced again; its own late event is counted with its feedback id', () => {
		const anomalies = new AnomalyLog();
		const a = createAnnouncer(T - 1, 0, undefined, anomalies);
		// Other feedback moves the read position a day on; feedback 77 scored at 10 was never seen.
		announcedParts(a, event(86_400, { ...feedback({}), id: 'other', created_at: at(86_400) }));
		forgetAnnounced(a, a.highMs);
		const own = event(10 + AFTER_SEC + 86_400, feedback({ score: 5, scoreAt: 10 }));
		expect(kinds(a, own)).toEqual([]);
		expect(anomalies.byReason).toEqual({ partBeyondTolerance: 1 });
		expect(anomalies.examples[0].feedbackId).toBe('77');
		// A later change (its snapshot's updated_at far after the score) repeats the score: not counted.
		const later = event(90_000 + AFTER_SEC, { ...feedback({ score: 5, scoreAt: 10, text: 'x', textAt: 90_000 }) });
		expect(kinds(a, later)).toEqual(['comment']);
		expect(anomalies.total).toBe(1);
	});

	test('an old event repeated after newer ones does not bring its part back', () => {
		const a = fresh();
		const old = event(10, feedback({ score: 5, scoreAt: 10 }));
		expect(kinds(a, old)).toEqual(['request', 'score']);
		for (let i = 0; i < 10; i++) announcedParts(a, event(100 + i * 3000, { ...feedback({}), id: `n${i}`, created_at: at(100 + i * 3000) }));
		forgetAnnounced(a, a.highMs);
		expect(isRemembered(a, { feedbackId: '77', kind: 'score' })).toBe(false);
		expect(kinds(a, old)).toEqual([]);
	});

	test('in memory too: forgetting after every page keeps at most twice the feedback the tolerance needs', () => {
		const a = fresh();
		const windowSec = (DEFAULT_TOLERANCE.afterMs + REPEAT_SLACK_MS) / 1000;
		let largest = 0;
		// A feedback a minute for 30 days, a page of 100 events at a time.
		for (let i = 0; i < 30 * 1440; i++) {
			announcedParts(a, event(i * 60, { ...feedback({ score: 7, scoreAt: i * 60 }), id: String(i), created_at: at(i * 60) }));
			if (i % 100 === 99) forgetAnnounced(a, a.highMs);
			largest = Math.max(largest, a.recent.size);
		}
		const needed = windowSec / 60 + 1;
		// Saved: only the feedback the tolerance needs. In memory, until the next sweep: up to twice that, and a page.
		expect(new Set(savedRecent(a).keys.map((key) => key.slice(0, -1))).size).toBeLessThanOrEqual(needed);
		expect(largest).toBeLessThanOrEqual(2 * needed + 100);
	});

	test('memory keeps only what the tolerance still needs', () => {
		const a = fresh();
		for (let i = 0; i < 100; i++) announcedParts(a, event(i * 1000, { ...feedback({ score: 7, scoreAt: i * 1000 }), id: String(i) }));
		forgetAnnounced(a, T + 100_000 * 1000);
		const kept = savedRecent(a).atSec;
		const windowSec = (DEFAULT_TOLERANCE.afterMs + REPEAT_SLACK_MS) / 1000;
		expect(kept.length).toBeLessThanOrEqual(2 * (windowSec / 1000 + 1));
		expect(Math.min(...kept) * 1000).toBeGreaterThanOrEqual(T + 100_000 * 1000 - DEFAULT_TOLERANCE.afterMs - REPEAT_SLACK_MS);
	});
});

describe('poll state', () => {
	test('first activation starts at the start of the current second minus the minimum age, without history', () => {
		const s = initialPollState(T + 700, 3_600_000, null);
		expect(s.sinceMs).toBe(T - 3_600_000 - 1);
		expect(s.windowEndMs).toBe(T - 3_600_000 - 1);
		// Reading begins the tolerance earlier, for events stamped before their parts; a restore keeps it.
		const early = initialPollState(T + 700, 3_600_000, null, undefined, 7_200_000);
		expect([early.sinceMs, early.windowEndMs, early.keptFromMs]).toEqual([T - 3_600_000 - 1, T - 3_600_000 - 1 - 7_200_000, T - 3_600_000 - 1]);
		expect(restorePollState(early, T + 700, 3_600_000, null)).toEqual(early);
	});

	test('Start From backfills, and a changed Start From starts over', () => {
		const s = initialPollState(T, 0, T - 86_400_000);
		expect(s.sinceMs).toBe(T - 86_400_000 - 1);
		s.windowEndMs = T - 1000;
		expect(restorePollState(s, T, 0, T - 86_400_000).windowEndMs).toBe(T - 1000);
		expect(restorePollState(s, T, 0, T - 3_600_000).windowEndMs).toBe(T - 3_600_000 - 1);
	});

	test('unknown or older state versions and wrong types are refused, naming the problem; none starts fresh silently', () => {
		expect(() => restorePollState({ v: 0, windowEndMs: 5 }, T, 0, null)).toThrow(/version is 0/);
		expect(() => restorePollState('garbage', T, 0, null)).toThrow(/not an object/);
		expect(() => restorePollState({ ...initialPollState(T, 0, null), highMs: null }, T, 0, null)).toThrow(/highMs/);
		expect(restorePollState(undefined, T, 0, null).v).toBe(1);
	});

	test('a state saved before the horizon existed keeps what it remembered: a minute behind its newest event', () => {
		const old = { v: 1, sinceMs: T - 1, windowEndMs: T + 500_000, recent: { '77s': (T + 480_000) / 1000 }, highMs: T + 500_000, startFromMs: null };
		const s = restorePollState(old, T + 600_000, 0, null);
		expect(s.keptFromMs).toBeUndefined();
		expect(keptFromOf(s)).toBe(T + 440_000);
	});

	test('remembered parts saved by 0.1.0 (an object of part key -> time) are read; entries without a key and a time are dropped and counted', () => {
		const old = { ...initialPollState(T, 0, null), recent: { '77s': T / 1000, '78c': 'soon' } };
		const checked = checkPollState(old, { nowMs: T, minEventAgeMs: 0, startFromMs: null });
		expect(checked.ok && [checked.state.recent, checked.repairs]).toEqual([{ keys: ['77s'], atSec: [T / 1000] }, ['1 remembered parts did not have a key and a time; they were dropped']]);
		const saved = { ...initialPollState(T, 0, null), recent: { keys: ['77s', 9, '79r'], atSec: [T / 1000, T / 1000] } };
		const arrays = checkPollState(saved, { nowMs: T, minEventAgeMs: 0, startFromMs: null });
		expect(arrays.ok && [arrays.state.recent, arrays.repairs]).toEqual([{ keys: ['77s'], atSec: [T / 1000] }, ['2 remembered parts did not have a key and a time; they were dropped']]);
		// What the announcer remembers comes back as it was saved; a part before its horizon is forgotten.
		expect(savedRecent(createAnnouncer(T - 1, 0, { keys: ['77s', '78c'], atSec: [T / 1000, T / 1000 + 1] }))).toEqual({ keys: ['77s', '78c'], atSec: [T / 1000, T / 1000 + 1] });
		expect(savedRecent(createAnnouncer(T - 1, 0, { keys: ['77s', '78c'], atSec: [1, T / 1000] }))).toEqual({ keys: ['78c'], atSec: [T / 1000] });
	});

	test("the next poll takes over the memory behind its own saved form; a saved form changed since, read back or read with another horizon is rebuilt from what it says", () => {
		const first = fresh();
		announcedParts(first, event(100, feedback({ score: 3, scoreAt: 100 })));
		const saved = savedRecent(first);
		// Taken over once, and checked without a copy while it is its own.
		const checked = checkPollState({ ...initialPollState(T, 0, null), recent: saved }, { nowMs: T + 200_000, minEventAgeMs: 0, startFromMs: null });
		expect(checked.ok && checked.state.recent).toBe(saved);
		const next = createAnnouncer(T - 1, 0, saved);
		expect(next.recent).toBe(first.recent);
		// A second taker, or the same form read back from the database, rebuilds it: the same parts, another map.
		for (const again of [createAnnouncer(T - 1, 0, saved), createAnnouncer(T - 1, 0, JSON.parse(JSON.stringify(saved)) as typeof saved)]) {
			expect(again.recent).not.toBe(first.recent);
			expect(isRemembered(again, { feedbackId: '77', kind: 'score' })).toBe(true);
		}
		// Changed since it was saved (another writer): what it says now is what counts.
		const changed = savedRecent(createAnnouncer(T - 1));
		changed.keys.push('78c');
		changed.atSec.push(T / 1000 + 5);
		const checkedChanged = checkPollState({ ...initialPollState(T, 0, null), recent: changed }, { nowMs: T + 200_000, minEventAgeMs: 0, startFromMs: null });
		expect(checkedChanged.ok && checkedChanged.state.recent).not.toBe(changed);
		expect(isRemembered(createAnnouncer(T - 1, 0, changed), { feedbackId: '78', kind: 'comment' })).toBe(true);
		// Another horizon (a repaired state): rebuilt, so a part the saved form left out stays out.
		const third = fresh();
		announcedParts(third, event(100, feedback({ score: 3, scoreAt: 100 })));
		const later = savedRecent(third);
		expect(createAnnouncer(T - 1, 0, later, undefined, { keptFromMs: T + 50_000 }).recent).not.toBe(third.recent);
	});

	test('a damaged horizon or lead is repaired and said so', () => {
		const fresh = initialPollState(T, 0, null, undefined, 7_200_000);
		const settings = { nowMs: T, minEventAgeMs: 0, startFromMs: null, beforeMs: 7_200_000 };
		const horizon = checkPollState({ ...fresh, keptFromMs: T + 30 * 86_400_000 }, settings);
		expect(horizon.ok && [horizon.state.keptFromMs, horizon.repairs.join()]).toEqual([fresh.sinceMs, expect.stringMatching(/horizon .* set back/)]);
		// Without its lead the start is ahead of the read-up-to point: it moves back (more history, nothing lost).
		const lead = checkPollState({ ...fresh, beforeMs: 'two hours' }, settings);
		expect(lead.ok && [lead.state.beforeMs, lead.state.sinceMs, lead.repairs.join('\n')]).toEqual([undefined, fresh.windowEndMs, expect.stringMatching(/lead before the start .* dropped/)]);
	});
});
