/**
 * Feedback → Get Many and Get Report under faults, through WorkflowExecute (runNode), with the
 * fault landing at different pages of a six-page listing. The invariant: the node's output is
 * exactly what it gives without faults (every event once, in order; the same report figures), or
 * it fails with an error and no partial output. Never a silently short or doubled listing.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { Outcomes } from './outcomes';
import { advance, FaultWorld, FULL, T0, useFaultWorld, type ArmedAction } from './faultWorld';
import type { NodeRunResult } from '../harness/runNode';

// GET retries back off through n8n-workflow's sleep: no waiting here.
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: async () => {} }));

const RECONNECT = 'The X access token is invalid or expired: reconnect the credential';
const CLOCK_OFF = "X rejected the request's timestamp: this machine's clock is off";
const DAY = 86_400_000;
const FROM = new Date(T0 - 4 * DAY).toISOString();

const getManyParams: INodeParameters = {
	resource: 'feedback',
	operation: 'getMany',
	from: FROM,
	returnAll: true,
	filters: { includeTest: true },
	options: { minEventAgeHours: 0 },
};
const reportParams: INodeParameters = {
	resource: 'feedback',
	operation: 'getReport',
	from: FROM,
	to: new Date(T0).toISOString(),
	files: [],
	options: { minEventAgeHours: 0, includeTest: true, groupBy: 'day' },
};

type Expect = { same: true } | { error: string | RegExp };

interface ListingCase {
	fault: string;
	arm: () => ArmedAction;
	expect: Expect;
	/** Get Many: the reason its last item counts (what X sent that could not be used, never silently dropped). */
	setAside?: string;
	/** Get Many: X lists one event twice (the fault repeats it); both are handed over, as X documents no repeats. */
	listedTwice?: boolean;
	/** Per node, when a product bug breaks the invariant (checked by `test.failing` below). */
	knownBug?: Partial<Record<'Get Many' | 'Get Report', string>>;
}

const CASES: ListingCase[] = [
	{ fault: '503/130 ×2 (within the retry bound)', arm: () => ({ faults: [{ kind: 'status', status: 503, count: 2 }] }), expect: { same: true } },
	{ fault: '500/131 ×10 (longer than the retry bound)', arm: () => ({ faults: [{ kind: 'status', status: 500, count: 10 }] }), expect: { error: 'Item 0: X had an internal error: try again later' } },
	{ fault: '429/88', arm: () => ({ faults: [{ kind: 'rateLimit', resetAfterMs: 60_000 }] }), expect: { error: /^Item 0: X rate limit reached for GET \/1\.1\/feedback\/events\.json: try again after \d\d:\d\d UTC/ } },
	{ fault: 'timeout ×1 (the client gives up; retried)', arm: () => ({ faults: [{ kind: 'timeout', afterMs: 5000 }] }), expect: { same: true } },
	{ fault: 'timeout ×4 (longer than the retry bound)', arm: () => ({ faults: [{ kind: 'timeout', afterMs: 5000, count: 4 }] }), expect: { error: /^Item 0: Could not reach X \(.+\): try again later$/ } },
	{ fault: 'connection reset ×1', arm: () => ({ faults: [{ kind: 'reset' }] }), expect: { same: true } },
	{ fault: 'malformed body', arm: () => ({ faults: [{ kind: 'malformed' }] }), expect: { same: true } },
	{ fault: 'truncated body', arm: () => ({ faults: [{ kind: 'truncated' }] }), expect: { same: true } },
	{ fault: 'empty pages ×2 (a fresh next_cursor each)', arm: () => ({ faults: [{ kind: 'emptyPage', count: 2 }] }), expect: { same: true } },
	{ fault: 'empty pages ×300 (a fresh next_cursor each: X moving on)', arm: () => ({ faults: [{ kind: 'emptyPage', count: 300 }] }), expect: { same: true } },
	{
		fault: 'an empty page handing back the cursor it was asked with',
		arm: () => ({ faults: [{ kind: 'sameCursor', count: 3 }] }),
		expect: { error: /^Item 0: X sent back the cursor it was asked with \(".+"\), so following it would read the same pages again/ },
	},
	{ fault: 'next_cursor field missing on a full page although more follow', arm: () => ({ faults: [{ kind: 'noCursorField' }] }), expect: { same: true } },
	{ fault: 'duplicate event at the next page start', arm: () => ({ faults: [{ kind: 'duplicateEvent' }] }), expect: { same: true }, listedTwice: true },
	{ fault: 'stale timestamp 401/135', arm: () => ({ faults: [{ kind: 'staleTimestamp' }] }), expect: { error: `Item 0: ${CLOCK_OFF}` } },
	{ fault: 'expired token 401/89', arm: () => ({ faults: [{ kind: 'expiredToken' }] }), expect: { error: `Item 0: ${RECONNECT}` } },
];

/** Events requests after which the fault starts (the listing has 6 pages; the last is short). */
const POSITIONS = FULL ? [0, 1, 2, 3, 4, 5] : [0, 3];
const NODES = [
	{ name: 'Get Many' as const, params: getManyParams },
	{ name: 'Get Report' as const, params: reportParams },
];

let w: FaultWorld;
const reference = new Map<string, IDataObject[]>();
const outcomes = new Outcomes('listing');

async function setUp(seed: number): Promise<void> {
	await w.reset();
	w.seed(225, seed, 3 * DAY);
	advance(2000);
}

const output = (r: NodeRunResult): IDataObject[] => r.items.map((i) => i.json);
/** Get Many's events without its last item of set-aside counts (present only when X sent something unusable). */
const isCountItem = (json: IDataObject) => Object.keys(json).length === 1 && 'setAsideEvents' in json;
const listed = (r: NodeRunResult): IDataObject[] => output(r).filter((json) => !isCountItem(json));
const setAsideOf = (r: NodeRunResult): IDataObject | undefined => output(r).find(isCountItem)?.setAsideEvents as IDataObject | undefined;

useFaultWorld((world) => (w = world), outcomes);
beforeAll(async () => {
	for (const node of NODES) {
		await setUp(7);
		const r = await w.run(node.params);
		if (r.error) throw r.error;
		reference.set(node.name, output(r));
	}
	const events = reference.get('Get Many')!.length;
	expect(events).toBeGreaterThan(500); // six pages of 100
	expect(events).toBeLessThanOrEqual(600);
});

function describeRun(r: NodeRunResult, ref: IDataObject[], node: string): string {
	if (r.error) return `error "${r.error.message}", no items`;
	const out = listed(r);
	const counted = setAsideOf(r);
	const note = counted ? `, plus a last item counting what was set aside (${JSON.stringify(counted.byReason)})` : '';
	if (JSON.stringify(out) === JSON.stringify(ref)) return node === 'Get Many' ? `the full listing, as without the fault${note}` : 'the same figures as without the fault';
	if (node === 'Get Many' && isRefPlusOneRepeat(out, ref)) return `the full listing, with the event X listed twice handed over twice${note}`;
	if (node === 'Get Many') return `${out.length} items instead of ${ref.length}`;
	return `different figures (first: ${differences(out[0], ref[0])[0]})`;
}

/** `out` is `ref` with one of ref's events listed once more (X sent it twice). */
function isRefPlusOneRepeat(out: IDataObject[], ref: IDataObject[]): boolean {
	if (out.length !== ref.length + 1) return false;
	const text = (list: IDataObject[]) => list.map((json) => JSON.stringify(json));
	const o = text(out);
	const r = text(ref);
	let i = 0;
	while (i < r.length && o[i] === r[i]) i++;
	return r.includes(o[i]) && JSON.stringify([...o.slice(0, i), ...o.slice(i + 1)]) === JSON.stringify(r);
}

/** Paths where two JSON values differ, e.g. `requestsSent 101 vs 100`. */
function differences(a: unknown, b: unknown, path = ''): string[] {
	if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
		const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
		return [...keys].flatMap((k) => differences((a as IDataObject)[k], (b as IDataObject)[k], path ? `${path}.${k}` : k));
	}
	return JSON.stringify(a) === JSON.stringify(b) ? [] : [`${path} ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
}

describe.each(CASES)('listing: $fault', (c) => {
	describe.each(NODES)('$name', (node) => {
		test.each(POSITIONS)('fault from events request %i', async (position) => {
			await setUp(7);
			w.arm(position, c.arm());
			const r = await w.run(node.params);
			const ref = reference.get(node.name)!;
			const same =
				!r.error &&
				(c.listedTwice && node.name === 'Get Many' ? isRefPlusOneRepeat(listed(r), ref) : JSON.stringify(listed(r)) === JSON.stringify(ref));
			const failedCleanly = Boolean(r.error) && r.items.length === 0;
			const held = same || failedCleanly;
			const bug = c.knownBug?.[node.name];
			outcomes.add({
				node: `${node.name} (runNode)`,
				fault: c.fault,
				userSees: describeRun(r, ref, node.name) + (bug && !held ? `; **${bug}**` : ''),
				invariant:
					node.name === 'Get Many'
						? c.listedTwice
							? 'every event as often as X listed it, in order, or an error and no items'
							: 'every event once, in order, or an error and no items'
						: 'the figures without the fault, or an error and no items',
				held,
			});
			if ('same' in c.expect) {
				if (bug) expect(r.error).toBeUndefined();
				else expect(same).toBe(true);
				if (node.name === 'Get Many') expect(Object.keys((setAsideOf(r)?.byReason as IDataObject | undefined) ?? {})).toEqual(c.setAside ? [c.setAside] : []);
			} else {
				expect(failedCleanly).toBe(true);
				if (typeof c.expect.error === 'string') expect(r.error?.message).toBe(c.expect.error);
				else expect(r.error?.message).toMatch(c.expect.error);
			}
		});
	});
});
