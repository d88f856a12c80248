import {
	NodeConnectionTypes,
	type NodeApiError,
	type NodeOperationError,
	NodeHelpers,
	randomInt,
	randomString,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
} from 'n8n-workflow';

import { eventsField, feedbackTypeFilter, includeRawOption, includeTestOption } from '../shared/descriptions';
import { minEventAgeOption } from '../shared/minEventAge';
import { MINUTE_MS } from '../shared/time';
import { ConfirmedDelivery, reportTriggerError } from './confirmedDelivery';
import { pollCronExpressions, type PollTime } from './pollSchedule';
import { readNewItems, rereadItems } from './readFeedback';
import { MAX_DELIVERY_ATTEMPTS, MAX_REDELIVER_FAILED, MAX_TOLERANCE_HOURS, readSettings } from './triggerSettings';

/** A tick reads for at most about this long (n8n gives polling nodes the same budget). */
const TICK_BUDGET_MS = 5 * MINUTE_MS;
/** Items awaiting an outcome beyond which the trigger reads nothing new (bounded state, back-pressure). */
const MAX_PENDING_ITEMS = 2_000;

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
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'xCustomerFeedbackOAuth1Api', required: true }],
		properties: [
			{
				displayName:
					'X serves feedback events only once they are 24 hours old, so scores and comments arrive here a day after customers give them. Each one triggers the workflow once; if n8n loses the execution (a worker dies) or restarts before it learns how it ended, it is delivered again with the same eventId and a higher deliveryAttempt.',
				name: 'delayNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Poll Times',
				name: 'pollTimes',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Poll Time' },
				default: { item: [{ mode: 'everyMinute' }] },
				description: 'When to check X for new events',
				options: NodeHelpers.cronNodeOptions,
			},
			eventsField,
			feedbackTypeFilter,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Event Time Tolerance After Part (Hours)',
						name: 'eventLateHours',
						type: 'number',
						typeOptions: { minValue: 6, maxValue: MAX_TOLERANCE_HOURS, numberPrecision: 1 },
						default: 6,
						description:
							'X may stamp the event that brings a score or comment later than the customer gave it. Within this many hours each is still emitted exactly once; a later one is logged with its feedback ID. Wider keeps more in the saved state.',
					},
					{
						displayName: 'Event Time Tolerance Before Part (Hours)',
						name: 'eventEarlyHours',
						type: 'number',
						typeOptions: { minValue: 2, maxValue: MAX_TOLERANCE_HOURS, numberPrecision: 1 },
						default: 2,
						description:
							'X may stamp an event earlier than the score or comment it brings. When the trigger starts (activation, Start From), it reads this many hours further back so none given just after the start is missed.',
					},
					includeRawOption,
					includeTestOption,
					{
						displayName: 'Max Delivery Attempts',
						name: 'maxDeliveryAttempts',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: MAX_DELIVERY_ATTEMPTS },
						default: 5,
						description:
							'How many times to start the workflow for the same events when n8n loses the execution (a queue-mode worker dies, or lacks this package). Then the trigger reports an error.',
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
					minEventAgeOption,
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
						displayName: 'Re-Deliver Failed Executions',
						name: 'redeliverFailed',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: MAX_REDELIVER_FAILED },
						default: 0,
						description:
							"How many times to start the workflow again for events whose execution failed in one of the workflow's own nodes. 0: n8n's usual error handling (Error Workflow) only.",
					},
					{
						displayName: 'Recover Webhook Misses',
						name: 'recoverWebhookMisses',
						type: 'boolean',
						default: false,
						description:
							'Whether this trigger makes up for calls of the X Customer Feedback Webhook Trigger that never arrived: its items say recovered: true. Put both triggers in one workflow, each followed by the same Skip Seen Parts step, which drops the parts the webhook delivered.',
					},
					{
						displayName: 'Start From',
						name: 'startFrom',
						type: 'dateTime',
						default: '',
						description:
							'Also emit scores and comments given since this date (a date in the past). Empty: start from the time of activation, without history.',
					},
				],
			},
		],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const settings = readSettings(this);

		// "Test step": recent real items, saved state left alone.
		if (this.getMode() === 'manual') {
			return {
				manualTriggerFunction: async () => {
					const { items } = await readNewItems(this, settings, true, TICK_BUDGET_MS);
					this.emit([items.map((json) => ({ json }))]);
				},
			};
		}

		const delivery = new ConfirmedDelivery(this, settings.delivery, randomString(12));
		let runningSince: number | undefined;
		const tick = async (): Promise<void> => {
			if (runningSince !== undefined) {
				// Bounded (TICK_BUDGET_MS between pages, the transport's deadline per call), but a poll
				// time passing unread should show.
				this.logger.warn(
					`X Customer Feedback Trigger: a poll time was skipped because the previous poll, started ${Math.round((Date.now() - runningSince) / 1000)} s ago, is still reading`,
				);
				return;
			}
			runningSince = Date.now();
			try {
				await delivery.rereadRestored(async (refs) => await rereadItems(this, settings, refs));
				delivery.resendDue(Date.now());
				if (delivery.pendingItems() >= Math.max(MAX_PENDING_ITEMS, settings.maxItems)) return;
				const { items, refs } = await readNewItems(this, settings, false, TICK_BUDGET_MS);
				delivery.deliver(items, refs);
			} finally {
				runningSince = undefined;
			}
		};

		// Like n8n's first poll at activation: the cursor starts here (saved once activation is done),
		// and what is wrong with the settings or the credential shows when the workflow is activated.
		await tick();
		const pollTimes = this.getNodeParameter('pollTimes', {}) as { item?: PollTime[] };
		for (const expression of pollCronExpressions(pollTimes, randomInt(60), randomInt(60))) {
			this.helpers.registerCron({ expression } as Parameters<ITriggerFunctions['helpers']['registerCron']>[0], () =>
				tick().catch((error: NodeApiError | NodeOperationError) => reportTriggerError(this, error)),
			);
		}
		return { closeFunction: async () => delivery.close() };
	}
}
