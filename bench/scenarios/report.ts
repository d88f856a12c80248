/**
 * Report: Feedback → Get Report over the whole backlog through WorkflowExecute (runNode), figures
 * only and with both files (CSV rows grow with the data; figures and dashboard do not), against the
 * floor client paging the same range. Runs alternate with the floor; the ratio is the median of the
 * per-run ratios.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { DEFAULT_TOLERANCE } from '../../nodes/shared/feedbackLog/announcements';
import { runNode } from '../../test/harness/runNode';
import type { Backlog } from '../backlog';
import type { EmulatorChild } from '../emulatorChild';
import { floorClient, floorDrain } from '../floor';
import { probeMemory } from '../memory';
import { median, now, round } from '../measure';
import { EVENTS_ENDPOINT } from './drain';

export interface ReportRun {
	floorMs: number;
	figuresMs: number;
	filesMs: number;
}

export interface ReportFigures {
	events: number;
	runs: ReportRun[];
	/** Get Report (figures only) ÷ the floor paging the same range. */
	reportRatio: number;
	/** Get Report with the CSV and the dashboard ÷ the floor. */
	reportWithFilesRatio: number;
	/** Peak RSS growth in a fresh process (bench/memoryProbe.ts). */
	reportPeakRssMb: number;
	reportWithFilesPeakRssMb: number;
	/** V8 heap in use after a full GC once the report is done, over the start. */
	reportRetainedHeapMb: number;
	reportWithFilesRetainedHeapMb: number;
	reportRequests: number;
	floorRequests: number;
	requestsSent: number;
	csvBytes: number;
	dashboardBytes: number;
}

function reportParameters(fromMs: number, toMs: number, files: string[]): INodeParameters {
	return {
		resource: 'feedback',
		operation: 'getReport',
		from: new Date(fromMs).toISOString(),
		to: new Date(toMs).toISOString(),
		files,
		options: { minEventAgeHours: 0, includeTest: true, groupBy: 'week' },
	} as INodeParameters;
}

async function reportRun(emu: EmulatorChild, fromMs: number, toMs: number, files: string[]) {
	const c = emu.credentials;
	const t0 = now();
	const result = await runNode({
		credentials: { baseUrl: emu.baseUrl, consumerKey: c.consumerKey, consumerSecret: c.consumerSecret, accessToken: c.accessToken, accessTokenSecret: c.accessTokenSecret },
		parameters: reportParameters(fromMs, toMs, files),
	});
	const ms = now() - t0;
	if (result.error) throw result.error;
	const item = result.items[0];
	return { ms, json: item.json as IDataObject, binary: item.binary };
}

export async function reportScenario(emu: EmulatorChild, backlog: Backlog, opts: { runs: number; log: (line: string) => void }): Promise<ReportFigures> {
	const fromMs = backlog.fromMs - 1000;
	// To the newest second X serves: Get Report reads up to there (To plus its tolerance, capped), and
	// from its tolerance before From.
	const toMs = Math.floor(Date.now() / 1000) * 1000 - 1;
	const floorRange = { fromMs: fromMs - DEFAULT_TOLERANCE.beforeMs, toMs };
	const floor = async () => {
		const client = floorClient(emu.baseUrl, emu.credentials);
		const t0 = now();
		const read = await floorDrain(client, floorRange.fromMs, floorRange.toMs);
		const ms = now() - t0;
		await client.close();
		return { ms, read };
	};
	await floor(); // warm-up
	const warm = await reportRun(emu, fromMs, toMs, ['csv', 'dashboard']);

	const runs: ReportRun[] = [];
	let reportRequests = 0;
	let floorRequests = 0;
	for (let run = 0; run < opts.runs; run++) {
		await emu.resetStats();
		const f = await floor();
		floorRequests = (await emu.stats()).byEndpoint[EVENTS_ENDPOINT] ?? 0;
		await emu.resetStats();
		const figures = await reportRun(emu, fromMs, toMs, []);
		reportRequests = (await emu.stats()).byEndpoint[EVENTS_ENDPOINT] ?? 0;
		const withFiles = await reportRun(emu, fromMs, toMs, ['csv', 'dashboard']);
		const r: ReportRun = { floorMs: round(f.ms, 1), figuresMs: round(figures.ms, 1), filesMs: round(withFiles.ms, 1) };
		runs.push(r);
		opts.log(`report run ${run + 1}/${opts.runs}: floor ${r.floorMs} ms, figures ${r.figuresMs} ms, with files ${r.filesMs} ms`);
	}
	// Peak RSS growth, each in a fresh process (see bench/memoryProbe.ts).
	const figuresRss: number[] = [];
	const filesRss: number[] = [];
	const figuresKept: number[] = [];
	const filesKept: number[] = [];
	for (let i = 0; i < Math.min(opts.runs, 3); i++) {
		const task = { baseUrl: emu.baseUrl, credentials: emu.credentials, fromMs, toMs };
		const figures = await probeMemory({ ...task, task: 'report' });
		const files = await probeMemory({ ...task, task: 'reportFiles' });
		figuresRss.push(figures.peakRssGrowthMb);
		filesRss.push(files.peakRssGrowthMb);
		figuresKept.push(figures.retainedHeapMb);
		filesKept.push(files.retainedHeapMb);
	}
	opts.log(`report memory: peak RSS growth ${figuresRss.map((m) => round(m, 1)).join(', ')} MiB, with files ${filesRss.map((m) => round(m, 1)).join(', ')} MiB`);
	return {
		events: backlog.events,
		runs,
		reportRatio: round(median(runs.map((r) => r.figuresMs / r.floorMs)), 3),
		reportWithFilesRatio: round(median(runs.map((r) => r.filesMs / r.floorMs)), 3),
		reportPeakRssMb: round(median(figuresRss), 1),
		reportWithFilesPeakRssMb: round(median(filesRss), 1),
		reportRetainedHeapMb: round(median(figuresKept), 1),
		reportWithFilesRetainedHeapMb: round(median(filesKept), 1),
		reportRequests,
		floorRequests,
		requestsSent: Number(warm.json.requestsSent ?? NaN),
		csvBytes: Number(warm.binary?.csv?.fileSize ?? 0) || Buffer.byteLength(warm.binary?.csv?.data ?? '', 'base64'),
		dashboardBytes: Number(warm.binary?.dashboard?.fileSize ?? 0) || Buffer.byteLength(warm.binary?.dashboard?.data ?? '', 'base64'),
	};
}
