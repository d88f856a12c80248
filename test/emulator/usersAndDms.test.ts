import { errorOf, startHarness, type Harness, type TestCustomer } from './emulatorHarness';
import type { AnyJson } from '../../emulator/client';

const DM = '/1.1/direct_messages/events/new.json';

function dmBody(recipientId: string, messageData: Record<string, unknown> = { text: 'Hello' }) {
	return { event: { type: 'message_create', message_create: { target: { recipient_id: recipientId }, message_data: messageData } } };
}

describe('users, friendships and direct messages', () => {
	let h: Harness;
	let open: TestCustomer;
	let closed: TestCustomer;

	beforeAll(async () => {
		h = await startHarness();
		[open, closed] = await h.addCustomers({ screenName: 'open_olga', name: 'Olga Open' }, { screenName: 'closed_carl', canDm: false });
	});
	afterAll(() => h.close());

	describe('GET /1.1/users/show.json', () => {
		it('finds a user by id or screen name; can_dm only with include_can_dm', async () => {
			const byId = await h.business.get('/1.1/users/show.json', { user_id: open.id });
			expect(byId.status).toBe(200);
			expect(byId.body).toMatchObject({ id_str: open.id, screen_name: 'open_olga', name: 'Olga Open' });
			expect(byId.body.can_dm).toBeUndefined();
			const withCanDm = await h.business.get('/1.1/users/show.json', { screen_name: 'closed_carl', include_can_dm: 1 });
			expect(withCanDm.body.can_dm).toBe(false);
			const openCanDm = await h.business.get('/1.1/users/show.json', { screen_name: '@open_olga', include_can_dm: 'true' });
			expect(openCanDm.body.can_dm).toBe(true);
		});

		it('answers 404/50 for an unknown user and 400/38 without user_id or screen_name', async () => {
			const unknown = await h.business.get('/1.1/users/show.json', { screen_name: 'nobody_here' });
			expect([unknown.status, errorOf(unknown.body).code]).toEqual([404, 50]);
			const none = await h.business.get('/1.1/users/show.json');
			expect([none.status, errorOf(none.body).code]).toEqual([400, 38]);
			const bad = await h.business.get('/1.1/users/show.json', { user_id: 'abc' });
			expect([bad.status, errorOf(bad.body).code]).toEqual([400, 44]);
		});
	});

	describe('/1.1/users/lookup.json', () => {
		it('looks up ids and screen names (GET or POST), skipping unknown ones', async () => {
			const res = await h.business.get('/1.1/users/lookup.json', { user_id: `${open.id},42`, screen_name: 'closed_carl', include_can_dm: 1 });
			expect(res.status).toBe(200);
			expect(res.body.map((u: AnyJson) => [u.screen_name, u.can_dm])).toEqual([
				['open_olga', true],
				['closed_carl', false],
			]);
			const post = await h.business.post('/1.1/users/lookup.json', { form: { screen_name: 'open_olga' } });
			expect(post.body).toHaveLength(1);
		});

		it('refuses more than 100 users (44) and answers 404/17 when none match', async () => {
			const many = Array.from({ length: 101 }, (_, i) => String(i + 1)).join(',');
			const tooMany = await h.business.get('/1.1/users/lookup.json', { user_id: many });
			expect([tooMany.status, errorOf(tooMany.body).code]).toEqual([400, 44]);
			const none = await h.business.get('/1.1/users/lookup.json', { user_id: '1,2' });
			expect([none.status, errorOf(none.body).code]).toEqual([404, 17]);
		});
	});

	describe('GET /1.1/friendships/show.json', () => {
		it('answers relationship.source.can_dm for the caller or a named source', async () => {
			const res = await h.business.get('/1.1/friendships/show.json', { target_id: closed.id });
			expect(res.status).toBe(200);
			expect(res.body.relationship.source).toMatchObject({ id_str: h.emu.credentials.userId, can_dm: false });
			expect(res.body.relationship.target).toMatchObject({ id_str: closed.id, screen_name: 'closed_carl' });
			const named = await h.business.get('/1.1/friendships/show.json', { source_screen_name: h.emu.credentials.screenName, target_screen_name: 'open_olga' });
			expect(named.body.relationship.source.can_dm).toBe(true);
			const noTarget = await h.business.get('/1.1/friendships/show.json', { source_id: h.emu.credentials.userId });
			expect([noTarget.status, errorOf(noTarget.body).code]).toEqual([400, 38]);
		});
	});

	it('canDmField false: friendships/show and users/show leave can_dm out; the DM is still refused (349)', async () => {
		await h.control('POST', 'config', { canDmField: false });
		const rel = await h.business.get('/1.1/friendships/show.json', { target_id: closed.id });
		expect(rel.status).toBe(200);
		expect('can_dm' in rel.body.relationship.source).toBe(false);
		expect(rel.body.relationship.target).toMatchObject({ id_str: closed.id });
		const user = await h.business.get('/1.1/users/show.json', { user_id: closed.id, include_can_dm: '1' });
		expect('can_dm' in user.body).toBe(false);
		const dm = await h.business.post(DM, { json: dmBody(closed.id, { text: 'hi' }) });
		expect([dm.status, errorOf(dm.body).code]).toEqual([403, 349]);
	});

	describe('POST /1.1/direct_messages/events/new.json', () => {
		it('sends a DM with quick replies and buttons and answers the event', async () => {
			const messageData = {
				text: 'Did that help?',
				quick_reply: { type: 'options', options: [{ label: 'Yes', description: 'Works now' }, { label: 'No', description: 'Still broken', metadata: 'no' }] },
				ctas: [{ type: 'web_url', label: 'Help centre', url: 'https://acme.example/help' }],
			};
			const res = await h.business.post(DM, { json: dmBody(open.id, messageData) });
			expect(res.status).toBe(200);
			expect(res.headers['x-rate-limit-limit']).toBe('1000');
			expect(res.body.event).toMatchObject({
				type: 'message_create',
				message_create: { target: { recipient_id: open.id }, sender_id: h.emu.credentials.userId, message_data: messageData },
			});
			expect(res.body.event.created_timestamp).toMatch(/^\d{13}$/);
			const dms = await h.control('GET', `dms?recipient_id=${open.id}`);
			expect(dms.body.dms.map((d: AnyJson) => d.id)).toContain(res.body.event.id);
		});

		it.each([
			['a missing event (38)', {}, 400, 38],
			['a missing text (38)', dmBody('1', {}), 400, 38],
			['a quick reply description on one option only (44: X wants it on all or none)', dmBody('1', { text: 'x', quick_reply: { type: 'options', options: [{ label: 'a', description: 'A' }, { label: 'b' }] } }), 400, 44],
			['21 quick replies (44)', dmBody('1', { text: 'x', quick_reply: { type: 'options', options: Array.from({ length: 21 }, (_, i) => ({ label: `o${i}` })) } }), 400, 44],
			['4 buttons (44)', dmBody('1', { text: 'x', ctas: Array.from({ length: 4 }, () => ({ type: 'web_url', label: 'a', url: 'https://a.example' })) }), 400, 44],
			['no buttons (44)', dmBody('1', { text: 'x', ctas: [] }), 400, 44],
			['a button that is not web_url (44)', dmBody('1', { text: 'x', ctas: [{ type: 'postback', label: 'a', url: 'https://a.example' }] }), 400, 44],
			['a text over 10,000 characters (354)', dmBody('1', { text: 'x'.repeat(10_001) }), 403, 354],
		])('refuses %s', async (_label, body, status, code) => {
			const res = await h.business.post(DM, { json: body });
			expect([res.status, errorOf(res.body).code]).toEqual([status, code]);
		});

		it('answers 349 for a customer who does not accept DMs, 50 for an unknown one, 93 without DM permission', async () => {
			const closedRes = await h.business.post(DM, { json: dmBody(closed.id) });
			expect([closedRes.status, errorOf(closedRes.body).code]).toEqual([403, 349]);
			const unknown = await h.business.post(DM, { json: dmBody('123456') });
			expect([unknown.status, errorOf(unknown.body).code]).toEqual([404, 50]);
			await h.control('POST', 'config', { dmPermission: false });
			const denied = await h.business.post(DM, { json: dmBody(open.id) });
			expect([denied.status, errorOf(denied.body).code]).toEqual([403, 93]);
			await h.control('POST', 'config', { dmPermission: true });
		});

		it('refuses a body that is not JSON', async () => {
			const res = await h.business.post(DM, { headers: { 'content-type': 'application/json' }, rawBody: '{"event":' });
			expect([res.status, errorOf(res.body).code]).toEqual([400, 44]);
			expect(errorOf(res.body).message).toMatch(/not valid JSON/);
		});
	});
});
