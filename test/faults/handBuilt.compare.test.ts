/**
 * The comparison a user makes before installing: what they would build by hand in n8n instead
 * (Schedule Trigger every hour, HTTP Request paging feedback/events, a Code node remembering the
 * last read time and the last 1,000 part keys in static data), beside the trigger, through the same
 * fault histories against the same emulator. Counted per history: parts lost, parts repeated without
 * a flag, flagged re-deliveries, calls to feedback/events.
 *
 * The hand-built workflow is a model of how n8n runs those nodes (n8n 2.41.1, read from its
 * published code): HTTP Request's pagination with "complete when" `{{ !$response.body.next_cursor }}`
 * and no Retry On Fail (the defaults); the execution's copy of static data saved when it ends,
 * whatever its status (execution-lifecycle-hooks.js, workflowExecuteAfter), and not at all when the
 * worker dies. COMPARE_TABLE=1 prints the table for BENCHMARKS.md.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { createSignedClient } from '../../emulator/client';
import type { Execution, ExecutionEnd } from '../harness/runTrigger';
import { advance, FaultWorld, keysOf, quietN8nLogger, shortenClientTimeout, T0, useFakeDate, type PartKey } from './faultWorld';

jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: async () => {} }));

const HOUR = 3_600_000;
const FEEDBACK = 60;
const POLLS = 6;
const START_FROM = T0 - 5 * HOUR;
const SEEN_CAP = 1_000;

/** What happens to the execution a poll starts: how n8n ends it, and how much reached the sink first. */
type Fate = { end: ExecutionEnd; sinkShare: number };
const OK: Fate = { end: 'success', sinkShare: 1 };
const WORKER_DIES: Fate = { end: 'lost', sinkShare: 0.5 };
const SINK_FAILS: Fate = { end: 'nodeError', sinkShare: 0 };

interface History {
	name: string;
	/** The fate of the nth execution (0-based) the workflow starts. */
	fate: (n: number) => Fate;
	/** Emulator faults armed before the first poll: [after N events requests, fault]. */
	faults?: Array<[number, { kind: string; count?: number; status?: number; xCode?: number }]>;
	triggerOptions?: IDataObject;
}

const HISTORIES: History[] = [
	{ name: 'no fault', fate: () => OK },
	{ name: 'a worker dies mid-execution (half its items reached the sink)', fate: (n) => (n === 0 ? WORKER_DIES : OK) },
	{ name: 'a downstream node fails once (the sink is down)', fate: (n) => (n === 0 ? SINK_FAILS : OK), triggerOptions: { redeliverFailed: 3 } },
	{ name: 'X answers 503 twice in the middle of a listing', fate: () => OK, faults: [[1, { kind: 'status', status: 503, xCode: 130, count: 2 }]] },
	{ name: 'X sends 3 empty pages with fresh cursors', fate: () => OK, faults: [[1, { kind: 'emptyPage', count: 3 }]] },
];

interface Tally {
	lost: number;
	unflagged: number;
	flagged: number;
	requests: number;
}

function tally(delivered: Array<{ key: PartKey; attempt: number }>, expected: Set<PartKey>, requests: number): Tally {
	const seen = new Set<PartKey>();
	let unflagged = 0;
	let flagged = 0;
	for (const { key, attempt } of delivered) {
		if (seen.has(key)) {
			if (attempt > 1) flagged++;
			else unflagged++;
		}
		seen.add(key);
	}
	return { lost: [...expected].filter((k) => !seen.has(k)).length, unflagged, flagged, requests };
}

/** The workflow a user builds by hand, run as n8n runs it. */
class HandBuilt {
	private saved: { lastTo?: number; seen: string[] } = { seen: [] };
	readonly sink: Array<{ key: PartKey; attempt: number }> = [];
	executions = 0;

	constructor(private readonly w: FaultWorld) {}

	/** One Schedule Trigger execution. */
	async run(fate: Fate): Promise<void> {
		this.executions++;
		const copy = { lastTo: this.saved.lastTo, seen: [...this.saved.seen] };
		const events = await this.listEvents(copy.lastTo ?? START_FROM, Date.now());
		if (events === undefined) {
			// HTTP Request failed (no Retry On Fail): the execution fails before the Code node; its
			// unchanged copy of static data is saved.
			return;
		}
		// Code node: every part of every snapshot not among the remembered keys.
		const remembered = new Set(copy.seen);
		const fresh: PartKey[] = [];
		for (const e of events) {
			const f = (e.feedback ?? {}) as IDataObject;
			const response = (f.response ?? {}) as IDataObject;
			const parts = [`${String(f.id)}:request`, ...(response.score ? [`${String(f.id)}:score`] : []), ...(response.text ? [`${String(f.id)}:comment`] : [])];
			for (const key of parts) {
				if (remembered.has(key)) continue;
				remembered.add(key);
				fresh.push(key);
			}
		}
		copy.lastTo = Date.now();
		copy.seen = [...copy.seen, ...fresh].slice(-SEEN_CAP);
		for (const key of fresh.slice(0, Math.floor(fresh.length * fate.sinkShare))) this.sink.push({ key, attempt: 1 });
		// n8n saves the execution's static data when it ends, success or error; a dead worker saves nothing.
		if (fate.end !== 'lost') this.saved = copy;
	}

	/** HTTP Request with pagination on next_cursor; undefined when a page fails. */
	private async listEvents(from: number, to: number): Promise<IDataObject[] | undefined> {
		const c = this.w.creds;
		const client = createSignedClient({ baseUrl: c.baseUrl, consumerKey: c.consumerKey, consumerSecret: c.consumerSecret, token: c.accessToken, tokenSecret: c.accessTokenSecret });
		try {
			const events: IDataObject[] = [];
			let cursor: string | undefined;
			do {
				const res = await client.get('/1.1/feedback/events.json', { from_time: from, to_time: to, count: 100, ...(cursor ? { cursor } : {}) });
				if (res.status !== 200) return undefined;
				events.push(...((res.body.events ?? []) as IDataObject[]));
				cursor = res.body.next_cursor || undefined;
			} while (cursor);
			return events;
		} finally {
			await client.close();
		}
	}
}

let w: FaultWorld;
beforeAll(async () => {
	useFakeDate();
	shortenClientTimeout();
	quietN8nLogger();
	w = await FaultWorld.start();
});
afterAll(async () => {
	jest.useRealTimers();
	await w.close();
});

const eventsCalls = () => w.stats().byEndpoint['GET /1.1/feedback/events.json'] ?? 0;

async function prepare(h: History): Promise<Set<PartKey>> {
	await w.reset();
	const expected = w.seed(FEEDBACK, 7);
	for (const [after, fault] of h.faults ?? []) w.arm(after, { faults: [fault as never] });
	return expected;
}

async function runHandBuilt(h: History): Promise<Tally> {
	const expected = await prepare(h);
	const before = eventsCalls();
	const hand = new HandBuilt(w);
	for (let poll = 0; poll < POLLS; poll++) {
		await hand.run(h.fate(poll));
		advance(HOUR);
	}
	return tally(hand.sink, expected, eventsCalls() - before);
}

async function runTrigger(h: History): Promise<Tally> {
	const expected = await prepare(h);
	const before = eventsCalls();
	const params: INodeParameters = {
		events: ['request', 'score', 'comment'],
		feedbackType: 'all',
		options: { minEventAgeHours: 0, includeTest: true, startFrom: new Date(START_FROM).toISOString(), ...h.triggerOptions },
	};
	const trigger = w.trigger(params);
	const fates = new Map<Execution, Fate>();
	trigger.outcome = (execution) => {
		const fate = h.fate(fates.size);
		fates.set(execution, fate);
		return fate.end;
	};
	for (let poll = 0; poll < POLLS; poll++) {
		await trigger.poll();
		advance(HOUR);
	}
	const sink: Array<{ key: PartKey; attempt: number }> = [];
	for (const execution of trigger.executions) {
		if (execution.skipped) continue;
		const fate = fates.get(execution) ?? OK;
		const reached = execution.items.slice(0, Math.floor(execution.items.length * fate.sinkShare));
		keysOf(reached).forEach((key, i) => sink.push({ key, attempt: Number(reached[i].json.deliveryAttempt ?? 1) }));
	}
	return tally(sink, expected, eventsCalls() - before);
}

const rows: string[] = [];
afterAll(() => {
	if (process.env.COMPARE_TABLE !== '1') return;
	console.log(
		[
			`| fault history (${FEEDBACK} surveys, ${POLLS} hourly polls) | hand-built: lost | hand-built: repeated unflagged | hand-built: events calls | trigger: lost | trigger: repeated unflagged | trigger: flagged re-deliveries | trigger: events calls |`,
			'|---|---:|---:|---:|---:|---:|---:|---:|',
			...rows,
		].join('\n'),
	);
});

describe.each(HISTORIES)('$name', (h) => {
	test('the trigger loses nothing and flags every repeat; the hand-built workflow is measured beside it', async () => {
		const hand = await runHandBuilt(h);
		const trig = await runTrigger(h);
		rows.push(`| ${h.name} | ${hand.lost} | ${hand.unflagged} | ${hand.requests} | ${trig.lost} | ${trig.unflagged} | ${trig.flagged} | ${trig.requests} |`);
		expect(trig.lost).toBe(0);
		expect(trig.unflagged).toBe(0);
		// The model is held to what n8n does: a run without faults delivers everything once.
		if (h.name === 'no fault') expect(hand).toMatchObject({ lost: 0, unflagged: 0 });
	});
});
