/**
 * Get Many: feedback events (created / updated) in a time range, one item per event. The range rules
 * and the paging (to an empty or missing next_cursor, through empty and short pages) are in
 * helpers/eventListing.ts, shared with Get Report.
 */
import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { feedbackTypeFilter } from '../../../shared/descriptions';
import { xDateToIso } from '../../../shared/dates';
import { simplifyFeedback } from '../../../shared/feedbackView';
import { AnomalyLog } from '../../../shared/feedbackLog/anomalies';
import { isTestFeedback } from '../../../shared/feedbackRules';
import type { XFeedbackEvent } from '../../../shared/types';
import { booleanValue, oneOf, optionsParam, wholeNumber } from '../../helpers/fieldChecks';
import { feedbackEventPages, readRange } from '../../helpers/eventListing';
import { dateRangeFields, includeTestOption, minEventAgeOption, simplifyField } from '../common.descriptions';

const properties: INodeProperties[] = [
	...dateRangeFields({
		start: 'Start of the range (inclusive), by the time of the event.',
		end: 'End of the range (inclusive).',
		endNote: 'It is not moved silently, so no events go missing unnoticed.',
	}),
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
			feedbackTypeFilter,
			includeTestOption('include'),
		],
	},
	simplifyField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [minEventAgeOption],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['feedback'], operation: ['getMany'] } }, properties);

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
	if (!filter.includeTest && isTestFeedback(feedback)) return false;
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
	const anomalies = new AnomalyLog();
	// Every event X lists is one item, identical ones included (updates of one feedback in one second
	// can be identical, on one page or either side of a page boundary): X documents no repeats.
	listing: for await (const events of feedbackEventPages(this, range, itemIndex, anomalies)) {
		for (const { event } of events) {
			if (!matches(event, filter)) continue;
			out.push({ json: simplify ? simplifyEvent(event) : ({ ...event } as unknown as IDataObject) });
			if (out.length >= limit) break listing;
		}
	}
	// Nothing X sent is dropped without a word: events that could not be used are counted in one
	// last item, after the events (only when there are any).
	if (anomalies.total > 0) out.push({ json: { setAsideEvents: anomalies.summary() as unknown as IDataObject } });
	return out;
}
