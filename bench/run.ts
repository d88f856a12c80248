/**
 * npm run bench: the package's figures against the emulator (in a child process) on loopback.
 * Prints a table and writes bench/results.json (and bench/results.md, the table for BENCHMARKS.md).
 *
 * Sizes come from flags or environment variables (flags win):
 *   --quick                      small sizes for a smoke run (about a minute)
 *   --events=N      BENCH_EVENTS        backlog for drain and report (default 100000)
 *   --runs=N        BENCH_RUNS          repetitions of each timed figure; medians reported (default 5)
 *   --send-items=N  BENCH_SEND_ITEMS    items through Send Request (default 1000)
 *   --rate-window-ms=N  BENCH_RATE_WINDOW_MS  shortened rate-limit window (default 6000)
 *   --rate-windows=N    BENCH_RATE_WINDOWS    backlog size in windows of calls (default 3.5)
 *   --rate-page-size=N  BENCH_RATE_PAGE_SIZE  events per page X serves in the rate scenario (default 10)
 *   --rate-max-items=N  BENCH_RATE_MAX_ITEMS  the trigger's Max Items per Poll there (default 10000)
 *   --throughput-seconds=N  BENCH_THROUGHPUT_SECONDS (default 5)
 *   --only=drain,rate,send,report,emulator  BENCH_ONLY
 *   --out=PATH      BENCH_OUT           results file (default bench/results.json)
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

import { seedBacklog } from './backlog';
import { forkEmulator } from './emulatorChild';
import { machine, round } from './measure';
import { resultsTable } from './table';
import { drainScenario, waitForFinishedSecond, type DrainFigures } from './scenarios/drain';
import { throughputScenario, type ThroughputFigures } from './scenarios/emulatorThroughput';
import { rateBudgetScenario, type RateFigures } from './scenarios/rateBudget';
import { reportScenario, type ReportFigures } from './scenarios/report';
import { sendScenario, type SendFigures } from './scenarios/send';

const SCENARIOS = ['drain', 'rate', 'send', 'report', 'emulator'] as const;
type Scenario = (typeof SCENARIOS)[number];

export interface BenchConfig {
	events: number;
	runs: number;
	sendItems: number;
	rateWindowMs: number;
	rateWindows: number;
	ratePageSize: number;
	rateMaxItems: number;
	throughputSeconds: number;
	only: Scenario[];
	out: string;
	quick: boolean;
}

function readConfig(argv: string[]): BenchConfig {
	const flags = new Map<string, string>();
	for (const arg of argv) {
		const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
		if (!m) throw new Error(`unknown argument ${arg} (see the top of bench/run.ts)`);
		flags.set(m[1], m[2] ?? 'true');
	}
	const quick = flags.get('quick') === 'true' || process.env.BENCH_QUICK === '1';
	const num = (flag: string, env: string, full: number, small: number): number => {
		const raw = flags.get(flag) ?? process.env[env];
		const value = raw === undefined ? (quick ? small : full) : Number(raw);
		if (!Number.isFinite(value) || value <= 0) throw new Error(`--${flag} / ${env} must be a positive number`);
		return value;
	};
	const onlyRaw = flags.get('only') ?? process.env.BENCH_ONLY;
	const only = onlyRaw ? (onlyRaw.split(',').map((s) => s.trim()) as Scenario[]) : [...SCENARIOS];
	for (const s of only) if (!SCENARIOS.includes(s)) throw new Error(`--only: unknown scenario ${s} (${SCENARIOS.join(', ')})`);
	return {
		quick,
		events: Math.round(num('events', 'BENCH_EVENTS', 100_000, 10_000)),
		runs: Math.round(num('runs', 'BENCH_RUNS', 5, 3)),
		sendItems: Math.round(num('send-items', 'BENCH_SEND_ITEMS', 1000, 200)),
		rateWindowMs: Math.round(num('rate-window-ms', 'BENCH_RATE_WINDOW_MS', 6000, 4000)),
		rateWindows: num('rate-windows', 'BENCH_RATE_WINDOWS', 3.5, 2.5),
		ratePageSize: Math.round(num('rate-page-size', 'BENCH_RATE_PAGE_SIZE', 10, 10)),
		rateMaxItems: Math.round(num('rate-max-items', 'BENCH_RATE_MAX_ITEMS', 10_000, 10_000)),
		throughputSeconds: num('throughput-seconds', 'BENCH_THROUGHPUT_SECONDS', 5, 2),
		only,
		out: flags.get('out') ?? process.env.BENCH_OUT ?? join(__dirname, 'results.json'),
	};
}

export interface BenchResults {
	machine: ReturnType<typeof machine> & { loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
	config: BenchConfig;
	startedAt: string;
	durationSeconds: number;
	drainRatio?: number;
	requestRatio?: number;
	stateBytes?: number;
	budgetShare?: number;
	peakRssMb?: number;
	eventsPerSecond?: number;
	sendTimeRatioWithCheck?: number;
	sendTimeRatioWithoutCheck?: number;
	sendRequestsPerItemWithCheck?: number;
	sendRequestsPerItemWithoutCheck?: number;
	reportRatio?: number;
	reportPeakRssMb?: number;
	emulatorPagesPerSecond?: number;
	drain?: DrainFigures;
	rate?: RateFigures;
	send?: SendFigures;
	report?: ReportFigures;
	emulator?: ThroughputFigures;
}

async function main(): Promise<void> {
	const config = readConfig(process.argv.slice(2));
	const log = (line: string) => process.stderr.write(`${line}\n`);
	const started = Date.now();
	const results: BenchResults = {
		machine: { ...machine(), loadAverageAtStart: loadavg().map((l) => round(l, 2)), loadAverageAtEnd: [] },
		config,
		startedAt: new Date(started).toISOString(),
		durationSeconds: 0,
	};
	log(`bench: ${JSON.stringify(results.machine)}`);
	log(`bench: ${JSON.stringify({ ...config, out: undefined })}`);
	const emu = await forkEmulator({ minEventAgeMs: 0 });
	try {
		const has = (s: Scenario) => config.only.includes(s);
		if (has('drain')) {
			const d = await drainScenario(emu, { events: config.events, runs: config.runs, log });
			Object.assign(results, {
				drain: d,
				drainRatio: d.drainRatio,
				requestRatio: d.requestRatio,
				stateBytes: d.stateBytes,
				peakRssMb: d.peakRssMb,
				eventsPerSecond: d.eventsPerSecond,
			});
		}
		if (has('rate')) {
			const r = await rateBudgetScenario(emu, {
				windowMs: config.rateWindowMs,
				windows: config.rateWindows,
				pageSize: config.ratePageSize,
				maxItems: config.rateMaxItems,
				log,
			});
			Object.assign(results, { rate: r, budgetShare: r.budgetShare });
		}
		if (has('send')) {
			const s = await sendScenario(emu, { items: config.sendItems, runs: config.runs, log });
			Object.assign(results, {
				send: s,
				sendTimeRatioWithCheck: s.timeRatioWithCheck,
				sendTimeRatioWithoutCheck: s.timeRatioWithoutCheck,
				sendRequestsPerItemWithCheck: s.requestsPerItemWithCheck,
				sendRequestsPerItemWithoutCheck: s.requestsPerItemWithoutCheck,
			});
		}
		if (has('report') || has('emulator')) {
			const backlog = await seedBacklog(emu, config.events, { minEventAgeMs: 0, rateWindowMs: 50 });
			await waitForFinishedSecond(backlog);
			if (has('report')) {
				const r = await reportScenario(emu, backlog, { runs: config.runs, log });
				Object.assign(results, { report: r, reportRatio: r.reportRatio, reportPeakRssMb: r.reportPeakRssMb });
			}
			if (has('emulator')) {
				const t = await throughputScenario(emu, backlog, { seconds: config.throughputSeconds, concurrency: 16 });
				Object.assign(results, { emulator: t, emulatorPagesPerSecond: t.pagesPerSecond });
			}
		}
	} finally {
		await emu.close();
	}
	results.machine.loadAverageAtEnd = loadavg().map((l) => round(l, 2));
	results.durationSeconds = round((Date.now() - started) / 1000, 1);
	writeFileSync(config.out, `${JSON.stringify(results, null, '\t')}\n`);
	const table = resultsTable(results);
	writeFileSync(config.out.replace(/\.json$/, '.md'), table);
	process.stdout.write(`${table}\nwritten: ${config.out}\n`);
	// Speed figures are reported, not enforced; correctness is: a lost or repeated item fails the run.
	const broken = [
		results.drain && !results.drain.allPartsOnce && 'drain: not every part once',
		results.rate && !results.rate.allPartsOnce && 'rate: not every part once',
		results.rate && results.rate.rateLimited429 > 0 && 'rate: 429s received',
		results.send && !results.send.allSentOnce && 'send: not every item sent once',
	].filter(Boolean);
	if (broken.length) {
		process.stderr.write(`bench: correctness failed: ${broken.join('; ')}\n`);
		process.exitCode = 1;
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
