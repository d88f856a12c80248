/**
 * The n8n side of confirmed delivery: emits each batch with a done promise and a de-duplication
 * key, feeds every outcome to the ledger (deliveryLedger.ts), sends again
 * what n8n lost and reports loudly when a batch cannot be delivered. The ledger is set into the
 * node's static data before every emit and after every outcome; n8n saves it only at an emit and
 * after activation, so what was decided after the last emit is lost on a restart, and the restored
 * ledger sends every batch it cannot know the end of again, flagged, under new keys (deliveryLedger.ts).
 */
import { NodeApiError, NodeOperationError, type IDataObject, type IRun, type ITriggerFunctions } from 'n8n-workflow';

import {
	batchKey,
	batchesToReread,
	batchesToSend,
	classifyRun,
	fillBatch,
	markSent,
	openBatch,
	pendingItemCount,
	rejectedOutcome,
	rereadPeriod,
	restoreLedger,
	settle,
	type Batch,
	type DeliveryPolicy,
	type Ledger,
	type Outcome,
	type PartRefs,
} from './deliveryLedger';
import { partOfKey } from '../shared/feedbackLog/parts';
import { eventIdOf } from '../shared/triggerItem';
import { HOUR_MS } from '../shared/time';
import { readSavedLedger, savedLedger } from './savedLedger';

export const LEDGER_KEY = 'delivery';

/**
 * A failed execution in the list and the Error Workflow, with the trigger still running: n8n 2.x's
 * saveFailedExecution. Hosts without it (their TriggerContext throws) get emitError, which stops
 * the workflow's trigger and activates it again.
 */
export function reportTriggerError(ctx: ITriggerFunctions, error: NodeOperationError | NodeApiError): void {
	try {
		if (typeof ctx.saveFailedExecution === 'function') {
			ctx.saveFailedExecution(error);
			return;
		}
	} catch {
		// This host cannot save a failed execution for a trigger.
	}
	ctx.emitError(error);
}
export class ConfirmedDelivery {
	readonly ledger: Ledger;
	private closed = false;

	constructor(
		private readonly ctx: ITriggerFunctions,
		private readonly policy: DeliveryPolicy,
		freshId: string,
	) {
		const restored = restoreLedger(readSavedLedger(ctx.getWorkflowStaticData('node')[LEDGER_KEY]), freshId, Date.now(), policy);
		this.ledger = restored.ledger;
		for (const repair of restored.repairs) ctx.logger.warn(`The trigger's saved delivery ledger was repaired: ${repair}`);
		if (restored.unreadable.length > 0) {
			reportTriggerError(
				ctx,
				new NodeOperationError(ctx.getNode(), `The trigger's saved delivery ledger was damaged: ${restored.unreadable.join('; ')}`, {
					description:
						'What could be read is delivered; what could not may have held events sent before n8n restarted. Something other than this trigger wrote its static data (a Code node using $getWorkflowStaticData, an import). Use Get Many for the time before this restart to check.',
				}),
			);
		}
		this.save();
	}

	/** Items handed to n8n whose outcome is not known yet, or waiting to be sent again. */
	pendingItems(): number {
		return pendingItemCount(this.ledger);
	}

	/** Sends again what is due: batches from before a restart (next attempt, new key) and lost ones whose wait is over. */
	resendDue(nowMs: number): void {
		for (const batch of batchesToSend(this.ledger, nowMs)) this.send(batch);
	}

	/** Emits a new batch of item bodies; `refs` say where X gives them again after a restart. */
	deliver(items: IDataObject[], refs?: PartRefs): void {
		if (items.length > 0) this.send(openBatch(this.ledger, items, refs));
	}

	/**
	 * Reads again from X the items of batches that were in flight when n8n restarted (saved as part
	 * references); they are then due, as their next attempt. What X no longer lists where it was is
	 * reported by feedback id. If X cannot answer, they wait for the next poll (a warning each time);
	 * a failure that lasts an hour is reported (once an hour) and they keep waiting.
	 */
	async rereadRestored(read: (refs: PartRefs) => Promise<{ items: IDataObject[]; missing: string[] }>): Promise<void> {
		for (const batch of batchesToReread(this.ledger)) {
			if (this.closed) return;
			const refs = batch.refs!;
			let found: { items: IDataObject[]; missing: string[] };
			try {
				found = await read(refs);
			} catch (error) {
				this.rereadFailed(refs, error);
				return;
			}
			if (this.closed) return;
			this.rereadFailingSinceMs = undefined;
			fillBatch(this.ledger, batch, found.items);
			this.save();
			if (found.missing.length > 0) reportTriggerError(this.ctx, this.notListedAgain(refs, found.missing));
		}
	}

	private rereadFailingSinceMs?: number;
	private rereadReportedAtMs = -Infinity;

	private rereadFailed(refs: PartRefs, error: unknown): void {
		const nowMs = Date.now();
		this.rereadFailingSinceMs ??= nowMs;
		const message = error instanceof Error ? error.message : String(error);
		const what = `${refs.keys.length} score(s), comment(s) or request(s) in flight when n8n restarted could not be read again from X (events from ${new Date(refs.fromMs).toISOString()} to ${new Date(refs.toMs).toISOString()}): ${message}`;
		this.ctx.logger.warn(`X Customer Feedback Trigger: ${what}; they are read again at the next poll`);
		// A problem with every call (a revoked token, a clock X refuses) fails the poll's own read too,
		// which reports it; only a re-read that keeps failing on its own is reported here.
		if (nowMs - this.rereadFailingSinceMs < HOUR_MS || nowMs - this.rereadReportedAtMs < HOUR_MS) return;
		this.rereadReportedAtMs = nowMs;
		reportTriggerError(
			this.ctx,
			new NodeOperationError(this.ctx.getNode(), what, {
				description: 'They are kept and read again at every poll until X answers; nothing is lost yet. New scores and comments are still read.',
			}),
		);
	}

	/** What X no longer lists where a batch in flight found it: by event id, with the period to read. */
	private notListedAgain(refs: PartRefs, missing: string[]): NodeOperationError {
		const eventIds = missing.map((key) => {
			const part = partOfKey(key);
			return part ? eventIdOf(part) : key;
		});
		return new NodeOperationError(
			this.ctx.getNode(),
			`${missing.length} feedback event(s) in flight when n8n restarted were not listed by X again, so they were not delivered again`,
			{
				description: `After a restart the trigger reads the events it had handed to n8n again from X, between ${new Date(refs.fromMs).toISOString()} and ${new Date(refs.toMs).toISOString()} (event time). X did not list these there: ${eventIds.join(', ')}. Their first delivery may have run; check with Feedback > Get Many over that period.`,
			},
		);
	}

	/** After close, outcomes that still arrive belong to a ledger a new activation has reloaded. */
	close(): void {
		this.closed = true;
	}

	private send(batch: Batch): void {
		// Stopped mid-read: nothing was saved past the last emit, so the next activation reads it again.
		if (this.closed) return;
		markSent(batch);
		const attempt = batch.attempt;
		const key = batchKey(this.ledger, batch);
		this.save();
		const done = this.ctx.helpers.createDeferredPromise<IRun>();
		done.promise.then(
			(run) => this.settled(batch.seq, attempt, classifyRun(run)),
			(error: unknown) => this.settled(batch.seq, attempt, rejectedOutcome(error)),
		);
		const items = batch.items.map((body) => ({ json: this.itemJson(body as IDataObject, attempt) }));
		this.ctx.emit([items], undefined, done, key);
	}

	/**
	 * A first attempt hands n8n the ledger's bodies as they are: a copy of every item doubled the
	 * drain's garbage (bench, drain). Sending again copies. Without Re-Deliver Failed Executions a
	 * batch is only sent again after a loss, where no node of the workflow ran, or after a restart,
	 * from the saved JSON; with it, what a node changed in place must not be sent again, so the
	 * first attempt gets copies too.
	 */
	private itemJson(body: IDataObject, attempt: number): IDataObject {
		if (attempt > 1 || this.policy.redeliverFailed > 0) return { ...body, deliveryAttempt: attempt };
		body.deliveryAttempt = attempt;
		return body;
	}

	private settled(seq: number, attempt: number, outcome: Outcome): void {
		if (this.closed) return;
		const nowMs = Date.now();
		const decision = settle(this.ledger, seq, attempt, outcome, nowMs, this.policy);
		if (decision.action === 'stale') return;
		this.save();
		if (decision.action === 'giveUp') reportTriggerError(this.ctx, this.undeliverable(decision.batch));
		// Due now (a first loss): sent at once, and the emit saves the ledger with it.
		if (decision.action === 'retry' && decision.dueAtMs <= nowMs) this.resendDue(nowMs);
	}

	/** The give-up: every event by id, and the period Get Many must read to find them again. */
	private undeliverable(batch: Batch): NodeOperationError {
		const eventIds = batch.items.map((item) => String(item.eventId));
		const period = rereadPeriod(batch.items);
		const reread = period
			? `Read them again with Feedback > Get Many from ${period.from} to ${period.to}`
			: 'Read them again with Feedback > Get Many around the time they were given';
		return new NodeOperationError(
			this.ctx.getNode(),
			`${eventIds.length} feedback event(s) could not be delivered: the workflow did not run for them in ${batch.attempt} attempt(s) (last: ${batch.problem ?? 'no outcome'})`,
			{
				description: `In queue mode this happens when a worker does not have this package installed ("Unrecognized node type") or keeps dying mid-run. Install the package on every worker. ${reread} (event time), keeping these events: ${eventIds.join(', ')}.`,
			},
		);
	}

	/**
	 * Sets the live ledger, not a copy, in the form n8n serializes (savedLedger.ts): n8n saves static
	 * data after the emit, not awaited, and a later state is as good as this one. Setting the key marks
	 * static data as changed; every change to the ledger is followed by a save. A copy here cost a third
	 * of the drain's product time (bench, drain).
	 */
	private save(): void {
		this.ctx.getWorkflowStaticData('node')[LEDGER_KEY] = savedLedger(this.ledger) as unknown as IDataObject;
	}
}
