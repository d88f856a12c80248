/**
 * Confirmed delivery through n8n-core's TriggerContext and the emulator: the done promise resolved
 * with success, a failed node, a lost execution; rejected; never settled; and restarts with batches
 * in flight. The harness plays n8n's part (see test/harness/runTrigger.ts).
 */
import type { Execution } from '../harness/runTrigger';
import { advance, resetWorld, triggerParams, useWorld, type World } from './triggerWorld';

let world: World;
useWorld((w) => (world = w), { resetEachTest: true });

const ids = (executions: Execution[]) => executions.map((e) => e.items.map((i) => `${String(i.json.eventId)}#${String(i.json.deliveryAttempt)}`));

/** Activates the trigger, then has `n` customers score; returns the trigger and the expected eventIds. */
async function scored(n: number, parameters = triggerParams()) {
	const trigger = world.trigger(parameters);
	await trigger.poll();
	advance(1000);
	const expected: string[] = [];
	for (let i = 0; i < n; i++) {
		const id = await world.send(world.customers[i], 'csat');
		world.h.emu.store.respond(id, { score: 4 });
		expected.push(`${id}:score`);
	}
	advance(2000);
	return { trigger, expected };
}

test('every execution succeeds: each event once, attempt 1, distinct keys, nothing left in the ledger', async () => {
	const { trigger, expected } = await scored(3);
	const { items } = await trigger.poll();
	expect(items.map((i) => i.json.eventId)).toEqual(expected);
	expect(items.every((i) => i.json.deliveryAttempt === 1)).toBe(true);
	advance(60_000);
	expect((await trigger.poll()).items).toEqual([]);
	expect(new Set(trigger.executions.map((e) => e.key)).size).toBe(trigger.executions.length);
	expect(trigger.nodeState()?.delivery).toEqual(expect.objectContaining({ batches: [] }));
});

test('n8n loses the execution (worker killed): the same items go out again at once, flagged attempt 2, with a new key', async () => {
	const { trigger, expected } = await scored(2);
	trigger.outcome = (e) => (e.items[0].json.deliveryAttempt === 1 ? 'lost' : 'success');
	const { items } = await trigger.poll(); // the outcome arrives; the batch is sent again right away
	expect(items.map((i) => [i.json.eventId, i.json.deliveryAttempt])).toEqual([...expected.map((id) => [id, 1]), ...expected.map((id) => [id, 2])]);
	expect(trigger.executions[1].key).not.toBe(trigger.executions[0].key);
	advance(60_000);
	expect((await trigger.poll()).items).toEqual([]);
	expect(ids(trigger.executions)).toEqual([expected.map((id) => `${id}#1`), expected.map((id) => `${id}#2`)]);
});

test('Re-Deliver Failed Executions: a node that changed its items in place does not change what is sent again', async () => {
	const { trigger, expected } = await scored(1, triggerParams({ redeliverFailed: 1 }));
	trigger.outcome = (e) => {
		const first = e.items[0].json.deliveryAttempt === 1;
		if (first) Object.assign(e.items[0].json, { eventId: 'changed by a node', score: -1 });
		return first ? 'nodeError' : 'success';
	};
	await trigger.poll();
	advance(16_000);
	const { items } = await trigger.poll();
	expect(items.map((i) => i.json)).toEqual([expect.objectContaining({ eventId: expected[0], score: 4, deliveryAttempt: 2 })]);
});

test('a second loss backs off before the next attempt', async () => {
	const { trigger, expected } = await scored(1);
	trigger.outcome = (e) => (Number(e.items[0].json.deliveryAttempt) <= 2 ? 'lost' : 'success');
	await trigger.poll(); // attempts 1 and 2, both lost: the third waits 15 s
	advance(10_000);
	expect((await trigger.poll()).items).toEqual([]);
	advance(6_000);
	expect((await trigger.poll()).items.map((i) => [i.json.eventId, i.json.deliveryAttempt])).toEqual([[expected[0], 3]]);
});

test('a rejected done promise counts as lost: sent again', async () => {
	const { trigger, expected } = await scored(1);
	trigger.outcome = (e) => (e.items[0].json.deliveryAttempt === 1 ? 'reject' : 'success');
	const { items } = await trigger.poll();
	expect(items.map((i) => [i.json.eventId, i.json.deliveryAttempt])).toEqual([[expected[0], 1], [expected[0], 2]]);
});

test("a failed node follows n8n's error handling by default; Re-Deliver Failed Executions sends again up to N times", async () => {
	const plain = await scored(1);
	plain.trigger.outcome = () => 'nodeError';
	await plain.trigger.poll();
	advance(10 * 60_000);
	expect((await plain.trigger.poll()).items).toEqual([]);
	expect(plain.trigger.executions).toHaveLength(1);

	await resetWorld(world, {});
	const retried = await scored(1, triggerParams({ redeliverFailed: 2 }));
	retried.trigger.outcome = () => 'nodeError';
	for (let n = 0; n < 8; n++) {
		await retried.trigger.poll();
		advance(60_000);
	}
	expect(ids(retried.trigger.executions)).toEqual([1, 2, 3].map((a) => [`${retried.expected[0]}#${a}`]));
});

test('an execution that never ends is neither sent again nor forgotten; its late outcome is applied', async () => {
	const { trigger } = await scored(1);
	trigger.outcome = () => 'never';
	await trigger.poll();
	for (let n = 0; n < 5; n++) {
		advance(30 * 60_000);
		expect((await trigger.poll()).items).toEqual([]);
	}
	expect((trigger.nodeState()?.delivery as { batches: unknown[] }).batches).toHaveLength(1);
	trigger.finish(trigger.executions[0], 'lost');
	await trigger.flush();
	expect(trigger.executions.map((e) => e.items[0].json.deliveryAttempt)).toEqual([1, 2]);
});

test('a worker that can never run the workflow ends in a loud error naming the events, not an endless loop', async () => {
	const { trigger, expected } = await scored(2, triggerParams({ maxDeliveryAttempts: 3 }));
	trigger.outcome = () => 'lost';
	const errors: string[] = [];
	for (let n = 0; n < 30; n++) {
		const { error } = await trigger.poll();
		if (error) errors.push(`${error.message}\n${error.description ?? ''}`);
		advance(60_000);
	}
	expect(trigger.executions).toHaveLength(3);
	expect(errors).toHaveLength(1);
	expect(errors[0]).toContain('2 feedback event(s) could not be delivered: the workflow did not run for them in 3 attempt(s)');
	for (const id of expected) expect(errors[0]).toContain(id);
	expect(errors[0]).toContain('Install the package on every worker');
	expect(trigger.active).toBe(true); // n8n activated it again; the ledger is empty
	expect((trigger.nodeState()?.delivery as { batches: unknown[] }).batches).toEqual([]);
});

describe('restart with batches in flight', () => {
	test('a batch whose outcome was not known at the restart goes out again as attempt 2, with a new key: a possible duplicate, flagged', async () => {
		const { trigger, expected } = await scored(2);
		trigger.outcome = () => 'never';
		await trigger.poll();
		trigger.restart();
		trigger.outcome = () => 'success';
		const after = await trigger.poll(); // activation: the batch in flight goes out again
		expect(after.items.map((i) => [i.json.eventId, i.json.deliveryAttempt])).toEqual(expected.map((id) => [id, 2]));
		expect(trigger.executions).toHaveLength(2);
		expect(trigger.executions[1].key).not.toBe(trigger.executions[0].key);
		expect(trigger.executions[1].skipped).toBe(false);
		advance(60_000);
		expect((await trigger.poll()).items).toEqual([]);
		expect((trigger.nodeState()?.delivery as { batches: unknown[] }).batches).toEqual([]);
	});

	test('an emit that never became an execution (main died in between) is delivered after the restart', async () => {
		const { trigger, expected } = await scored(2);
		trigger.outcome = () => 'never';
		await trigger.poll();
		const first = trigger.executions[0];
		// n8n saved static data but died before it created the execution row.
		(trigger as unknown as { keys: Set<string> }).keys.delete(first.key!);
		trigger.restart();
		trigger.outcome = () => 'success';
		const after = await trigger.poll();
		expect(after.items.map((i) => i.json.eventId)).toEqual(expected);
		advance(60_000);
		expect((await trigger.poll()).items).toEqual([]);
	});

	test('a batch waiting for its backoff (lost twice) survives the restart once an emit has saved it', async () => {
		const { trigger, expected } = await scored(1);
		trigger.outcome = () => 'lost';
		await trigger.poll(); // attempts 1 and 2 lost: the third is due in 15 s (saved at the next emit)
		advance(1000);
		const id = await world.send(world.customers[5], 'nps');
		world.h.emu.store.respond(id, { score: 9 });
		advance(2000);
		trigger.outcome = () => 'never';
		await trigger.poll(); // the new batch's emit saves the ledger with the waiting one
		trigger.restart();
		trigger.outcome = () => 'success';
		advance(20_000);
		await trigger.poll();
		const ran = trigger.executions.filter((e) => !e.skipped && e.end !== 'lost');
		expect([...new Set(ran.flatMap((e) => e.items.map((i) => i.json.eventId)))].sort()).toEqual([expected[0], `${id}:score`].sort());
		expect(ran.find((e) => e.items[0].json.eventId === expected[0])?.items[0].json.deliveryAttempt).toBe(3);
	});
});
