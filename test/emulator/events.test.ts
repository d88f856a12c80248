import type { AnyJson, SignedClient } from '../../emulator/client';
import { createParams, errorOf, startHarness, type Harness, type TestCustomer } from './emulatorHarness';

const EVENTS = '/1.1/feedback/events.json';
const T0 = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;

interface Page {
	events: Array<{ event_type: string; created_at: string; feedback: AnyJson }>;
	next_cursor?: string;
}

/** Follows next_cursor until it is empty or missing; returns every page. */
async function listAll(client: SignedClient, first: Record<string, string | number>): Promise<Page[]> {
	const pages: Page[] = [];
	let query: Record<string, string | number> = first;
	for (let guard = 0; guard < 500; guard++) {
		const res = await client.get<Page>(EVENTS, query);
		expect(res.status).toBe(200);
		pages.push(res.body);
		if (!res.body.next_cursor) return pages;
		// Like X, a cursor does not remember count: send it on every page.
		query = first.count === undefined ? { cursor: res.body.next_cursor } : { cursor: res.body.next_cursor, count: first.count };
	}
	throw new Error('listing did not end');
}

const key = (e: Page['events'][number]) => `${e.feedback.id}@${e.created_at}#${e.event_type}:${JSON.stringify(e.feedback.response ?? {})}`;

describe('GET /1.1/feedback/events.json', () => {
	let h: Harness;
	let ann: TestCustomer;
	let regular: TestCustomer;

	beforeEach(async () => {
		h = await startHarness();
		[ann, regular] = await h.addCustomers({ screenName: 'ann', allowlisted: true }, { screenName: 'regular' });
		await h.control('POST', 'clock', { now: T0, freeze: true });
	});
	afterEach(() => h.close());

	const create = async (to = ann, extra: Record<string, string> = {}) => {
		const res = await h.business.post('/1.1/feedback/create.json', { query: createParams(to.id, extra) });
		expect(res.status).toBe(200);
		return res.body;
	};
	const advance = (ms: number) => h.control('POST', 'clock', { advanceMs: ms });
	const nowMs = async () => (await h.control('GET', 'clock')).body.now as number;

	describe('parameters', () => {
		it('requires from_time and to_time on the first page (400/38)', async () => {
			const noFrom = await h.business.get(EVENTS, { to_time: T0 });
			expect([noFrom.status, errorOf(noFrom.body).code]).toEqual([400, 38]);
			expect(errorOf(noFrom.body).message).toContain('from_time');
			const noTo = await h.business.get(EVENTS, { from_time: 0 });
			expect(errorOf(noTo.body).code).toBe(38);
			expect(errorOf(noTo.body).message).toContain('to_time');
		});

		it.each([
			['from_time', { from_time: 'yesterday', to_time: T0 }],
			['to_time', { from_time: 0, to_time: '1.5' }],
			['from_time', { from_time: T0, to_time: T0 - 1 }],
			['count', { from_time: 0, to_time: T0, count: 0 }],
			['count', { from_time: 0, to_time: T0, count: 101 }],
			['count', { from_time: 0, to_time: T0, count: 'ten' }],
			['cursor', { cursor: 'not-a-cursor' }],
		])('answers 400/44 naming %s for %j', async (name, query) => {
			const res = await h.business.get(EVENTS, query);
			expect([res.status, errorOf(res.body).code]).toEqual([400, 44]);
			expect(errorOf(res.body).message).toContain(name);
		});

		it('requires to_time to be at least minEventAgeMs in the past (24 hours, like X)', async () => {
			await h.control('POST', 'config', { minEventAgeMs: 24 * 3600_000 });
			const recent = await h.business.get(EVENTS, { from_time: 0, to_time: T0 - 24 * 3600_000 + 1 });
			expect([recent.status, errorOf(recent.body).code]).toEqual([400, 44]);
			expect(errorOf(recent.body).message).toMatch(/to_time.*24 hours/);
			const old = await h.business.get(EVENTS, { from_time: 0, to_time: T0 - 24 * 3600_000 });
			expect(old.status).toBe(200);
			await h.control('POST', 'config', { minEventAgeMs: 0 });
			const future = await h.business.get(EVENTS, { from_time: 0, to_time: T0 + 1000 });
			expect(errorOf(future.body).code).toBe(44);
		});

		it('answers an empty page without next_cursor for an empty range', async () => {
			const res = await h.business.get<Page>(EVENTS, { from_time: 0, to_time: T0 });
			expect(res.body).toEqual({ events: [] });
		});
	});

	describe('events and snapshots', () => {
		it('has one event per change, oldest first, each as of its change (snapshotMode event)', async () => {
			const fb = await create(ann, { type: 'nps' });
			await advance(5 * MIN);
			const asAnn = h.as(ann);
			expect((await asAnn.post(`/1.1/feedback/submit/${fb.id}.json`, { form: { score: 9 } })).status).toBe(200);
			await advance(5 * MIN);
			expect((await h.control('POST', `feedback/${fb.id}/touch`, { kind: 'viewed' })).status).toBe(200);
			await advance(5 * MIN);
			const withText = await asAnn.post(`/1.1/feedback/submit/${fb.id}.json`, { query: { text: 'Great help' } });
			expect(withText.status).toBe(200);

			const [page] = await listAll(h.business, { from_time: T0, to_time: await nowMs() });
			expect(page.events.map((e) => e.event_type)).toEqual(['feedback.created', 'feedback.updated', 'feedback.updated', 'feedback.updated']);
			const [created, scored, viewed, commented] = page.events;
			expect(created.feedback.response).toBeUndefined();
			expect(scored.feedback.response).toEqual({ score: { value: 9, created_at: scored.created_at } });
			expect(viewed.feedback.response).toEqual(scored.feedback.response);
			expect(commented.feedback.response).toEqual({
				score: { value: 9, created_at: scored.created_at },
				text: { value: 'Great help', created_at: commented.created_at },
			});
			for (const e of page.events) expect(e.feedback.updated_at).toBe(e.created_at);
			expect(new Set(page.events.map((e) => e.created_at)).size).toBe(4);

			const shown = await h.business.get(`/1.1/feedback/show/${fb.id}.json`);
			expect(shown.body.updated_at).toBe(commented.created_at);
			expect(shown.body.response).toEqual(commented.feedback.response);
		});

		it("serves the feedback's current state in every event with snapshotMode current", async () => {
			const fb = await create();
			await advance(MIN);
			await h.control('POST', `feedback/${fb.id}/respond`, { score: 4 });
			await advance(MIN);
			await h.control('POST', `feedback/${fb.id}/respond`, { text: 'Fine' });
			await h.control('POST', 'config', { snapshotMode: 'current' });
			const [page] = await listAll(h.business, { from_time: T0, to_time: await nowMs() });
			expect(page.events).toHaveLength(3);
			for (const e of page.events) {
				expect(e.feedback.response.score.value).toBe(4);
				expect(e.feedback.response.text.value).toBe('Fine');
				expect(e.feedback.updated_at).toBe(page.events[2].created_at);
			}
			expect(page.events[0].created_at).not.toBe(page.events[2].created_at);
		});

		it('keeps each answer part immutable (403 "already submitted"), on the API and the control API', async () => {
			const fb = await create();
			const asAnn = h.as(ann);
			const submit = (form: Record<string, string | number>) => asAnn.post(`/1.1/feedback/submit/${fb.id}.json`, { form });
			expect((await submit({ score: 6 })).status).toBe(400); // CSAT is 1-5
			expect((await submit({ score: 5 })).status).toBe(200);
			const again = await submit({ score: 4 });
			expect(again.status).toBe(403);
			expect(errorOf(again.body).message).toMatch(/already submitted/);
			// All-or-nothing: a new text with an old score changes nothing.
			expect((await submit({ score: 4, text: 'hello' })).status).toBe(403);
			expect((await submit({ text: 'Thanks' })).status).toBe(200);
			expect((await submit({ text: 'Changed my mind' })).status).toBe(403);
			const control = await h.control('POST', `feedback/${fb.id}/respond`, { text: 'Again' });
			expect(control.status).toBe(400);
			expect(control.body.error).toMatch(/already submitted/);
			const missing = await submit({});
			expect(errorOf(missing.body).code).toBe(38);

			const shown = await h.business.get(`/1.1/feedback/show/${fb.id}.json`);
			expect(shown.body.response.score.value).toBe(5);
			expect(shown.body.response.text.value).toBe('Thanks');
		});

		it('lets only the recipient answer or dismiss, once', async () => {
			const fb = await create();
			const [other] = await h.addCustomers({ screenName: 'other' });
			expect((await h.as(other).post(`/1.1/feedback/submit/${fb.id}.json`, { form: { score: 3 } })).status).toBe(404);
			expect((await h.as(ann).post('/1.1/feedback/submit/1.json', { form: { score: 3 } })).status).toBe(404);
			expect((await h.as(ann).post(`/1.1/feedback/dismiss/${fb.id}.json`)).status).toBe(200);
			const twice = await h.as(ann).post(`/1.1/feedback/dismiss/${fb.id}.json`);
			expect(twice.status).toBe(403);
			const [page] = await listAll(h.business, { from_time: T0, to_time: await nowMs() });
			expect(page.events.map((e) => e.event_type)).toEqual(['feedback.created', 'feedback.updated']);
			expect(page.events[1].feedback.response).toBeUndefined();
		});

		it('places a back-dated answer (control API "at") at its time in the listing', async () => {
			const a = await create();
			await advance(10 * MIN);
			const b = await create();
			await h.control('POST', `feedback/${a.id}/respond`, { score: 2, at: T0 + 5 * MIN });
			const [page] = await listAll(h.business, { from_time: T0, to_time: await nowMs() });
			expect(page.events.map((e) => e.feedback.id)).toEqual([a.id, a.id, b.id]);
			expect(page.events[1].feedback.response.score.value).toBe(2);
			const tooEarly = await h.control('POST', `feedback/${b.id}/respond`, { score: 2, at: T0 });
			expect(tooEarly.status).toBe(400);
		});
	});

	describe('cursors', () => {
		async function seed(n: number): Promise<void> {
			for (let i = 0; i < n; i++) {
				await create();
				await advance(1000);
			}
		}

		it('pages through everything with count, and only a missing next_cursor ends', async () => {
			await seed(25);
			const to = await nowMs();
			const pages = await listAll(h.business, { from_time: T0, to_time: to, count: 10 });
			expect(pages.map((p) => p.events.length)).toEqual([10, 10, 5]);
			expect(pages.slice(0, 2).every((p) => typeof p.next_cursor === 'string' && p.next_cursor.length > 0)).toBe(true);
			expect(pages[2].next_cursor).toBeUndefined();
			const all = pages.flatMap((p) => p.events);
			const [single] = await listAll(h.business, { from_time: T0, to_time: to });
			expect(all.map(key)).toEqual(single.events.map(key));
			const times = all.map((e) => Date.parse(e.created_at.replace(/^\w+ /, '')));
			expect([...times].sort((x, y) => x - y)).toEqual(times);
		});

		it('treats from_time and to_time as inclusive bounds', async () => {
			await seed(5); // created at T0, T0+1s, ..., T0+4s
			const [page] = await listAll(h.business, { from_time: T0 + 1000, to_time: T0 + 3000 });
			expect(page.events).toHaveLength(3);
		});

		it('binds a cursor to its range (400/44 with another range) and accepts it with the same range', async () => {
			await seed(5);
			const to = await nowMs();
			const first = await h.business.get<Page>(EVENTS, { from_time: T0, to_time: to, count: 2 });
			const cursor = first.body.next_cursor!;
			const other = await h.business.get(EVENTS, { cursor, from_time: T0 + 1, to_time: to });
			expect([other.status, errorOf(other.body).code]).toEqual([400, 44]);
			expect(errorOf(other.body).message).toContain('cursor');
			const same = await h.business.get<Page>(EVENTS, { cursor, from_time: T0, to_time: to, count: 2 });
			expect(same.status).toBe(200);
			expect(same.body.events).toHaveLength(2);
			const tampered = await h.business.get(EVENTS, { cursor: cursor.slice(0, -2) + (cursor.endsWith('A') ? 'BB' : 'AA') });
			expect(errorOf(tampered.body).code).toBe(44);
		});

		it('stays stable while new events arrive (position by time and sequence, not index)', async () => {
			const feedback = [];
			for (let i = 0; i < 15; i++) feedback.push(await create()); // all in the same second
			const to = T0;
			const page1 = await h.business.get<Page>(EVENTS, { from_time: T0, to_time: to, count: 10 });
			// An event inserted before the cursor's position, and one after it, in the same range.
			await h.control('POST', `feedback/${feedback[2].id}/respond`, { score: 3, at: T0 });
			const rest = await listAll(h.business, { cursor: page1.body.next_cursor! });
			const ids1 = page1.body.events.map((e) => e.feedback.id);
			const ids2 = rest.flatMap((p) => p.events.map((e) => `${e.event_type}:${e.feedback.id}`));
			expect(ids1).toEqual(feedback.slice(0, 10).map((f) => f.id));
			expect(ids2).toEqual([
				...feedback.slice(10).map((f) => `feedback.created:${f.id}`),
				`feedback.updated:${feedback[2].id}`,
			]);
		});

		it('serves short pages and empty pages that still carry a next_cursor (maxPageSize, emptyPageEvery)', async () => {
			await seed(10);
			await h.control('POST', 'config', { maxPageSize: 4, emptyPageEvery: 3 });
			const pages = await listAll(h.business, { from_time: T0, to_time: await nowMs(), count: 100 });
			expect(pages.every((p) => p.events.length <= 4)).toBe(true);
			const empties = pages.filter((p) => p.events.length === 0);
			expect(empties.length).toBeGreaterThan(0);
			expect(empties.every((p) => p.next_cursor)).toBe(true);
			expect(pages.flatMap((p) => p.events)).toHaveLength(10);
		});

		it('is only for the business account', async () => {
			const res = await h.as(regular).get(EVENTS, { from_time: 0, to_time: T0 });
			expect([res.status, errorOf(res.body).code]).toEqual([403, 220]);
		});
	});
});
