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

import { formatXDate } from '../../emulator/xDate';

import { AnomalyLog } from '../../nodes/shared/feedbackLog/anomalies';
import { DEFAULT_TOLERANCE, REPEAT_SLACK_MS } from '../../nodes/shared/feedbackLog/announcements';
import { drain } from '../../nodes/XCustomerFeedbackTrigger/drain';
import { partKey } from '../../nodes/shared/feedbackLog/parts';
import { checkPollState, type PollState } from '../../nodes/XCustomerFeedbackTrigger/pollState';
import { restorePollState } from './restorePollState';
import { BASE_SEC, eventsOf, expectedParts, fakeEventsApi, historyArb, type NoiseKind } from '../feedbackLog/history';

const noiseArb = fc.array(
	fc.tuple(fc.integer({ min: 0, max: 80 }), fc.array(fc.constantFrom<NoiseKind>('future', 'past', 'unreadable', 'noFeedback'), { minLength: 1, maxLength: 3 })),
	{ maxLength: 6 },
);
const stuckArb = fc.array(
	fc.record({ at: fc.integer({ min: 0, max: 80 }), length: fc.integer({ min: 1, max: 8 }), mode: fc.constantFrom<'same' | 'rotate'>('same', 'rotate') }),
	{ maxLength: 4 },
);
type Damage = 'rateInMs' | 'rateFarAhead' | 'failingInFuture' | 'waitFarAhead' | 'recentNotNumber' | 'keptFromAhead' | 'beforeNotTime';
const damageArb = fc.array(
	fc.tuple(fc.integer({ min: 0, max: 11 }), fc.constantFrom<Damage>('rateInMs', 'rateFarAhead', 'failingInFuture', 'waitFarAhead', 'recentNotNumber', 'keptFromAhead', 'beforeNotTime')),
	{ maxLength: 3 },
);
/** Poll index -> seconds the machine's clock is behind X's at that poll only. */
const clockJumpArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 900 })), { maxLength: 3 });

function damage(state: PollState, kind: Damage, nowMs: number): void {
	if (kind === 'rateInMs') state.rate = { remaining: 0, resetAt: nowMs + 60_000 };
	if (kind === 'rateFarAhead') state.rate = { remaining: 0, resetAt: Math.floor(nowMs / 1000) + 30 * 86_400 };
	if (kind === 'failingInFuture') state.failingSinceMs = nowMs + 86_400_000;
	if (kind === 'waitFarAhead') state.waitUntilMs = nowMs + 30 * 86_400_000;
	if (kind === 'recentNotNumber') {
		state.recent.keys.push('bogus');
		(state.recent.atSec as unknown[]).push('x');
	}
	if (kind === 'keptFromAhead') state.keptFromMs = nowMs + 30 * 86_400_000;
	if (kind === 'beforeNotTime') (state as unknown as Record<string, unknown>).beforeMs = 'two hours';
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
	// It remembers the parts within the tolerance behind the newest event read (a part every 15 s
	// here), not the history: about 20 bytes per part with these short ids.
	const windowParts = (DEFAULT_TOLERANCE.afterMs + REPEAT_SLACK_MS) / 15_000 + 2;
	expect((saved as PollState).recent.keys.length).toBeLessThanOrEqual(windowParts);
	expect(largest).toBeLessThan(windowParts * 20 + 1024);
});

/**
 * The saved state at 1,000 surveys a day, every one scored and commented within a day (the worst
 * case: three parts each), with X's 19-digit feedback ids, read in polls of 1,000 items: the largest
 * state saved, in bytes of JSON, as the figure BENCHMARKS.md states. In current snapshots an event
 * carries parts given after it, which are remembered from then on: the state holds the parts of
 * the surveys read whose answers are not yet 6 hours behind the read position.
 */
test.each(['event', 'current'] as const)('the saved state at 1,000 surveys a day (%s snapshots)', async (mode) => {
	const rng = fc.sample(fc.integer({ min: 0, max: 86_399 }), { numRuns: 9000, seed: 1000 });
	const changes: Parameters<typeof eventsOf>[0] = [];
	for (let i = 0; i < 3000; i++) {
		const t = BASE_SEC + Math.floor((i * 86_400) / 1000);
		const id = String(1_700_000_000_000_000_000n + BigInt(i));
		const scoreAt = t + 1 + rng[i];
		changes.push({ kind: 'created', feedbackId: id, atSec: t, type: 'nps', test: false });
		changes.push({ kind: 'score', feedbackId: id, atSec: scoreAt, value: i % 11 });
		changes.push({ kind: 'comment', feedbackId: id, atSec: scoreAt + 1 + (rng[3000 + i] % 3600), value: 'thanks' });
	}
	changes.sort((a, b) => a.atSec - b.atSec);
	const events = eventsOf(changes, mode);
	const api = fakeEventsApi(() => events);
	const nowMs = (BASE_SEC + 5 * 86_400) * 1000;
	let saved: unknown = undefined;
	let largest = 0;
	let emitted = 0;
	for (let n = 0; n < 1000; n++) {
		const state = restorePollState(saved, nowMs, 0, BASE_SEC * 1000);
		const result = await drain(state, api.fetchPage, { nowMs, minEventAgeMs: 0, maxItems: 1000, outOfTime: () => false, rateReserve: 0 });
		emitted += result.parts.length;
		saved = JSON.parse(JSON.stringify(state));
		largest = Math.max(largest, Buffer.byteLength(JSON.stringify(saved)));
		if (result.stoppedBy === 'caughtUp') break;
	}
	expect(emitted).toBe(9000);
	process.stdout.write(`state at 1,000 surveys a day, ${mode} snapshots: largest ${largest} bytes\n`);
	expect(largest).toBeLessThan(mode === 'event' ? 48 * 1024 : 160 * 1024);
});

/**
 * X's event clock (issue 17), on the pure level: each event stamped from 2 hours before to 6 hours
 * after its change, both snapshot modes, polls at random times with a 2-hour minimum age, restarts
 * that lose unsaved state, item caps: every part after the start is emitted exactly once.
 */
test('events stamped 2 hours before to 6 hours after their changes: every part exactly once', async () => {
	const lagged = fc.record({
		changes: historyArb,
		lagsSec: fc.array(fc.integer({ min: -7200, max: 21_600 }), { minLength: 200, maxLength: 200 }),
		mode: fc.constantFrom<'event' | 'current'>('event', 'current'),
		pollGapsSec: fc.array(fc.integer({ min: 1, max: 3600 }), { minLength: 1, maxLength: 12 }),
		restartAfterPoll: fc.array(fc.boolean(), { maxLength: 12 }),
		maxItems: fc.integer({ min: 1, max: 30 }),
		pageSizes: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 3 }),
	});
	const MIN_AGE_MS = 2 * 3_600_000;
	await fc.assert(
		fc.asyncProperty(lagged, async (s) => {
			// Activation 2 hours after the history starts: parts since then (minus the minimum age) count.
			let nowMs = BASE_SEC * 1000 + MIN_AGE_MS;
			const stamped = () => {
				// X has an event once its change happened; it lists it by its stamp.
				const given = s.changes.filter((c) => c.atSec * 1000 <= nowMs);
				const events = eventsOf(given, s.mode).map((e, i) => {
					const atMs = e.atMs + s.lagsSec[i % s.lagsSec.length] * 1000;
					return { ...e, atMs, created_at: formatXDate(atMs) };
				});
				return events.sort((a, b) => a.atMs - b.atMs);
			};
			const api = fakeEventsApi(stamped, { pageSizes: s.pageSizes });
			let live: unknown = undefined;
			let stored: unknown = undefined;
			const emitted: string[] = [];
			let sinceMs = NaN;
			const poll = async () => {
				const state = restorePollState(live, nowMs, MIN_AGE_MS, null, DEFAULT_TOLERANCE.beforeMs);
				if (Number.isNaN(sinceMs)) sinceMs = state.sinceMs;
				const result = await drain(state, api.fetchPage, { nowMs, minEventAgeMs: MIN_AGE_MS, maxItems: s.maxItems, outOfTime: () => false, rateReserve: 0 });
				live = JSON.parse(JSON.stringify(state));
				emitted.push(...result.parts.map(partKey));
				if (result.parts.length > 0 || stored === undefined) stored = live;
			};
			await poll(); // activation
			let i = 0;
			for (const gap of s.pollGapsSec) {
				nowMs += gap * 1000;
				await poll();
				if (s.restartAfterPoll[i++]) live = stored;
			}
			nowMs = (BASE_SEC + 5400) * 1000 + 8 * 3_600_000 + MIN_AGE_MS;
			for (let n = 0, idle = 0; n < 1000 && idle < 5; n++) {
				const before = emitted.length;
				await poll();
				idle = emitted.length === before && !(live as PollState).range ? idle + 1 : 0;
				nowMs += 60_000;
			}
			expect(emitted.sort()).toEqual(expectedParts(s.changes, Math.floor(sinceMs / 1000)));
		}),
		{ numRuns: Number(process.env.DRAIN_PROPERTY_RUNS ?? 400) },
	);
});
