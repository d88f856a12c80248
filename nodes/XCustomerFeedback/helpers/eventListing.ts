/**
 * Reading feedback/events over a time range, shared by Get Many and Get Report: the rules of the
 * From / To / Minimum Event Age fields, and the n8n side of the one event reader
 * (shared/feedbackLog/eventReader.ts), which owns the paging and its guards.
 */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { listFeedbackEvents } from '../../shared/api';
import { dateTimeToMs, timeProblem, X_EPOCH_MS } from '../../shared/dateTimeParam';
import { MIN_EVENT_AGE_FIELD, readMinEventAge } from '../../shared/minEventAge';
import type { AnomalyLog } from '../../shared/feedbackLog/anomalies';
import { createEventReader, StuckListingError, type ListedEvent } from '../../shared/feedbackLog/eventReader';
import { DAY_MS, HOUR_MS } from '../../shared/time';
import { inputError, optionsParam } from './fieldChecks';

export const DEFAULT_RANGE_DAYS = 7;
/**
 * feedback/events calls Get Many and Get Report leave in X's window when X keeps sending pages with
 * nothing new: the trigger's default reserve, so a workflow's listing cannot starve its trigger.
 */
export const LISTING_RATE_RESERVE = 10;

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
	const minAge = readMinEventAge(options.minEventAgeHours);
	if ('problem' in minAge) throw inputError(ctx, itemIndex, MIN_EVENT_AGE_FIELD, minAge.problem);
	const minAgeHours = minAge.ms / HOUR_MS;
	const latestMs = nowMs - minAge.ms;
	const zone = ctx.getTimezone();
	const read = (name: string, field: string): number | undefined => {
		const raw = ctx.getNodeParameter(name, itemIndex, '') as unknown;
		const ms = dateTimeToMs(raw, zone);
		if (ms !== undefined && Number.isNaN(ms)) {
			throw inputError(ctx, itemIndex, field, `${JSON.stringify(raw) ?? String(raw)} is not a date and time`, `Use a date such as ${new Date(latestMs).toISOString()}.`);
		}
		const problem = ms === undefined ? undefined : timeProblem(ms);
		if (problem) throw inputError(ctx, itemIndex, field, problem, `Use a date such as ${new Date(latestMs).toISOString()}.`);
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
	const fromMs = read('from', 'From') ?? Math.max(X_EPOCH_MS, toMs - DEFAULT_RANGE_DAYS * DAY_MS);
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
 * The events of the range, one page at a time, oldest first as X serves them, every event X lists.
 * Stop early by leaving the loop: no further page is asked for. Events set aside by the reader are
 * counted in `anomalies`; a stuck listing (a cursor handed back, or pages with nothing new until the
 * rate reserve) fails the item with what X did.
 */
export async function* feedbackEventPages(
	ctx: IExecuteFunctions,
	range: EventRange,
	itemIndex: number,
	anomalies: AnomalyLog,
): AsyncGenerator<ListedEvent[], void, undefined> {
	const reader = createEventReader(
		async (req) => {
			const res = await listFeedbackEvents(ctx, req, itemIndex);
			return { page: res.body, rateLimit: res.rateLimit };
		},
		range,
		{ anomalies, rateReserve: LISTING_RATE_RESERVE },
	);
	for (;;) {
		// Other failures (X's errors) go to the router as they are.
		const page = await reader.next().catch((error: unknown) => {
			if (!(error instanceof StuckListingError)) throw error;
			throw new NodeOperationError(ctx.getNode(), error.message, { itemIndex, description: error.description });
		});
		yield page.events;
		if (page.next === undefined) return;
	}
}
