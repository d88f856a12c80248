/**
 * The trigger against a hostile X (an independent fake server) and hostile saved state, through
 * n8n-core's real PollContext. Each case was silent before: a part lost for good, a poll that burns
 * the rate budget, a stale or wrong state taken without a word. Every anomaly must now be counted
 * and logged with the feedback id, and every part whose event is in range still comes out once.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { XCustomerFeedbackTrigger } from '../../nodes/XCustomerFeedbackTrigger/XCustomerFeedbackTrigger.node';
import { TriggerHarness, TRIGGER_NAME } from '../harness/runTrigger';
import { advance, resetWorld, startWorld, T0, triggerParams, useFakeDate, type World } from '../trigger/triggerWorld';
import { event, EVENTS, feedback, honestPage, HostileX, scored } from './hostileX';

// GET retries back off through n8n-workflow's sleep: no waiting here.
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: async () => {} }));

const MIN = 60_000;
const FAR_FUTURE = 'Tue Jan 01 00:00:00 +0000 2999';

let x: HostileX;
let warnings: string[];

beforeAll(async () => {
	x = await HostileX.start();
});
afterAll(async () => {
	jest.useRealTimers();
	await x.close();
});
beforeEach(() => {
	useFakeDate();
	jest.setSystemTime(T0);
	x.reset();
	warnings = [];
	const logger = Container.get(Logger);
	jest.spyOn(logger, 'warn').mockImplementation((message: string, meta?: object) => {
		warnings.push(`${message} ${JSON.stringify(meta ?? {})}`);
	});
	jest.spyOn(logger, 'error').mockImplementation(() => {});
});
afterEach(() => jest.restoreAllMocks());

const params = (options: IDataObject = {}): INodeParameters => ({
	events: ['request', 'score', 'comment'],
	feedbackType: 'all',
	options: { minEventAgeHours: 0, startFrom: new Date(T0 - 60 * MIN).toISOString(), ...options },
});

function trigger(parameters = params(), token?: string): TriggerHarness {
	return new TriggerHarness({ credentials: () => x.credentials(token), parameters, nodeType: new XCustomerFeedbackTrigger() });
}

const keys = (items: Array<{ json: IDataObject }>) => items.map((i) => `${String(i.json.feedbackId)}:${String(i.json.event)}`);

describe('bounded time', () => {
	test('an event dated 2999 on a page is set aside and logged; the parts around it and later ones come out', async () => {
		const later: IDataObject[] = [];
		x.on(EVENTS, (req, n) =>
			n === 0
				? { body: { events: [event('created', T0 - 50 * MIN, feedback('P', T0 - 50 * MIN)), event('created', FAR_FUTURE, feedback('Q', Date.UTC(2999, 0, 1))), event('created', T0 - 40 * MIN, feedback('R', T0 - 40 * MIN))], next_cursor: '' } }
				: honestPage(() => later)(req, n),
		);
		const t = trigger();
		expect(keys((await t.poll()).items)).toEqual(['P:request', 'R:request']);
		expect(warnings.join('\n')).toMatch(/eventOutsideRange.*"feedbackId":"Q"/);
		later.push(event('created', T0 + 5 * MIN, feedback('S', T0 + 5 * MIN)));
		advance(10 * MIN);
		expect(keys((await t.poll()).items)).toEqual(['S:request']);
	});

	test('an event dated 2999 on a page without next_cursor does not become the read-up-to point', async () => {
		const all = [event('created', T0 - 50 * MIN, feedback('P', T0 - 50 * MIN)), event('created', FAR_FUTURE, feedback('Q', Date.UTC(2999, 0, 1)))];
		x.on(EVENTS, (req, n) => (n === 0 ? { body: { events: all } } : honestPage(() => all)(req, n)));
		const t = trigger();
		expect(keys((await t.poll()).items)).toEqual(['P:request']);
		all.push(event('created', T0 + 5 * MIN, feedback('S', T0 + 5 * MIN)));
		advance(10 * MIN);
		const before = x.requests(EVENTS).length;
		const emitted = keys((await t.poll()).items);
		advance(MIN);
		emitted.push(...keys((await t.poll()).items));
		expect(x.requests(EVENTS).length).toBeGreaterThan(before);
		expect(emitted).toEqual(['S:request']);
	});
});

describe('stuck listings end', () => {
	// [case, X's page for the nth call, most calls in the poll]: a cursor handed back (the one asked
	// with) is stuck at once, so the first page and the one that hands it back.
	const stuckCases: Array<[string, (n: number) => IDataObject, number]> = [
		['the same cursor forever', () => ({ events: [], next_cursor: 'STUCK' }), 2],
		['the same event and cursor forever', () => ({ events: [event('created', T0 - 30 * MIN, feedback('P', T0 - 30 * MIN))], next_cursor: 'AGAIN' }), 2],
	];
	test.each(stuckCases)('%s: stopped at the handed-back cursor, a warning that says what X did, the next poll backs off', async (_name, page, most) => {
		x.on(EVENTS, (_req, n) => ({ body: page(n), remaining: 1000 - n - 1 }));
		const t = trigger();
		const first = await t.poll();
		expect(x.requests(EVENTS).length).toBeLessThanOrEqual(most);
		expect(warnings.join('\n') + (first.error?.message ?? '')).toMatch(/X sent back the cursor it was asked with/i);
		const asked = x.requests(EVENTS).length;
		advance(1000);
		await t.poll();
		expect(x.requests(EVENTS).length).toBe(asked);
		expect(keys(first.items).filter((k) => k !== 'P:request')).toEqual([]);
	});

	// X moving on: fresh cursors are followed through pages with nothing new (before issue 17, 3 at
	// most), until X's x-rate-limit-remaining reaches the trigger's reserve (10); then it waits for the reset.
	const movingOn: Array<[string, (n: number) => IDataObject]> = [
		['a new cursor on every empty page', (n) => ({ events: [], next_cursor: `C${n}` })],
		['the same event after every empty page, with a new cursor each time', (n) => ({ events: n % 2 ? [] : [event('created', T0 - 30 * MIN, feedback('P', T0 - 30 * MIN))], next_cursor: `C${n}` })],
		['a fresh event dated 2999 on every page, with a new cursor', (n) => ({ events: [event('created', FAR_FUTURE, feedback(`Q${n}`, Date.UTC(2999, 0, 1)))], next_cursor: `C${n}` })],
	];
	test.each(movingOn)('%s: followed until the rate reserve, then the next poll waits for the reset', async (_name, page) => {
		x.on(EVENTS, (_req, n) => ({ body: page(n), remaining: 1000 - n - 1 }));
		const t = trigger();
		const first = await t.poll();
		expect(first.error).toBeUndefined();
		expect(x.requests(EVENTS).length).toBe(990);
		advance(1000);
		await t.poll();
		expect(x.requests(EVENTS).length).toBe(990);
		expect(keys(first.items).filter((k) => k !== 'P:request')).toEqual([]);
	});

	test('a listing that stays stuck fails loudly within the hour, naming what X did', async () => {
		x.on(EVENTS, () => ({ body: { events: [], next_cursor: 'STUCK' } }));
		const t = trigger();
		let loud: string | undefined;
		for (let i = 0; i < 40 && !loud; i++) {
			loud = (await t.poll()).error?.message;
			advance(5 * MIN);
		}
		expect(loud).toMatch(/STUCK/);
		expect(x.requests(EVENTS).length).toBeLessThan(100);
	});
});

describe('silent drops are counted', () => {
	test('unreadable dates, missing feedback or id, unreadable part dates and non-text comments are logged with the feedback id', async () => {
		const at = T0 - 30 * MIN;
		x.on(EVENTS, () => ({
			body: {
				events: [
					event('created', 'yesterday', feedback('E1', at)),
					event('updated', at, undefined),
					event('updated', at, { ...feedback('E3', at), id: undefined }),
					event('updated', at, feedback('E4', at - MIN, { response: { score: { value: 4, created_at: 'soon' } } })),
					event('updated', at, feedback('E5', at - MIN, { response: { text: { value: { a: 1 }, created_at: feedback('x', at).created_at } } })),
				],
				next_cursor: '',
			},
		}));
		await trigger(params({ startFrom: new Date(T0 - 120 * MIN).toISOString() })).poll();
		const log = warnings.join('\n');
		expect(log).toMatch(/unreadableEventDate.*"feedbackId":"E1"/);
		expect(log).toMatch(/noFeedback/);
		expect(log).toMatch(/unreadablePartDate.*"feedbackId":"E4"/);
		expect(log).toMatch(/commentNotText.*"feedbackId":"E5"/);
		expect(warnings.length).toBeGreaterThanOrEqual(5);
	});

	test('a page with 5,000 events where 100 were asked: the first 100 are read, the rest logged once with the count', async () => {
		const at = T0 - 30 * MIN;
		const many = Array.from({ length: 5_000 }, (_, i) => event('created', at, feedback(`M${i}`, at)));
		x.on(EVENTS, () => ({ body: { events: many, next_cursor: '' } }));
		const { items, error } = await trigger(params({ startFrom: new Date(at - 10).toISOString() })).poll();
		expect(error).toBeUndefined();
		expect(items).toHaveLength(100);
		expect(items[99].json.feedbackId).toBe('M99');
		const log = warnings.join('\n');
		expect(log).toMatch(/X sent 5,000 events on one page that asked for 100: the first 100 were taken, 4,900 set aside \(beyondPageSize\)/);
	});

	test('a score "abc" and a CSAT score 99 come out flagged, not as a plain null or unflagged', async () => {
		const at = T0 - 30 * MIN;
		x.on(EVENTS, () => ({
			body: {
				events: [event('updated', at, scored('A', at - MIN, at, 'abc')), event('updated', at, scored('B', at - MIN, at, 99)), event('updated', at, scored('C', at - MIN, at, 4))],
				next_cursor: '',
			},
		}));
		const { items } = await trigger(params({ startFrom: new Date(at - 10).toISOString() })).poll();
		const byId = Object.fromEntries(items.map((i) => [i.json.feedbackId, i.json]));
		expect(byId.A).toMatchObject({ event: 'score', scoreIssue: expect.stringMatching(/abc/) });
		expect(byId.B).toMatchObject({ event: 'score', score: 99, scoreIssue: expect.stringMatching(/1 to 5/) });
		// Every item has every key; a score off its scale has no class.
		expect(byId.B).toMatchObject({ csatSatisfied: null, category: null, detractor: null });
		expect(byId.C).toMatchObject({ event: 'score', score: 4, scoreIssue: null, csatSatisfied: true });
	});

	test('feedback marked test with the string "true" is left out like test=true', async () => {
		const at = T0 - 30 * MIN;
		x.on(EVENTS, () => ({ body: { events: [event('updated', at, { ...scored('T', at - MIN, at, 4), test: 'true' })], next_cursor: '' } }));
		const { items } = await trigger(params({ startFrom: new Date(at - 10).toISOString() })).poll();
		expect(items).toEqual([]);
	});
});

describe('saved state is checked by range and scope', () => {
	const at = T0 - 10 * MIN;
	const valid = (patch: IDataObject = {}): IDataObject => ({
		v: 1,
		sinceMs: T0 - 60 * MIN - 1,
		windowEndMs: T0 - 20 * MIN,
		recent: {},
		highMs: T0 - 20 * MIN,
		startFromMs: T0 - 60 * MIN,
		...patch,
	});
	function withState(state: IDataObject, token?: string): TriggerHarness {
		const t = trigger(params(), token);
		t.live = { [`node:${TRIGGER_NAME}`]: { pollState: state } };
		return t;
	}
	const honest = () => honestPage(() => [event('created', at, feedback('N', at))]);

	test('a rate-limit reset saved in milliseconds is repaired with a warning, and polling goes on', async () => {
		x.on(EVENTS, honest());
		const { items } = await withState(valid({ rate: { remaining: 0, resetAt: T0 + 5 * MIN } })).poll();
		expect(keys(items)).toEqual(['N:request']);
		expect(warnings.join('\n')).toMatch(/rate/i);
	});

	test('a read-up-to point in the future (the clock went back) is repaired with a warning', async () => {
		x.on(EVENTS, honest());
		const { items } = await withState(valid({ windowEndMs: T0 + 24 * 60 * MIN })).poll();
		expect(keys(items)).toEqual(['N:request']);
		expect(warnings.join('\n')).toMatch(/future|clock/i);
	});

	test('an open range saved while the clock was ahead is dropped and read again, not failed on every poll', async () => {
		x.on(EVENTS, (req, n) =>
			Number(req.query.get('to_time')) > Date.now()
				? { status: 400, body: { errors: [{ code: 44, message: 'to_time must not be in the future' }] } }
				: honest()(req, n),
		);
		const t = withState(valid({ range: { fromMs: T0 - 20 * MIN + 1, toMs: T0 + 60 * MIN, cursor: 'abc' } }));
		const first = await t.poll();
		expect(first.error).toBeUndefined();
		expect(keys(first.items)).toEqual(['N:request']);
		expect(warnings.join('\n')).toMatch(/range/i);
	});

	test('an open range that does not start after the read-up-to point is not trusted to say what was read', async () => {
		// Found by the property test in CI: a read-up-to point in the future, and an open range that
		// starts after the last event really read. A range always starts right after the read-up-to
		// point, so one that does not is damage; reading goes on from the newest event seen.
		x.on(EVENTS, honest());
		const damaged = valid({ windowEndMs: T0 + 24 * 60 * MIN, range: { fromMs: at + 1000, toMs: T0 + 60 * MIN, cursor: '' } });
		const { items, error } = await withState(damaged).poll();
		expect(error).toBeUndefined();
		expect(keys(items)).toEqual(['N:request']);
		expect(warnings.join('\n')).toMatch(/range/i);
	});

	test('an open range that starts after a gap in the past is read again from the read-up-to point', async () => {
		// Nothing else gives this range away: it ends in the past, in order; only its start does not follow the read-up-to point.
		x.on(EVENTS, honest());
		const { items, error } = await withState(valid({ range: { fromMs: at + 1000, toMs: T0 - MIN, cursor: '' } })).poll();
		expect(error).toBeUndefined();
		expect(keys(items)).toEqual(['N:request']);
		expect(warnings.join('\n')).toMatch(/range/i);
	});

	test.each([
		['a wrong version', { v: 99 }, /version/],
		['a read-up-to point that is not a number', { windowEndMs: 'abc' }, /windowEndMs/],
	])('%s fails loudly, naming the problem and how to restart from a date', async (_name, patch, problem) => {
		x.on(EVENTS, honest());
		const { error, items } = await withState(valid(patch)).poll();
		expect(items).toEqual([]);
		expect(error?.message).toMatch(problem);
		expect(`${error?.message} ${error?.description}`).toMatch(/Start From/);
		expect(x.requests(EVENTS)).toEqual([]);
	});

	test('another X account behind the credential restarts from now, logged', async () => {
		x.on(EVENTS, honest());
		const t = withState(valid({ account: '1460000000000000001' }), '1460000000000000777-otherAccountToken');
		const { items, error } = await t.poll();
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
		expect(warnings.join('\n')).toMatch(/account/i);
		const state = t.nodeState()?.pollState as IDataObject;
		expect(state.account).toBe('1460000000000000777');
		expect(state.sinceMs).toBeGreaterThanOrEqual(T0 - 1000);
	});

	test('a credential reconnected to another X account while the trigger runs restarts from now at the next poll', async () => {
		// n8n keeps an active trigger running when its credential is edited; every poll reads it anew.
		x.on(EVENTS, honest());
		let token: string | undefined = undefined;
		const t = new TriggerHarness({ credentials: () => x.credentials(token), parameters: params(), nodeType: new XCustomerFeedbackTrigger() });
		t.live = { [`node:${TRIGGER_NAME}`]: { pollState: valid({ account: '1460000000000000001' }) } };
		expect(keys((await t.poll()).items)).toEqual(['N:request']);
		expect(warnings.join('\n')).not.toMatch(/account/i);
		token = '1460000000000000777-otherAccountToken';
		const { items, error } = await t.poll();
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
		expect(warnings.join('\n')).toMatch(/account 1460000000000000777, not 1460000000000000001/);
		expect((t.nodeState()?.pollState as IDataObject).account).toBe('1460000000000000777');
	});
});

describe('activation edge', () => {
	let world: World;
	beforeAll(async () => {
		world = await startWorld(2);
	});
	afterAll(async () => {
		await world.h.close();
	});

	test('a score given after activation within the same wall-clock second comes out once', async () => {
		await resetWorld(world, {}, 2);
		const id = await world.send(world.customers[0], 'csat');
		advance(10_000);
		jest.setSystemTime(Math.floor(Date.now() / 1000) * 1000 + 500);
		const t = world.trigger(triggerParams());
		await t.poll(); // activation
		advance(200);
		world.h.emu.store.respond(id, { score: 5 });
		const emitted: string[] = [];
		for (let i = 0; i < 4; i++) {
			advance(2000);
			emitted.push(...keys((await t.poll()).items));
		}
		expect(emitted).toEqual([`${id}:score`]);
	});
});

describe("X's event clock (issue 17): events stamped hours from the parts they carry", () => {
	const HOUR = 60 * MIN;
	const events: IDataObject[] = [];
	beforeEach(() => {
		events.length = 0;
		x.on(EVENTS, honestPage(() => [...events].sort((a, b) => Date.parse(xIso(a.created_at)) - Date.parse(xIso(b.created_at)))));
	});
	const xIso = (d: unknown) => String(d).replace(/^\w+ (\w+) (\d+) ([\d:]+) \+0000 (\d+)$/, '$1 $2 $4 $3 UTC');
	const reasons = () => warnings.map((w) => /"reason":"(\w+)"/.exec(w)?.[1]).filter(Boolean);

	test('a score whose event is stamped 90 minutes after it comes out once (it was skipped before, silently)', async () => {
		events.push(event('created', T0 - 50 * MIN, feedback('P', T0 - 50 * MIN)));
		events.push(event('created', T0 - 20 * MIN, feedback('Q', T0 - 20 * MIN)));
		events.push(event('updated', T0 - 45 * MIN + 90 * MIN, scored('P', T0 - 50 * MIN, T0 - 45 * MIN, 4)));
		const t = trigger();
		const emitted = keys((await t.poll()).items);
		advance(2 * HOUR);
		emitted.push(...keys((await t.poll()).items));
		expect(emitted).toEqual(['P:request', 'Q:request', 'P:score']);
		expect(reasons()).toEqual([]);
	});

	test('a score whose event is stamped an hour before it, and before Start From, comes out once', async () => {
		events.push(event('created', T0 - 50 * MIN, feedback('P', T0 - 50 * MIN)));
		events.push(event('updated', T0 - 65 * MIN, scored('P', T0 - 50 * MIN, T0 - 5 * MIN, 2)));
		const t = trigger();
		const emitted = keys((await t.poll()).items);
		advance(HOUR);
		emitted.push(...keys((await t.poll()).items));
		expect(emitted.sort()).toEqual(['P:request', 'P:score']);
	});

	test('current snapshots: the first event carrying a later score emits it; the score\'s own event does not again', async () => {
		const now = scored('P', T0 - 50 * MIN, T0 - 10 * MIN, 5);
		events.push(event('created', T0 - 50 * MIN, now), event('updated', T0 - 10 * MIN, now));
		const t = trigger();
		expect(keys((await t.poll()).items)).toEqual(['P:request', 'P:score']);
		advance(HOUR);
		expect(keys((await t.poll()).items)).toEqual([]);
	});

	test('beyond the tolerance, after the read position moved on: not emitted, logged with its feedback id and counted', async () => {
		events.push(event('created', T0 - 50 * MIN, feedback('P', T0 - 50 * MIN)));
		const t = trigger();
		expect(keys((await t.poll()).items)).toEqual(['P:request']);
		events.push(event('created', T0 + 7 * HOUR, feedback('Q', T0 + 7 * HOUR)));
		advance(7 * HOUR + 10 * MIN);
		expect(keys((await t.poll()).items)).toEqual(['Q:request']);
		events.push(event('updated', T0 - 40 * MIN + 8 * HOUR, scored('P', T0 - 50 * MIN, T0 - 40 * MIN, 1)));
		advance(HOUR);
		expect(keys((await t.poll()).items)).toEqual([]);
		expect(reasons()).toEqual(['partBeyondTolerance']);
		expect(warnings.join('\n')).toMatch(/feedback P .*partBeyondTolerance.*score given .*event stamped 8 h later.*"feedbackId":"P"/);
	});

	test('beyond the tolerance with nothing read in between: emitted once, and logged as late', async () => {
		events.push(event('created', T0 - 50 * MIN, feedback('P', T0 - 50 * MIN)));
		const t = trigger();
		expect(keys((await t.poll()).items)).toEqual(['P:request']);
		events.push(event('updated', T0 - 40 * MIN + 8 * HOUR, scored('P', T0 - 50 * MIN, T0 - 40 * MIN, 1)));
		advance(8 * HOUR);
		expect(keys((await t.poll()).items)).toEqual(['P:score']);
		advance(HOUR);
		expect(keys((await t.poll()).items)).toEqual([]);
		expect(reasons()).toEqual(['lateEvent']);
		expect(warnings.join('\n')).toMatch(/feedback P late \(lateEvent\).*"feedbackId":"P"/);
	});

	test('a wider tolerance (Event Time Tolerance After Part: 10 hours) emits what 6 hours would log', async () => {
		events.push(event('created', T0 - 50 * MIN, feedback('P', T0 - 50 * MIN)));
		const t = trigger(params({ eventLateHours: 10 }));
		expect(keys((await t.poll()).items)).toEqual(['P:request']);
		events.push(event('created', T0 + 7 * HOUR, feedback('Q', T0 + 7 * HOUR)));
		advance(7 * HOUR + 10 * MIN);
		expect(keys((await t.poll()).items)).toEqual(['Q:request']);
		events.push(event('updated', T0 - 40 * MIN + 8 * HOUR, scored('P', T0 - 50 * MIN, T0 - 40 * MIN, 1)));
		advance(HOUR);
		expect(keys((await t.poll()).items)).toEqual(['P:score']);
		expect(reasons()).toEqual([]);
	});
});
