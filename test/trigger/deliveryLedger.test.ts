/** The delivery ledger on its own: outcomes, backoff, bounds, restarts; then random runs of all of them. */
import fc from 'fast-check';

import {
	DEFAULT_POLICY,
	backoffMs,
	batchKey,
	batchesToSend,
	classifyRun,
	createLedger,
	markSent,
	openBatch,
	pendingItemCount,
	rejectedOutcome,
	restoreLedger,
	settle,
	type DeliveryPolicy,
	type Outcome,
} from '../../nodes/XCustomerFeedbackTrigger/deliveryLedger';

const policy: DeliveryPolicy = { ...DEFAULT_POLICY, maxAttempts: 3, backoffMs: 1000, maxBackoffMs: 3000 };
const items = (...ids: string[]) => ids.map((eventId) => ({ eventId }));
const lost: Outcome = { kind: 'lost', message: 'This execution failed to be processed too many times' };

describe('classifyRun reads what n8n resolves donePromise with', () => {
	test.each([
		['success', { status: 'success', finished: true, data: { resultData: { runData: {}, lastNodeExecuted: 'Sink' } } }, 'delivered'],
		['a node failed', { status: 'error', data: { resultData: { runData: {}, lastNodeExecuted: 'Sink', error: { message: 'boom' } } } }, 'failed'],
		['worker killed (no node ran)', { status: 'error', finished: false, data: { resultData: { runData: {}, error: { message: 'stalled' } } } }, 'lost'],
		['crashed', { status: 'crashed', data: { resultData: { runData: {}, lastNodeExecuted: 'Sink' } } }, 'lost'],
		['stopped by a person', { status: 'canceled', data: { resultData: { runData: {} } } }, 'delivered'],
		['waiting (Wait node)', { status: 'waiting', data: { resultData: { runData: {} } } }, 'delivered'],
		// A duplicate key, or WorkflowRunner.failExecution for a new one: no run for this emit either way.
		['undefined (no execution started)', undefined, 'notStarted'],
	])('%s', (_name, run, kind) => {
		expect(classifyRun(run).kind).toBe(kind);
	});
	test('a rejected promise counts as lost', () => {
		expect(rejectedOutcome(new Error('redis down'))).toEqual({ kind: 'lost', message: 'redis down' });
	});
});

test('a delivered batch leaves the ledger; keys differ by ledger, batch and attempt', () => {
	const ledger = createLedger('abc');
	const a = openBatch(ledger, items('1:score'));
	const b = openBatch(ledger, items('2:score'));
	expect(batchKey(ledger, a)).toBe('x-feedback:abc:1:1');
	expect(batchKey(ledger, b)).toBe('x-feedback:abc:2:1');
	expect(settle(ledger, a.seq, 1, { kind: 'delivered' }, 0, policy)).toEqual({ action: 'done' });
	expect(ledger.batches.map((x) => x.seq)).toEqual([b.seq]);
	expect(pendingItemCount(ledger)).toBe(1);
});

test('a lost batch goes out again at once as the next attempt; further losses back off (doubling, capped); given up after maxAttempts', () => {
	const ledger = createLedger('id');
	const batch = openBatch(ledger, items('1:score', '1:comment'));
	expect(settle(ledger, batch.seq, 1, lost, 10_000, policy)).toEqual({ action: 'retry', dueAtMs: 10_000 });
	expect(batchesToSend(ledger, 10_000)).toEqual([batch]);
	markSent(batch);
	expect(batch.attempt).toBe(2);
	expect(batchKey(ledger, batch)).toBe('x-feedback:id:1:2');
	// An outcome for an attempt no longer awaited changes nothing.
	expect(settle(ledger, batch.seq, 1, { kind: 'delivered' }, 10_500, policy)).toEqual({ action: 'stale' });
	expect(settle(ledger, batch.seq, 2, lost, 12_000, policy)).toEqual({ action: 'retry', dueAtMs: 13_000 });
	expect(batchesToSend(ledger, 12_999)).toEqual([]);
	markSent(batchesToSend(ledger, 13_000)[0]);
	const end = settle(ledger, batch.seq, 3, lost, 20_000, policy);
	expect(end.action).toBe('giveUp');
	expect(ledger.batches).toEqual([]);
	expect([1, 2, 3, 4].map((n) => backoffMs(policy, n))).toEqual([1000, 2000, 3000, 3000]);
});

test("a failure in the workflow's own nodes is n8n's to handle, unless re-delivery of failures is on", () => {
	const plain = createLedger('p');
	const a = openBatch(plain, items('1:score'));
	expect(settle(plain, a.seq, 1, { kind: 'failed', message: 'sink down' }, 0, policy)).toEqual({ action: 'done' });
	expect(plain.batches).toEqual([]);

	const retrying = createLedger('r');
	const b = openBatch(retrying, items('1:score'));
	const twice = { ...policy, redeliverFailed: 2 };
	expect(settle(retrying, b.seq, 1, { kind: 'failed', message: 'x' }, 0, twice).action).toBe('retry');
	markSent(b);
	expect(settle(retrying, b.seq, 2, { kind: 'failed', message: 'x' }, 5000, twice).action).toBe('retry');
	markSent(b);
	expect(settle(retrying, b.seq, 3, { kind: 'failed', message: 'x' }, 9000, twice)).toEqual({ action: 'done' });
	expect(b.attempt).toBe(3);
});

test('after a restart, batches in flight go out again at once as their next attempt, under a new ledger id; due ones keep waiting', () => {
	const ledger = createLedger('keep');
	const inFlight = openBatch(ledger, items('1:score'));
	const waiting = openBatch(ledger, items('2:score'));
	settle(ledger, waiting.seq, 1, lost, 0, policy);
	markSent(waiting);
	settle(ledger, waiting.seq, 2, lost, 0, policy);
	const { ledger: restored, repairs, unreadable } = restoreLedger(JSON.parse(JSON.stringify(ledger)), 'fresh', 500, policy);
	expect([repairs, unreadable]).toEqual([[], []]);
	expect(restored.id).toBe('fresh');
	expect(restored.nextSeq).toBe(3);
	expect(restored.batches.map((b) => [b.status, b.dueAtMs])).toEqual([['due', 500], ['due', 1000]]);
	const [again] = batchesToSend(restored, 500);
	markSent(again);
	expect(again.attempt).toBe(2);
	expect(batchKey(restored, again)).not.toBe(batchKey(ledger, inFlight));
	// Undefined from n8n is not "already ran": the batch goes out again.
	expect(settle(restored, again.seq, again.attempt, classifyRun(undefined), 500, policy).action).toBe('retry');
});

describe('saved ledgers are checked: repaired with a reason, or reported as unreadable', () => {
	const batch = (extra: Record<string, unknown>) => ({ seq: 1, attempt: 1, status: 'sent', items: items('1:score'), lost: 0, failed: 0, ...extra });
	const restore = (saved: unknown) => restoreLedger(saved, 'n', 1000, policy);

	test('nothing saved: a fresh ledger, nothing to say', () => {
		expect(restore(undefined)).toEqual({ ledger: createLedger('n'), repairs: [], unreadable: [] });
	});

	test.each([
		['not an object', 'x', 'not an object'],
		['another version', { v: 99, batches: [] }, 'version is 99'],
		['no batches', { v: 1, id: 'x', nextSeq: 1 }, 'no list of batches'],
	])('%s: an empty ledger, reported as unreadable', (_name, saved, why) => {
		const { ledger, unreadable } = restore(saved);
		expect(ledger).toEqual(createLedger('n'));
		expect(unreadable).toEqual([expect.stringContaining(why)]);
	});

	test('a batch that is not one is reported; one without items too', () => {
		const { ledger, unreadable } = restore({ v: 1, id: 'x', nextSeq: 9, batches: [null, batch({ seq: 2, items: 'nope' }), batch({ seq: 3 })] });
		expect(ledger.batches.map((b) => b.seq)).toEqual([3]);
		expect(unreadable).toEqual([expect.stringContaining('batch 1 of 3 is null'), expect.stringContaining('batch 2 has no readable items')]);
	});

	test('items that are not objects are set aside with a warning', () => {
		const { ledger, repairs } = restore({ v: 1, id: 'x', nextSeq: 2, batches: [batch({ items: [null, 7, ...items('1:score')] })] });
		expect(ledger.batches[0].items).toEqual(items('1:score'));
		expect(repairs).toEqual([expect.stringContaining('2 item(s) that are not objects')]);
	});

	test('repeated, missing and non-increasing seqs are renumbered above every other; nextSeq moves above them', () => {
		const saved = { v: 1, id: 'x', nextSeq: 2, batches: [batch({ seq: 5 }), batch({ seq: 5 }), batch({ seq: 'a' }), batch({ seq: 0 })] };
		const { ledger, repairs } = restore(saved);
		expect(ledger.batches.map((b) => b.seq)).toEqual([5, 6, 7, 8]);
		expect(ledger.nextSeq).toBe(9);
		expect(repairs).toHaveLength(4);
	});

	test('a wait longer than the longest the trigger sets, or not a time, ends now; a bad attempt or status reads as a batch in flight', () => {
		const saved = {
			v: 1,
			id: 'x',
			nextSeq: 5,
			batches: [
				batch({ seq: 1, status: 'due', dueAtMs: Date.UTC(2243, 0, 1) }),
				batch({ seq: 2, status: 'due', dueAtMs: 'soon' }),
				batch({ seq: 3, status: 'due', dueAtMs: 1000 + policy.maxBackoffMs }),
				batch({ seq: 4, status: 'weird', attempt: -1, lost: 'x' }),
			],
		};
		const { ledger, repairs } = restore(saved);
		expect(ledger.batches.map((b) => [b.status, b.dueAtMs, b.attempt, b.lost])).toEqual([
			['due', 1000, 1, 0],
			['due', 1000, 1, 0],
			['due', 1000 + policy.maxBackoffMs, 1, 0],
			['due', 1000, 1, 0],
		]);
		expect(repairs).toHaveLength(4);
	});
});

test('random runs: every batch ends delivered or given up, within the attempt bound, keys never reused, nothing left behind', () => {
	type Op =
		| { kind: 'open' }
		| { kind: 'outcome'; pick: number; outcome: 'delivered' | 'failed' | 'lost' | 'notStarted' }
		| { kind: 'restart' }
		| { kind: 'advance'; ms: number }
		| { kind: 'send' };
	const opArb: fc.Arbitrary<Op> = fc.oneof(
		fc.constant({ kind: 'open' as const }),
		fc.record({ kind: fc.constant('outcome' as const), pick: fc.nat(), outcome: fc.constantFrom('delivered' as const, 'failed' as const, 'lost' as const, 'notStarted' as const) }),
		fc.constant({ kind: 'restart' as const }),
		fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 5000 }) }),
		fc.constant({ kind: 'send' as const }),
	);
	fc.assert(
		fc.property(fc.array(opArb, { maxLength: 80 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 2 }), (ops, maxAttempts, redeliverFailed) => {
			const p = { ...policy, maxAttempts, redeliverFailed };
			let ledger = createLedger('L');
			let now = 0;
			const keys = new Set<string>();
			const ended = new Map<number, string>();
			let opened = 0;
			let restarts = 0;
			const send = () => {
				for (const b of batchesToSend(ledger, now)) {
					markSent(b);
					const key = batchKey(ledger, b);
					expect(keys.has(key)).toBe(false);
					keys.add(key);
					// Every restart with the batch in flight or waiting may send it once more.
					expect(b.attempt).toBeLessThanOrEqual(maxAttempts + redeliverFailed + restarts);
				}
			};
			for (const op of ops) {
				if (op.kind === 'open') {
					const b = openBatch(ledger, items(`${opened++}:score`));
					keys.add(batchKey(ledger, b));
				} else if (op.kind === 'advance') now += op.ms;
				else if (op.kind === 'send') send();
				else if (op.kind === 'restart') {
					const restored = restoreLedger(JSON.parse(JSON.stringify(ledger)), `L${++restarts}`, now, p);
					expect([restored.repairs, restored.unreadable]).toEqual([[], []]);
					ledger = restored.ledger;
				}
				else {
					const sent = ledger.batches.filter((b) => b.status === 'sent');
					if (sent.length === 0) continue;
					const b = sent[op.pick % sent.length];
					const outcome: Outcome = op.outcome === 'delivered' ? { kind: op.outcome } : { kind: op.outcome, message: 'm' };
					const d = settle(ledger, b.seq, b.attempt, outcome, now, p);
					if (d.action === 'done' || d.action === 'giveUp') ended.set(b.seq, d.action);
				}
			}
			// Drive everything to an end: whatever is pending succeeds.
			for (let guard = 0; ledger.batches.length > 0 && guard < 100; guard++) {
				now += p.maxBackoffMs;
				send();
				for (const b of ledger.batches.filter((x) => x.status === 'sent')) {
					settle(ledger, b.seq, b.attempt, { kind: 'delivered' }, now, p);
					ended.set(b.seq, 'done');
				}
			}
			expect(ledger.batches).toEqual([]);
			expect(ended.size).toBe(opened);
			expect(ledger.id).toBe(restarts === 0 ? 'L' : `L${restarts}`);
		}),
		{ numRuns: 300 },
	);
});
