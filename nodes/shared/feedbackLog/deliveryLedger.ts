/**
 * Confirmed delivery: the batches the trigger handed to n8n whose executions have not yet been seen
 * to end. n8n can lose an execution (a queue-mode worker dies mid-run and the job is not retried;
 * the main instance stops while it runs). The trigger learns each outcome and uses this ledger to
 * decide what to send again, when, and when to give up. Pure: plain values in and out, the clock
 * passed in. The ledger lives in the node's static data so a restart finds what was in flight.
 */

import { MINUTE_MS, SECOND_MS } from '../time';

export const LEDGER_VERSION = 1;

/** One item body as emitted; its `deliveryAttempt` is set again at each send. */
export type ItemBody = Record<string, unknown>;

export type BatchStatus =
	/** Handed to n8n; its outcome is awaited. */
	| 'sent'
	/** To be sent again (next attempt, new key) once `dueAtMs` has passed. */
	| 'due'
	/** Sent before a restart, so its outcome can no longer arrive: sent again with the same key. */
	| 'unconfirmed';

export interface Batch {
	seq: number;
	/** Delivery attempt of the latest send, 1 for the first. Part of the execution's de-duplication key. */
	attempt: number;
	status: BatchStatus;
	items: ItemBody[];
	dueAtMs?: number;
	/** Attempts n8n lost (worker died, execution never ran). */
	lost: number;
	/** Attempts that ended in an error of the workflow's own nodes. */
	failed: number;
	/** What went wrong last, for the error shown when the trigger gives up. */
	problem?: string;
}

export interface Ledger {
	v: typeof LEDGER_VERSION;
	/** Random per ledger, so keys stay unique when a workflow starts over with a fresh ledger. */
	id: string;
	nextSeq: number;
	batches: Batch[];
}

export interface DeliveryPolicy {
	/** Most deliveries of a batch whose executions n8n loses, the first included. */
	maxAttempts: number;
	/** How many times to send again a batch whose execution failed in the workflow's own nodes (0: never). */
	redeliverFailed: number;
	/** Wait before sending again after a second loss, or after a failure in the workflow's nodes; it doubles each time. */
	backoffMs: number;
	/** The wait never grows beyond this. */
	maxBackoffMs: number;
}

export const DEFAULT_POLICY: DeliveryPolicy = {
	maxAttempts: 5,
	redeliverFailed: 0,
	backoffMs: 15 * SECOND_MS,
	maxBackoffMs: 15 * MINUTE_MS,
};

/** What an execution's end says about its batch. */
export type Outcome =
	/** It ran (success, waiting, or stopped by a person). */
	| { kind: 'delivered' }
	/** n8n skipped it: an execution with this de-duplication key exists already. */
	| { kind: 'alreadyRan' }
	/** A node of the workflow failed; n8n's error handling (Error Workflow) has run. */
	| { kind: 'failed'; message: string }
	/** n8n lost it: no node ran to an end (worker killed, job stalled, node type missing on the worker). */
	| { kind: 'lost'; message: string };

export type Decision =
	| { action: 'done' }
	| { action: 'retry'; dueAtMs: number }
	| { action: 'giveUp'; batch: Batch }
	/** The outcome is for an attempt the ledger no longer waits for. */
	| { action: 'stale' };

interface RunShape {
	status?: unknown;
	data?: { resultData?: { lastNodeExecuted?: unknown; error?: { message?: unknown } } };
}

/**
 * Reads the run n8n resolves `donePromise` with. In queue mode run data is always empty, so only the
 * status, the last node executed and the error tell outcomes apart: an execution that a dead worker
 * left has status "error" and no last node.
 */
export function classifyRun(run: unknown): Outcome {
	if (run === undefined || run === null) return { kind: 'alreadyRan' };
	const { status, data } = run as RunShape;
	const message = String(data?.resultData?.error?.message ?? status ?? 'no outcome');
	if (status === 'crashed') return { kind: 'lost', message };
	if (status === 'error' || status === 'failed') {
		const ranANode = typeof data?.resultData?.lastNodeExecuted === 'string';
		return ranANode ? { kind: 'failed', message } : { kind: 'lost', message };
	}
	return { kind: 'delivered' };
}

/** A promise n8n rejected: the execution could not be started or followed, so nothing says it ran. */
export function rejectedOutcome(error: unknown): Outcome {
	return { kind: 'lost', message: error instanceof Error ? error.message : String(error) };
}

export function createLedger(id: string): Ledger {
	return { v: LEDGER_VERSION, id, nextSeq: 1, batches: [] };
}

function isBatch(value: unknown): value is Batch {
	const b = value as Partial<Batch> | null;
	return (
		typeof b === 'object' &&
		b !== null &&
		Number.isInteger(b.seq) &&
		Number.isInteger(b.attempt) &&
		(b.attempt as number) >= 1 &&
		(b.status === 'sent' || b.status === 'due' || b.status === 'unconfirmed') &&
		Array.isArray(b.items)
	);
}

/**
 * The saved ledger after a restart, or a fresh one. Batches that were in flight can no longer report
 * their outcome: they become "unconfirmed" and are sent again with the same key, so n8n skips those
 * whose execution exists (see README "Run at scale" for why a possible loss beats a certain duplicate).
 */
export function restoreLedger(saved: unknown, freshId: string): Ledger {
	const ledger = saved as Partial<Ledger> | null | undefined;
	if (
		!ledger ||
		ledger.v !== LEDGER_VERSION ||
		typeof ledger.id !== 'string' ||
		!Number.isInteger(ledger.nextSeq) ||
		!Array.isArray(ledger.batches)
	) {
		return createLedger(freshId);
	}
	const batches = (JSON.parse(JSON.stringify(ledger.batches)) as unknown[]).filter(isBatch).map((b) => ({
		...b,
		lost: Number(b.lost) || 0,
		failed: Number(b.failed) || 0,
		status: b.status === 'sent' ? ('unconfirmed' as const) : b.status,
	}));
	return { v: LEDGER_VERSION, id: ledger.id, nextSeq: ledger.nextSeq as number, batches };
}

/** The de-duplication key of a batch's current attempt: the same key is never run twice by n8n. */
export function batchKey(ledger: Ledger, batch: Batch): string {
	return `x-feedback:${ledger.id}:${batch.seq}:${batch.attempt}`;
}

/** Adds a new batch, marked sent (the caller emits it right away). */
export function openBatch(ledger: Ledger, items: ItemBody[]): Batch {
	const batch: Batch = { seq: ledger.nextSeq++, attempt: 1, status: 'sent', items, lost: 0, failed: 0 };
	ledger.batches.push(batch);
	return batch;
}

/** Batches to send now, oldest first: unconfirmed ones, and due ones whose wait is over. */
export function batchesToSend(ledger: Ledger, nowMs: number): Batch[] {
	return ledger.batches.filter((b) => b.status === 'unconfirmed' || (b.status === 'due' && (b.dueAtMs ?? 0) <= nowMs));
}

/** Marks a batch handed to n8n again: a due batch moves to its next attempt, an unconfirmed one keeps its key. */
export function markSent(batch: Batch): void {
	if (batch.status === 'due') batch.attempt++;
	batch.status = 'sent';
	delete batch.dueAtMs;
}

/** The wait before sending again after the `n`-th backed-off failure (n >= 1): doubles, capped. */
export function backoffMs(policy: DeliveryPolicy, n: number): number {
	return Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** Math.max(0, n - 1));
}

/** Applies the outcome of one attempt and says what follows. */
export function settle(
	ledger: Ledger,
	seq: number,
	attempt: number,
	outcome: Outcome,
	nowMs: number,
	policy: DeliveryPolicy,
): Decision {
	const index = ledger.batches.findIndex((b) => b.seq === seq);
	const batch = ledger.batches[index];
	if (!batch || batch.attempt !== attempt || batch.status !== 'sent') return { action: 'stale' };
	const retry = (waitMs: number): Decision => {
		batch.status = 'due';
		batch.dueAtMs = nowMs + waitMs;
		return { action: 'retry', dueAtMs: batch.dueAtMs };
	};
	switch (outcome.kind) {
		case 'delivered':
		case 'alreadyRan':
			ledger.batches.splice(index, 1);
			return { action: 'done' };
		case 'failed':
			batch.failed++;
			batch.problem = outcome.message;
			if (batch.failed <= policy.redeliverFailed) return retry(backoffMs(policy, batch.failed));
			ledger.batches.splice(index, 1);
			return { action: 'done' };
		case 'lost':
			batch.lost++;
			batch.problem = outcome.message;
			// The first loss is sent again at once: until the next emit saves the ledger, a restart
			// would take the batch for delivered. Further losses back off.
			if (batch.attempt < policy.maxAttempts) return retry(batch.lost === 1 ? 0 : backoffMs(policy, batch.lost - 1));
			ledger.batches.splice(index, 1);
			return { action: 'giveUp', batch };
	}
}

/** Items waiting for an outcome or a new attempt; the trigger reads no new events past a cap on this. */
export function pendingItemCount(ledger: Ledger): number {
	let n = 0;
	for (const b of ledger.batches) n += b.items.length;
	return n;
}
