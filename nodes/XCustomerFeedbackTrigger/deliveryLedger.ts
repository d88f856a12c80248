/**
 * Confirmed delivery: the batches the trigger handed to n8n whose executions have not yet been seen
 * to end. n8n can lose an execution (a queue-mode worker dies mid-run and the job is not retried;
 * the main instance stops while it runs). The trigger learns each outcome and uses this ledger to
 * decide what to send again, when, and when to give up. Pure: plain values in and out, the clock
 * passed in. The ledger lives in the node's static data so a restart finds what was in flight.
 */

import { DEFAULT_TOLERANCE, type EventTolerance } from '../shared/feedbackLog/announcements';
import { MINUTE_MS, SECOND_MS } from '../shared/time';

export const LEDGER_VERSION = 1;

/** One item body as emitted; its `deliveryAttempt` is set again at each send. */
export type ItemBody = Record<string, unknown>;

export type BatchStatus =
	/** Handed to n8n; its outcome is awaited. */
	| 'sent'
	/** To be sent again (next attempt, new key) once `dueAtMs` has passed. */
	| 'due';

/**
 * Where a batch's items can be read again from X: its parts' keys (partKey) and when the first and
 * the last event that brought them were stamped. n8n saves these instead of the items
 * (savedLedger.ts): a batch is rebuilt from X only after a restart, and n8n writes the whole static
 * data at every emit, where a thousand items cost the drain a tenth of its time (bench, drain).
 */
export interface PartRefs {
	keys: string[];
	fromMs: number;
	toMs: number;
}

export interface Batch {
	seq: number;
	/** Delivery attempt of the latest send, 1 for the first. Part of the execution's de-duplication key. */
	attempt: number;
	status: BatchStatus;
	items: ItemBody[];
	refs?: PartRefs;
	/** Restored from `refs` and not read again from X yet: `items` is empty, and it is not sent until they are read. */
	unread?: boolean;
	dueAtMs?: number;
	/** Attempts n8n lost (worker died, execution never ran or never started). */
	lost: number;
	/** Attempts that ended in an error of the workflow's own nodes. */
	failed: number;
	/** What went wrong last, for the error shown when the trigger gives up. */
	problem?: string;
}

export interface Ledger {
	v: typeof LEDGER_VERSION;
	/**
	 * Random, new at every activation: no key this activation uses can be one n8n has a row for,
	 * whatever the saved ledger says (it may be older than what was sent: a restart between an emit
	 * and n8n's save, a user's execution writing its copy of static data back).
	 */
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
	/**
	 * n8n answered `undefined`: no execution ran for this emit. n8n does so for a key it has a row for
	 * (never one of ours: keys are not reused) and when WorkflowRunner.failExecution refuses to start
	 * the workflow. Either way the items did not reach the workflow.
	 */
	| { kind: 'notStarted'; message: string }
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

/** The problem a give-up names when n8n answered `undefined`. */
export const NOT_STARTED =
	'n8n did not start an execution for them (it answered without a run: it refused to start the workflow, e.g. a credential the workflow may not use or a workflow with issues)';

/**
 * Reads the run n8n resolves `donePromise` with. In queue mode run data is always empty, so only the
 * status, the last node executed and the error tell outcomes apart: an execution that a dead worker
 * left has status "error" and no last node.
 */
export function classifyRun(run: unknown): Outcome {
	if (run === undefined || run === null) return { kind: 'notStarted', message: NOT_STARTED };
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

export interface RestoredLedger {
	ledger: Ledger;
	/** What was repaired without losing an event: to log as warnings. */
	repairs: string[];
	/** What could not be read and may have held events: to report loudly. */
	unreadable: string[];
}

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isItem = (v: unknown): v is ItemBody => typeof v === 'object' && v !== null && !Array.isArray(v);
const json = (v: unknown) => JSON.stringify(v) ?? 'undefined';

/** Saved part references, checked: keys that are not text are left out; undefined when the span is not two times in order. */
function readRefs(saved: unknown): PartRefs | undefined {
	const r = saved as Partial<Record<keyof PartRefs, unknown>> | null | undefined;
	if (!r || typeof r !== 'object' || !Array.isArray(r.keys)) return undefined;
	const { fromMs, toMs } = r;
	if (typeof fromMs !== 'number' || typeof toMs !== 'number' || !Number.isFinite(fromMs) || !Number.isFinite(toMs) || fromMs > toMs) return undefined;
	return { keys: (r.keys as unknown[]).filter((k): k is string => typeof k === 'string' && k.length > 0), fromMs, toMs };
}

/**
 * The saved ledger after a restart, checked (saved state is untrusted: another node, an import or a
 * rollback can leave it wrong), under a new id. Outcomes and waits decided since the last emit were
 * never saved, so a batch saved as sent may have run, failed, or been lost: it is sent again now as
 * its next attempt, under a key n8n cannot have, and its items say `deliveryAttempt` 2 or more.
 * A possible duplicate, flagged, rather than a possible loss (README "Run at scale").
 */
export function restoreLedger(saved: unknown, freshId: string, nowMs: number, policy: Pick<DeliveryPolicy, 'maxBackoffMs'> = DEFAULT_POLICY): RestoredLedger {
	const ledger = createLedger(freshId);
	const repairs: string[] = [];
	const unreadable: string[] = [];
	if (saved === undefined || saved === null) return { ledger, repairs, unreadable };
	const raw = saved as Partial<Record<keyof Ledger, unknown>>;
	if (typeof saved !== 'object' || Array.isArray(saved) || raw.v !== LEDGER_VERSION || !Array.isArray(raw.batches)) {
		const why = typeof saved !== 'object' || Array.isArray(saved) ? 'it is not an object' : raw.v !== LEDGER_VERSION ? `its version is ${json(raw.v)}, not ${LEDGER_VERSION}` : 'it has no list of batches';
		unreadable.push(`the saved ledger was replaced by an empty one: ${why}`);
		return { ledger, repairs, unreadable };
	}
	const seqs = new Set<number>();
	const renumber: Batch[] = [];
	let highSeq = 0;
	(raw.batches as unknown[]).forEach((value, index) => {
		const b = value as Partial<Record<keyof Batch, unknown>> | null;
		if (!isItem(b)) return unreadable.push(`batch ${index + 1} of ${(raw.batches as unknown[]).length} is ${json(b)}, not a batch`);
		const name = `batch ${json(b.seq)}`;
		const refs = Array.isArray(b.items) ? undefined : readRefs(b.refs);
		if (!Array.isArray(b.items) && !refs) return unreadable.push(`${name} has no readable items, nor readable parts to read them again from X`);
		const items = Array.isArray(b.items) ? (b.items as unknown[]).filter(isItem) : [];
		if (Array.isArray(b.items) && items.length < b.items.length) repairs.push(`${name}: ${b.items.length - items.length} item(s) that are not objects (${json(b.items.find((i) => !isItem(i)))}) set aside`);
		if (refs && refs.keys.length < (b.refs as { keys: unknown[] }).keys.length) repairs.push(`${name}: ${(b.refs as { keys: unknown[] }).keys.length - refs.keys.length} part key(s) that are not text set aside`);
		if (items.length === 0 && (refs?.keys.length ?? 0) === 0) return repairs.push(`${name} holds no items: dropped`);
		const attempt = Number.isInteger(b.attempt) && (b.attempt as number) >= 1 ? (b.attempt as number) : 1;
		if (attempt !== b.attempt) repairs.push(`${name}: attempt ${json(b.attempt)} read as 1`);
		const batch: Batch = { seq: 0, attempt, status: 'due', items, dueAtMs: nowMs, lost: isCount(b.lost) ? b.lost : 0, failed: isCount(b.failed) ? b.failed : 0 };
		if (refs) {
			batch.refs = refs;
			batch.unread = true;
		}
		if (typeof b.problem === 'string') batch.problem = b.problem;
		if (b.status === 'due') {
			const due = b.dueAtMs;
			if (typeof due === 'number' && Number.isFinite(due) && due <= nowMs + policy.maxBackoffMs) batch.dueAtMs = due;
			else repairs.push(`${name}: due at ${json(due)}, further than the longest wait: sent now`);
		} else if (b.status !== 'sent' && b.status !== 'unconfirmed') {
			repairs.push(`${name}: status ${json(b.status)} read as sent (its outcome unknown): sent again now`);
		}
		// Sent, or sent again after an earlier restart: whatever its outcome was, it was not saved.
		if (Number.isInteger(b.seq) && (b.seq as number) >= 1 && !seqs.has(b.seq as number)) {
			batch.seq = b.seq as number;
			seqs.add(batch.seq);
			highSeq = Math.max(highSeq, batch.seq);
		} else {
			renumber.push(batch);
		}
		ledger.batches.push(batch);
		return undefined;
	});
	ledger.nextSeq = highSeq + 1;
	if (Number.isInteger(raw.nextSeq) && (raw.nextSeq as number) > highSeq) ledger.nextSeq = raw.nextSeq as number;
	else repairs.push(`nextSeq ${json(raw.nextSeq)} is not above the batches' seqs (${highSeq}): ${ledger.nextSeq}`);
	for (const batch of renumber) {
		batch.seq = ledger.nextSeq++;
		repairs.push(`a batch with a missing or repeated seq was numbered ${batch.seq}`);
	}
	return { ledger, repairs, unreadable };
}

/** The de-duplication key of a batch's current attempt: unique to this activation's ledger, never reused. */
export function batchKey(ledger: Ledger, batch: Batch): string {
	return `x-feedback:${ledger.id}:${batch.seq}:${batch.attempt}`;
}

/** Adds a new batch, marked sent (the caller emits it right away); `refs` say where X can give its items again. */
export function openBatch(ledger: Ledger, items: ItemBody[], refs?: PartRefs): Batch {
	const batch: Batch = { seq: ledger.nextSeq++, attempt: 1, status: 'sent', items, lost: 0, failed: 0 };
	if (refs) batch.refs = refs;
	ledger.batches.push(batch);
	return batch;
}

/** Batches to send now, oldest first: due ones whose wait is over (a restart makes in-flight ones due now), once their items are read. */
export function batchesToSend(ledger: Ledger, nowMs: number): Batch[] {
	return ledger.batches.filter((b) => b.status === 'due' && !b.unread && (b.dueAtMs ?? 0) <= nowMs);
}

/** Batches restored from part references, to be read again from X before they can be sent. */
export function batchesToReread(ledger: Ledger): Batch[] {
	return ledger.batches.filter((b) => b.unread === true);
}

/**
 * The items read again from X for a batch restored from references. What X no longer lists is left
 * out (the caller reports it); a batch left with nothing is dropped.
 */
export function fillBatch(ledger: Ledger, batch: Batch, items: ItemBody[]): void {
	batch.items = items;
	delete batch.unread;
	if (items.length === 0) ledger.batches.splice(ledger.batches.indexOf(batch), 1);
}

/** Marks a due batch handed to n8n again, as its next attempt (a new key). */
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
			ledger.batches.splice(index, 1);
			return { action: 'done' };
		case 'failed':
			batch.failed++;
			batch.problem = outcome.message;
			if (batch.failed <= policy.redeliverFailed) return retry(backoffMs(policy, batch.failed));
			ledger.batches.splice(index, 1);
			return { action: 'done' };
		case 'lost':
		case 'notStarted':
			batch.lost++;
			batch.problem = outcome.message;
			// The first loss is sent again at once (its emit saves the ledger with it); further losses
			// back off. A restart during a wait sends the batch at once (restoreLedger).
			if (batch.attempt < policy.maxAttempts) return retry(batch.lost === 1 ? 0 : backoffMs(policy, batch.lost - 1));
			ledger.batches.splice(index, 1);
			return { action: 'giveUp', batch };
	}
}

/** Items waiting for an outcome or a new attempt; the trigger reads no new events past a cap on this. */
export function pendingItemCount(ledger: Ledger): number {
	let n = 0;
	for (const b of ledger.batches) n += b.unread ? (b.refs?.keys.length ?? 0) : b.items.length;
	return n;
}

/**
 * The period that Get Many (by event time) must read to find again every part of `items`: an event
 * carrying a part is stamped within the tolerance around it, so from `beforeMs` before the earliest
 * part to `afterMs` after the latest. Undefined when no item carries a readable time.
 */
export function rereadPeriod(items: ItemBody[], tolerance: Readonly<EventTolerance> = DEFAULT_TOLERANCE): { from: string; to: string } | undefined {
	let low = Infinity;
	let high = -Infinity;
	for (const item of items) {
		const at = Date.parse(String(item.submittedAt));
		if (Number.isNaN(at)) continue;
		low = Math.min(low, at);
		high = Math.max(high, at);
	}
	if (low > high) return undefined;
	const from = Math.floor((low - tolerance.beforeMs) / SECOND_MS) * SECOND_MS;
	const to = Math.ceil((high + tolerance.afterMs) / SECOND_MS) * SECOND_MS;
	return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}
