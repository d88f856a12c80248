/**
 * The trigger's core promise on the pure level, over many random histories: every score, comment
 * and request is emitted exactly once, whatever the snapshot mode, page sizes (empty pages
 * included), end markers, answers that lose their next_cursor, poll times, item caps, transient
 * failures and restarts that lose unsaved state, and whatever a hostile X or a damaged state adds:
 * events with far-future, past or unreadable dates or no feedback (each counted, none read as a
 * part), stuck cursors (a cursor handed back ends the poll's listing at once) and runs of empty pages
 * under fresh cursors (followed through),
 * out-of-range saved values and a clock that jumps back.
 */
import fc from 'fast-check';

import { AnomalyLog } from '../../nodes/shared/feedbackLog/anomalies';
import { drain } from '../../nodes/shared/feedbackLog/drain';
import { partKey } from '../../nodes/shared/feedbackLog/parts';
import { checkPollState, restorePollState, type PollState } from '../../nodes/shared/feedbackLog/pollState';
import { BASE_SEC, eventsOf, expectedParts, fakeEventsApi, historyArb, type NoiseKind } from './history';

const noiseArb = fc.array(
	fc.tuple(fc.integer({ min: 0, max: 80 }), fc.array(fc.constantFrom<NoiseKind>('future', 'past', 'unreadable', 'noFeedback'), { minLength: 1, maxLength: 3 })),
	{ maxLength: 6 },
);
const stuckArb = fc.array(
	fc.record({ at: fc.integer({ min: 0, max: 80 }), length: fc.integer({ min: 1, max: 8 }), mode: fc.constantFrom<'same' | 'rotate'>('same', 'rotate') }),
	{ maxLength: 4 },
);
type Damage = 'rateInMs' | 'rateFarAhead' | 'failingInFuture' | 'waitFarAhead' | 'recentNotNumber';
const damageArb = fc.array(
	fc.tuple(fc.integer({ min: 0, max: 11 }), fc.constantFrom<Damage>('rateInMs', 'rateFarAhead', 'failingInFuture', 'waitFarAhead', 'recentNotNumber')),
	{ maxLength: 3 },
);
/** Poll index -> seconds the machine's clock is behind X's at that poll only. */
const clockJumpArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 900 })), { maxLength: 3 });

function damage(state: PollState, kind: Damage, nowMs: number): void {
	if (kind === 'rateInMs') state.rate = { remaining: 0, resetAt: nowMs + 60_000 };
	if (kind === 'rateFarAhead') state.rate = { remaining: 0, resetAt: Math.floor(nowMs / 1000) + 30 * 86_400 };
	if (kind === 'failingInFuture') state.failingSinceMs = nowMs + 86_400_000;
	if (kind === 'waitFarAhead') state.waitUntilMs = nowMs + 30 * 86_400_000;
	if (kind === 'recentNotNumber') (state.recent as Record<string, unknown>).bogus = 'x';
}

const scenarioArb = fc.record({
	changes: historyArb,
	mode: fc.constantFrom<'event' | 'current'>('event', 'current'),
	pageSizes: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 5 }).filter((a) => a.some((n) => n > 0)),
	pollGapsSec: fc.array(fc.integer({ min: 1, max: 900 }), { minLength: 1, maxLength: 12 }),
	maxItems: fc.integer({ min: 1, max: 30 }),
	failAt: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 6 }),
	restartAfterPoll: fc.array(fc.boolean(), { maxLength: 12 }),
	endMarker: fc.constantFrom<'empty' | 'missing'>('empty', 'missing'),
	dropCursorAt: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 4 }),
	noise: noiseArb,
	stuck: stuckArb,
	damage: damageArb,
	clockJumps: clockJumpArb,
});

test('every part is emitted exactly once, every anomaly counted, a handed-back cursor never followed', async () => {
	await fc.assert(
		fc.asyncProperty(scenarioArb, async (s) => {
			let nowMs = BASE_SEC * 1000;
			const visibleEvents = () => eventsOf(s.changes, s.mode).filter((e) => e.atMs <= nowMs);
			const stuckAt = new Map<number, 'same' | 'rotate'>();
			for (const { at, length, mode } of s.stuck) for (let i = 0; i < length; i++) stuckAt.set(at + i, mode);
			// Current-mode snapshots must not show parts from the future either.
			const api = fakeEventsApi(
				() =>
					s.mode === 'current'
						? eventsOf(s.changes.filter((c) => c.atSec * 1000 <= nowMs), 'current')
						: visibleEvents(),
				{
					pageSizes: s.pageSizes,
					failAt: new Set(s.failAt),
					endMarker: s.endMarker,
					dropCursorAt: new Set(s.dropCursorAt),
					noiseAt: new Map(s.noise),
					stuckAt,
				},
			);
			let stored: unknown = undefined;
			let live: unknown = undefined;
			const emitted: string[] = [];
			let anomalies = 0;
			let pollIndex = 0;
			const poll = async () => {
				const jump = s.clockJumps.find(([at]) => at === pollIndex)?.[1] ?? 0;
				const clockMs = nowMs - jump * 1000;
				const checked = checkPollState(live, { nowMs: clockMs, minEventAgeMs: 0, startFromMs: BASE_SEC * 1000 });
				if (!checked.ok) throw new Error(checked.problem);
				const state = checked.state;
				const log = new AnomalyLog();
				const result = await drain(
					state,
					api.fetchPage,
					{ nowMs: clockMs, minEventAgeMs: 0, maxItems: s.maxItems, outOfTime: () => false, rateReserve: 0 },
					undefined,
					log,
				);
				if (result.stoppedBy === 'stuck') state.failingSinceMs ??= clockMs;
				anomalies += log.total;
				// X's empty pages under fresh cursors are followed; a cursor handed back is never followed.
				expect(api.takeLongestHandedBackRun()).toBeLessThanOrEqual(1);
				for (const [at, kind] of s.damage) if (at === pollIndex) damage(state, kind, clockMs);
				pollIndex++;
				live = JSON.parse(JSON.stringify(state));
				emitted.push(...result.parts.map(partKey));
				if (result.parts.length > 0) stored = live;
			};
			let i = 0;
			for (const gap of s.pollGapsSec) {
				nowMs += gap * 1000;
				await poll();
				if (s.restartAfterPoll[i++]) live = stored;
			}
			// Then time moves past the whole history and polls run, a minute apart (so waits after a
			// stuck listing pass), until nothing is left.
			nowMs = (BASE_SEC + 6000) * 1000;
			// A listing that ends without a next_cursor is re-read from its newest event at the next
			// poll, so "caught up" means several polls in a row that bring nothing.
			for (let n = 0, idle = 0; n < 1000 && idle < 5; n++) {
				const before = emitted.length;
				await poll();
				const state = live as PollState;
				idle = emitted.length === before && !state.range && state.waitUntilMs === undefined ? idle + 1 : 0;
				nowMs += 60_000;
			}
			expect(emitted.sort()).toEqual(expectedParts(s.changes));
			expect(anomalies).toBe(api.noiseServed());
		}),
		{ numRuns: Number(process.env.DRAIN_PROPERTY_RUNS ?? 400) },
	);
});

test('the state stays small after 100,000 events', async () => {
	const changes = [];
	for (let i = 0; i < 50_000; i++) {
		const t = BASE_SEC + i * 30;
		changes.push({ kind: 'created' as const, feedbackId: String(i), atSec: t, type: 'nps' as const, test: false });
		changes.push({ kind: 'score' as const, feedbackId: String(i), atSec: t + 5, value: i % 11 });
	}
	const events = eventsOf(changes, 'event');
	const api = fakeEventsApi(() => events);
	const nowMs = (BASE_SEC + 50_000 * 30 + 60) * 1000;
	let saved: unknown = undefined;
	let emitted = 0;
	let largest = 0;
	for (let n = 0; n < 1000; n++) {
		const state = restorePollState(saved, nowMs, 0, BASE_SEC * 1000);
		const result = await drain(state, api.fetchPage, {
			nowMs,
			minEventAgeMs: 0,
			maxItems: 1000,
			outOfTime: () => false,
			rateReserve: 0,
		});
		emitted += result.parts.length;
		saved = JSON.parse(JSON.stringify(state));
		largest = Math.max(largest, JSON.stringify(saved).length);
		if (result.stoppedBy === 'caughtUp') break;
	}
	expect(emitted).toBe(100_000);
	expect(api.requests()).toBe(1000);
	expect(JSON.stringify(saved).length).toBeLessThan(1024);
	expect(largest).toBeLessThan(4096);
});
