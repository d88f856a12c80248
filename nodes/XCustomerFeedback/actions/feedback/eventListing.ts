/**
 * Reading feedback/events over a time range, shared by Get Many and Get Report: the rules of the
 * From / To / Minimum Event Age fields, and the paging. Pages go on until X gives an empty or
 * missing next_cursor; an empty or short page is not the end. A full page with no next_cursor field
 * at all is asked for once more before it is believed to be the last (X's contract says missing =
 * end; this guards against an answer cut short).
 */
import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import { listFeedbackEvents } from '../../../shared/api';
import type { XFeedbackEvent, XFeedbackEventsPage } from '../../../shared/types';
import { dateTimeToMs } from '../dateTimeParam';
import { inputError, optionsParam } from '../fieldChecks';
import { DAY_MS } from './askedRecently';

const HOUR_MS = 60 * 60 * 1000;
export const PAGE_SIZE = 100;
export const DEFAULT_RANGE_DAYS = 7;
export const DEFAULT_MIN_AGE_HOURS = 24;
/** Pages in a row whose next_cursor is the cursor they were asked with. */
export const MAX_STALLED_PAGES = 20;

/** The "Minimum Event Age (Hours)" entry of an operation's Options collection. */
export const minEventAgeOption: INodeProperties = {
	displayName: 'Minimum Event Age (Hours)',
	name: 'minEventAgeHours',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: DEFAULT_MIN_AGE_HOURS,
	description:
		'How old the newest event X serves must be. X: 24 (the default). Lower it only for a stand-in such as the local emulator.',
};

export interface EventRange {
	fromMs: number;
	toMs: number;
}

export interface ReadRange extends EventRange {
	/** The latest time X serves now: now minus the minimum event age. */
	latestMs: number;
}

/**
 * From and To of the item, checked: To empty means the latest time X serves, a later To is an error
 * (never moved silently, so no events go missing unnoticed); From empty means 7 days before To.
 */
export function readRange(ctx: IExecuteFunctions, itemIndex: number, nowMs: number): ReadRange {
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
	return { fromMs: Math.floor(fromMs), toMs: Math.floor(toMs), latestMs: Math.floor(latestMs) };
}

/**
 * The events of the range, one page at a time, oldest first as X serves them. Stop early by leaving
 * the loop: no further page is asked for.
 */
/** What tells two events apart: their type and time, and the feedback's id, update time and parts. */
function eventKey(event: XFeedbackEvent): string {
	const feedback = event.feedback;
	const response = feedback?.response;
	return [
		event.event_type,
		event.created_at,
		feedback?.id,
		feedback?.updated_at,
		response?.score?.created_at,
		response?.text?.created_at,
	].join('|');
}

export async function* feedbackEventPages(
	ctx: IExecuteFunctions,
	range: EventRange,
	itemIndex: number,
): AsyncGenerator<XFeedbackEvent[], void, undefined> {
	let cursor: string | undefined;
	let stalled = 0;
	let previousPage = new Set<string>();
	for (;;) {
		const request = { fromMs: range.fromMs, toMs: range.toMs, cursor, count: PAGE_SIZE };
		let page: XFeedbackEventsPage = (await listFeedbackEvents(ctx, request, itemIndex)).body;
		if (page.events.length >= PAGE_SIZE && !('next_cursor' in page)) {
			// A full page without the field may be an answer cut short: ask once more before believing the end.
			page = (await listFeedbackEvents(ctx, request, itemIndex)).body;
		}
		// X may repeat an event of the previous page on the next one: an identical event across a page
		// boundary is passed on once.
		const keys = page.events.map(eventKey);
		yield page.events.filter((_, i) => !previousPage.has(keys[i]));
		previousPage = new Set(keys);
		const next = page.next_cursor;
		if (next === undefined || next === null || String(next) === '') return;
		// An empty page may hand back the cursor it was asked with; only a long run of that is stuck.
		stalled = String(next) === cursor ? stalled + 1 : 0;
		if (stalled >= MAX_STALLED_PAGES) {
			throw new NodeOperationError(
				ctx.getNode(),
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
