import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { feedbackTypeFilter } from '../shared/descriptions';
import { listFeedbackEvents } from '../shared/api';
import { drain, type PageFetcher } from '../shared/feedbackLog/drain';
import type { FeedbackPart, PartKind } from '../shared/feedbackLog/parts';
import { initialPollState, restorePollState } from '../shared/feedbackLog/pollState';
import { xErrorInfo } from '../shared/transport';
import { triggerItem } from './triggerItem';

const HOUR = 3_600_000;
/** How far back "Fetch Test Event" looks. */
const SAMPLE_LOOKBACK_MS = 7 * 24 * HOUR;
const SAMPLE_SIZE = 10;
/** A failure that usually passes (X over capacity, network) is reported once it lasts this long. */
const LOUD_AFTER_MS = HOUR;

interface TriggerSettings {
	events: PartKind[];
	feedbackType: 'all' | 'csat' | 'nps';
	includeTest: boolean;
	includeRaw: boolean;
	minEventAgeMs: number;
	maxItems: number;
	rateReserve: number;
	startFromMs: number | null;
}

function readSettings(ctx: IPollFunctions): TriggerSettings {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const events = ctx.getNodeParameter('events', ['score', 'comment']) as PartKind[];
	const startFrom = options.startFrom ? Date.parse(String(options.startFrom)) : NaN;
	if (options.startFrom && Number.isNaN(startFrom)) {
		throw new NodeOperationError(ctx.getNode(), `Start From: "${String(options.startFrom)}" is not a date`);
	}
	const minEventAgeHours = Number(options.minEventAgeHours ?? 24);
	if (!(minEventAgeHours >= 0)) {
		throw new NodeOperationError(ctx.getNode(), 'Minimum Event Age (Hours) must be 0 or more');
	}
	if (events.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Events: choose at least one event to trigger on');
	}
	return {
		events,
		feedbackType: ctx.getNodeParameter('feedbackType', 'all') as TriggerSettings['feedbackType'],
		includeTest: options.includeTest === true,
		includeRaw: options.includeRaw === true,
		minEventAgeMs: minEventAgeHours * HOUR,
		maxItems: Math.max(1, Number(options.maxItems ?? 1000)),
		rateReserve: Math.max(0, Number(options.rateReserve ?? 10)),
		startFromMs: Number.isNaN(startFrom) ? null : startFrom,
	};
}

function accepts(settings: TriggerSettings) {
	return (part: FeedbackPart) =>
		settings.events.includes(part.kind) &&
		(settings.feedbackType === 'all' || part.feedback.type === settings.feedbackType) &&
		(settings.includeTest || part.feedback.test !== true);
}

export class XCustomerFeedbackTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'X (Twitter) Customer Feedback Trigger',
		name: 'xCustomerFeedbackTrigger',
		icon: { light: 'file:xCustomerFeedback.svg', dark: 'file:xCustomerFeedback.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ "On " + $parameter["events"].join(", ").replace("score", "Score").replace("comment", "Comment").replace("request", "Request") }}',
		// The node picker shows one description for this node and the action node: it fits both.
		description: 'Send CSAT and NPS feedback cards in X Direct Messages, and act on every score and comment customers give',
		defaults: { name: 'X (Twitter) Customer Feedback Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'xCustomerFeedbackOAuth1Api', required: true }],
		properties: [
			{
				displayName:
					'X serves feedback events only once they are 24 hours old, so scores and comments arrive here a day after customers give them. Each one triggers the workflow exactly once.',
				name: 'delayNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{ name: 'Score Submitted', value: 'score', description: 'A customer gave a score' },
					{ name: 'Comment Submitted', value: 'comment', description: 'A customer wrote a comment' },
					{ name: 'Request Sent', value: 'request', description: 'A feedback request was sent to a customer' },
				],
				default: ['score', 'comment'],
				required: true,
			},
			feedbackTypeFilter,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Include Raw Event',
						name: 'includeRaw',
						type: 'boolean',
						default: false,
						description: 'Whether to add the feedback snapshot as X sent it, under "raw"',
					},
					{
						displayName: 'Include Test Feedback',
						name: 'includeTest',
						type: 'boolean',
						default: false,
						description: 'Whether to include feedback sent with test mode on',
					},
					{
						displayName: 'Max Items per Poll',
						name: 'maxItems',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 1000,
						description:
							'Stop a poll after about this many items (whole pages of 100 events are read) and go on at the next poll',
					},
					{
						displayName: 'Minimum Event Age (Hours)',
						name: 'minEventAgeHours',
						type: 'number',
						typeOptions: { minValue: 0, numberPrecision: 3 },
						default: 24,
						description:
							'X only serves events at least 24 hours old. Keep 24 for X; set 0 for the local emulator.',
					},
					{
						displayName: 'Rate Limit Reserve',
						name: 'rateReserve',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 10,
						description:
							'Calls to feedback/events left unused in each 15-minute window, for other workflows using this account',
					},
					{
						displayName: 'Start From',
						name: 'startFrom',
						type: 'dateTime',
						default: '',
						description:
							'Also emit scores and comments given since this date. Empty: start from the time of activation, without history.',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const settings = readSettings(this);
		const startedAt = Date.now();
		const budgetMs = this.getPollBudgetMs?.() ?? 5 * 60_000;
		const fetchPage: PageFetcher = async (req) => {
			const res = await listFeedbackEvents(this, req, undefined, { backoffMs: 250 });
			return { page: res.body, rateLimit: res.rateLimit };
		};
		const manual = this.getMode() === 'manual';
		const nowMs = Date.now();

		// A manual run shows recent real items and leaves the saved state alone.
		const staticData = this.getWorkflowStaticData('node');
		const state = manual
			? initialPollState(nowMs - SAMPLE_LOOKBACK_MS, 0, null)
			: restorePollState(staticData.pollState, nowMs, settings.minEventAgeMs, settings.startFromMs);

		const result = await drain(
			state,
			fetchPage,
			{
				nowMs,
				minEventAgeMs: settings.minEventAgeMs,
				maxItems: settings.maxItems,
				outOfTime: () => Date.now() - startedAt > budgetMs * 0.6,
				rateReserve: settings.rateReserve,
			},
			accepts(settings),
		);

		if (result.error !== undefined) {
			// Transient failures (rate limit, X down) keep what was read; the next poll resumes from the
			// saved cursor. Anything that needs the user fails loudly once nothing is left to hand over,
			// and so does a transient failure that has lasted too long to be passing.
			const info = xErrorInfo(result.error);
			const transient = info.transient === true;
			if (transient && result.pages === 0) state.failingSinceMs ??= nowMs;
			if (info.retryAtMs) state.rate = { remaining: 0, resetAt: Math.ceil(info.retryAtMs / 1000) };
			const failingTooLong = state.failingSinceMs !== undefined && nowMs - state.failingSinceMs > LOUD_AFTER_MS;
			if (manual || (result.parts.length === 0 && (!transient || failingTooLong))) {
				if (!manual) staticData.pollState = state as unknown as IDataObject;
				throw result.error instanceof NodeApiError
					? result.error
					: new NodeOperationError(this.getNode(), result.error as Error);
			}
		}
		if (result.pages > 0) delete state.failingSinceMs;

		if (manual) {
			const sample = result.parts.slice(-SAMPLE_SIZE);
			if (sample.length === 0) {
				throw new NodeOperationError(this.getNode(), 'No matching feedback events in the last 7 days X serves', {
					description: `Nothing matched these settings between ${new Date(nowMs - SAMPLE_LOOKBACK_MS).toISOString()} and ${new Date(nowMs - settings.minEventAgeMs).toISOString()}. X serves events once they are ${settings.minEventAgeMs / HOUR} hours old.`,
				});
			}
			return [sample.map((part) => ({ json: triggerItem(part, settings.includeRaw) }))];
		}

		staticData.pollState = state as unknown as IDataObject;
		if (result.parts.length === 0) return null;
		return [result.parts.map((part) => ({ json: triggerItem(part, settings.includeRaw) }))];
	}
}
