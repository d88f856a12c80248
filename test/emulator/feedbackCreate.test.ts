import { createParams, errorOf, PRIVACY_URL, startHarness, type Harness, type TestCustomer } from './emulatorHarness';

const CREATE = '/1.1/feedback/create.json';

describe('POST /1.1/feedback/create.json', () => {
	let h: Harness;
	let ann: TestCustomer;
	let bob: TestCustomer;
	let closed: TestCustomer;
	let vip: TestCustomer;

	beforeEach(async () => {
		h = await startHarness();
		[ann, bob, closed, vip] = await h.addCustomers(
			{ screenName: 'ann', name: 'Ann Lee' },
			{ screenName: 'bob' },
			{ screenName: 'closed_dms', canDm: false },
			{ screenName: 'vip', allowlisted: true },
		);
	});
	afterEach(() => h.close());

	const create = (params: Record<string, string | undefined>) => h.business.post(CREATE, { query: params });

	it('sends the DM and the card and answers the feedback object', async () => {
		const res = await create(createParams(ann.id, { type: 'nps', question_variant_id: '3', display_name: 'Acme', external_id: 'case-42', message: 'Hi Ann, how likely are you to recommend us?' }));
		expect(res.status).toBe(200);
		expect(res.headers['x-rate-limit-limit']).toBe('1000');
		const fb = res.body;
		expect(fb).toMatchObject({
			type: 'nps',
			test: true,
			from_user_id: h.emu.credentials.userId,
			to_user_id: ann.id,
			privacy_url: PRIVACY_URL,
			external_id: 'case-42',
			question_variant_id: '3',
			display_name: 'Acme',
			text: 'Hi Ann, how likely are you to recommend us?',
		});
		expect(fb.id).toMatch(/^\d+$/);
		expect(fb.dm_id).toMatch(/^\d+$/);
		expect(fb.created_at).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \+0000 \d{4}$/);
		expect(fb.updated_at).toBe(fb.created_at);
		expect(fb.response).toBeUndefined();

		const dms = await h.control('GET', `dms?recipient_id=${ann.id}`);
		expect(dms.body.dms).toHaveLength(1);
		expect(dms.body.dms[0]).toMatchObject({
			type: 'message_create',
			id: fb.dm_id,
			feedback_id: fb.id,
			message_create: { target: { recipient_id: ann.id }, sender_id: h.emu.credentials.userId, message_data: { text: fb.text } },
		});

		const shown = await h.business.get(`/1.1/feedback/show/${fb.id}.json`);
		expect(shown.status).toBe(200);
		expect(shown.body).toEqual(fb);
	});

	it('accepts the parameters as a form body too, with defaults for the optional ones', async () => {
		const res = await h.business.post(CREATE, { form: { type: 'csat', to_user_id: ann.id, message: 'Rate us?', privacy_url: PRIVACY_URL } });
		expect(res.status).toBe(200);
		expect(res.body.question_variant_id).toBe('0');
		expect(res.body.test).toBe(false);
		expect(res.body.external_id).toBeUndefined();
	});

	it.each(['type', 'to_user_id', 'message', 'privacy_url'])('answers 400/38 naming %s when it is missing', async (name) => {
		const res = await create(createParams(ann.id, { [name]: undefined }));
		expect(res.status).toBe(400);
		expect(errorOf(res.body).code).toBe(38);
		expect(errorOf(res.body).message).toContain(name);
	});

	const invalid: Array<[string, string, Record<string, string>]> = [
		['type', 'upper case', { type: 'CSAT' }],
		['type', 'unknown type', { type: 'ces' }],
		['to_user_id', 'not digits', { to_user_id: '@ann' }],
		['message', '10,001 characters', { message: 'x'.repeat(10_001) }],
		['privacy_url', 'no scheme', { privacy_url: 'acme.example/privacy' }],
		['privacy_url', 'not http(s)', { privacy_url: 'ftp://acme.example/privacy' }],
		['external_id', '257 characters', { external_id: 'e'.repeat(257) }],
		['external_id', 'empty', { external_id: '' }],
		['question_variant_id', 'CSAT 38', { question_variant_id: '38' }],
		['question_variant_id', 'NPS 10', { type: 'nps', question_variant_id: '10' }],
		['question_variant_id', 'negative', { question_variant_id: '-1' }],
		['question_variant_id', 'not a number', { question_variant_id: 'two' }],
		['display_name', '23 characters', { display_name: 'A name that is too long' }],
		['test', 'yes', { test: 'yes' }],
	];
	it.each(invalid)('answers 400/44 naming %s when it is invalid (%s)', async (name, _label, override) => {
		const res = await create(createParams(ann.id, override));
		expect(res.status).toBe(400);
		expect(errorOf(res.body).code).toBe(44);
		expect(errorOf(res.body).message).toContain(name);
	});

	it('accepts the limits themselves', async () => {
		const res = await create(
			createParams(ann.id, { message: 'm'.repeat(10_000), external_id: 'e'.repeat(256), question_variant_id: '37', display_name: 'd'.repeat(20) }),
		);
		expect(res.status).toBe(200);
		const nps = await create(createParams(bob.id, { type: 'nps', question_variant_id: '9' }));
		expect(nps.status).toBe(200);
	});

	it('answers 404/50 for an unknown recipient and 403/349 for one who does not accept DMs', async () => {
		const unknown = await create(createParams('999999'));
		expect(unknown.status).toBe(404);
		expect(errorOf(unknown.body).code).toBe(50);
		const cannot = await create(createParams(closed.id));
		expect(cannot.status).toBe(403);
		expect(errorOf(cannot.body).code).toBe(349);
	});

	it('allows one request per recipient per 24 hours, unless X allowlisted the recipient', async () => {
		await h.control('POST', 'clock', { freeze: true });
		expect((await create(createParams(ann.id))).status).toBe(200);
		const again = await create(createParams(ann.id, { type: 'nps' }));
		expect(again.status).toBe(403);
		expect(errorOf(again.body).code).toBe(185);
		expect(errorOf(again.body).message).toMatch(/last 24 hours/);

		expect((await create(createParams(vip.id))).status).toBe(200);
		expect((await create(createParams(vip.id))).status).toBe(200);

		await h.control('POST', 'clock', { advanceMs: 24 * 3600_000 - 1000 });
		expect((await create(createParams(ann.id))).status).toBe(403);
		await h.control('POST', 'clock', { advanceMs: 1000 });
		expect((await create(createParams(ann.id))).status).toBe(200);
	});

	it('perRecipientRefusal rateLimit: the second request to a recipient is 429/88 while the window still has calls', async () => {
		await h.control('POST', 'config', { perRecipientRefusal: 'rateLimit' });
		expect((await create(createParams(ann.id))).status).toBe(200);
		const again = await create(createParams(ann.id));
		expect([again.status, errorOf(again.body).code]).toEqual([429, 88]);
		expect(Number(again.headers['x-rate-limit-remaining'])).toBeGreaterThan(0);
		expect(again.headers['x-rate-limit-limit']).toBe('1000');
		expect((await create(createParams(bob.id))).status).toBe(200);
	});

	it('answers 87 when the app is not allowlisted, 220 for the account, 93 without DM permission', async () => {
		await h.control('POST', 'config', { appAllowlisted: false });
		let res = await create(createParams(ann.id));
		expect([res.status, errorOf(res.body).code]).toEqual([403, 87]);
		await h.control('POST', 'config', { appAllowlisted: true, accountAllowlisted: false });
		res = await create(createParams(ann.id));
		expect([res.status, errorOf(res.body).code]).toEqual([403, 220]);
		await h.control('POST', 'config', { accountAllowlisted: true, dmPermission: false });
		res = await create(createParams(ann.id));
		expect([res.status, errorOf(res.body).code]).toEqual([403, 93]);
	});

	it('does not let a customer send feedback requests (their account is not allowlisted)', async () => {
		const res = await h.as(ann).post(CREATE, { query: createParams(bob.id) });
		expect([res.status, errorOf(res.body).code]).toEqual([403, 220]);
	});

	it('answers 404/34 for an unknown feedback id and for feedback of someone else', async () => {
		const res = await h.business.get('/1.1/feedback/show/123.json');
		expect([res.status, errorOf(res.body).code]).toEqual([404, 34]);
	});
});
