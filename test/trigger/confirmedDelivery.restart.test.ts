/**
 * Confirmed delivery when what the trigger decided was never saved: n8n saves static data only at an
 * emit and after activation, so a main restart forgets every outcome and every wait decided since
 * the last emit. And saved state it cannot trust: damaged, or rolled back by a user's own execution
 * writing its copy of static data. Through n8n-core's TriggerContext; the harness plays n8n
 * (test/harness/runTrigger.ts), including `undefined` from WorkflowRunner.failExecution.
 */
import type { IDataObject } from 'n8n-workflow';

import type { TriggerHarness } from '../harness/runTrigger';
import { advance, triggerParams, useWorld, type World } from './triggerWorld';

let world: World;
useWorld((w) => (world = w), { resetEachTest: true });

/** Activates the trigger, then has `n` customers score; returns the trigger and the expected eventIds. */
async function scored(n: number, parameters = triggerParams(), trigger = world.trigger(parameters)) {
	if (!trigger.active) await trigger.poll();
	advance(1000);
	const expected: string[] = [];
	for (let i = 0; i < n; i++) {
		const id = await world.send(world.customers[i % world.customers.length], 'csat');
		world.h.emu.store.respond(id, { score: 4 });
		expected.push(`${id}:score`);
	}
	advance(2000);
	return { trigger, expected };
}

/** EventIds of executions that ran to their end, with the attempt they came with. */
function ran(trigger: TriggerHarness): Map<string, number[]> {
	const seen = new Map<string, number[]>();
	for (const e of trigger.executions.filter((x) => !x.skipped && (x.end === 'success' || x.end === 'never'))) {
		for (const item of e.items) {
			const id = String(item.json.eventId);
			seen.set(id, [...(seen.get(id) ?? []), Number(item.json.deliveryAttempt)]);
		}
	}
	return seen;
}

async function pollFor(trigger: TriggerHarness, ms: number, times = 5): Promise<string[]> {
	const errors: string[] = [];
	for (let i = 0; i < times; i++) {
		advance(ms);
		const { error } = await trigger.poll();
		if (error) errors.push(`${error.message}\n${error.description ?? ''}`);
	}
	return errors;
}

const ledgerOf = (trigger: TriggerHarness) => trigger.nodeState()?.delivery as { batches: unknown[]; nextSeq: number; id: string };

describe('decisions made between emits survive a restart, or cannot lose events', () => {
	test('lost twice, main restarts during the back-off: the batch is delivered, flagged as a repeat', async () => {
		const { trigger, expected } = await scored(1);
		trigger.outcome = (e) => (Number(e.items[0].json.deliveryAttempt) <= 2 ? 'lost' : 'success');
		await trigger.poll(); // attempts 1 and 2 lost: attempt 3 waits 15 s, in memory only
		trigger.restart();
		await pollFor(trigger, 20_000);
		expect(ran(trigger).get(expected[0])).toEqual([expect.any(Number)]);
		expect(ran(trigger).get(expected[0])![0]).toBeGreaterThanOrEqual(3);
		expect(ledgerOf(trigger).batches).toEqual([]);
	});

	test('main restarts between a loss and its outcome: the batch is delivered again with a new key', async () => {
		const { trigger, expected } = await scored(2);
		trigger.outcome = () => 'lostUnseen'; // the worker died; n8n tells main two minutes later
		await trigger.poll();
		trigger.restart();
		trigger.outcome = () => 'success';
		await pollFor(trigger, 1000, 2);
		for (const id of expected) expect(ran(trigger).get(id)).toEqual([2]);
		const keys = trigger.executions.map((e) => e.key);
		expect(new Set(keys).size).toBe(keys.length);
	});

	test('Re-Deliver Failed Executions keeps its promise when main restarts during the wait', async () => {
		const { trigger, expected } = await scored(1, triggerParams({ redeliverFailed: 1 }));
		trigger.outcome = (e) => (e.items[0].json.deliveryAttempt === 1 ? 'nodeError' : 'success');
		await trigger.poll(); // failed: "send again in 15 s", in memory only
		trigger.restart();
		await pollFor(trigger, 20_000, 2);
		expect(ran(trigger).get(expected[0])).toEqual([2]);
	});

	test('undefined from n8n for a key never used (failExecution) is not "already ran": sent again with a new key', async () => {
		const { trigger, expected } = await scored(1);
		trigger.outcome = (e) => (e.items[0].json.deliveryAttempt === 1 ? 'refused' : 'success');
		await pollFor(trigger, 20_000, 3);
		expect(ran(trigger).get(expected[0])).toEqual([2]);
		expect(trigger.executions[1].key).not.toBe(trigger.executions[0].key);
	});

	test('n8n that never starts the workflow (undefined every time) ends in a loud error, not a loop', async () => {
		const { trigger, expected } = await scored(1, triggerParams({ maxDeliveryAttempts: 3 }));
		trigger.outcome = () => 'refused';
		const errors = await pollFor(trigger, 60_000, 20);
		expect(trigger.executions).toHaveLength(3);
		expect(errors).toHaveLength(1);
		expect(errors[0]).toContain(expected[0]);
		expect(errors[0]).toContain('did not start');
	});
});

/** The items of the first execution, as n8n got them. */
const sentItems = (trigger: TriggerHarness): IDataObject[] => trigger.executions[0].items.map((i) => ({ ...i.json }));

describe('saved delivery state is checked', () => {
	/** A trigger with one batch in flight, and a way to damage what n8n stored before a restart. */
	async function inFlight(n = 1) {
		const { trigger, expected } = await scored(n);
		trigger.outcome = () => 'never';
		await trigger.poll();
		const damage = (change: (delivery: IDataObject) => void) => {
			const stored = trigger.stored;
			change((stored['node:X Customer Feedback Trigger'] as IDataObject).delivery as IDataObject);
			trigger.executionWritesStaticData(stored);
			trigger.restart();
			trigger.outcome = () => 'success';
		};
		return { trigger, expected, damage };
	}

	test.each([
		['nextSeq at or below a saved batch', (d: IDataObject) => void (d.nextSeq = 1)],
		['two batches with one seq', (d: IDataObject) => {
			const batches = d.batches as IDataObject[];
			batches.push({ ...batches[0], rows: [] });
			d.nextSeq = 1;
		}],
	])('%s: no de-duplication key is used for two batches, no event lost', async (_name, change) => {
		const { trigger, expected, damage } = await inFlight();
		damage(change);
		await trigger.poll(); // activation re-sends the batch in flight
		const { expected: later } = await scored(2, triggerParams(), trigger);
		await pollFor(trigger, 1000, 3);
		for (const id of [...expected, ...later]) expect(ran(trigger).get(id)).toBeDefined();
		const sentKeys = trigger.executions.map((e) => e.key);
		expect(new Set(sentKeys).size).toBe(sentKeys.length);
		expect(ledgerOf(trigger).batches).toEqual([]);
	});

	test('a null item is set aside with a warning; the activation and the other items go through', async () => {
		const { trigger, expected, damage } = await inFlight();
		damage((d) => {
			// Saved as items (a ledger from before rows and part references).
			const [batch] = d.batches as IDataObject[];
			delete batch.refs;
			batch.items = [null, ...sentItems(trigger)];
		});
		const { error } = await trigger.poll();
		expect(error).toBeUndefined();
		expect(trigger.active).toBe(true);
		// [1, 2]: attempt 1 was in flight at the restart (it runs on a worker), attempt 2 is its flagged repeat.
		expect(ran(trigger).get(expected[0])).toEqual([1, 2]);
	});

	test('a batch in flight is saved as part references, and after a restart read again from X: the same items, flagged as a repeat', async () => {
		const { trigger, expected, damage } = await inFlight(3);
		const saved = ledgerOf(trigger).batches as IDataObject[];
		expect(saved).toHaveLength(1);
		const [batch] = ((trigger.stored['node:X Customer Feedback Trigger'] as IDataObject).delivery as IDataObject).batches as IDataObject[];
		expect(batch.rows).toBeUndefined();
		expect((batch.refs as { keys: string[] }).keys).toEqual(expected.map((id) => id.replace(':score', 's')));
		const first = sentItems(trigger);
		damage(() => undefined);
		const { error } = await trigger.poll();
		expect(error).toBeUndefined();
		const again = trigger.executions[1].items.map((i) => i.json);
		expect(again).toEqual(first.map((item) => ({ ...item, deliveryAttempt: 2 })));
	});

	test('a part X no longer lists where it was is reported by event id; the others are delivered again', async () => {
		const { trigger, expected, damage } = await inFlight(2);
		damage((d) => {
			const [batch] = d.batches as IDataObject[];
			const refs = batch.refs as { keys: unknown[] };
			refs.keys = [...refs.keys, '999999999s', null];
		});
		const { error } = await trigger.poll();
		expect(error?.message).toBe('1 feedback event(s) in flight when n8n restarted were not listed by X again, so they were not delivered again');
		expect(error?.description).toContain('999999999:score');
		for (const id of expected) expect(ran(trigger).get(id)).toEqual([1, 2]);
		expect(ledgerOf(trigger).batches).toEqual([]);
	});

	test('X down after a restart: the batch waits, new events are still read, and it is delivered once X answers', async () => {
		const { trigger, expected, damage } = await inFlight(1);
		damage(() => undefined);
		await world.h.control('POST', 'faults', { faults: [{ kind: 'status', status: 503, count: 4, path: '/1.1/feedback/events.json' }] });
		const first = await trigger.poll();
		expect(first.error).toBeUndefined();
		expect(ran(trigger).get(expected[0])).toEqual([1]);
		await pollFor(trigger, 1000, 3);
		expect(ran(trigger).get(expected[0])).toEqual([1, 2]);
		expect(ledgerOf(trigger).batches).toEqual([]);
	});

	test('X down for an hour after a restart: the batch in flight is reported as waiting, and still delivered once X answers', async () => {
		const { trigger, expected, damage } = await inFlight(1);
		damage(() => undefined);
		await world.h.control('POST', 'faults', { faults: [{ kind: 'status', status: 503, count: 1000, path: '/1.1/feedback/events.json' }] });
		const errors = await pollFor(trigger, 31 * 60_000, 3);
		expect(errors.filter((e) => e.includes('in flight when n8n restarted could not be read again from X'))).toHaveLength(1);
		expect(ran(trigger).get(expected[0])).toEqual([1]);
		await world.h.control('DELETE', 'faults');
		await pollFor(trigger, 1000, 2);
		expect(ran(trigger).get(expected[0])).toEqual([1, 2]);
	}, 60_000);

	test('a ledger that cannot be read is reported as a failed execution naming why; the trigger goes on reading', async () => {
		const { trigger, damage } = await inFlight();
		damage((d) => {
			d.v = 7;
		});
		const { error } = await trigger.poll();
		expect(error?.message).toBe("The trigger's saved delivery ledger was damaged: the saved ledger was replaced by an empty one: its version is 7, not 1");
		expect(trigger.active).toBe(true);
		const { expected: later } = await scored(1, triggerParams(), trigger);
		await pollFor(trigger, 1000, 2);
		expect(ran(trigger).get(later[0])).toEqual([1]);
	});

	test('a batch due in the year 2243 holding 2,000 items is sent now, and reading goes on', async () => {
		const { trigger, damage } = await inFlight();
		damage((d) => {
			const [batch] = d.batches as IDataObject[];
			const [item] = sentItems(trigger);
			delete batch.refs;
			batch.items = Array.from({ length: 2000 }, (_, i) => ({ ...item, eventId: `held-${i}:score` }));
			batch.status = 'due';
			batch.dueAtMs = Date.UTC(2243, 0, 1);
		});
		await trigger.poll();
		const { expected: later } = await scored(1, triggerParams(), trigger);
		await pollFor(trigger, 1000, 3);
		expect(ran(trigger).get('held-1999:score')).toBeDefined();
		expect(ran(trigger).get(later[0])).toEqual([1]);
	});
});

describe("a user's own execution writing static data", () => {
	test('rolls back what n8n stored; without a restart the next emit stores the trigger\'s state again', async () => {
		const { trigger } = await scored(0);
		const older = trigger.stored; // the copy a Code node's execution got when it was queued
		const { expected } = await scored(1, triggerParams(), trigger);
		await trigger.poll();
		trigger.executionWritesStaticData(older);
		const { expected: later } = await scored(1, triggerParams(), trigger);
		await trigger.poll();
		const node = (data: IDataObject) => data['node:X Customer Feedback Trigger'] as IDataObject;
		expect(node(trigger.stored).pollState).toEqual(node(trigger.live).pollState);
		expect(node(trigger.stored).pollState).not.toEqual(node(older).pollState);
		expect([...ran(trigger).keys()]).toEqual([...expected, ...later]);
	});

	test('then a restart: events read again come again (duplicates), none is lost to a reused key', async () => {
		const { trigger } = await scored(0);
		const older = trigger.stored;
		const { expected } = await scored(1, triggerParams(), trigger);
		await trigger.poll();
		trigger.executionWritesStaticData(older);
		const { expected: later } = await scored(1, triggerParams(), trigger);
		trigger.restart();
		await pollFor(trigger, 1000, 3);
		expect(ran(trigger).get(later[0])).toBeDefined();
		expect(ran(trigger).get(expected[0])!.length).toBeGreaterThanOrEqual(1);
		const keys = trigger.executions.map((e) => e.key);
		expect(new Set(keys).size).toBe(keys.length);
	});
});

test('a give-up names every event it gives up and the exact period to read again with Get Many', async () => {
	const { trigger, expected } = await scored(25, triggerParams({ maxDeliveryAttempts: 1 }));
	trigger.outcome = () => 'lost';
	const errors = await pollFor(trigger, 60_000, 3);
	expect(errors).toHaveLength(1);
	for (const id of expected) expect(errors[0]).toContain(id);
	expect(errors[0]).not.toContain('more');
	const period = /from (\S+Z) to (\S+Z)/.exec(errors[0]);
	expect(period).not.toBeNull();
	const times = trigger.executions[0].items.map((i) => Date.parse(String(i.json.submittedAt)));
	expect(Date.parse(period![1])).toBeLessThanOrEqual(Math.min(...times));
	expect(Date.parse(period![2])).toBeGreaterThanOrEqual(Math.max(...times));
});
