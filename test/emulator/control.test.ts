import { startEmulator } from '../../emulator/index';
import { startHarness, type Harness } from './emulatorHarness';
import type { AnyJson } from '../../emulator/client';

describe('the control API', () => {
	let h: Harness;
	beforeEach(async () => {
		h = await startHarness();
	});
	afterEach(() => h.close());

	it('publishes the business credentials', async () => {
		const res = await h.control('GET', 'credentials');
		expect(res.body).toEqual(h.emu.credentials);
		expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'accessTokenSecret', 'consumerKey', 'consumerSecret', 'screenName', 'userId']);
		expect(res.body.userId).toMatch(/^\d+$/);
	});

	it('creates customers with ids and tokens, refuses bad or duplicate ones (all or none), and updates them', async () => {
		const created = await h.control('POST', 'customers', { customers: [{ screenName: 'zed', name: 'Zed', canDm: false }, { screenName: 'yan', id: '4242' }] });
		expect(created.status).toBe(200);
		expect(created.body.customers[0]).toMatchObject({ screenName: 'zed', name: 'Zed', canDm: false, allowlisted: false });
		expect(created.body.customers[0].accessToken).toMatch(new RegExp(`^${created.body.customers[0].id}-`));
		expect(created.body.customers[1].id).toBe('4242');
		const dup = await h.control('POST', 'customers', { customers: [{ screenName: 'new_one' }, { screenName: 'ZED' }] });
		expect(dup.status).toBe(400);
		expect(dup.body.error).toMatch(/taken/);
		const list = await h.control('GET', 'customers');
		expect(list.body.customers.map((c: AnyJson) => c.screenName)).toEqual(['zed', 'yan']);
		expect((await h.control('POST', 'customers', { customers: [{ screenName: 'has space' }] })).status).toBe(400);
		const updated = await h.control('POST', `customers/${created.body.customers[0].id}`, { canDm: true });
		expect(updated.body.customer.canDm).toBe(true);
	});

	it('sets, advances and freezes the API clock', async () => {
		const set = await h.control('POST', 'clock', { now: '2030-01-01T00:00:00Z', freeze: true });
		expect(set.body).toMatchObject({ now: Date.parse('2030-01-01T00:00:00Z'), frozen: true });
		const moved = await h.control('POST', 'clock', { advanceMs: 90_000 });
		expect(moved.body.iso).toBe('2030-01-01T00:01:30.000Z');
		const thawed = await h.control('POST', 'clock', { freeze: false });
		expect(thawed.body.frozen).toBe(false);
		expect((await h.control('POST', 'clock', { now: 'soon' })).status).toBe(400);
		expect((await h.control('POST', 'clock', {})).status).toBe(400);
	});

	it('"set and freeze" holds exactly the time given, even when the real clock moves between the steps', async () => {
		const realNow = Date.now.bind(Date);
		let tick = 0;
		const spy = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + tick++);
		try {
			const set = await h.control('POST', 'clock', { now: '2030-01-01T00:00:00Z', freeze: true });
			expect(set.body).toMatchObject({ now: Date.parse('2030-01-01T00:00:00Z'), frozen: true });
		} finally {
			spy.mockRestore();
		}
	});

	it('changes options at runtime and refuses bad ones', async () => {
		const res = await h.control('POST', 'config', { snapshotMode: 'current', maxPageSize: 20 });
		expect(res.body.config).toMatchObject({ snapshotMode: 'current', maxPageSize: 20 });
		for (const bad of [{ snapshotMode: 'latest' }, { maxPageSize: 0 }, { emptyPageEvery: 1 }, { port: 1 }, { nope: true }]) {
			const r = await h.control('POST', 'config', bad);
			expect(r.status).toBe(400);
			expect(r.body.error).toBeTruthy();
		}
	});

	it('resets everything, optionally with the demo seed and options', async () => {
		await h.addCustomers({ screenName: 'temp' });
		const reset = await h.control('POST', 'reset', { seed: 'demo', options: { snapshotMode: 'current' } });
		expect(reset.body).toMatchObject({ ok: true, customers: 8, config: { snapshotMode: 'current', minEventAgeMs: 0 } });
		const customers = (await h.control('GET', 'customers')).body.customers;
		expect(customers.map((c: AnyJson) => c.screenName)).not.toContain('temp');
		expect(customers.filter((c: AnyJson) => !c.canDm).length).toBeGreaterThanOrEqual(2);
		const feedback = (await h.control('GET', 'feedback')).body.feedback;
		expect(feedback.length).toBeGreaterThanOrEqual(5);
		expect(feedback.some((f: AnyJson) => f.response?.score && f.response?.text)).toBe(true);
		expect(feedback.some((f: AnyJson) => f.response?.score && !f.response?.text)).toBe(true);
		expect(feedback.some((f: AnyJson) => !f.response)).toBe(true);
		const empty = await h.control('POST', 'reset', {});
		expect(empty.body).toMatchObject({ customers: 0, feedback: 0, config: { snapshotMode: 'event' } });
	});

	it('serves the demo seed from startEmulator({ seed: "demo" }), days in the past', async () => {
		const emu = await startEmulator({ seed: 'demo' });
		try {
			const all = emu.store.feedback.log.all();
			const now = emu.store.clock.now();
			expect(all.length).toBeGreaterThan(10);
			expect(all[0].at).toBeLessThan(now - 5 * 24 * 3600_000);
			expect(all[all.length - 1].at).toBeLessThan(now - 24 * 3600_000);
		} finally {
			await emu.close();
		}
	});

	it('plays the customer: respond and touch, with the same validation as the API', async () => {
		const [ann] = await h.addCustomers({ screenName: 'ann' });
		const fb = (await h.business.post('/1.1/feedback/create.json', { query: { type: 'nps', to_user_id: ann.id, message: 'Hi', privacy_url: 'https://a.example/p' } })).body;
		expect((await h.control('POST', `feedback/${fb.id}/respond`, { score: 11 })).status).toBe(400);
		expect((await h.control('POST', `feedback/${fb.id}/respond`, { score: 0 })).body.response.score.value).toBe(0);
		expect((await h.control('POST', `feedback/${fb.id}/touch`, { kind: 'dismissed' })).status).toBe(200);
		expect((await h.control('POST', `feedback/${fb.id}/touch`, { kind: 'opened' })).status).toBe(400);
		expect((await h.control('POST', 'feedback/1/respond', { score: 1 })).status).toBe(404);
		expect((await h.control('GET', `feedback/${fb.id}`)).body.id).toBe(fb.id);
		expect((await h.control('GET', 'nothing')).status).toBe(404);
		expect((await h.control('GET', 'reset')).status).toBe(404);
	});

	describe('bulk seeding', () => {
		it('generates a realistic, deterministic mix fast (100,000+ events)', async () => {
			const spec = { customers: 2000, feedback: 45_000, spanMs: 30 * 24 * 3600_000, seed: 7 };
			const res = await h.control('POST', 'bulk', spec);
			expect(res.status).toBe(200);
			expect(res.body.events).toBeGreaterThanOrEqual(100_000);
			// Generous bound: typically a few hundred ms.
			expect(res.body.ms).toBeLessThan(5000);

			const log = h.emu.store.feedback.log.all();
			const sorted = log.every((e, i) => i === 0 || e.at > log[i - 1].at || (e.at === log[i - 1].at && e.seq > log[i - 1].seq));
			expect(sorted).toBe(true);
			const records = [...h.emu.store.feedback.records.values()];
			expect(records.some((f) => f.type === 'nps') && records.some((f) => f.type === 'csat')).toBe(true);
			expect(records.some((f) => f.score && f.comment)).toBe(true);
			expect(records.some((f) => f.score && !f.comment)).toBe(true);
			expect(records.some((f) => !f.score)).toBe(true);
			expect(log.some((e) => e.kind === 'viewed') && log.some((e) => e.kind === 'dismissed')).toBe(true);

			const first = await h.business.get('/1.1/feedback/events.json', { from_time: 0, to_time: h.emu.store.clock.now(), count: 100 });
			expect(first.body.events).toHaveLength(100);
			expect(first.body.next_cursor).toBeTruthy();

			// Same seed, same data (apart from "now").
			const digest = () =>
				h.emu.store.feedback.log
					.all()
					.map((e) => `${e.kind}:${e.feedback.toUserId}:${e.feedback.score?.value ?? ''}:${h.emu.store.clock.now() - e.at}`)
					.join('|');
			await h.control('POST', 'clock', { freeze: true });
			await h.control('POST', 'reset', {});
			await h.control('POST', 'clock', { now: 1_900_000_000_000, freeze: true });
			await h.control('POST', 'bulk', { ...spec, feedback: 2000 });
			const a = digest();
			await h.control('POST', 'reset', {});
			await h.control('POST', 'clock', { now: 1_900_000_000_000, freeze: true });
			await h.control('POST', 'bulk', { ...spec, feedback: 2000 });
			expect(digest()).toBe(a);
		});

		it('refuses bad input', async () => {
			const none = await h.control('POST', 'bulk', { customers: 0, feedback: 10 });
			expect(none.status).toBe(400);
			expect(none.body.error).toMatch(/no customers/);
			expect((await h.control('POST', 'bulk', { customers: -1 })).status).toBe(400);
			expect((await h.control('POST', 'bulk', { customers: 1, mix: { nps: 2 } })).status).toBe(400);
		});
	});
});
