/**
 * Drain: the trigger reads a backlog of feedback events through a real PollContext, as many polls
 * as its item cap needs, in step with the floor client and the n8n floor paging the same range.
 * Also counts requests against the minimum, the saved state's size, peak RSS growth (in a fresh
 * process), and checks that every part came out once.
 */
import { seedBacklog, type Backlog } from '../backlog';
import type { EmulatorChild } from '../emulatorChild';
import { floorClient, floorReader } from '../floor';
import { n8nFloorReader } from '../n8nFloor';
import { probeMemory } from '../memory';
import { median, now, round, sleep } from '../measure';
import type { PollResult } from '../../test/harness/runTrigger';
import { benchTrigger, keysOf, pollOnce, storedBytes, triggerParameters } from '../triggerDriver';

export const EVENTS_ENDPOINT = 'GET /1.1/feedback/events.json';

export interface DrainRun {
	floorMs: number;
	n8nFloorMs: number;
	triggerMs: number;
	/** Trigger ÷ floor. */
	ratio: number;
	/** n8n floor ÷ floor: n8n-core's request path. */
	n8nRatio: number;
	/** Trigger ÷ n8n floor: what the product adds. */
	productRatio: number;
	/** The n8n floor reading each answer as a stream (as a size cap needs). */
	n8nStreamFloorMs: number;
	/** That ÷ the n8n floor: what reading answers as a stream costs in n8n's helper. */
	streamRatio: number;
	/** Trigger ÷ that stream floor: the product's own code. */
	productOverStreamRatio: number;
	triggerRequests: number;
	polls: number;
	items: number;
	stateBytes: number;
}

export interface DrainFigures {
	events: number;
	feedback: number;
	parts: number;
	minimumRequests: number;
	runs: DrainRun[];
	drainRatio: number;
	n8nFloorRatio: number;
	productOverN8nRatio: number;
	n8nStreamFloorRatio: number;
	productOverStreamFloorRatio: number;
	requestRatio: number;
	stateBytes: number;
	/** Saved state after a history a tenth as long at the same rate: close means independent of history. */
	stateBytesSmallHistory: number;
	smallHistoryEvents: number;
	/** Peak RSS growth of a whole drain in a fresh process (bench/memoryProbe.ts). */
	peakRssMb: number;
	/** V8 heap in use after a full GC at the end of the drain, over the start. */
	retainedHeapMb: number;
	memoryProbeCompiled: boolean;
	eventsPerSecond: number;
	floorEventsPerSecond: number;
	pollsPerDrain: number;
	allPartsOnce: boolean;
}

/** Speed runs: a window this short never limits the client, so rate limits do not shape the figures. */
const SPEED_WINDOW_MS = 50;

export async function waitForFinishedSecond(backlog: Backlog): Promise<void> {
	// The trigger reads only whole seconds that are over; the newest events are at most "now".
	const wait = backlog.toMs + 1100 - Date.now();
	if (wait > 0) await sleep(wait);
}

interface TriggerDrain {
	ms: number;
	polls: number;
	emitted: string[];
	stateBytes: number;
	error?: Error;
}

/** Polls back to back until every expected part came out (or a poll makes no progress). */
export async function drainWithTrigger(
	emu: EmulatorChild,
	backlog: Backlog,
	options: Record<string, unknown> = {},
	maxPolls = 10_000,
): Promise<TriggerDrain> {
	const trigger = benchTrigger(emu.baseUrl, emu.credentials, triggerParameters(backlog.fromMs - 1000, options));
	const emitted: string[] = [];
	const t0 = now();
	let polls = 0;
	let idle = 0;
	let error: Error | undefined;
	while (emitted.length < backlog.parts.size && polls < maxPolls) {
		const out = await pollOnce(trigger);
		polls++;
		if (out.error) {
			error = out.error;
			break;
		}
		for (const key of out.keys) emitted.push(key);
		idle = out.keys.length === 0 ? idle + 1 : 0;
		if (idle >= 3) break;
	}
	const ms = now() - t0;
	return { ms, polls, emitted, stateBytes: storedBytes(trigger), error };
}

export function checkOnce(emitted: string[], expected: Set<string>): { ok: boolean; missing: number; repeated: number; unexpected: number } {
	const seen = new Set<string>();
	let repeated = 0;
	let unexpected = 0;
	for (const key of emitted) {
		if (seen.has(key)) repeated++;
		seen.add(key);
		if (!expected.has(key)) unexpected++;
	}
	let missing = 0;
	for (const key of expected) if (!seen.has(key)) missing++;
	return { ok: missing === 0 && repeated === 0 && unexpected === 0, missing, repeated, unexpected };
}

async function eventsRequests(emu: EmulatorChild): Promise<number> {
	return (await emu.stats()).byEndpoint[EVENTS_ENDPOINT] ?? 0;
}

interface InterleavedDrain {
	triggerMs: number;
	floorMs: number;
	n8nFloorMs: number;
	n8nStreamFloorMs: number;
	triggerRequests: number;
	polls: number;
	emitted: string[];
	stateBytes: number;
}

/**
 * One drain by the trigger, with the floor and the n8n floor paging the same range in step: after
 * each poll, each floor reads as many pages as that poll did. Each floor still reads the whole range
 * once (the pages add up), but the three share the machine's noise poll by poll, which a run of one
 * after the other on a busy 2-core machine does not.
 */
async function interleavedDrain(emu: EmulatorChild, backlog: Backlog, fromMs: number, toMs: number): Promise<InterleavedDrain> {
	const trigger = benchTrigger(emu.baseUrl, emu.credentials, triggerParameters(fromMs));
	const client = floorClient(emu.baseUrl, emu.credentials);
	const floor = floorReader(client, fromMs, toMs);
	const n8n = n8nFloorReader(emu.baseUrl, emu.credentials, fromMs, toMs);
	const n8nStream = n8nFloorReader(emu.baseUrl, emu.credentials, fromMs, toMs, 'stream');
	const emitted: string[] = [];
	let triggerMs = 0;
	let floorMs = 0;
	let n8nFloorMs = 0;
	let n8nStreamFloorMs = 0;
	let triggerRequests = 0;
	let polls = 0;
	let idle = 0;
	const timed = async (fn: () => Promise<unknown>): Promise<number> => {
		const t0 = now();
		await fn();
		return now() - t0;
	};
	await emu.resetStats();
	while (emitted.length < backlog.parts.size && polls < 10_000) {
		const before = await eventsRequests(emu);
		let poll: PollResult | undefined;
		triggerMs += await timed(async () => (poll = await trigger.poll()));
		polls++;
		const out = keysOf(poll!);
		if (out.error) throw out.error;
		for (const key of out.keys) emitted.push(key);
		const pages = (await eventsRequests(emu)) - before;
		triggerRequests += pages;
		// The floors take turns going first.
		const floors = [
			async () => (floorMs += await timed(() => floor.read(pages))),
			async () => (n8nFloorMs += await timed(() => n8n.read(pages))),
			async () => (n8nStreamFloorMs += await timed(() => n8nStream.read(pages))),
		];
		for (let i = 0; i < floors.length; i++) await floors[(polls + i) % floors.length]();
		idle = out.keys.length === 0 ? idle + 1 : 0;
		if (idle >= 3) break;
	}
	// Only if the trigger needed fewer pages than the range has (it cannot, unless it lost some).
	floorMs += await timed(async () => {
		while (await floor.read(100));
	});
	n8nFloorMs += await timed(async () => {
		while (await n8n.read(100));
	});
	n8nStreamFloorMs += await timed(async () => {
		while (await n8nStream.read(100));
	});
	await client.close();
	if (floor.events !== backlog.events || n8n.events !== backlog.events || n8nStream.events !== backlog.events) {
		throw new Error(`the floors read ${floor.events}, ${n8n.events} and ${n8nStream.events} events of ${backlog.events}`);
	}
	return { triggerMs, floorMs, n8nFloorMs, n8nStreamFloorMs, triggerRequests, polls, emitted, stateBytes: storedBytes(trigger) };
}

export interface DrainOptions {
	events: number;
	runs: number;
	log: (line: string) => void;
}

export async function drainScenario(emu: EmulatorChild, opts: DrainOptions): Promise<DrainFigures> {
	// State size after a history a tenth as long first: a tenth of the events over a tenth of the
	// 30 days, so feedback comes in at the same rate (the state holds the parts of the last 6 hours).
	const small = await seedBacklog(emu, Math.max(1000, Math.round(opts.events / 10)), { minEventAgeMs: 0, rateWindowMs: SPEED_WINDOW_MS }, { spanDays: 3 });
	await waitForFinishedSecond(small);
	const smallDrain = await drainWithTrigger(emu, small);
	if (smallDrain.error) throw smallDrain.error;
	if (!checkOnce(smallDrain.emitted, small.parts).ok) throw new Error('the small-history drain did not emit every part once');

	const backlog = await seedBacklog(emu, opts.events, { minEventAgeMs: 0, rateWindowMs: SPEED_WINDOW_MS });
	await waitForFinishedSecond(backlog);
	const minimumRequests = Math.max(1, Math.ceil(backlog.events / 100));
	const fromMs = backlog.fromMs - 1000;
	const toMs = Math.floor(Date.now() / 1000) * 1000 - 1;
	opts.log(`drain: ${backlog.events} events, ${backlog.feedback} feedback requests, ${backlog.parts.size} parts, minimum ${minimumRequests} requests`);

	// Warm-up (JIT, module code paths): a slice of the backlog with each client.
	{
		const client = floorClient(emu.baseUrl, emu.credentials);
		await floorReader(client, fromMs, toMs).read(Math.ceil(minimumRequests / 10));
		await client.close();
		await n8nFloorReader(emu.baseUrl, emu.credentials, fromMs, toMs).read(Math.ceil(minimumRequests / 10));
		await n8nFloorReader(emu.baseUrl, emu.credentials, fromMs, toMs, 'stream').read(Math.ceil(minimumRequests / 10));
		await drainWithTrigger(emu, { ...backlog, parts: new Set([...backlog.parts].slice(0, Math.ceil(backlog.parts.size / 10))) });
	}

	const runs: DrainRun[] = [];
	let allPartsOnce = true;
	for (let run = 0; run < opts.runs; run++) {
		const d = await interleavedDrain(emu, backlog, fromMs, toMs);
		const check = checkOnce(d.emitted, backlog.parts);
		if (!check.ok) {
			allPartsOnce = false;
			opts.log(`drain run ${run + 1}: NOT every part once: ${JSON.stringify(check)}`);
		}
		const r: DrainRun = {
			floorMs: round(d.floorMs, 1),
			n8nFloorMs: round(d.n8nFloorMs, 1),
			triggerMs: round(d.triggerMs, 1),
			ratio: round(d.triggerMs / d.floorMs, 3),
			n8nRatio: round(d.n8nFloorMs / d.floorMs, 3),
			productRatio: round(d.triggerMs / d.n8nFloorMs, 3),
			n8nStreamFloorMs: round(d.n8nStreamFloorMs, 1),
			streamRatio: round(d.n8nStreamFloorMs / d.n8nFloorMs, 3),
			productOverStreamRatio: round(d.triggerMs / d.n8nStreamFloorMs, 3),
			triggerRequests: d.triggerRequests,
			polls: d.polls,
			items: d.emitted.length,
			stateBytes: d.stateBytes,
		};
		runs.push(r);
		opts.log(
			`drain run ${run + 1}/${opts.runs}: floor ${r.floorMs} ms, n8n floor ${r.n8nFloorMs} ms (as a stream ${r.n8nStreamFloorMs} ms), trigger ${r.triggerMs} ms ` +
				`(x${r.ratio} floor, x${r.productRatio} n8n floor), ${r.triggerRequests} requests, ${r.polls} polls, state ${r.stateBytes} B`,
		);
	}
	// Peak RSS growth of a whole drain, each in a fresh process (see bench/memoryProbe.ts).
	const memory: number[] = [];
	const retained: number[] = [];
	let compiled = true;
	for (let i = 0; i < Math.min(opts.runs, 3); i++) {
		const probe = await probeMemory({ task: 'drain', baseUrl: emu.baseUrl, credentials: emu.credentials, fromMs, toMs, parts: backlog.parts.size });
		if (probe.items !== backlog.parts.size) throw new Error(`the memory probe's drain emitted ${probe.items} items of ${backlog.parts.size}`);
		memory.push(probe.peakRssGrowthMb);
		retained.push(probe.retainedHeapMb);
		compiled &&= probe.compiled;
	}
	opts.log(`drain memory: peak RSS growth ${memory.map((m) => round(m, 1)).join(', ')} MiB, heap kept after GC ${retained.map((m) => round(m, 1)).join(', ')} MiB${compiled ? '' : ' (probe under ts-node)'}`);
	const triggerMs = median(runs.map((r) => r.triggerMs));
	const floorMs = median(runs.map((r) => r.floorMs));
	return {
		events: backlog.events,
		feedback: backlog.feedback,
		parts: backlog.parts.size,
		minimumRequests,
		runs,
		drainRatio: round(median(runs.map((r) => r.ratio)), 3),
		n8nFloorRatio: round(median(runs.map((r) => r.n8nRatio)), 3),
		productOverN8nRatio: round(median(runs.map((r) => r.productRatio)), 3),
		n8nStreamFloorRatio: round(median(runs.map((r) => r.streamRatio)), 3),
		productOverStreamFloorRatio: round(median(runs.map((r) => r.productOverStreamRatio)), 3),
		requestRatio: round(median(runs.map((r) => r.triggerRequests)) / minimumRequests, 3),
		stateBytes: Math.max(...runs.map((r) => r.stateBytes)),
		stateBytesSmallHistory: smallDrain.stateBytes,
		smallHistoryEvents: small.events,
		peakRssMb: round(median(memory), 1),
		retainedHeapMb: round(median(retained), 1),
		memoryProbeCompiled: compiled,
		eventsPerSecond: Math.round(backlog.events / (triggerMs / 1000)),
		floorEventsPerSecond: Math.round(backlog.events / (floorMs / 1000)),
		pollsPerDrain: median(runs.map((r) => r.polls)),
		allPartsOnce,
	};
}
