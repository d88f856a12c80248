/** Feedback -> Get Many, through n8n-core against the emulator. */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { ENDPOINT, byId, count, sendParams, useXNode, type XNode } from '../xNode';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

let x: XNode;

useXNode((node) => (x = node));

interface Seeded {
	fromMs: number;
	toMs: number;
}

async function seed(feedback: number, mix: IDataObject = {}): Promise<Seeded> {
	const result = await x.control('POST', 'bulk', { customers: 40, feedback, spanMs: 3 * DAY, seed: 11, mix: { cannotDm: 0, ...mix } });
	return { fromMs: result.fromTime, toMs: result.toTime };
}

interface Expected {
	key: string;
	test: boolean;
	type: string;
	eventType: string;
}

/** The events the emulator holds in the range, oldest first, as the node should list them. */
function reference(range: Seeded): Expected[] {
	return x.emu.store.feedback.log
		.all()
		.filter((e) => e.at >= range.fromMs && e.at <= range.toMs)
		.map((e) => {
			const eventType = e.kind === 'created' ? 'created' : 'updated';
			return {
				key: `${eventType}|${new Date(e.at).toISOString()}|${e.feedback.id}`,
				test: e.feedback.test,
				type: e.feedback.type,
				eventType,
			};
		});
}

const keyOf = (json: IDataObject) => `${json.eventType}|${json.eventAt}|${json.feedbackId}`;
const sorted = (keys: string[]) => [...keys].sort();

function listParams(range: Partial<Seeded>, extra: IDataObject = {}): INodeParameters {
	return {
		resource: 'feedback',
		operation: 'getMany',
		...(range.fromMs !== undefined ? { from: new Date(range.fromMs).toISOString() } : {}),
		...(range.toMs !== undefined ? { to: new Date(range.toMs).toISOString() } : {}),
		returnAll: true,
		options: { minEventAgeHours: 0 },
		...extra,
	} as INodeParameters;
}

/** Requests a listing takes when every `every`-th page is empty and a page holds `size` events. */
function expectedRequests(events: number, size: number, every: number): number {
	const dataPages = Math.max(1, Math.ceil(events / size));
	let served = 0;
	let data = 0;
	while (data < dataPages) {
		served++;
		if (every === 0 || served % every !== 0) data++;
	}
	return served;
}

describe('paging', () => {
	test('through empty and short pages: every event exactly once, one request per page', async () => {
		await x.reset({ emptyPageEvery: 3, maxPageSize: 7 });
		const range = await seed(40, { test: 0.25 });
		const all = reference(range);
		const expected = all.filter((e) => !e.test);
		expect(expected.length).toBeGreaterThan(50);
		expect(all.length - expected.length).toBeGreaterThan(5);

		const { items, error } = await x.run(listParams(range));
		expect(error).toBeUndefined();
		const keys = items.map((i) => keyOf(i.json));
		expect(sorted(keys)).toEqual(sorted(expected.map((e) => e.key)));
		expect(new Set(keys).size).toBe(new Set(expected.map((e) => e.key)).size);
		const requests = count(await x.stats(), ENDPOINT.events);
		expect(requests).toBe(expectedRequests(all.length, 7, 3));
		expect(requests).toBeGreaterThan(Math.ceil(all.length / 7));
	});

	test('a full page without next_cursor is asked for once more, and the listing goes on', async () => {
		await x.reset();
		const range = await seed(120);
		const expected = reference(range);
		expect(expected.length).toBeGreaterThan(200);
		await x.faults({ kind: 'noCursorField', count: 1 });
		const { items, error } = await x.run(listParams(range));
		expect(error).toBeUndefined();
		expect(items.map((i) => keyOf(i.json))).toEqual(expected.map((e) => e.key));
		expect(count(await x.stats(), ENDPOINT.events)).toBe(Math.ceil(expected.length / 100) + 1);
	});

	test('a full page without next_cursor twice: believed to be the end', async () => {
		await x.reset();
		const range = await seed(120);
		const expected = reference(range);
		await x.faults({ kind: 'noCursorField', count: 2 });
		const { items } = await x.run(listParams(range));
		expect(items.map((i) => keyOf(i.json))).toEqual(expected.slice(0, 100).map((e) => e.key));
		expect(count(await x.stats(), ENDPOINT.events)).toBe(2);
	});

	test('a short page without next_cursor is the end (no second request)', async () => {
		await x.reset({ maxPageSize: 7 });
		const range = await seed(20);
		const expected = reference(range);
		await x.faults({ kind: 'noCursorField', count: 1 });
		const { items } = await x.run(listParams(range));
		expect(items.map((i) => keyOf(i.json))).toEqual(expected.slice(0, 7).map((e) => e.key));
		expect(count(await x.stats(), ENDPOINT.events)).toBe(1);
	});

	test('X moving on: 300 empty pages in a row, a fresh cursor each, are followed and every event listed (before issue 17: stopped after 3)', async () => {
		await x.reset();
		const range = await seed(10);
		const expected = reference(range);
		await x.faults({ kind: 'emptyPage', count: 300 });
		const { items, error } = await x.run(listParams(range, { filters: { includeTest: true } }));
		expect(error).toBeUndefined();
		expect(items.map((i) => keyOf(i.json))).toEqual(expected.map((e) => e.key));
		expect(count(await x.stats(), ENDPOINT.events)).toBe(301);
	});

	test('pages with nothing new under fresh cursors stop when X says only the reserve of 10 calls is left, with the count', async () => {
		await x.reset();
		const range = await seed(10);
		await x.faults({ kind: 'emptyPage', count: 5000 });
		const { items, error } = await x.run(listParams(range));
		await x.control('DELETE', 'faults');
		expect(items).toHaveLength(0);
		expect(error?.message).toMatch(
			/^Item 0: X sent 990 pages in a row with no new events, a new cursor each time \(last ".+"\), and its rate limit for feedback\/events has 10 calls left; 10 calls are kept in reserve for other work: the listing was stopped$/,
		);
		expect(count(await x.stats(), ENDPOINT.events)).toBe(990);
	});

	test('a cursor handed back ends the listing at once with an error that says what X did', async () => {
		await x.reset();
		const range = await seed(10);
		await x.faults({ kind: 'sameCursor', count: 100 });
		const { error } = await x.run(listParams(range));
		await x.control('DELETE', 'faults');
		expect(error?.message).toMatch(/^Item 0: X sent back the cursor it was asked with \(".+"\), so following it would read the same pages again: the listing was stopped$/);
		expect(count(await x.stats(), ENDPOINT.events)).toBe(2);
	});

	test('an empty range: no items, one request', async () => {
		await x.reset();
		const now = Date.now();
		const { items, error } = await x.run(listParams({ fromMs: now - DAY, toMs: now - HOUR }));
		expect(error).toBeUndefined();
		expect(items).toHaveLength(0);
		expect(count(await x.stats(), ENDPOINT.events)).toBe(1);
	});
});

describe('limit and filters', () => {
	let range: Seeded;
	let all: Expected[];

	beforeAll(async () => {
		await x.reset({ maxPageSize: 9, emptyPageEvery: 4 });
		range = await seed(60, { test: 0.2, nps: 0.5 });
		all = reference(range);
	});
	beforeEach(async () => {
		await x.control('POST', 'stats/reset');
	});

	test('Limit: the oldest N events, and paging stops once there are enough', async () => {
		const { items } = await x.run(listParams(range, { returnAll: false, limit: 10 }));
		expect(items.map((i) => keyOf(i.json))).toEqual(all.filter((e) => !e.test).slice(0, 10).map((e) => e.key));
		expect(count(await x.stats(), ENDPOINT.events)).toBeLessThan(expectedRequests(all.length, 9, 4));
	});

	test('Event Type: created', async () => {
		const { items } = await x.run(listParams(range, { filters: { eventType: 'created' } }));
		const expected = all.filter((e) => !e.test && e.eventType === 'created');
		expect(expected.length).toBeGreaterThan(10);
		expect(items.map((i) => keyOf(i.json))).toEqual(expected.map((e) => e.key));
	});

	test('Event Type: updated', async () => {
		const { items } = await x.run(listParams(range, { filters: { eventType: 'updated' } }));
		expect(items.map((i) => keyOf(i.json))).toEqual(all.filter((e) => !e.test && e.eventType === 'updated').map((e) => e.key));
	});

	test('Feedback Type: NPS', async () => {
		const { items } = await x.run(listParams(range, { filters: { feedbackType: 'nps' } }));
		const expected = all.filter((e) => !e.test && e.type === 'nps');
		expect(expected.length).toBeGreaterThan(10);
		expect(items.map((i) => keyOf(i.json))).toEqual(expected.map((e) => e.key));
		expect(items.every((i) => i.json.type === 'nps' && 'npsCategory' in i.json)).toBe(true);
	});

	test('Include Test Feedback: on lists test feedback too', async () => {
		const { items } = await x.run(listParams(range, { filters: { includeTest: true } }));
		expect(items.map((i) => keyOf(i.json))).toEqual(all.map((e) => e.key));
		expect(items.some((i) => i.json.test === true)).toBe(true);
	});

	test('simplified items carry the event and the feedback fields', async () => {
		const { items } = await x.run(listParams(range, { returnAll: false, limit: 1, filters: { includeTest: true } }));
		const first = x.emu.store.feedback.log.all().find((e) => e.at >= range.fromMs)!;
		expect(Object.keys(items[0].json)).toEqual([
			'eventType',
			'eventAt',
			'feedbackId',
			'type',
			'answered',
			'score',
			'scoreIssue',
			'scoredAt',
			'comment',
			'commentedAt',
			'questionVariantId',
			'externalId',
			'recipientId',
			'test',
			'sentAt',
			'updatedAt',
			'category',
			'detractor',
			'npsCategory',
			'csatSatisfied',
		]);
		expect(items[0].json).toMatchObject({
			eventType: 'created',
			eventAt: new Date(first.at).toISOString(),
			feedbackId: first.feedback.id,
			answered: false,
			externalId: first.feedback.externalId,
			recipientId: first.feedback.toUserId,
			questionVariantId: first.feedback.questionVariantId,
		});
	});

	test('Simplify off: the raw events', async () => {
		const { items } = await x.run(listParams(range, { simplify: false, returnAll: false, limit: 3 }));
		expect(items).toHaveLength(3);
		for (const item of items) {
			expect(item.json).toEqual({ event_type: expect.stringMatching(/^feedback\./), created_at: expect.any(String), feedback: expect.any(Object) });
			expect((item.json.feedback as IDataObject).test).toBe(false);
		}
	});
});

describe('the time range', () => {
	beforeEach(async () => {
		await x.reset();
		await x.addCustomers({ screenName: 'old' }, { screenName: 'inside' }, { screenName: 'recent' });
	});

	test('defaults: the 7 days ending Minimum Event Age (24 h) ago', async () => {
		const [old, inside, recent] = (await x.control('GET', 'customers')).customers as Array<{ id: string }>;
		const now = Date.now();
		const sendAt = async (id: string, ms: number) => {
			await x.control('POST', 'clock', { now: ms });
			const { error } = await x.run(sendParams(byId(id), {}, { test: false }));
			if (error) throw error;
		};
		await sendAt(old.id, now - 9 * DAY); // before the range
		await sendAt(inside.id, now - 3 * DAY); // inside
		await sendAt(recent.id, now - 2 * HOUR); // younger than 24 hours
		await x.control('POST', 'clock', { now: Date.now() });

		const { items, error } = await x.run({ resource: 'feedback', operation: 'getMany', returnAll: true });
		expect(error).toBeUndefined();
		expect(items.map((i) => [i.json.eventType, i.json.recipientId])).toEqual([['created', inside.id]]);
	});

	test('To later than X serves: an error naming To and the latest allowed time, nothing sent', async () => {
		const before = Date.now();
		const { error } = await x.run({
			resource: 'feedback',
			operation: 'getMany',
			to: new Date(before - HOUR).toISOString(),
			returnAll: true,
		});
		const after = Date.now();
		const match = /^Item 0: To is (\S+), but X serves events only up to 24 hours ago: use (\S+) or earlier, or leave To empty$/.exec(
			error?.message ?? '',
		);
		expect(match).not.toBeNull();
		expect(match![1]).toBe(new Date(before - HOUR).toISOString());
		const latest = Date.parse(match![2]);
		expect(latest).toBeGreaterThanOrEqual(before - DAY);
		expect(latest).toBeLessThanOrEqual(after - DAY);
		expect((await x.stats()).total).toBe(0);
	});

	test('Minimum Event Age follows the option', async () => {
		const now = Date.now();
		const ok = await x.run(listParams({ toMs: now - 3 * HOUR }, { options: { minEventAgeHours: 2 } }));
		expect(ok.error).toBeUndefined();
		const late = await x.run(listParams({ toMs: now - HOUR }, { options: { minEventAgeHours: 2 } }));
		expect(late.error?.message).toMatch(/^Item 0: To is .* but X serves events only up to 2 hours ago/);
	});

	test('From after To: an error naming From', async () => {
		const now = Date.now();
		const { error } = await x.run(listParams({ fromMs: now - HOUR, toMs: now - 2 * HOUR }));
		expect(error?.message).toBe(
			`Item 0: From (${new Date(now - HOUR).toISOString()}) is after To (${new Date(now - 2 * HOUR).toISOString()})`,
		);
		expect((await x.stats()).total).toBe(0);
	});

	test('an unreadable date: an error naming the field', async () => {
		const { error } = await x.run({ ...listParams({}), from: '={{ "last tuesday" }}' });
		expect(error?.message).toBe('Item 0: From "last tuesday" is not a date and time');
		expect((await x.stats()).total).toBe(0);
	});

	test('dates from expressions: a Luxon DateTime and epoch milliseconds', async () => {
		const { error } = await x.run({
			...listParams({}),
			from: '={{ $now.minus({ days: 2 }) }}',
			to: '={{ Date.now() - 3600000 }}',
		});
		expect(error).toBeUndefined();
		const stats = await x.stats();
		expect(count(stats, ENDPOINT.events)).toBe(1);
	});

	test('the range goes to X as epoch milliseconds', async () => {
		const seen = await x.requestsTo('/feedback/events', () => x.run(listParams({ fromMs: Date.UTC(2025, 0, 1), toMs: Date.UTC(2025, 0, 2, 12) })));
		expect(seen).toHaveLength(1);
		const query = new URLSearchParams(seen[0].split('?')[1]);
		expect(query.get('from_time')).toBe(String(Date.UTC(2025, 0, 1)));
		expect(query.get('to_time')).toBe(String(Date.UTC(2025, 0, 2, 12)));
		expect(query.get('count')).toBe('100');
	});
});
