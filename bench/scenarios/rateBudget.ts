/**
 * Rate budget: a backlog that needs several rate-limit windows, polled on a schedule (every
 * window/4, as n8n's cron would; a tick that comes while a poll still runs is skipped). Measures the
 * share of each window's 1,000 calls the trigger used (it leaves `rateReserve`, default 10), the
 * 429s it met, and that every part came out once.
 *
 * The rate limit only binds when the item cap does not: with 100-event pages and the default cap
 * of 1,000 items a poll reads about 13 pages. So X serves short pages here (maxPageSize) and the
 * cap is raised, as a user catching up on a backlog would.
 */
import { seedBacklog } from '../backlog';
import type { EmulatorChild } from '../emulatorChild';
import type { WindowUsage } from '../emulatorProcess';
import { median, now, round, sleep } from '../measure';
import { benchTrigger, pollOnce, triggerParameters } from '../triggerDriver';
import { checkOnce, EVENTS_ENDPOINT, waitForFinishedSecond } from './drain';

export interface RateOptions {
	windowMs: number;
	/** How many windows' worth of pages the backlog needs. */
	windows: number;
	pageSize: number;
	maxItems: number;
	rateReserve?: number;
	log: (line: string) => void;
}

export interface RateFigures {
	windowMs: number;
	pollEveryMs: number;
	pageSize: number;
	maxItems: number;
	rateReserve: number;
	events: number;
	requests: number;
	polls: number;
	/** Windows that ran while the backlog was not yet read (the last one is left out). */
	fullWindows: Array<{ used: number; limit: number; share: number }>;
	budgetShare: number;
	budgetShareMin: number;
	/** Calls made ÷ calls the limit allowed over the whole time from first to last call. */
	budgetThroughputShare: number;
	rateLimited429: number;
	allPartsOnce: boolean;
	missing: number;
	repeated: number;
	elapsedMs: number;
}

const LIMIT = 1000;

export async function rateBudgetScenario(emu: EmulatorChild, opts: RateOptions): Promise<RateFigures> {
	const reserve = opts.rateReserve ?? 10;
	const pagesNeeded = Math.round(opts.windows * (LIMIT - reserve));
	const backlog = await seedBacklog(emu, pagesNeeded * opts.pageSize, {
		minEventAgeMs: 0,
		rateWindowMs: opts.windowMs,
		maxPageSize: opts.pageSize,
	});
	await waitForFinishedSecond(backlog);
	await emu.resetStats();
	await emu.windows(); // forget the windows of seeding-time calls (none are expected)
	const pollEveryMs = Math.round(opts.windowMs / 4);
	opts.log(`rate: ${backlog.events} events in pages of ${opts.pageSize}, window ${opts.windowMs} ms, a poll every ${pollEveryMs} ms, max items ${opts.maxItems}`);

	const trigger = benchTrigger(
		emu.baseUrl,
		emu.credentials,
		triggerParameters(backlog.fromMs - 1000, { maxItems: opts.maxItems, ...(opts.rateReserve !== undefined ? { rateReserve: opts.rateReserve } : {}) }),
	);
	const emitted: string[] = [];
	const t0 = now();
	let polls = 0;
	let idle = 0;
	let tick = 0;
	const deadline = t0 + (opts.windows + 3) * opts.windowMs * 3;
	while (emitted.length < backlog.parts.size && now() < deadline) {
		const out = await pollOnce(trigger);
		polls++;
		if (out.error) throw out.error;
		for (const key of out.keys) emitted.push(key);
		const state = trigger.nodeState()?.pollState as { range?: unknown } | undefined;
		idle = out.keys.length === 0 && !state?.range ? idle + 1 : 0;
		if (idle >= 3) break;
		// The next cron tick that is not in the past (ticks while a poll ran are skipped).
		const elapsed = now() - t0;
		tick = Math.max(tick + 1, Math.ceil(elapsed / pollEveryMs));
		await sleep(t0 + tick * pollEveryMs - now());
	}
	const elapsedMs = now() - t0;
	const stats = await emu.stats();
	const windows = (await emu.windows()).filter((w: WindowUsage) => w.key.startsWith('feedbackEvents:')).sort((a, b) => a.resetAt - b.resetAt);
	const full = windows.slice(0, -1).map((w) => ({ used: w.used, limit: w.limit, share: round(w.used / w.limit, 3) }));
	const requests = stats.byEndpoint[EVENTS_ENDPOINT] ?? 0;
	const spanMs = windows.length ? windows[windows.length - 1].lastAt - windows[0].firstAt : 0;
	const check = checkOnce(emitted, backlog.parts);
	for (const [i, w] of windows.entries()) opts.log(`rate window ${i + 1}: ${w.used}/${w.limit} calls, ${w.refused} refused`);
	return {
		windowMs: opts.windowMs,
		pollEveryMs,
		pageSize: opts.pageSize,
		maxItems: opts.maxItems,
		rateReserve: reserve,
		events: backlog.events,
		requests,
		polls,
		fullWindows: full,
		budgetShare: full.length ? round(median(full.map((w) => w.share)), 3) : NaN,
		budgetShareMin: full.length ? Math.min(...full.map((w) => w.share)) : NaN,
		budgetThroughputShare: spanMs > 0 ? round(requests / (LIMIT * (spanMs / opts.windowMs)), 3) : NaN,
		rateLimited429: stats.byStatus['429'] ?? 0,
		allPartsOnce: check.ok,
		missing: check.missing,
		repeated: check.repeated,
		elapsedMs: Math.round(elapsedMs),
	};
}
