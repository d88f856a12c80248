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
} from '../../nodes/shared/feedbackLog/deliveryLedger';

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
		['duplicate key: undefined', undefined, 'alreadyRan'],
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

test('after a restart, batches in flight are unconfirmed and go out again with the same key; due ones keep waiting', () => {
	const ledger = createLedger('keep');
	const inFlight = openBatch(ledger, items('1:score'));
	const waiting = openBatch(ledger, items('2:score'));
	settle(ledger, waiting.seq, 1, lost, 0, policy);
	const restored = restoreLedger(JSON.parse(JSON.stringify(ledger)), 'fresh');
	expect(restored.id).toBe('keep');
	expect(restored.batches.map((b) => b.status)).toEqual(['unconfirmed', 'due']);
	const [again] = batchesToSend(restored, 0);
	markSent(again);
	expect(batchKey(restored, again)).toBe(batchKey(ledger, inFlight));
	// n8n answers "already ran" (undefined): the batch is done.
	expect(settle(restored, again.seq, again.attempt, classifyRun(undefined), 0, policy)).toEqual({ action: 'done' });
});

test('anything unreadable starts a fresh ledger; broken batches are dropped', () => {
	expect(restoreLedger(undefined, 'n')).toEqual(createLedger('n'));
	expect(restoreLedger({ v: 99 }, 'n')).toEqual(createLedger('n'));
	const saved = { v: 1, id: 'x', nextSeq: 3, batches: [{ seq: 1, attempt: 0, status: 'sent', items: [] }, { seq: 2, attempt: 1, status: 'bogus', items: [] }] };
	expect(restoreLedger(saved, 'n').batches).toEqual([]);
});

test('random runs: every batch ends delivered or given up, within the attempt bound, keys never reused, nothing left behind', () => {
	type Op =
		| { kind: 'open' }
		| { kind: 'outcome'; pick: number; outcome: 'delivered' | 'failed' | 'lost' | 'alreadyRan' }
		| { kind: 'restart' }
		| { kind: 'advance'; ms: number }
		| { kind: 'send' };
	const opArb: fc.Arbitrary<Op> = fc.oneof(
		fc.constant({ kind: 'open' as const }),
		fc.record({ kind: fc.constant('outcome' as const), pick: fc.nat(), outcome: fc.constantFrom('delivered' as const, 'failed' as const, 'lost' as const, 'alreadyRan' as const) }),
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
			const send = () => {
				for (const b of batchesToSend(ledger, now)) {
					const wasUnconfirmed = b.status === 'unconfirmed';
					markSent(b);
					const key = batchKey(ledger, b);
					if (!wasUnconfirmed) expect(keys.has(key)).toBe(false);
					keys.add(key);
					expect(b.attempt).toBeLessThanOrEqual(maxAttempts + redeliverFailed);
				}
			};
			for (const op of ops) {
				if (op.kind === 'open') {
					const b = openBatch(ledger, items(`${opened++}:score`));
					keys.add(batchKey(ledger, b));
				} else if (op.kind === 'advance') now += op.ms;
				else if (op.kind === 'send') send();
				else if (op.kind === 'restart') ledger = restoreLedger(JSON.parse(JSON.stringify(ledger)), 'other');
				else {
					const sent = ledger.batches.filter((b) => b.status === 'sent');
					if (sent.length === 0) continue;
					const b = sent[op.pick % sent.length];
					const outcome: Outcome = op.outcome === 'failed' || op.outcome === 'lost' ? { kind: op.outcome, message: 'm' } : { kind: op.outcome };
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
			expect(ledger.id).toBe('L');
		}),
		{ numRuns: 300 },
	);
});
