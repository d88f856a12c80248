/**
 * The action node against a hostile X (an independent fake server) and hostile input, through
 * n8n-core's WorkflowExecute (runNode). Listings: no date outside the range moves anything, a
 * cursor handed back ends a listing at once, fresh cursors are followed until the rate reserve, and
 * what was set aside is counted in the output.
 * Input: every text field refuses what X would take wrongly, naming field and item, before any
 * request; IDs stay exact; no credential part reaches a message.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { runNode, type NodeRunResult } from '../harness/runNode';
import { event, EVENTS, feedback, HostileX, type Script } from './hostileX';

jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: async () => {} }));

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const FAR_FUTURE = 'Tue Jan 01 00:00:00 +0000 2999';
const NOW = Date.now();
const FROM = NOW - 3 * DAY;
const TO = NOW - 2 * DAY;
const USERS_SHOW = '/1.1/users/show.json';
const CREATE = '/1.1/feedback/create.json';
const DM = '/1.1/direct_messages/events/new.json';

let x: HostileX;
beforeAll(async () => {
	x = await HostileX.start();
});
afterAll(async () => {
	await x.close();
});
beforeEach(() => x.reset());

const run = (parameters: INodeParameters, credentials = x.credentials()): Promise<NodeRunResult> => runNode({ credentials, parameters });

const getMany = (extra: IDataObject = {}): INodeParameters => ({
	resource: 'feedback',
	operation: 'getMany',
	from: new Date(FROM).toISOString(),
	to: new Date(TO).toISOString(),
	returnAll: true,
	filters: { includeTest: true },
	options: { minEventAgeHours: 24 },
	...extra,
});
const getReport = (extra: IDataObject = {}): INodeParameters => ({
	resource: 'feedback',
	operation: 'getReport',
	from: new Date(FROM).toISOString(),
	to: new Date(TO).toISOString(),
	files: [],
	options: { minEventAgeHours: 24, includeTest: true },
	...extra,
});

const farFuturePage: Script = () => ({
	body: {
		events: [
			event('created', FROM + 10 * MIN, feedback('P', FROM + 10 * MIN)),
			event('created', FAR_FUTURE, feedback('Q', Date.UTC(2999, 0, 1))),
			event('created', FROM + 20 * MIN, feedback('R', FROM + 20 * MIN)),
		],
		next_cursor: '',
	},
});

describe('listings: bounded time', () => {
	test('Get Many sets an event dated 2999 aside and counts it in its output', async () => {
		x.on(EVENTS, farFuturePage);
		const { items, error } = await run(getMany());
		expect(error).toBeUndefined();
		const events = items.filter((i) => i.json.eventType !== undefined);
		expect(events.map((i) => i.json.feedbackId)).toEqual(['P', 'R']);
		expect(items[items.length - 1].json.setAsideEvents).toMatchObject({ total: 1, byReason: { eventOutsideRange: 1 } });
	});

	test('Get Report counts the request after the 2999 event and reports the set-aside count', async () => {
		x.on(EVENTS, farFuturePage);
		const { items, error } = await run(getReport());
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ csat: expect.objectContaining({ requestsSent: 2 }), setAsideEvents: { total: 1, byReason: { eventOutsideRange: 1 } } });
	});
});

describe('listings: a handed-back cursor ends at once; fresh cursors are followed while the rate budget lasts', () => {
	const cases: Array<[string, Script, number, RegExp | undefined]> = [
		['the same cursor forever', () => ({ body: { events: [], next_cursor: 'STUCK' } }), 2, /^Item 0: X sent back the cursor it was asked with \("STUCK"\)/],
		// Before issue 17 this stopped after 3 calls with an error.
		['a new cursor on every empty page (X ends after 200)', (_r, n) => ({ body: { events: [], next_cursor: n < 200 ? `C${n}` : '' } }), 201, undefined],
		[
			'a new cursor on every empty page forever, the window counting down',
			(_r, n) => ({ body: { events: [], next_cursor: `C${n}` }, remaining: 1000 - n - 1 }),
			990,
			/^Item 0: X sent 990 pages in a row with no new events, a new cursor each time .*has 10 calls left/,
		],
	];
	test.each(cases)('Get Many, %s', async (_name, script, calls, message) => {
		x.on(EVENTS, script);
		const { error } = await run(getMany());
		expect(x.requests(EVENTS).length).toBe(calls);
		if (message) expect(error?.message).toMatch(message);
		else expect(error).toBeUndefined();
	});
	test.each(cases)('Get Report, %s', async (_name, script, calls, message) => {
		x.on(EVENTS, script);
		const { error } = await run(getReport());
		expect(x.requests(EVENTS).length).toBe(calls);
		if (message) expect(error?.message).toMatch(message);
		else expect(error).toBeUndefined();
	});
});

describe('Get Many and byte-identical events', () => {
	const e = event('updated', FROM + 10 * MIN, feedback('E', FROM + 5 * MIN));
	test('two identical events on one page are both kept (X listed two events)', async () => {
		x.on(EVENTS, () => ({ body: { events: [e, e], next_cursor: '' } }));
		const { items } = await run(getMany());
		expect(items.map((i) => i.json.feedbackId)).toEqual(['E', 'E']);
	});
	test('an identical event on either side of a page boundary is two events: both are handed over, nothing set aside', async () => {
		const f = event('created', FROM + 30 * MIN, feedback('F', FROM + 30 * MIN));
		x.on(EVENTS, (_r, n) => ({ body: n === 0 ? { events: [e], next_cursor: 'c1' } : { events: [e, f], next_cursor: '' } }));
		const { items } = await run(getMany());
		expect(items.map((i) => i.json.feedbackId)).toEqual(['E', 'E', 'F']);
	});
	test('a page with 20,000 events where 100 were asked (300,000 in the reader test): the first 100 are items, the rest counted in setAsideEvents', async () => {
		const many = Array.from({ length: 20_000 }, (_, i) => event('created', FROM + 10 * MIN, feedback(`M${i}`, FROM + 10 * MIN)));
		x.on(EVENTS, () => ({ body: { events: many, next_cursor: '' } }));
		const { items, error } = await run(getMany());
		expect(error).toBeUndefined();
		const listed = items.filter((i) => i.json.eventType !== undefined);
		expect(listed).toHaveLength(100);
		expect(listed[99].json.feedbackId).toBe('M99');
		expect(items[items.length - 1].json.setAsideEvents).toMatchObject({
			total: 19_900,
			byReason: { beyondPageSize: 19_900 },
			examples: [{ reason: 'beyondPageSize', detail: 'X sent 20,000 events on one page that asked for 100: the first 100 were taken, 19,900 set aside' }],
		});
	});
});

describe('input is checked before any request', () => {
	const send = (extra: IDataObject = {}, options: IDataObject = {}): INodeParameters => ({
		resource: 'feedback',
		operation: 'send',
		recipient: { __rl: true, mode: 'id', value: '1460000000000000099' },
		feedbackType: 'csat',
		message: 'How did we do?',
		privacyUrl: 'https://acme.example/privacy',
		...extra,
		options: { test: true, checkCanDm: false, ...options },
	});
	const dm = (text: unknown): INodeParameters => ({
		resource: 'directMessage',
		operation: 'send',
		recipient: { __rl: true, mode: 'id', value: '1460000000000000099' },
		text,
	} as INodeParameters);

	const cases: Array<[string, INodeParameters, RegExp]> = [
		['Message from an expression that gives an object', send({ message: '={{ { a: 1 } }}' }), /Item 0: Message .*object/],
		['DM Text from an expression that gives an array', dm('={{ [1, 2] }}'), /Item 0: Text .*list/],
		['External ID from an expression that gives an object', send({ externalId: '={{ { case: 1 } }}' }), /Item 0: External ID .*object/],
		['Message with a lone surrogate', send({ message: 'How did we do? \uD83D' }), /Item 0: Message .*broken character/],
		['Message of zero-width characters only', send({ message: '\u200B\u200D\uFEFF' }), /Item 0: Message .*(empty|invisible)/],
		['External ID with a control character', send({ externalId: 'case\u0007-1' }), /Item 0: External ID .*control character/],
		['Recipient ID given as an unsafe integer', send({ recipient: { __rl: true, mode: 'id', value: '={{ 12345678901234567890 }}' } }), /Item 0: Recipient .*exact/],
		['From on an impossible date', getMany({ from: '2025-00-00' }), /Item 0: From .*not a date/],
		['To = 1e20', getMany({ to: '={{ 1e20 }}' }), /Item 0: To /],
		['From before X existed', getMany({ from: '1990-01-01T00:00:00Z' }), /Item 0: From .*2006/],
		['Minimum Event Age of 1e300 hours', getMany({ options: { minEventAgeHours: 1e300 } }), /Item 0: Minimum Event Age/],
	];
	test.each(cases)('%s', async (_name, parameters, message) => {
		x.on(USERS_SHOW, () => ({ body: { id_str: '1460000000000000099', screen_name: 'c', can_dm: true } }));
		x.on(CREATE, () => ({ body: feedback('1', NOW) }));
		x.on(DM, () => ({ body: { event: { id: '1', type: 'message_create', created_timestamp: String(NOW), message_create: {} } } }));
		x.on(EVENTS, () => ({ body: { events: [], next_cursor: '' } }));
		const { error } = await run(parameters);
		expect(error?.message).toMatch(message);
		expect(x.requests()).toEqual([]);
	});

	test('User → Get gives the exact ID (id_str), never the number X rounded past 2^53', async () => {
		x.on(USERS_SHOW, () => ({ body: JSON.parse('{"id": 1460000000000000123, "id_str": "1460000000000000123", "screen_name": "c"}') }));
		const { items, error } = await run({ resource: 'user', operation: 'get', recipient: { __rl: true, mode: 'id', value: '1460000000000000123' } });
		expect(error).toBeUndefined();
		expect(items[0].json.id).toBe('1460000000000000123');
	});

	test("a base URL with user:password@ never reaches a message", async () => {
		const { error } = await run(getMany(), { ...x.credentials(), baseUrl: 'http://admin:hunter2secret@127.0.0.1:9/' });
		expect(error).toBeDefined();
		expect(JSON.stringify({ m: error?.message, d: error?.description, c: error?.context })).not.toMatch(/hunter2secret|admin:/);
	});
});
