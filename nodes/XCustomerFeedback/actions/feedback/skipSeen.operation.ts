/**
 * Skip Seen Parts: passes on each score, comment or request (by eventId) the first time it comes,
 * whichever trigger brings it: X's webhook (which may call twice, and repeats the score with the
 * comment) or the polling trigger recovering what the webhook missed. Runs once over all items.
 */
import {
	NodeOperationError,
	randomInt,
	randomString,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { claimParts } from '../../helpers/seenParts';

/**
 * Two days of parts at X's sending limit for one account (1,000 requests a day, each with a score and
 * a comment): the recovery poll comes 24 hours after a part. n8n rewrites the whole row (two hashes
 * per part, about 26 bytes each) at every call, so more is not free.
 */
const DEFAULT_HISTORY = 5_000;
const EVENT_ID = /^[A-Za-z0-9_-]{1,64}:(score|comment|request)$/;

const properties: INodeProperties[] = [
	{
		displayName:
			'Place this right after the X Customer Feedback Webhook Trigger (and the polling trigger that recovers what the webhook missed), in the same workflow: each part goes on once, however many times it comes.',
		name: 'skipSeenNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Options',
		name: 'skipSeenOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Parts Remembered',
				name: 'history',
				type: 'number',
				typeOptions: { minValue: 100 },
				default: DEFAULT_HISTORY,
				description:
					'How many parts to remember (the oldest are forgotten first): more than arrive in the 24 hours and the poll interval before the polling trigger recovers them. The default holds two days for one account at X\'s sending limit; raise it for several accounts.',
			},
			{
				displayName: 'Settle Time (Ms)',
				name: 'settleMs',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 1000,
				description:
					"How long a part's claim must last before it goes on: longer than one read and write of n8n's database takes. Shorter waits let two executions running at the same moment both pass a part more often.",
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['feedback'], operation: ['skipSeen'] } }, properties);

/** Not used: the router runs this operation once for all items (executeBatch). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return [];
}

export async function executeBatch(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const options = this.getNodeParameter('skipSeenOptions', 0, {}) as { history?: number; settleMs?: number };
	const history = Number(options.history ?? DEFAULT_HISTORY);
	const settleMs = Number(options.settleMs ?? 1000);
	if (!Number.isInteger(history) || history < 100) throw new NodeOperationError(this.getNode(), 'Parts Remembered must be a whole number of at least 100');
	if (!Number.isInteger(settleMs) || settleMs < 0 || settleMs > 60_000) throw new NodeOperationError(this.getNode(), 'Settle Time (Ms) must be a whole number from 0 to 60000');
	const keys = items.map((item, itemIndex) => {
		const eventId = item.json.eventId;
		if (typeof eventId !== 'string' || !EVENT_ID.test(eventId)) {
			throw new NodeOperationError(this.getNode(), `eventId is ${eventId === undefined ? 'missing' : `not a part's id: ${JSON.stringify(eventId).slice(0, 80)}`}`, {
				itemIndex,
				description: 'Skip Seen Parts takes the items of the X Customer Feedback triggers, whose eventId is "<feedbackId>:score", ":comment" or ":request".',
			});
		}
		return eventId;
	});
	if (keys.length === 0) return [];
	if (typeof this.helpers.checkProcessedAndRecord !== 'function') {
		throw new NodeOperationError(this.getNode(), "Skip Seen Parts needs n8n's de-duplication store (n8n 1.66 or later)");
	}
	let outcome: Awaited<ReturnType<typeof claimParts>>;
	try {
		outcome = await claimParts(this.helpers, keys, {
			maxEntries: history * 2,
			settleMs,
			maxRounds: 6,
			token: randomString(12),
			random: () => randomInt(1000) / 1000,
		});
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Skip Seen Parts could not use n8n's de-duplication store: ${(error as Error).message}`, {
			description: "Nothing was passed on. The node remembers the parts in n8n's de-duplication store, which needs a saved workflow and a reachable database; it was asked twice. Save the workflow; the executions can be retried.",
		});
	}
	if (outcome.uncertain.length > 0) {
		this.logger.warn(
			`X Customer Feedback: Skip Seen Parts passed ${outcome.uncertain.length} part(s) without a lasting claim after ${outcome.rounds} rounds (many executions at once); one may go on twice`,
			{ eventIds: outcome.uncertain.slice(0, 20) },
		);
	}
	const pass = new Set([...outcome.mine, ...outcome.uncertain]);
	const out: INodeExecutionData[] = [];
	items.forEach((item, itemIndex) => {
		// A part twice in one batch goes on once.
		if (!pass.delete(keys[itemIndex])) return;
		out.push({ json: item.json, ...(item.binary ? { binary: item.binary } : {}), pairedItem: { item: itemIndex } });
	});
	return out;
}
