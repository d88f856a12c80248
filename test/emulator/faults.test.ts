import { createParams, errorOf, startHarness, type Harness, type TestCustomer } from './emulatorHarness';
import type { AnyJson } from '../../emulator/client';

const VERIFY = '/1.1/account/verify_credentials.json';
const EVENTS = '/1.1/feedback/events.json';
const T0 = Date.parse('2026-03-02T10:00:00Z');

describe('fault injection and stats', () => {
	let h: Harness;
	let ann: TestCustomer;

	beforeEach(async () => {
		h = await startHarness();
		[ann] = await h.addCustomers({ screenName: 'ann', allowlisted: true });
	});
	afterEach(() => h.close());

	const addFaults = async (...faults: unknown[]) => {
		const res = await h.control('POST', 'faults', { faults });
		expect(res.status).toBe(200);
		return res.body;
	};

	/** 12 events, one per second from T0. */
	async function seedEvents(): Promise<number> {
		await h.control('POST', 'clock', { now: T0, freeze: true });
		for (let i = 0; i < 12; i++) {
			expect((await h.business.post('/1.1/feedback/create.json', { query: createParams(ann.id) })).status).toBe(200);
			await h.control('POST', 'clock', { advanceMs: 1000 });
		}
		return T0 + 11_000;
	}

	it('status: answers the given status with an X error body for the next N matching requests', async () => {
		await addFaults({ kind: 'status', status: 503, count: 2, path: 'verify_credentials' }, { kind: 'status', status: 500, method: 'GET', path: 'users/show' });
		expect((await h.control('GET', 'faults')).body.faults).toHaveLength(2);
		for (let i = 0; i < 2; i++) {
			const res = await h.business.get(VERIFY);
			expect([res.status, errorOf(res.body).code]).toEqual([503, 130]);
		}
		expect((await h.business.get(VERIFY)).status).toBe(200);
		const internal = await h.business.get('/1.1/users/show.json', { user_id: ann.id });
		expect([internal.status, errorOf(internal.body).code]).toEqual([500, 131]);
		expect((await h.control('GET', 'faults')).body.faults).toHaveLength(0);
	});

	it('rateLimit, staleTimestamp and expiredToken answer 429/88, 401/135 and 401/89', async () => {
		await addFaults({ kind: 'rateLimit', resetAfterMs: 5000 }, { kind: 'staleTimestamp' }, { kind: 'expiredToken' });
		const limited = await h.business.get(VERIFY);
		expect([limited.status, errorOf(limited.body).code]).toEqual([429, 88]);
		expect(limited.headers['x-rate-limit-remaining']).toBe('0');
		expect(Number(limited.headers['x-rate-limit-reset'])).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 4);
		expect(errorOf((await h.business.get(VERIFY)).body).code).toBe(135);
		expect(errorOf((await h.business.get(VERIFY)).body).code).toBe(89);
		expect((await h.business.get(VERIFY)).status).toBe(200);
	});

	it('malformed and truncated answer 200 with a body that is not JSON', async () => {
		await addFaults({ kind: 'malformed' }, { kind: 'truncated' });
		const malformed = await h.business.get(VERIFY);
		expect(malformed.status).toBe(200);
		expect(() => JSON.parse(malformed.text)).toThrow();
		const truncated = await h.business.get(VERIFY);
		expect(truncated.status).toBe(200);
		expect(truncated.text.startsWith('{"id":')).toBe(true);
		expect(() => JSON.parse(truncated.text)).toThrow();
	});

	it('reset drops the connection; timeout never answers', async () => {
		await addFaults({ kind: 'reset' });
		await expect(h.business.get(VERIFY)).rejects.toThrow();
		await addFaults({ kind: 'timeout' });
		await expect(h.business.get(VERIFY, {}, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
		await addFaults({ kind: 'timeout', afterMs: 200 });
		await expect(h.business.get(VERIFY)).rejects.toThrow();
		expect((await h.business.get(VERIFY)).status).toBe(200);
		const stats = (await h.control('GET', 'stats')).body;
		expect(stats.byStatus).toMatchObject({ reset: 1, timeout: 2, '200': 1 });
	});

	it('emptyPage: a page without events whose fresh next_cursor resumes at the same position (X moving on)', async () => {
		const to = await seedEvents();
		const first = await h.business.get(EVENTS, { from_time: T0, to_time: to, count: 5 });
		await addFaults({ kind: 'emptyPage', count: 2 });
		const empty = await h.business.get(EVENTS, { cursor: first.body.next_cursor, count: 5 });
		expect(empty.body.events).toEqual([]);
		expect(empty.body.next_cursor).toBeTruthy();
		expect(empty.body.next_cursor).not.toBe(first.body.next_cursor);
		const again = await h.business.get(EVENTS, { cursor: empty.body.next_cursor, count: 5 });
		expect(again.body.events).toEqual([]);
		expect(new Set([first.body.next_cursor, empty.body.next_cursor, again.body.next_cursor]).size).toBe(3);
		const resumed = await h.business.get(EVENTS, { cursor: empty.body.next_cursor, count: 5 });
		const direct = await h.business.get(EVENTS, { cursor: first.body.next_cursor, count: 5 });
		expect(resumed.body.events).toEqual(direct.body.events);
		expect(resumed.body.events).toHaveLength(5);
	});

	it('sameCursor: an empty page that hands back the cursor it was asked with (a stuck X)', async () => {
		const to = await seedEvents();
		const first = await h.business.get(EVENTS, { from_time: T0, to_time: to, count: 5 });
		await addFaults({ kind: 'sameCursor' });
		const stuck = await h.business.get(EVENTS, { cursor: first.body.next_cursor, count: 5 });
		expect(stuck.body).toEqual({ events: [], next_cursor: first.body.next_cursor });
	});

	it('noCursorField: events but no next_cursor although more follow', async () => {
		const to = await seedEvents();
		await addFaults({ kind: 'noCursorField' });
		const page = await h.business.get(EVENTS, { from_time: T0, to_time: to, count: 5 });
		expect(page.body.events).toHaveLength(5);
		expect('next_cursor' in page.body).toBe(false);
		const all = await h.business.get(EVENTS, { from_time: T0, to_time: to, count: 100 });
		expect(all.body.events).toHaveLength(12);
	});

	it("duplicateEvent: the next page starts with this page's first event again", async () => {
		const to = await seedEvents();
		await addFaults({ kind: 'duplicateEvent' });
		const page1 = await h.business.get(EVENTS, { from_time: T0, to_time: to, count: 5 });
		const page2 = await h.business.get(EVENTS, { cursor: page1.body.next_cursor, count: 5 });
		expect(page2.body.events[0]).toEqual(page1.body.events[0]);
		expect(page2.body.events).toHaveLength(5);
		const page3 = await h.business.get(EVENTS, { cursor: page2.body.next_cursor, count: 5 });
		const ids = [...page1.body.events, ...page2.body.events.slice(1), ...page3.body.events].map((e: AnyJson) => e.feedback.id);
		expect(new Set(ids).size).toBe(12);
		expect(ids).toHaveLength(12);
	});

	it('page faults only match the events listing', async () => {
		await addFaults({ kind: 'emptyPage' });
		expect((await h.business.get(VERIFY)).status).toBe(200);
		expect((await h.control('GET', 'faults')).body.faults).toHaveLength(1);
		await h.control('DELETE', 'faults');
		expect((await h.control('GET', 'faults')).body.faults).toHaveLength(0);
	});

	it('refuses unknown fault kinds and bad fields with 400', async () => {
		expect((await h.control('POST', 'faults', { faults: [{ kind: 'explode' }] })).status).toBe(400);
		expect((await h.control('POST', 'faults', { faults: [{ kind: 'status', status: 200 }] })).status).toBe(400);
		expect((await h.control('POST', 'faults', { faults: [{ kind: 'status', count: 0 }] })).status).toBe(400);
	});

	it('counts requests by endpoint and status, and resets the counts', async () => {
		await h.control('POST', 'stats/reset');
		await h.business.get(VERIFY);
		await h.business.get(VERIFY, {}, { unsigned: true });
		await h.business.get('/1.1/feedback/show/1.json');
		await h.business.get('/1.1/nothing/here.json');
		const stats = (await h.control('GET', 'stats')).body;
		expect(stats).toEqual({
			total: 4,
			byEndpoint: {
				'GET /1.1/account/verify_credentials.json': 2,
				'GET /1.1/feedback/show/:id.json': 1,
				'GET (unknown)': 1,
			},
			byStatus: { '200': 1, '400': 1, '404': 2 },
		});
		expect((await h.control('POST', 'stats/reset')).body.total).toBe(0);
	});
});
