/**
 * Send Request's memory of whom it asked, in n8n's de-duplication store (scope: this node), not in
 * workflow static data: static data is one blob per workflow, last writer wins, so concurrent
 * executions lost each other's entries and could roll back a trigger's cursor in the same workflow.
 * The store is shared by all executions and works in manual runs. It is best effort too (n8n reads
 * and writes a row without a lock); X's own one-request-per-24-hours rule stays the hard guarantee.
 *
 * A recipient is claimed before the request goes out (one read-modify-write: check and record
 * together), so two executions rarely both pass; the claim is released when nothing was sent.
 */
import { NodeOperationError, sleep, type IExecuteFunctions, type ICheckProcessedOptions } from 'n8n-workflow';

import { MAX_REMEMBERED, latestDay, windowKeys } from './askedRecently';

const OPTIONS: ICheckProcessedOptions = { mode: 'entries', maxEntries: MAX_REMEMBERED };

export type Claim =
	/** Asked on this day (YYYY-MM-DD) within the window: do not send. */
	| { askedOn: string }
	/** Free to send; `release` forgets the claim when nothing was sent after all. */
	| { askedOn?: undefined; release: () => Promise<void> };

const nothing: Claim = { release: async () => {} };

/** How long before the store is asked again after a failed claim. */
const CLAIM_RETRY_MS = 200;

/**
 * n8n keeps a node's entries in one database row. Executions that create that row at the same
 * moment collide on its key ("duplicate key value violates unique constraint"; queue mode, 50 at
 * once, npm run test:queue (g)); asked again, the loser finds the row and updates it.
 */
async function checkAndRecord(store: IExecuteFunctions['helpers'], keys: string[]) {
	try {
		return await store.checkProcessedAndRecord(keys, 'node', OPTIONS);
	} catch {
		await sleep(CLAIM_RETRY_MS);
		return await store.checkProcessedAndRecord(keys, 'node', OPTIONS);
	}
}

export async function claimRecipient(
	ctx: IExecuteFunctions,
	itemIndex: number,
	userId: string,
	windowDays: number,
	nowMs: number,
): Promise<Claim> {
	const store = ctx.helpers;
	// Hosts without the store (n8n before 1.66) rely on X's 24-hour rule alone.
	if (windowDays <= 0 || typeof store.checkProcessedAndRecord !== 'function') return nothing;
	const keys = windowKeys(userId, nowMs, windowDays);
	const today = keys[keys.length - 1];
	try {
		const seen = await checkAndRecord(store, keys);
		const recordedNow = seen.new.map(String);
		if (seen.processed.length > 0) {
			if (recordedNow.length > 0) await store.removeProcessed(recordedNow, 'node', OPTIONS);
			return { askedOn: latestDay(seen.processed)! };
		}
		const pastDays = recordedNow.filter((key) => key !== today);
		if (pastDays.length > 0) await store.removeProcessed(pastDays, 'node', OPTIONS);
		return { release: async () => await store.removeProcessed([today], 'node', OPTIONS) };
	} catch (error) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${itemIndex}: could not check whom this node asked recently in n8n's de-duplication store: ${(error as Error).message}`,
			{
				itemIndex,
				description:
					'Nothing was sent to this customer. The node remembers whom it asked in n8n\'s de-duplication store, which needs a saved workflow and a reachable database; it was asked twice. Save the workflow and run this item again, or set "Skip Customers Asked Within (Days)" to 0 to rely on X\'s own one-request-per-24-hours rule.',
			},
		);
	}
}
