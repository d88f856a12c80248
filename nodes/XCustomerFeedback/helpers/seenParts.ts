/**
 * Skip Seen Parts' memory of the parts that went through, in n8n's de-duplication store (scope: this
 * node). The webhook and the polling trigger run in separate executions (in queue mode on separate
 * workers), and X may call twice at the same moment; webhook and trigger contexts have no store, so
 * the first node after them holds it.
 *
 * n8n keeps a node's entries in one row and updates it by read, then write, without a lock: two
 * executions that check the same part at once both find it new, and a write can undo another's.
 * So a part is claimed as in Fischer's timed mutual exclusion: record the part together with a claim
 * of this execution (`<eventId>@<token>`), wait longer than one store call can take, and go on only
 * if the claim is still there. A claim undone by a concurrent write is made again; a part recorded
 * without our claim belongs to the execution whose claim came with it. This holds while one call of
 * the store (its read and its write) takes less than the wait; beyond a few rounds the part passes
 * (a possible duplicate rather than a loss) and a warning is logged.
 */
import { sleep, type ICheckProcessedOptions, type IExecuteFunctions } from 'n8n-workflow';

export interface SeenStore {
	checkProcessedAndRecord: IExecuteFunctions['helpers']['checkProcessedAndRecord'];
}

export interface ClaimSettings {
	/** Entries kept (two per part: the part and its claim); the oldest go first. */
	maxEntries: number;
	/** How long a claim must last before it counts (ms); longer than one store call. */
	settleMs: number;
	maxRounds: number;
	/** A per-execution token (random), so a claim names its execution. */
	token: string;
	/** Random 0..1, for the wait between rounds. */
	random: () => number;
}

export interface ClaimOutcome {
	/** Part keys this execution claimed: pass them on. */
	mine: Set<string>;
	/** Part keys passed after maxRounds without a lasting claim (possible duplicates). */
	uncertain: string[];
	rounds: number;
}

/**
 * A claim names its execution and round. n8n 2.41 offers no read without a write: checking a claim
 * records it again when it was lost, so a lost round's claim is never looked at again.
 */
const claimOf = (key: string, token: string, round: number) => `${key}@${token}.${round}`;

/**
 * n8n creates the row on a context's first call; executions that create it at the same moment
 * collide on its key. Asked again, the loser finds the row (as Send Request's memory does).
 */
async function recordOnce(store: SeenStore, values: string[], options: ICheckProcessedOptions) {
	try {
		return await store.checkProcessedAndRecord(values, 'node', options);
	} catch {
		await sleep(200);
		return await store.checkProcessedAndRecord(values, 'node', options);
	}
}

export async function claimParts(store: SeenStore, keys: readonly string[], settings: ClaimSettings): Promise<ClaimOutcome> {
	const options: ICheckProcessedOptions = { mode: 'entries', maxEntries: settings.maxEntries };
	const mine = new Set<string>();
	let open = [...new Set(keys)];
	let rounds = 0;
	while (open.length > 0 && rounds < settings.maxRounds) {
		rounds++;
		const round = rounds;
		const claims = open.map((key) => claimOf(key, settings.token, round));
		const seen = await recordOnce(store, [...open, ...claims], options);
		const processed = new Set(seen.processed.map(String));
		// A part recorded already came with another execution's claim: that execution passes it on.
		const toVerify = open.filter((key) => !processed.has(key));
		if (toVerify.length === 0) {
			open = [];
			break;
		}
		await sleep(settings.settleMs);
		const verified = await recordOnce(store, toVerify.map((key) => claimOf(key, settings.token, round)), options);
		const lasting = new Set(verified.processed.map(String));
		for (const key of toVerify) if (lasting.has(claimOf(key, settings.token, round))) mine.add(key);
		open = toVerify.filter((key) => !mine.has(key));
		if (open.length > 0) await sleep(Math.round(settings.settleMs * settings.random()));
	}
	return { mine, uncertain: open, rounds };
}
