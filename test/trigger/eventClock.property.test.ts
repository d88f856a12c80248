/**
 * The trigger does not lean on X's event clock: X may stamp an event hours before or after the
 * request, score or comment it reports (issue 17). Random histories in the emulator, stamped from
 * 2 hours before to 6 hours after their changes (eventLagMinMs/MaxMs), in both snapshot modes, read
 * through a real PollContext with restarts, random poll times and item caps: every part comes out
 * exactly once, and nothing is logged as beyond the tolerance. Beyond the tolerance (events 7 to 9
 * hours late), every part either comes out once or is logged with its feedback id: never silently lost.
 *
 * The emulator makes an event when the change happens, stamped up to 2 hours back; X serves events
 * 24 hours old, so it has them by then. With Minimum Event Age 0 an event stamped behind the
 * trigger's read position would never be listed, so these worlds use 2 hours on both sides.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import fc from 'fast-check';

import { DEFAULT_TOLERANCE } from '../../nodes/shared/feedbackLog/announcements';
import { XCustomerFeedbackTrigger } from '../../nodes/XCustomerFeedbackTrigger/XCustomerFeedbackTrigger.node';

import { advance, pollUntilCaughtUp, recordItems, resetWorld, T0, triggerParams, useFakeDate, useWorld, type World } from './triggerWorld';

const HOUR = 3_600_000;

type Step =
	| { kind: 'send'; customer: number; type: 'csat' | 'nps' }
	| { kind: 'score'; target: number; value: number }
	| { kind: 'comment'; target: number }
	| { kind: 'touch'; target: number }
	| { kind: 'advance'; ms: number }
	| { kind: 'poll' }
	| { kind: 'restart' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('send' as const), customer: fc.nat(7), type: fc.constantFrom('csat' as const, 'nps' as const) }) },
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('score' as const), target: fc.nat(), value: fc.nat(10) }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('comment' as const), target: fc.nat() }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('touch' as const), target: fc.nat() }) },
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.oneof(fc.integer({ min: 1, max: 90_000 }), fc.integer({ min: 1, max: 2 * HOUR })) }) },
	{ weight: 3, arbitrary: fc.constant({ kind: 'poll' as const }) },
	{ weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
);

export interface ClockWorld {
	snapshotMode: 'event' | 'current';
	lagMinMs: number;
	lagMaxMs: number;
	/** Played before activation: parts given then, after the start, must come out too. */
	before: Step[];
	/** Start From, this long before activation; none: from activation (minus the minimum age). */
	startFromAgoMs: number | null;
	steps: Step[];
	maxItems: number;
}

const TOLERATED_LAG = fc
	.tuple(fc.integer({ min: -7200, max: 21_600 }), fc.integer({ min: -7200, max: 21_600 }))
	.map(([a, b]) => [Math.min(a, b) * 1000, Math.max(a, b) * 1000] as const);

const worldArb = (lag: fc.Arbitrary<readonly [number, number]>): fc.Arbitrary<ClockWorld> =>
	fc.record({
		snapshotMode: fc.constantFrom('event' as const, 'current' as const),
		lag,
		before: fc.array(stepArb.filter((st) => st.kind !== 'poll' && st.kind !== 'restart'), { maxLength: 12 }),
		startFromAgoMs: fc.option(fc.integer({ min: 1, max: 3 * HOUR }), { nil: null }),
		steps: fc.array(stepArb, { minLength: 5, maxLength: 50 }),
		maxItems: fc.constantFrom(1, 3, 1000),
	}).map(({ lag: [lagMinMs, lagMaxMs], ...rest }) => ({ ...rest, lagMinMs, lagMaxMs }));

interface Outcome {
	expected: string[];
	emitted: string[];
	/** Re-deliveries after a restart (flagged); each must be of a part delivered once as attempt 1. */
	repeats: string[];
	/** Warnings with their metadata (reason, feedback id). */
	warnings: Array<{ message: string; feedbackId?: string; reason?: string; feedbackIds?: string[] }>;
}

let world: World;
useWorld((w) => (world = w));

const warnings: Outcome['warnings'] = [];
beforeAll(() => {
	jest.spyOn(Container.get(Logger), 'warn').mockImplementation((message: string, meta?: object) => {
		warnings.push({ message, ...(meta as { feedbackId?: string; reason?: string; feedbackIds?: string[] }) });
	});
});

/** Plays one history against the trigger and polls until it has caught up. */
export async function play(w: World, s: ClockWorld): Promise<Outcome> {
	jest.setSystemTime(T0);
	await resetWorld(w, { snapshotMode: s.snapshotMode, eventLagMinMs: s.lagMinMs, eventLagMaxMs: s.lagMaxMs, minEventAgeMs: 2 * HOUR, maxPageSize: 7 });
	const sent: Array<{ id: string; scored: boolean; commented: boolean }> = [];
	// First deliveries; a restart re-delivers what was in flight, flagged (deliveryAttempt above 1).
	const emitted: string[] = [];
	const repeats: string[] = [];
	warnings.length = 0;
	let trigger: ReturnType<World['trigger']> | undefined = undefined;
	const playStep = async (step: Step) => {
		const target = sent.length ? sent[(step as { target?: number }).target! % sent.length] : undefined;
		switch (step.kind) {
			case 'send':
				sent.push({ id: await w.send(w.customers[step.customer], step.type, { test: 'true' }), scored: false, commented: false });
				break;
			case 'score':
				if (target && !target.scored) {
					const fb = w.h.emu.store.feedbackById(target.id);
					w.h.emu.store.respond(target.id, { score: fb.type === 'csat' ? 1 + (step.value % 5) : step.value });
					target.scored = true;
				}
				break;
			case 'comment':
				if (target && !target.commented) {
					w.h.emu.store.respond(target.id, { text: `comment on ${target.id}` });
					target.commented = true;
				}
				break;
			case 'touch':
				if (target) w.h.emu.store.touch(target.id, { kind: 'viewed' });
				break;
			case 'advance':
				advance(step.ms);
				break;
			case 'poll': {
				const { items, error } = await trigger!.poll();
				if (error) throw error;
				recordItems(items, emitted, repeats);
				break;
			}
			case 'restart':
				trigger!.restart();
				break;
		}
	};
	for (const step of s.before) await playStep(step);
	advance(1000);
	const startFrom = s.startFromAgoMs === null ? {} : { startFrom: new Date(Date.now() - s.startFromAgoMs).toISOString() };
	trigger = w.trigger({ ...triggerParams({ maxItems: s.maxItems, includeTest: true, minEventAgeHours: 2, ...startFrom }), events: ['request', 'score', 'comment'] });
	const first = await trigger.poll(); // activation
	if (first.error) throw first.error;
	recordItems(first.items, emitted, repeats);
	const sinceMs = (trigger.nodeState()?.pollState as { sinceMs: number }).sinceMs;
	advance(1000);
	for (const step of s.steps) await playStep(step);
	// Long enough for the latest stamp to be served, then read to the end.
	advance(Math.max(0, s.lagMaxMs) + 3 * HOUR);
	await pollUntilCaughtUp(trigger, emitted, 5000, repeats);
	// Every part given after the start, by its own time (X's own record of it).
	const expected: string[] = [];
	for (const f of w.h.emu.store.feedback.records.values()) {
		if (f.createdAt > sinceMs) expected.push(`${f.id}:request`);
		if (f.score && f.score.at > sinceMs) expected.push(`${f.id}:score`);
		if (f.comment && f.comment.at > sinceMs) expected.push(`${f.id}:comment`);
	}
	return { expected: expected.sort(), emitted: emitted.sort(), repeats, warnings: [...warnings] };
}

const runs = Number(process.env.TRIGGER_PROPERTY_RUNS ?? 40);

test('events stamped 2 hours before to 6 hours after their parts: every part exactly once, both snapshot modes', async () => {
	useFakeDate();
	await fc.assert(
		fc.asyncProperty(worldArb(TOLERATED_LAG), async (s) => {
			const { expected, emitted, repeats, warnings: logged } = await play(world, s);
			expect(repeats.filter((k) => !emitted.includes(k))).toEqual([]);
			const missed = expected.filter((k) => !emitted.includes(k));
			expect({ missed, twice: emitted.filter((k, i) => emitted.indexOf(k) !== i) }).toEqual({ missed: [], twice: [] });
			expect(emitted).toEqual(expected);
			expect(logged.filter((w) => w.reason !== undefined)).toEqual([]);
		}),
		{ numRuns: runs, verbose: 1 },
	);
});

test('events stamped 7 to 9 hours after their parts: each part comes out at most once, or its feedback id is logged', async () => {
	useFakeDate();
	await fc.assert(
		fc.asyncProperty(worldArb(fc.constant([7 * HOUR, 9 * HOUR] as const)), async (s) => {
			const { expected, emitted, warnings: logged } = await play(world, s);
			expect(emitted.filter((k, i) => emitted.indexOf(k) !== i)).toEqual([]);
			// One by one, or named in a poll's summary (beyond the first 20 of a poll).
			const loggedIds = new Set(logged.flatMap((w) => [w.feedbackId, ...(w.feedbackIds ?? [])]).filter(Boolean));
			const lost = expected.filter((k) => !emitted.includes(k) && !loggedIds.has(k.split(':')[0]));
			expect(lost).toEqual([]);
			expect(emitted.every((k) => expected.includes(k))).toBe(true);
		}),
		{ numRuns: Math.ceil(runs / 2), verbose: 1 },
	);
});

test('more than 20 parts set aside in one poll: those past the 20 logged one by one are named in the poll\'s summary', async () => {
	// fast-check's counterexample (seed -1606467781): current snapshots, one item per poll.
	useFakeDate();
	const s: ClockWorld = {
		snapshotMode: 'current',
		before: [
			{ kind: 'send', customer: 0, type: 'csat' },
			{ kind: 'comment', target: 0 },
			{ kind: 'touch', target: 0 },
			{ kind: 'score', target: 0, value: 0 },
			{ kind: 'send', customer: 0, type: 'csat' },
		],
		startFromAgoMs: null,
		steps: [
			...Array.from({ length: 3 }, () => ({ kind: 'send' as const, customer: 0, type: 'csat' as const })),
			{ kind: 'score', target: 14, value: 0 },
			...Array.from({ length: 4 }, () => ({ kind: 'send' as const, customer: 0, type: 'csat' as const })),
			{ kind: 'comment', target: 2069589423 },
			{ kind: 'score', target: 0, value: 0 },
			{ kind: 'score', target: 2130706412, value: 0 },
			{ kind: 'score', target: 3, value: 0 },
			{ kind: 'send', customer: 0, type: 'csat' },
		],
		maxItems: 1,
		lagMinMs: 7 * HOUR,
		lagMaxMs: 9 * HOUR,
	};
	const { expected, emitted, warnings: logged } = await play(world, s);
	const summaries = logged.filter((w) => w.feedbackIds !== undefined);
	expect(summaries.length).toBeGreaterThan(0);
	const loggedIds = new Set(logged.flatMap((w) => [w.feedbackId, ...(w.feedbackIds ?? [])]).filter(Boolean));
	expect(expected.filter((k) => !emitted.includes(k) && !loggedIds.has(k.split(':')[0]))).toEqual([]);
});

/**
 * Figures for the record (EVENT_CLOCK_MEASURE=1): parts missed, emitted twice and logged, over the
 * same seeded histories for a few lag ranges and both snapshot modes. Not an assertion.
 */
(process.env.EVENT_CLOCK_MEASURE ? test : test.skip)(`measure: parts missed by lag range${process.env.EVENT_CLOCK_MEASURE ? '' : ' (skipped: a measurement for BENCHMARKS.md; EVENT_CLOCK_MEASURE=1 runs it)'}`, async () => {
	useFakeDate();
	const ranges: Array<[string, number, number]> = [
		['0..+90 s', 0, 90_000],
		['0..+90 min', 0, 90 * 60_000],
		['-1 h..0', -HOUR, 0],
		['-2 h..+6 h', -2 * HOUR, 6 * HOUR],
		['+7 h..+9 h', 7 * HOUR, 9 * HOUR],
	];
	const lines: string[] = [];
	for (const [name, lagMinMs, lagMaxMs] of ranges) {
		for (const snapshotMode of ['event', 'current'] as const) {
			const worlds = fc.sample(worldArb(fc.constant([lagMinMs, lagMaxMs] as const)), { numRuns: 20, seed: 17 });
			let parts = 0;
			let missed = 0;
			let twice = 0;
			let missedUnlogged = 0;
			for (const s of worlds) {
				const o = await play(world, { ...s, snapshotMode });
				const ids = new Set(o.warnings.map((w) => w.feedbackId).filter(Boolean));
				parts += o.expected.length;
				const gone = o.expected.filter((k) => !o.emitted.includes(k));
				missed += gone.length;
				missedUnlogged += gone.filter((k) => !ids.has(k.split(':')[0])).length;
				twice += o.emitted.length - new Set(o.emitted).size;
			}
			lines.push(`${name.padEnd(12)} ${snapshotMode.padEnd(8)} parts ${parts}, missed ${missed} (not logged ${missedUnlogged}), twice ${twice}`);
		}
	}
	process.stdout.write(`${lines.join('\n')}\n`);
});

test('the tolerance options show the defaults the code uses, and only widen them', async () => {
	const options = new XCustomerFeedbackTrigger().description.properties.find((p) => p.name === 'options')!.options as Array<{ name: string; default: unknown; typeOptions?: { minValue?: number } }>;
	const late = options.find((o) => o.name === 'eventLateHours')!;
	const early = options.find((o) => o.name === 'eventEarlyHours')!;
	expect([late.default, late.typeOptions?.minValue]).toEqual([DEFAULT_TOLERANCE.afterMs / HOUR, DEFAULT_TOLERANCE.afterMs / HOUR]);
	expect([early.default, early.typeOptions?.minValue]).toEqual([DEFAULT_TOLERANCE.beforeMs / HOUR, DEFAULT_TOLERANCE.beforeMs / HOUR]);
	useFakeDate();
	jest.setSystemTime(T0);
	await resetWorld(world, {});
	const narrow = await world.trigger(triggerParams({ eventLateHours: 1 })).poll();
	expect(narrow.error?.message).toBe('Event Time Tolerance After Part (Hours) must be from 6 to 168 hours');
	// A wider tolerance reads further back at activation.
	const wide = world.trigger(triggerParams({ eventEarlyHours: 5 }));
	expect((await wide.poll()).error).toBeUndefined();
	const state = wide.nodeState()?.pollState as { sinceMs: number; windowEndMs: number };
	expect(state.sinceMs - state.windowEndMs).toBe(5 * HOUR);
});
