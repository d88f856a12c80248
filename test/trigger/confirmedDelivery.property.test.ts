/**
 * Confirmed delivery end to end, at random: histories in the emulator read through a real
 * TriggerContext while n8n loses executions (a worker dies, at any attempt), tells main of a loss
 * only later (a restart can fall in between), refuses to start some (`undefined`), fails some in a
 * node (Re-Deliver Failed Executions on), leaves some pending, and main restarts at random points,
 * during back-offs too. Every request, score and comment ends up in an execution that ran to its end
 * or is named in a give-up; an event that comes more than once comes flagged (deliveryAttempt 2 or more).
 */
import fc from 'fast-check';

import type { Execution, ExecutionEnd } from '../harness/runTrigger';
import { advance, pollUntilCaughtUp, resetWorld, T0, triggerParams, useFakeDate, useWorld, type World } from './triggerWorld';

type Step =
	| { kind: 'send'; customer: number }
	| { kind: 'score'; target: number }
	| { kind: 'comment'; target: number }
	| { kind: 'advance'; ms: number }
	| { kind: 'poll' }
	| { kind: 'restart' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('send' as const), customer: fc.nat(7) }) },
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('score' as const), target: fc.nat() }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('comment' as const), target: fc.nat() }) },
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.oneof(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 120_000 })) }) },
	{ weight: 4, arbitrary: fc.constant({ kind: 'poll' as const }) },
	{ weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
);

const endArb = fc.constantFrom<ExecutionEnd>('success', 'success', 'success', 'lost', 'lost', 'reject', 'never', 'lostUnseen', 'refused', 'nodeError');

let world: World;
useWorld((w) => (world = w));

test('n8n losing executions at random: every event runs to the end at least once; every repeat is flagged', async () => {
	useFakeDate();
	const runs = Number(process.env.TRIGGER_PROPERTY_RUNS ?? 40);
	await fc.assert(
		fc.asyncProperty(fc.array(stepArb, { minLength: 5, maxLength: 50 }), fc.array(endArb, { minLength: 1, maxLength: 30 }), fc.constantFrom(1, 3, 1000), async (steps, ends, maxItems) => {
			jest.setSystemTime(T0);
			await resetWorld(world, {});
			const trigger = world.trigger({ ...triggerParams({ maxItems, maxDeliveryAttempts: 20, redeliverFailed: 10 }), events: ['request', 'score', 'comment'] });
			let n = 0;
			trigger.outcome = () => ends[n++ % ends.length];
			const givenUp = new Set<string>();
			const poll = async () => {
				const { error } = await trigger.poll();
				for (const id of /keeping these events: (.*)\.$/.exec(error?.description ?? '')?.[1].split(', ') ?? []) givenUp.add(id);
			};
			const sent: Array<{ id: string; scored: boolean; commented: boolean }> = [];

			await poll();
			advance(1000);
			for (const step of steps) {
				const target = sent.length ? sent[(step as { target?: number }).target! % sent.length] : undefined;
				if (step.kind === 'send') sent.push({ id: await world.send(world.customers[step.customer], 'csat'), scored: false, commented: false });
				else if (step.kind === 'score' && target && !target.scored) {
					world.h.emu.store.respond(target.id, { score: 4 });
					target.scored = true;
				} else if (step.kind === 'comment' && target && !target.commented) {
					world.h.emu.store.respond(target.id, { text: 'ok' });
					target.commented = true;
				} else if (step.kind === 'advance') advance(step.ms);
				else if (step.kind === 'poll') await poll();
				else if (step.kind === 'restart') trigger.restart();
			}
			// From here on n8n behaves: what is pending ends (a late loss reaches main, if it is the same
			// activation), lost and failed batches come back after their backoff.
			trigger.outcome = () => 'success';
			for (const e of trigger.executions) {
				if (e.end === 'never') trigger.finish(e, 'success');
				if (e.end === 'lostUnseen') trigger.finish(e, 'lost');
			}
			advance(3_600_000);
			await pollUntilCaughtUp(trigger, []);
			for (let i = 0; i < 20 && ((trigger.nodeState()?.delivery as { batches: unknown[] }).batches.length > 0 || !trigger.active); i++) {
				advance(20 * 60_000);
				await poll();
			}

			const expected = sent.flatMap((f) => [`${f.id}:request`, ...(f.scored ? [`${f.id}:score`] : []), ...(f.commented ? [`${f.id}:comment`] : [])]);
			// Executions that ran to their end (a pending one counts: it runs on a worker in n8n).
			const ranToEnd = (e: Execution) => !e.skipped && (e.end === 'success' || e.end === 'never');
			const completed = new Set(trigger.executions.filter(ranToEnd).flatMap((e) => e.items.map((i) => String(i.json.eventId))));
			for (const id of givenUp) completed.add(id);
			expect([...completed].sort()).toEqual([...new Set(expected)].sort());
			// Arrivals at the workflow (every execution n8n started): a repeat always says so.
			const seen = new Set<string>();
			for (const e of trigger.executions.filter((x) => !x.skipped)) {
				for (const item of e.items) {
					const id = String(item.json.eventId);
					if (seen.has(id)) expect(item.json.deliveryAttempt).toBeGreaterThanOrEqual(2);
					seen.add(id);
				}
			}
			expect((trigger.nodeState()?.delivery as { batches: unknown[] }).batches).toEqual([]);
		}),
		{ numRuns: runs, verbose: 1 },
	);
}, 600_000);
