/**
 * Peak RSS growth of one task in a fresh process: the bench process has run other scenarios and V8
 * keeps the heap it grew, so growth measured there would read low. Forked by bench/memory.ts; the
 * task arrives as JSON in argv[2], the result goes back over IPC.
 *
 * Tasks: `drain` (the trigger drains the range through TriggerHarness, as the drain scenario does),
 * `report` and `reportFiles` (Get Report over the range through runNode).
 */
import type { BenchCredentials } from './emulatorChild';
import { collectGarbage, now } from './measure';

export interface ProbeTask {
	task: 'drain' | 'report' | 'reportFiles';
	baseUrl: string;
	credentials: BenchCredentials;
	fromMs: number;
	toMs: number;
	/** drain: stop once this many items came out. */
	parts?: number;
}

export interface ProbeResult {
	peakRssGrowthMb: number;
	baselineRssMb: number;
	/** Peak growth of V8's heap in use plus external memory (includes garbage not yet collected). */
	peakHeapGrowthMb: number;
	/** Heap in use after a full GC at the end, over the start: what the task keeps. */
	retainedHeapMb: number;
	ms: number;
	items: number;
}

async function main(): Promise<void> {
	const t = JSON.parse(process.argv[2]) as ProbeTask;
	// Load everything the task runs before the baseline.
	const { benchTrigger, pollOnce, triggerParameters } = await import('./triggerDriver');
	const { runNode } = await import('../test/harness/runNode');
	collectGarbage();
	const heap = () => {
		const m = process.memoryUsage();
		return m.heapUsed + m.external;
	};
	const base = process.memoryUsage.rss();
	const baseHeap = heap();
	let peak = base;
	let peakHeap = baseHeap;
	const sample = () => {
		peak = Math.max(peak, process.memoryUsage.rss());
		peakHeap = Math.max(peakHeap, heap());
	};
	const timer = setInterval(sample, 10);
	const t0 = now();
	let items = 0;
	const c = t.credentials;
	const creds = { baseUrl: t.baseUrl, consumerKey: c.consumerKey, consumerSecret: c.consumerSecret, accessToken: c.accessToken, accessTokenSecret: c.accessTokenSecret };
	if (t.task === 'drain') {
		const trigger = benchTrigger(t.baseUrl, c, triggerParameters(t.fromMs));
		for (let polls = 0, idle = 0; items < (t.parts ?? Infinity) && polls < 10_000 && idle < 3; polls++) {
			const out = await pollOnce(trigger);
			if (out.error) throw out.error;
			items += out.keys.length;
			idle = out.keys.length === 0 ? idle + 1 : 0;
		}
	} else {
		const result = await runNode({
			credentials: creds,
			parameters: {
				resource: 'feedback',
				operation: 'getReport',
				from: new Date(t.fromMs).toISOString(),
				to: new Date(t.toMs).toISOString(),
				files: t.task === 'reportFiles' ? ['csv', 'dashboard'] : [],
				options: { minEventAgeHours: 0, includeTest: true, groupBy: 'week' },
			},
		});
		if (result.error) throw result.error;
		items = result.items.length;
	}
	const ms = now() - t0;
	clearInterval(timer);
	sample();
	collectGarbage();
	const result: ProbeResult = {
		peakRssGrowthMb: (peak - base) / 2 ** 20,
		baselineRssMb: base / 2 ** 20,
		peakHeapGrowthMb: (peakHeap - baseHeap) / 2 ** 20,
		retainedHeapMb: (heap() - baseHeap) / 2 ** 20,
		ms,
		items,
	};
	process.send?.(result, () => process.exit(0));
}

main().catch((error) => {
	console.error('[bench memory probe]', error);
	process.exit(1);
});
