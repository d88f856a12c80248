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
import type { PartRefs } from './deliveryLedger';
import { announcedParts, createAnnouncer } from '../shared/feedbackLog/announcements';
import { createEventReader } from '../shared/feedbackLog/eventReader';
import { partKey, type FeedbackPart } from '../shared/feedbackLog/parts';
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

/** The item of a part, as this trigger's settings make it: the same on the first read and on a re-read. */
const itemMaker = (settings: TriggerSettings) => (part: FeedbackPart) => triggerItem(part, settings.includeRaw, settings.recovered);

function pageFetcher(ctx: ITriggerFunctions): PageFetcher {
	return async (req) => {
		const res = await listFeedbackEvents(ctx, req, undefined, { backoffMs: 250 });
		return { page: res.body, rateLimit: res.rateLimit };
	};
}

export interface NewItems {
	items: IDataObject[];
	/** Where X gives these items again (the ledger saves these, not the items); absent when there are none. */
	refs?: PartRefs;
}

/**
 * The item bodies of the parts read since the saved cursor; the advanced cursor is in the node's
 * static data when this returns (the emit that follows saves it). Throws the errors to report.
 */
export async function readNewItems(
	ctx: ITriggerFunctions,
	settings: TriggerSettings,
	manual: boolean,
	budgetMs: number,
): Promise<NewItems> {
	const startedAt = Date.now();
	forgetCredentials(ctx);
	const fetchPage = pageFetcher(ctx);
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
		itemMaker(settings),
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
		return { items: sample };
	}

	savePollState(staticData, state);
	const span = result.eventSpan;
	if (!span || result.parts.length === 0) return { items: result.parts };
	return { items: result.parts, refs: { keys: result.keys, fromMs: span.fromMs, toMs: span.toMs } };
}

export interface RereadItems {
	items: IDataObject[];
	/** Keys of the parts X no longer listed where they were. */
	missing: string[];
}

/**
 * The items of a batch that was in flight when n8n restarted, read again from X: the events stamped
 * in the batch's span, through an announcer of its own, so each part comes from the first event that
 * carries it, as in the drain. What X said wrong about these events was logged on the first read: the
 * announcer counts nothing. Throws what X answers wrong (the caller tries again at the next poll).
 */
export async function rereadItems(ctx: ITriggerFunctions, settings: TriggerSettings, refs: PartRefs): Promise<RereadItems> {
	forgetCredentials(ctx);
	const anomalies = loggedAnomalies(ctx);
	const wanted = new Set(refs.keys);
	const found = new Map<string, IDataObject>();
	const toItem = itemMaker(settings);
	const announcer = createAnnouncer(-Infinity);
	const reader = createEventReader(pageFetcher(ctx), { fromMs: refs.fromMs, toMs: refs.toMs }, { anomalies, rateReserve: settings.rateReserve });
	try {
		for (;;) {
			const page = await reader.next();
			for (const { event, atMs } of page.events) {
				for (const part of announcedParts(announcer, event, atMs)) {
					const key = partKey(part);
					if (wanted.has(key)) found.set(key, toItem(part));
				}
			}
			if (page.next === undefined || found.size === wanted.size) break;
		}
	} finally {
		anomalies.summarize();
	}
	// In the batch's order, which is the order the drain read them in.
	const items: IDataObject[] = [];
	const missing: string[] = [];
	for (const key of wanted) {
		const item = found.get(key);
		if (item) items.push(item);
		else missing.push(key);
	}
	return { items, missing };
}
