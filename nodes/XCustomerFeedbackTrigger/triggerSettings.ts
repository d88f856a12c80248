/** The trigger's parameters, read and checked once per activation or manual run. */
import { NodeOperationError, type IDataObject, type ITriggerFunctions } from 'n8n-workflow';

import { dateTimeToMs, timeProblem } from '../shared/dateTimeParam';
import { MIN_EVENT_AGE_FIELD, readMinEventAge } from '../shared/minEventAge';
import { readWholeNumber } from '../shared/wholeNumber';
import type { FeedbackPart, PartKind } from '../shared/feedbackLog/parts';
import { DEFAULT_POLICY, type DeliveryPolicy } from './deliveryLedger';
import { DEFAULT_TOLERANCE, type EventTolerance } from '../shared/feedbackLog/announcements';
import { isTestFeedback } from '../shared/feedbackRules';
import { HOUR_MS } from '../shared/time';

export const MAX_DELIVERY_ATTEMPTS = 20;
export const MAX_REDELIVER_FAILED = 10;
/** The widest event time tolerance either way: a week. */
export const MAX_TOLERANCE_HOURS = 168;

export interface TriggerSettings {
	events: PartKind[];
	feedbackType: 'all' | 'csat' | 'nps';
	includeTest: boolean;
	includeRaw: boolean;
	/** Items are marked recovered: this trigger makes up for webhook calls that never arrived. */
	recovered: boolean;
	minEventAgeMs: number;
	maxItems: number;
	rateReserve: number;
	startFromMs: number | null;
	delivery: DeliveryPolicy;
	tolerance: EventTolerance;
}

function wholeNumberOption(ctx: ITriggerFunctions, name: string, value: unknown, fallback: number, min: number, max: number): number {
	if (value === undefined || value === '') return fallback;
	const read = readWholeNumber(value, min, max);
	if ('problem' in read) throw new NodeOperationError(ctx.getNode(), `${name} ${read.problem}`);
	return read.value;
}

/** An event time tolerance option in hours: at least the default (it only widens), at most a week. */
function toleranceOption(ctx: ITriggerFunctions, name: string, value: unknown, defaultMs: number): number {
	const min = defaultMs / HOUR_MS;
	if (value === undefined || value === '') return defaultMs;
	const hours = Number(value);
	if (!(hours >= min && hours <= MAX_TOLERANCE_HOURS)) {
		throw new NodeOperationError(ctx.getNode(), `${name} must be from ${min} to ${MAX_TOLERANCE_HOURS} hours`);
	}
	return Math.round(hours * HOUR_MS);
}

export function readSettings(ctx: ITriggerFunctions): TriggerSettings {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const events = ctx.getNodeParameter('events', ['score', 'comment']) as PartKind[];
	const startFrom = dateTimeToMs(options.startFrom, ctx.getTimezone()) ?? NaN;
	if (options.startFrom && Number.isNaN(startFrom)) {
		throw new NodeOperationError(ctx.getNode(), `Start From: ${JSON.stringify(options.startFrom)} is not a date`);
	}
	const startProblem = Number.isNaN(startFrom) ? undefined : timeProblem(startFrom);
	if (startProblem) throw new NodeOperationError(ctx.getNode(), `Start From ${startProblem}`);
	if (startFrom > Date.now()) {
		// X holds no event from the future: the trigger would make no call and say nothing until then.
		throw new NodeOperationError(ctx.getNode(), `Start From is ${new Date(startFrom).toISOString()}, a time that has not come yet`, {
			description: 'X can only serve events that happened. Use a date in the past, or leave Start From empty to start from the time of activation.',
		});
	}
	const minEventAge = readMinEventAge(options.minEventAgeHours);
	if ('problem' in minEventAge) throw new NodeOperationError(ctx.getNode(), `${MIN_EVENT_AGE_FIELD} ${minEventAge.problem}`);
	if (events.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Events: choose at least one event to trigger on');
	}
	return {
		events,
		feedbackType: ctx.getNodeParameter('feedbackType', 'all') as TriggerSettings['feedbackType'],
		includeTest: options.includeTest === true,
		includeRaw: options.includeRaw === true,
		recovered: options.recoverWebhookMisses === true,
		minEventAgeMs: minEventAge.ms,
		maxItems: Math.max(1, Number(options.maxItems ?? 1000)),
		rateReserve: Math.max(0, Number(options.rateReserve ?? 10)),
		startFromMs: Number.isNaN(startFrom) ? null : startFrom,
		delivery: {
			...DEFAULT_POLICY,
			maxAttempts: wholeNumberOption(ctx, 'Max Delivery Attempts', options.maxDeliveryAttempts, DEFAULT_POLICY.maxAttempts, 1, MAX_DELIVERY_ATTEMPTS),
			redeliverFailed: wholeNumberOption(ctx, 'Re-Deliver Failed Executions', options.redeliverFailed, 0, 0, MAX_REDELIVER_FAILED),
		},
		tolerance: {
			beforeMs: toleranceOption(ctx, 'Event Time Tolerance Before Part (Hours)', options.eventEarlyHours, DEFAULT_TOLERANCE.beforeMs),
			afterMs: toleranceOption(ctx, 'Event Time Tolerance After Part (Hours)', options.eventLateHours, DEFAULT_TOLERANCE.afterMs),
		},
	};
}

export function accepts(settings: TriggerSettings) {
	return (part: FeedbackPart) =>
		settings.events.includes(part.kind) &&
		(settings.feedbackType === 'all' || part.feedback.type === settings.feedbackType) &&
		(settings.includeTest || !isTestFeedback(part.feedback));
}
