/**
 * Emulator: events pages per second it serves to the signed client at a given concurrency (each
 * worker walks its own slice of the backlog by cursor), and how busy its process was meanwhile.
 * On a 2-core machine the client competes with it, so the busy share says how far from its own
 * limit the server was.
 */
import type { Backlog } from '../backlog';
import type { EmulatorChild } from '../emulatorChild';
import { floorClient } from '../floor';
import { now, round } from '../measure';

export interface ThroughputFigures {
	concurrency: number;
	seconds: number;
	pages: number;
	eventsPerPage: number;
	pagesPerSecond: number;
	eventsPerSecond: number;
	/** Emulator CPU time ÷ wall time (1 = one core fully busy). */
	emulatorBusyShare: number;
	/** Pages per second if the emulator had one core to itself: pagesPerSecond ÷ emulatorBusyShare. */
	emulatorCapacityPagesPerSecond: number;
}

export async function throughputScenario(emu: EmulatorChild, backlog: Backlog, opts: { seconds: number; concurrency: number }): Promise<ThroughputFigures> {
	await emu.configure({ rateWindowMs: 10 }); // 1,000 calls per 10 ms: never the limit here
	const client = floorClient(emu.baseUrl, emu.credentials, opts.concurrency);
	const toMs = Math.floor(Date.now() / 1000) * 1000 - 1;
	const span = toMs - backlog.fromMs;
	let pages = 0;
	let events = 0;
	const cpu0 = await emu.cpuMs();
	const t0 = now();
	const until = t0 + opts.seconds * 1000;
	await Promise.all(
		Array.from({ length: opts.concurrency }, async (_, w) => {
			const from = backlog.fromMs + Math.floor((span * w) / opts.concurrency);
			const to = backlog.fromMs + Math.floor((span * (w + 1)) / opts.concurrency) - 1;
			let cursor: string | undefined;
			while (now() < until) {
				const res = await client.get('/1.1/feedback/events.json', { from_time: from, to_time: to, count: 100, ...(cursor ? { cursor } : {}) });
				if (res.status !== 200) throw new Error(`throughput: events page answered ${res.status}`);
				pages++;
				events += res.body.events.length;
				cursor = res.body.next_cursor || undefined;
			}
		}),
	);
	const ms = now() - t0;
	const busy = ((await emu.cpuMs()) - cpu0) / ms;
	await client.close();
	const pagesPerSecond = pages / (ms / 1000);
	return {
		concurrency: opts.concurrency,
		seconds: round(ms / 1000, 2),
		pages,
		eventsPerPage: round(events / pages, 1),
		pagesPerSecond: Math.round(pagesPerSecond),
		eventsPerSecond: Math.round(events / (ms / 1000)),
		emulatorBusyShare: round(busy, 2),
		emulatorCapacityPagesPerSecond: Math.round(pagesPerSecond / Math.max(busy, 0.01)),
	};
}
