/**
 * Send Request's memory of whom it asked, in n8n's de-duplication store (scope: this node), not in
 * workflow static data: static data is one blob per workflow, last writer wins, so concurrent
 * executions lost each other's entries and could roll back a trigger's cursor in the same workflow.
 * The store is shared by all executions and works in manual runs. It is best effort too (n8n reads
 * and writes a row without a lock); X's own one-request-per-24-hours rule stays the hard guarantee.
 *
 * A customer is claimed before the request goes out (one read-modify-write: check and record
 * together), so two executions rarely both pass; the claim is given back when nothing was sent.
 * The store offers no read without a write, so a check records every key of the window it did not
 * have; all but today's go back at once. When the store fails part-way, the node leans to asking:
 * a customer who got no card is never skipped on a guess (X still refuses a second card within 24
 * hours), and a failure to give a claim back is retried, then logged, never put in place of X's error.
 *
 * Each call of the store reads the node's row and writes it back whole, without a lock: an execution
 * whose read came before another's write erases that write (npm run test:queue (g): 50 concurrent
 * sends kept 26 of 50 customers). So a card that went out is read back at the end of the node's run
 * (keepClaims): after a pause longer than any one call takes, an entry still there can no longer be
 * erased (a call that erases it must have read before it was written and write after the read-back);
 * one that is gone is recorded again by the same call, and read back again after another pause.
 */
import {
	NodeOperationError,
	randomInt,
	randomString,
	sleep,
	type ICheckProcessedOptions,
	type IDeduplicationOutput,
	type IExecuteFunctions,
} from 'n8n-workflow';

import { MAX_REMEMBERED, latestDay, windowKeys } from './askedRecently';

const OPTIONS: ICheckProcessedOptions = { mode: 'entries', maxEntries: MAX_REMEMBERED };

/** What ends an item, as its claim sees it. */
export type ClaimOutcome =
	/**
	 * The claim is true: a card went out (or may have: X's answer was lost), or X says the customer
	 * was asked within 24 hours. It stays, and is read back when the node's run ends.
	 */
	| 'keep'
	/** Nothing reached the customer: the claim goes back. */
	| 'giveBack';

/** What the store failed at while the node went on: logged, never in place of X's own error. */
export type StoreProblem = (what: string, problem: string) => void;

/** What the store failed at when the keys of a check other than the claim did not go back. */
const KEYS_OF_A_CHECK = 'to give back keys of a check';

/** How long before the store is asked again after a failed call. */
const RETRY_MS = 200;

type Store = IExecuteFunctions['helpers'];

/**
 * The read-back of keepClaims: each round waits `settleMs` plus up to `jitterMs` (so executions that
 * ended together do not read back together), at most `rounds` rounds. `settleMs` must be longer than
 * one store call (a read and a write of one row) takes on a busy n8n.
 */
export const KEEP_TIMING = { settleMs: 1_500, jitterMs: 1_000, rounds: 6 };

/** The keys of cards this execution of the node sent, to read back when its run ends. */
const toKeep = new WeakMap<object, Set<string>>();

function keepLater(ctx: IExecuteFunctions, key: string): void {
	let keys = toKeep.get(ctx);
	if (!keys) toKeep.set(ctx, (keys = new Set()));
	keys.add(key);
}

/**
 * Makes the claims of the cards this run sent outlive concurrent executions (see the top of this
 * file): after a pause, one call checks every claim and records again those another execution's
 * write erased; those are read back again after another pause, for a few rounds. One pause per run,
 * not per item. Never throws: what is still missing at the end is logged (X's own 24-hour rule
 * still refuses a second card within a day).
 */
export async function keepClaims(ctx: IExecuteFunctions): Promise<void> {
	const pending = toKeep.get(ctx);
	toKeep.delete(ctx);
	if (!pending || pending.size === 0) return;
	let keys = [...pending];
	let problem: string | undefined;
	for (let round = 0; round < KEEP_TIMING.rounds && keys.length > 0; round++) {
		await sleep(KEEP_TIMING.settleMs + randomInt(KEEP_TIMING.jitterMs + 1));
		try {
			// Found: written long enough ago to stay. New: erased meanwhile, and recorded again now.
			keys = (await ctx.helpers.checkProcessedAndRecord(keys, 'node', OPTIONS)).new.map(String);
			problem = undefined;
		} catch (error) {
			problem = (error as Error).message;
		}
	}
	if (keys.length > 0) {
		ctx.logger.warn(
			`Send Request: ${keys.length} customer(s) surveyed in this run may be missing from n8n's de-duplication store (executions writing at the same moment kept erasing them${problem ? `; last store error: ${problem}` : ''}): the node may not skip them within the window; X still refuses a second card within 24 hours`,
		);
	}
}

/**
 * Forgets keys, asked twice (n8n's read-modify-write deadlocks under concurrent executions: one
 * retry passes it). Resolves with the failure's message when both attempts failed.
 */
async function forget(store: Store, keys: string[]): Promise<string | undefined> {
	if (keys.length === 0) return undefined;
	try {
		await store.removeProcessed(keys, 'node', OPTIONS);
		return undefined;
	} catch {
		await sleep(RETRY_MS);
		try {
			await store.removeProcessed(keys, 'node', OPTIONS);
			return undefined;
		} catch (error) {
			return (error as Error).message;
		}
	}
}

/**
 * A claim on one customer, settled once: kept or given back, whichever is asked first; later calls do
 * nothing. Never rejects: what the store fails at goes to `onStoreProblem`. A claim of a node that
 * keeps no memory (window 0, or no store) has nothing to settle.
 */
export class RecipientClaim {
	private settled = false;

	constructor(
		private readonly ctx: IExecuteFunctions,
		/** Today's key: the claim itself; undefined when the node keeps no memory. */
		private readonly today: string | undefined,
		/** Keys of the check that the store failed to give back: they go with the claim. */
		private readonly leftover: readonly string[],
		private readonly onStoreProblem: StoreProblem,
	) {}

	static none(ctx: IExecuteFunctions): RecipientClaim {
		return new RecipientClaim(ctx, undefined, [], () => {});
	}

	/** The claim stays (see ClaimOutcome 'keep'); the check's leftover keys go back. */
	async commit(): Promise<void> {
		if (this.settled || this.today === undefined) return;
		this.settled = true;
		keepLater(this.ctx, this.today);
		this.report(KEYS_OF_A_CHECK, await forget(this.ctx.helpers, [...this.leftover]));
	}

	/** The claim goes back with the check's leftover keys: nothing reached the customer. */
	async giveBack(): Promise<void> {
		if (this.settled || this.today === undefined) return;
		this.settled = true;
		this.report(
			'to forget a claim (no card went out): this customer reads as asked recently until the window ends',
			await forget(this.ctx.helpers, [this.today, ...this.leftover]),
		);
	}

	async settle(outcome: ClaimOutcome): Promise<void> {
		await (outcome === 'keep' ? this.commit() : this.giveBack());
	}

	private report(what: string, problem: string | undefined): void {
		if (problem) this.onStoreProblem(what, problem);
	}
}

function checkFailed(ctx: IExecuteFunctions, itemIndex: number, error: unknown): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		`could not check whom this node asked recently in n8n's de-duplication store: ${(error as Error).message}`,
		{
			itemIndex,
			description:
				'Nothing was sent to this customer. The node remembers whom it asked in n8n\'s de-duplication store, which needs a saved workflow and a reachable database; it was asked twice. Save the workflow and run this item again, or set "Skip Customers Asked Within (Days)" to 0 to rely on X\'s own one-request-per-24-hours rule.',
		},
	);
}

/**
 * Checks and claims a customer by user ID (as X writes it): the day they were last asked within the
 * window, or the claim, to be settled once whatever ends the item. `onStoreProblem` hears what the
 * store failed at when the node went on regardless.
 */
export async function claimRecipient(
	ctx: IExecuteFunctions,
	itemIndex: number,
	userId: string,
	windowDays: number,
	nowMs: number,
	onStoreProblem: StoreProblem = () => {},
): Promise<{ askedOn: string } | RecipientClaim> {
	const store = ctx.helpers;
	// Hosts without the store (n8n before 1.66) rely on X's 24-hour rule alone.
	if (windowDays <= 0 || typeof store.checkProcessedAndRecord !== 'function') return RecipientClaim.none(ctx);
	const keys = windowKeys(userId, nowMs, windowDays);
	const today = keys[keys.length - 1];
	// A key of this claim alone: found by a second call, it says the first one wrote before it failed.
	const probe = `claim:${randomString(16)}`;
	const asked = [...keys, probe];
	let seen: IDeduplicationOutput;
	let known = true;
	try {
		seen = await store.checkProcessedAndRecord(asked, 'node', OPTIONS);
	} catch {
		// Executions that create the node's row at the same moment collide on its key
		// (npm run test:queue (g)); asked again, the loser finds the row and updates it.
		await sleep(RETRY_MS);
		try {
			seen = await store.checkProcessedAndRecord(asked, 'node', OPTIONS);
		} catch (error) {
			throw checkFailed(ctx, itemIndex, error);
		}
		// The first call wrote, then failed: every key reads as found now, ours too. Whether the customer
		// was asked is unknown, and a customer is never skipped on a guess: the card goes out.
		known = !seen.processed.map(String).includes(probe);
	}
	const found = known ? seen.processed.map(String) : [];
	const written = known ? seen.new.map(String) : asked;
	if (found.length > 0) {
		const problem = await forget(store, written);
		if (problem) onStoreProblem(KEYS_OF_A_CHECK, problem);
		return { askedOn: latestDay(found)! };
	}
	// Today's key is the claim; the window's other keys and the probe go back now. Left behind
	// (the store failed), they are harmless once the card goes out: it is newer than all of them.
	const leftover = written.filter((key) => key !== today);
	const problem = await forget(store, leftover);
	if (problem) onStoreProblem(KEYS_OF_A_CHECK, problem);
	return new RecipientClaim(ctx, today, problem ? leftover : [], onStoreProblem);
}
