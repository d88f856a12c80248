/**
 * Send: 1,000 input items through Feedback → Send Request in a real WorkflowExecute (runNode), with
 * and without the can_dm check, against the floor client making the same 1,000 feedback/create
 * calls. Customers are allowlisted (X's one-request-per-recipient-per-24-hours rule does not apply)
 * and distinct (the node's own asked-recently memory does not skip them); the emulator is reset
 * before each pass because of the 1,000 creates per 24 hours.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { deduplicationStore } from '../../test/harness/memoryDeduplicator';
import { runNode } from '../../test/harness/runNode';
import type { EmulatorChild } from '../emulatorChild';
import { floorClient } from '../floor';
import { median, now, round } from '../measure';

const CREATE = 'POST /1.1/feedback/create.json';
const USERS_SHOW = 'GET /1.1/users/show.json';
/** Where the can_dm check reads X since issue 17 (relationship.source.can_dm). */
const FRIENDSHIPS_SHOW = 'GET /1.1/friendships/show.json';
const MESSAGE = 'Thanks for talking to Acme Support. How did we do? Tap a score.';
const PRIVACY_URL = 'https://acme.example/privacy';

export interface SendRun {
	floorMs: number;
	checkMs: number;
	noCheckMs: number;
	checkRequestsPerItem: number;
	noCheckRequestsPerItem: number;
}

export interface SendFigures {
	items: number;
	runs: SendRun[];
	floorMsPerCreate: number;
	msPerItemWithCheck: number;
	msPerItemWithoutCheck: number;
	/** Time per item ÷ the floor's time per feedback/create. */
	timeRatioWithCheck: number;
	timeRatioWithoutCheck: number;
	requestsPerItemWithCheck: number;
	requestsPerItemWithoutCheck: number;
	allSentOnce: boolean;
}

async function freshCustomers(emu: EmulatorChild, count: number): Promise<string[]> {
	await emu.reset({ minEventAgeMs: 0, rateWindowMs: 50 });
	// The same ids come back after a reset: the node's memory (n8n's de-duplication store) starts empty too.
	deduplicationStore.clear();
	const customers = Array.from({ length: count }, (_, i) => ({ screenName: `bench${i}`, canDm: true, allowlisted: true }));
	const { customers: added } = await emu.control<{ customers: Array<{ id: string }> }>('POST', 'customers', { customers });
	return added.map((c) => c.id);
}

function sendParameters(checkCanDm: boolean): INodeParameters {
	return {
		resource: 'feedback',
		operation: 'send',
		recipient: { __rl: true, mode: 'id', value: '={{ $json.userId }}' },
		feedbackType: 'csat',
		message: MESSAGE,
		privacyUrl: PRIVACY_URL,
		options: { test: true, checkCanDm },
	} as INodeParameters;
}

async function nodePass(emu: EmulatorChild, count: number, checkCanDm: boolean): Promise<{ ms: number; requestsPerItem: number; ok: boolean }> {
	const ids = await freshCustomers(emu, count);
	const input: IDataObject[] = ids.map((userId) => ({ userId }));
	const c = emu.credentials;
	const t0 = now();
	const { items, error } = await runNode({
		credentials: { baseUrl: emu.baseUrl, consumerKey: c.consumerKey, consumerSecret: c.consumerSecret, accessToken: c.accessToken, accessTokenSecret: c.accessTokenSecret },
		parameters: sendParameters(checkCanDm),
		input,
	});
	const ms = now() - t0;
	if (error) throw error;
	const stats = await emu.stats();
	const stored = await emu.control<{ feedback: Array<{ to_user_id: string }> }>('GET', 'feedback');
	const sent = items.filter((i) => i.json.status === 'sent').length;
	const recipients = new Set(stored.feedback.map((f) => f.to_user_id));
	const ok = sent === count && stored.feedback.length === count && recipients.size === count && (stats.byEndpoint[CREATE] ?? 0) === count;
	const requests = (stats.byEndpoint[CREATE] ?? 0) + (stats.byEndpoint[USERS_SHOW] ?? 0) + (stats.byEndpoint[FRIENDSHIPS_SHOW] ?? 0);
	return { ms, requestsPerItem: requests / count, ok };
}

async function floorPass(emu: EmulatorChild, count: number): Promise<number> {
	const ids = await freshCustomers(emu, count);
	const client = floorClient(emu.baseUrl, emu.credentials);
	const t0 = now();
	for (const id of ids) {
		const res = await client.post('/1.1/feedback/create.json', {
			query: { type: 'csat', to_user_id: id, message: MESSAGE, privacy_url: PRIVACY_URL, test: 'true' },
		});
		if (res.status !== 200) throw new Error(`floor create answered ${res.status}: ${res.text.slice(0, 200)}`);
	}
	const ms = now() - t0;
	await client.close();
	return ms;
}

export async function sendScenario(emu: EmulatorChild, opts: { items: number; runs: number; log: (line: string) => void }): Promise<SendFigures> {
	// Warm-up: a tenth of the items through each path.
	const warm = Math.max(10, Math.round(opts.items / 10));
	await floorPass(emu, warm);
	await nodePass(emu, warm, true);
	await nodePass(emu, warm, false);

	const runs: SendRun[] = [];
	let allSentOnce = true;
	for (let run = 0; run < opts.runs; run++) {
		const floorMs = await floorPass(emu, opts.items);
		const check = await nodePass(emu, opts.items, true);
		const noCheck = await nodePass(emu, opts.items, false);
		if (!check.ok || !noCheck.ok) allSentOnce = false;
		const r: SendRun = {
			floorMs: round(floorMs, 1),
			checkMs: round(check.ms, 1),
			noCheckMs: round(noCheck.ms, 1),
			checkRequestsPerItem: check.requestsPerItem,
			noCheckRequestsPerItem: noCheck.requestsPerItem,
		};
		runs.push(r);
		opts.log(
			`send run ${run + 1}/${opts.runs}: floor ${r.floorMs} ms, node with can_dm check ${r.checkMs} ms (${r.checkRequestsPerItem} req/item), ` +
				`without ${r.noCheckMs} ms (${r.noCheckRequestsPerItem} req/item)`,
		);
	}
	const floorPerCreate = median(runs.map((r) => r.floorMs)) / opts.items;
	return {
		items: opts.items,
		runs,
		floorMsPerCreate: round(floorPerCreate, 3),
		msPerItemWithCheck: round(median(runs.map((r) => r.checkMs)) / opts.items, 3),
		msPerItemWithoutCheck: round(median(runs.map((r) => r.noCheckMs)) / opts.items, 3),
		timeRatioWithCheck: round(median(runs.map((r) => r.checkMs / r.floorMs)), 3),
		timeRatioWithoutCheck: round(median(runs.map((r) => r.noCheckMs / r.floorMs)), 3),
		requestsPerItemWithCheck: round(median(runs.map((r) => r.checkRequestsPerItem)), 3),
		requestsPerItemWithoutCheck: round(median(runs.map((r) => r.noCheckRequestsPerItem)), 3),
		allSentOnce,
	};
}
