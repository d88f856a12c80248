import { createParams, errorOf, startHarness, type Harness, type TestCustomer } from './emulatorHarness';

const VERIFY = '/1.1/account/verify_credentials.json';

describe('rate limits', () => {
	let h: Harness;
	let ann: TestCustomer;

	beforeEach(async () => {
		h = await startHarness();
		[ann] = await h.addCustomers({ screenName: 'ann', allowlisted: true });
		await h.control('POST', 'clock', { freeze: true });
	});
	afterEach(() => h.close());

	it("sends x-rate-limit-* headers with X's documented limits on every /1.1 answer, errors included", async () => {
		const checks: Array<[Promise<{ status: number; headers: Record<string, string> }>, string]> = [
			[h.business.get(VERIFY), '75'],
			[h.business.get('/1.1/users/show.json', { user_id: ann.id }), '900'],
			[h.business.get('/1.1/friendships/show.json', { target_id: ann.id }), '180'],
			[h.business.get('/1.1/feedback/show/1.json'), '180'],
			[h.business.get('/1.1/feedback/events.json', { from_time: 0, to_time: 1 }), '1000'],
			[h.business.post('/1.1/feedback/create.json', { query: {} }), '1000'],
			[h.business.get(VERIFY, {}, { unsigned: true }), '75'],
		];
		for (const [pending, limit] of checks) {
			const res = await pending;
			expect(res.headers['x-rate-limit-limit']).toBe(limit);
			expect(Number(res.headers['x-rate-limit-remaining'])).toBeGreaterThanOrEqual(0);
			const reset = Number(res.headers['x-rate-limit-reset']);
			expect(reset).toBeGreaterThan(Date.now() / 1000);
			expect(reset).toBeLessThan(Date.now() / 1000 + 24 * 3600 + 60);
		}
	});

	it('counts down per endpoint and user, answers 429/88 when exhausted, and resets with the window', async () => {
		let last;
		for (let i = 1; i <= 75; i++) {
			last = await h.business.get(VERIFY);
			expect(last.status).toBe(200);
		}
		expect(last!.headers['x-rate-limit-remaining']).toBe('0');
		const limited = await h.business.get(VERIFY);
		expect([limited.status, errorOf(limited.body).code]).toEqual([429, 88]);
		expect(limited.headers['x-rate-limit-remaining']).toBe('0');
		// Another endpoint and another user have their own windows.
		expect((await h.business.get('/1.1/users/show.json', { user_id: ann.id })).status).toBe(200);
		expect((await h.as(ann).get(VERIFY)).status).toBe(200);

		await h.control('POST', 'clock', { advanceMs: 15 * 60_000 });
		const fresh = await h.business.get(VERIFY);
		expect(fresh.status).toBe(200);
		expect(fresh.headers['x-rate-limit-remaining']).toBe('74');
	});

	it('uses rateWindowMs for the 15-minute windows', async () => {
		await h.control('POST', 'config', { rateWindowMs: 1000 });
		for (let i = 0; i < 180; i++) await h.business.get('/1.1/feedback/show/1.json');
		expect((await h.business.get('/1.1/feedback/show/1.json')).status).toBe(429);
		await h.control('POST', 'clock', { advanceMs: 1000 });
		expect((await h.business.get('/1.1/feedback/show/1.json')).status).toBe(404);
	});

	it('allows 1,000 feedback/create calls per user per 24 hours', async () => {
		const bad = { query: createParams(ann.id, { type: 'bad' }) };
		for (let i = 0; i < 999; i++) expect((await h.business.post('/1.1/feedback/create.json', bad)).status).toBe(400);
		expect((await h.business.post('/1.1/feedback/create.json', { query: createParams(ann.id) })).status).toBe(200);
		const limited = await h.business.post('/1.1/feedback/create.json', { query: createParams(ann.id) });
		expect([limited.status, errorOf(limited.body).code]).toEqual([429, 88]);
		await h.control('POST', 'clock', { advanceMs: 15 * 60_000 });
		expect((await h.business.post('/1.1/feedback/create.json', { query: createParams(ann.id) })).status).toBe(429);
		await h.control('POST', 'clock', { advanceMs: 24 * 3600_000 });
		expect((await h.business.post('/1.1/feedback/create.json', { query: createParams(ann.id) })).status).toBe(200);
	});
});
