/**
 * One read of X's feedback events for the trigger: the saved cursor, drain() within the time budget
 * and the rate reserve, and the failure rules (transient failures keep what was read and stay quiet
 * until they have lasted an hour; anything that needs the user fails loudly). A manual run reads
 * the last 7 days and leaves the saved state alone.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type ITriggerFunctions } from 'n8n-workflow';

import { credentialsOf, forgetCredentials, listFeedbackEvents, xErrorInfo } from '../shared/api';
import { accountOf } from '../shared/account';
import { drain, type PageFetcher } from './drain';
import { initialPollState } from './pollState';
import { HOUR_MS as HOUR } from '../shared/time';
import { loggedAnomalies } from './loggedAnomalies';
import { loadPollState, savePollState } from './savedPollState';
import { triggerItem } from '../shared/triggerItem';
import { accepts, type TriggerSettings } from './triggerSettings';

/** How far back a manual run looks. */
const SAMPLE_LOOKBACK_MS = 7 * 24 * HOUR;
const SAMPLE_SIZE = 10;
/** A failure that usually passes (X over capacity, network) is reported once it lasts this long. */
const LOUD_AFTER_MS = HOUR;

/**
 * The item bodies of the parts read since the saved cursor; the advanced cursor is in the node's
 * static data when this returns (the emit that follows saves it). Throws the errors to report.
 */
export async function readNewItems(
	ctx: ITriggerFunctions,
	settings: TriggerSettings,
	manual: boolean,
	budgetMs: number,
): Promise<IDataObject[]> {
	const startedAt = Date.now();
	forgetCredentials(ctx);
	const fetchPage: PageFetcher = async (req) => {
		const res = await listFeedbackEvents(ctx, req, undefined, { backoffMs: 250 });
		return { page: res.body, rateLimit: res.rateLimit };
	};
	const nowMs = Date.now();
	const staticData = ctx.getWorkflowStaticData('node');
	const state = manual
		? initialPollState(nowMs - SAMPLE_LOOKBACK_MS, 0, null, undefined, settings.tolerance.beforeMs)
		: loadPollState(ctx, staticData, {
				nowMs,
				minEventAgeMs: settings.minEventAgeMs,
				startFromMs: settings.startFromMs,
				account: accountOf(await credentialsOf(ctx)),
				beforeMs: settings.tolerance.beforeMs,
			});
	const anomalies = loggedAnomalies(ctx);

	const result = await drain(
		state,
		fetchPage,
		{
			nowMs,
			minEventAgeMs: settings.minEventAgeMs,
			maxItems: settings.maxItems,
			outOfTime: () => Date.now() - startedAt > budgetMs * 0.6,
			rateReserve: settings.rateReserve,
			tolerance: settings.tolerance,
		},
		accepts(settings),
		anomalies,
		(part) => triggerItem(part, settings.includeRaw, settings.recovered),
	);
	anomalies.summarize();

	if (result.error !== undefined) {
		// A stuck listing passes like X being down: what was read is handed over, the next read waits.
		const info = xErrorInfo(result.error);
		const stuck = result.stoppedBy === 'stuck';
		const transient = info.transient === true || stuck;
		if (transient && (result.pages === 0 || stuck)) state.failingSinceMs ??= nowMs;
		if (stuck) ctx.logger.warn((result.error as Error).message, { nextReadAfter: new Date(state.waitUntilMs ?? nowMs).toISOString() });
		if (info.retryAtMs) state.rate = { remaining: 0, resetAt: Math.ceil(info.retryAtMs / 1000) };
		const failingTooLong = state.failingSinceMs !== undefined && nowMs - state.failingSinceMs > LOUD_AFTER_MS;
		if (manual || (result.parts.length === 0 && (!transient || failingTooLong))) {
			if (!manual) savePollState(staticData, state);
			throw result.error instanceof NodeApiError
				? result.error
				: new NodeOperationError(ctx.getNode(), result.error as Error, { description: (result.error as { description?: string }).description });
		}
	}
	if (result.pages > 0 && result.stoppedBy !== 'stuck') delete state.failingSinceMs;

	if (manual) {
		const sample = result.parts.slice(-SAMPLE_SIZE);
		if (sample.length === 0) {
			throw new NodeOperationError(ctx.getNode(), 'No matching feedback events in the last 7 days X serves', {
				description: `Nothing matched these settings between ${new Date(nowMs - SAMPLE_LOOKBACK_MS).toISOString()} and ${new Date(nowMs - settings.minEventAgeMs).toISOString()}. X serves events once they are ${settings.minEventAgeMs / HOUR} hours old.`,
			});
		}
		return sample;
	}

	savePollState(staticData, state);
	return result.parts;
}
