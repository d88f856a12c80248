/**
 * The trigger's promise end to end: random histories in the emulator, read through a real
 * PollContext, emit each request, score and comment exactly once — under both
 * snapshot modes, short and empty pages, same-second updates, faults and 429s at random requests,
 * restarts that lose unsaved static data, random poll times and item caps.
 */
import fc from 'fast-check';

import { advance, pollUntilCaughtUp, resetWorld, startWorld, T0, triggerParams, useFakeDate, type World } from './triggerWorld';

type Step =
	| { kind: 'send'; customer: number; type: 'csat' | 'nps'; test: boolean }
	| { kind: 'score'; target: number; value: number }
	| { kind: 'comment'; target: number }
	| { kind: 'touch'; target: number }
	| { kind: 'advance'; ms: number }
	| { kind: 'poll' }
	| { kind: 'restart' }
	| { kind: 'fault'; fault: string; count: number };

const FAULTS = ['status', 'rateLimit', 'reset', 'malformed', 'truncated', 'emptyPage', 'noCursorField', 'duplicateEvent'];

const stepArb: fc.Arbitrary<Step> = fc.oneof(
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('send' as const), customer: fc.nat(7), type: fc.constantFrom('csat' as const, 'nps' as const), test: fc.boolean() }) },
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('score' as const), target: fc.nat(), value: fc.nat(10) }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('comment' as const), target: fc.nat() }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('touch' as const), target: fc.nat() }) },
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1500 }), fc.integer({ min: 1, max: 3_600_000 })) }) },
	{ weight: 3, arbitrary: fc.constant({ kind: 'poll' as const }) },
	{ weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('fault' as const), fault: fc.constantFrom(...FAULTS), count: fc.integer({ min: 1, max: 2 }) }) },
);

const scenarioArb = fc.record({
	steps: fc.array(stepArb, { minLength: 5, maxLength: 60 }),
	snapshotMode: fc.constantFrom('event', 'current'),
	maxPageSize: fc.constantFrom(1, 2, 3, 7, 100),
	// Faults that lose a page's next_cursor only bite when a range spans pages.
	emptyPageEvery: fc.constantFrom(0, 2, 3),
	maxItems: fc.constantFrom(1, 3, 10, 1000),
});

let world: World;

beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => {
	jest.useRealTimers();
	await world.h.close();
});

test('every request, score and comment comes out exactly once', async () => {
	useFakeDate();
	const runs = Number(process.env.TRIGGER_PROPERTY_RUNS ?? 60);
	await fc.assert(
		fc.asyncProperty(scenarioArb, async (s) => {
			jest.setSystemTime(T0);
			await resetWorld(world, { snapshotMode: s.snapshotMode, maxPageSize: s.maxPageSize, emptyPageEvery: s.emptyPageEvery });
			const trigger = world.trigger({ ...triggerParams({ maxItems: s.maxItems, includeTest: true }), events: ['request', 'score', 'comment'] });
			const sent: Array<{ id: string; scored: boolean; commented: boolean }> = [];
			const emitted: string[] = [];
			const record = (items: Array<{ json: Record<string, unknown> }>) =>
				emitted.push(...items.map((i) => `${i.json.feedbackId}:${i.json.event}`));

			await trigger.poll(); // activation: from now on, without history
			advance(1000);
			for (const step of s.steps) {
				const target = sent.length ? sent[(step as { target?: number }).target! % sent.length] : undefined;
				switch (step.kind) {
					case 'send': {
						const id = await world.send(world.customers[step.customer], step.type, { test: String(step.test) });
						sent.push({ id, scored: false, commented: false });
						break;
					}
					case 'score':
						if (target && !target.scored) {
							const fb = world.h.emu.store.feedbackById(target.id);
							const value = fb.type === 'csat' ? 1 + (step.value % 5) : step.value;
							world.h.emu.store.respond(target.id, { score: value });
							target.scored = true;
						}
						break;
					case 'comment':
						if (target && !target.commented) {
							world.h.emu.store.respond(target.id, { text: `comment on ${target.id}` });
							target.commented = true;
						}
						break;
					case 'touch':
						if (target) world.h.emu.store.touch(target.id, { kind: 'viewed' });
						break;
					case 'advance':
						advance(step.ms);
						break;
					case 'poll': {
						const { items } = await trigger.poll();
						record(items);
						break;
					}
					case 'restart':
						trigger.restart();
						break;
					case 'fault':
						await world.h.control('POST', 'faults', {
							faults: [{ kind: step.fault, count: step.count, path: '/1.1/feedback/events.json', ...(step.fault === 'status' ? { status: 503 } : {}) }],
						});
						break;
				}
			}
			await world.h.control('DELETE', 'faults');
			advance(3_600_000);
			await pollUntilCaughtUp(trigger, emitted);

			const expected = sent.flatMap((f) => [
				`${f.id}:request`,
				...(f.scored ? [`${f.id}:score`] : []),
				...(f.commented ? [`${f.id}:comment`] : []),
			]);
			expect(emitted.sort()).toEqual(expected.sort());
		}),
		{ numRuns: runs, verbose: 1 },
	);
});
