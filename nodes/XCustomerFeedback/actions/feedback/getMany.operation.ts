/**
 * Get Many: feedback events (created / updated) in a time range, one item per event. Pages until X
 * gives an empty or missing next_cursor; an empty or short page is not the end. A full page with no
 * next_cursor field at all is asked for once more before it is believed to be the last (X's
 * contract says missing = end; this guards against an answer cut short).
 */
import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { listFeedbackEvents } from '../../../shared/api';
import { xDateToIso } from '../../../shared/dates';
import { simplifyFeedback } from '../../../shared/feedbackView';
import type { XFeedbackEvent, XFeedbackEventsPage } from '../../../shared/types';
import { dateTimeToMs } from '../dateTimeParam';
import { booleanValue, inputError, oneOf, optionsParam, wholeNumber } from '../fieldChecks';
import { DAY_MS } from './askedRecently';
import { simplifyField } from './get.operation';

const HOUR_MS = 60 * 60 * 1000;
export const PAGE_SIZE = 100;
export const DEFAULT_RANGE_DAYS = 7;
export const DEFAULT_MIN_AGE_HOURS = 24;
/** Pages in a row whose next_cursor is the cursor they were asked with. */
export const MAX_STALLED_PAGES = 20;

const properties: INodeProperties[] = [
	{
		displayName: 'From',
		name: 'from',
		type: 'dateTime',
		default: '',
		description:
			'Start of the range (inclusive), by the time of the event. Empty: 7 days before To. Without an offset the time is read in the workflow time zone.',
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'dateTime',
		default: '',
		description:
			'End of the range (inclusive). X serves only events at least 24 hours old (see Minimum Event Age): empty means the latest time X serves (now minus that age), and a later time is an error that says the latest allowed time. It is not moved silently, so no events go missing unnoticed.',
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Event Type',
				name: 'eventType',
				type: 'options',
				options: [
					{ name: 'All', value: 'all' },
					{ name: 'Created', value: 'created', description: 'A feedback request was sent' },
					{
						name: 'Updated',
						value: 'updated',
						description: 'Something changed on a request: a score or comment arrived, or the card was viewed or dismissed',
					},
				],
				default: 'all',
			},
			{
				displayName: 'Feedback Type',
				name: 'feedbackType',
				type: 'options',
				options: [
					{ name: 'All', value: 'all' },
					{ name: 'CSAT', value: 'csat' },
					{ name: 'NPS', value: 'nps' },
				],
				default: 'all',
			},
			{
				displayName: 'Include Test Feedback',
				name: 'includeTest',
				type: 'boolean',
				default: false,
				description: 'Whether to include feedback sent in Test Mode (test=true); left out unless turned on',
			},
		],
	},
	simplifyField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Minimum Event Age (Hours)',
				name: 'minEventAgeHours',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_MIN_AGE_HOURS,
				description:
					'How old the newest event X serves must be. X: 24 (the default). Lower it only for a stand-in such as the local emulator.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['feedback'], operation: ['getMany'] } }, properties);

interface Range {
	fromMs: number;
	toMs: number;
}

function readRange(ctx: IExecuteFunctions, itemIndex: number, nowMs: number): Range {
	const options = optionsParam(ctx, itemIndex);
	const minAgeHours =
		options.minEventAgeHours === undefined || options.minEventAgeHours === ''
			? DEFAULT_MIN_AGE_HOURS
			: Number(options.minEventAgeHours);
	if (!Number.isFinite(minAgeHours) || minAgeHours < 0) {
		throw inputError(ctx, itemIndex, 'Minimum Event Age (Hours)', `must be a number of hours, 0 or more, not ${JSON.stringify(options.minEventAgeHours)}`);
	}
	const latestMs = nowMs - Math.round(minAgeHours * HOUR_MS);
	const zone = ctx.getTimezone();
	const read = (name: string, field: string): number | undefined => {
		const raw = ctx.getNodeParameter(name, itemIndex, '') as unknown;
		const ms = dateTimeToMs(raw, zone);
		if (ms !== undefined && Number.isNaN(ms)) {
			throw inputError(ctx, itemIndex, field, `"${String(raw)}" is not a date and time`, `Use a date such as ${new Date(latestMs).toISOString()}.`);
		}
		return ms;
	};
	const toMs = read('to', 'To') ?? latestMs;
	if (toMs > latestMs) {
		throw inputError(
			ctx,
			itemIndex,
			'To',
			`is ${new Date(toMs).toISOString()}, but X serves events only up to ${minAgeHours} hours ago: use ${new Date(latestMs).toISOString()} or earlier, or leave To empty`,
			'X answers feedback events only once they are at least the Minimum Event Age old.',
		);
	}
	const fromMs = read('from', 'From') ?? toMs - DEFAULT_RANGE_DAYS * DAY_MS;
	if (fromMs > toMs) {
		throw inputError(
			ctx,
			itemIndex,
			'From',
			`(${new Date(fromMs).toISOString()}) is after To (${new Date(toMs).toISOString()})`,
			'Pick a From before To.',
		);
	}
	return { fromMs: Math.floor(fromMs), toMs: Math.floor(toMs) };
}

interface EventFilter {
	eventType: 'all' | 'created' | 'updated';
	feedbackType: 'all' | 'csat' | 'nps';
	includeTest: boolean;
}

function readFilter(ctx: IExecuteFunctions, itemIndex: number): EventFilter {
	const filters = optionsParam(ctx, itemIndex, 'filters');
	return {
		eventType: oneOf(ctx, itemIndex, 'Event Type', filters.eventType ?? 'all', ['all', 'created', 'updated'] as const),
		feedbackType: oneOf(ctx, itemIndex, 'Feedback Type', filters.feedbackType ?? 'all', ['all', 'csat', 'nps'] as const),
		includeTest: booleanValue(ctx, itemIndex, 'Include Test Feedback', filters.includeTest, false),
	};
}

/** `feedback.created` -> `created`; unknown types keep their name. */
export function shortEventType(eventType: unknown): string {
	return String(eventType ?? '').replace(/^feedback\./, '');
}

function matches(event: XFeedbackEvent, filter: EventFilter): boolean {
	const feedback = event.feedback ?? ({} as XFeedbackEvent['feedback']);
	if (filter.eventType !== 'all' && shortEventType(event.event_type) !== filter.eventType) return false;
	if (filter.feedbackType !== 'all' && feedback.type !== filter.feedbackType) return false;
	const isTest = feedback.test === true || (feedback.test as unknown) === 'true';
	if (isTest && !filter.includeTest) return false;
	return true;
}

function simplifyEvent(event: XFeedbackEvent): IDataObject {
	return {
		eventType: shortEventType(event.event_type),
		eventAt: xDateToIso(event.created_at) ?? null,
		...(event.feedback ? simplifyFeedback(event.feedback) : {}),
	};
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const range = readRange(this, itemIndex, Date.now());
	const filter = readFilter(this, itemIndex);
	const returnAll = booleanValue(this, itemIndex, 'Return All', this.getNodeParameter('returnAll', itemIndex, false), false);
	const limit = returnAll
		? Infinity
		: wholeNumber(this, itemIndex, 'Limit', this.getNodeParameter('limit', itemIndex, 50), 1, Number.MAX_SAFE_INTEGER);
	const simplify = booleanValue(this, itemIndex, 'Simplify', this.getNodeParameter('simplify', itemIndex, true), true);

	const out: INodeExecutionData[] = [];
	let cursor: string | undefined;
	let stalled = 0;
	for (;;) {
		const request = { ...range, cursor, count: PAGE_SIZE };
		let page: XFeedbackEventsPage = (await listFeedbackEvents(this, request, itemIndex)).body;
		if (page.events.length >= PAGE_SIZE && !('next_cursor' in page)) {
			// A full page without the field may be an answer cut short: ask once more before believing the end.
			page = (await listFeedbackEvents(this, request, itemIndex)).body;
		}
		for (const event of page.events) {
			if (!matches(event, filter)) continue;
			out.push({ json: simplify ? simplifyEvent(event) : ({ ...event } as unknown as IDataObject) });
			if (out.length >= limit) return out;
		}
		const next = page.next_cursor;
		if (next === undefined || next === null || String(next) === '') return out;
		// An empty page may hand back the cursor it was asked with; only a long run of that is stuck.
		stalled = String(next) === cursor ? stalled + 1 : 0;
		if (stalled >= MAX_STALLED_PAGES) {
			throw new NodeOperationError(
				this.getNode(),
				`Item ${itemIndex}: X answered ${MAX_STALLED_PAGES} pages in a row without moving its events cursor; stopped to avoid a loop`,
				{
					itemIndex,
					description: `The listing from ${new Date(range.fromMs).toISOString()} to ${new Date(range.toMs).toISOString()} did not move on. Try again later or with a shorter range.`,
				},
			);
		}
		cursor = String(next);
	}
}
