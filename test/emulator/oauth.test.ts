import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { request } from 'undici';

import { createSignedClient } from '../../emulator/client';
import { authorizationHeader } from '../../emulator/oauth';
import { errorOf, startHarness, type Harness } from './emulatorHarness';

const VERIFY = '/1.1/account/verify_credentials.json';

describe('OAuth 1.0a on the emulator', () => {
	let h: Harness;
	beforeAll(async () => {
		h = await startHarness();
	});
	afterAll(() => h.close());

	it('accepts a correctly signed request and answers the business user', async () => {
		const res = await h.business.get(VERIFY);
		expect(res.status).toBe(200);
		expect(res.body.id_str).toBe(h.emu.credentials.userId);
		expect(res.body.screen_name).toBe(h.emu.credentials.screenName);
		// Like X, `id` is a bare 64-bit number: unsafe in JS, so clients must read id_str.
		expect(res.text).toContain(`"id":${h.emu.credentials.userId},`);
	});

	it('rejects a missing or garbled Authorization header with 400/215', async () => {
		const missing = await h.business.get(VERIFY, {}, { unsigned: true });
		expect(missing.status).toBe(400);
		expect(errorOf(missing.body).code).toBe(215);
		const garbled = await h.business.get(VERIFY, {}, { unsigned: true, headers: { authorization: 'OAuth nonsense' } });
		expect(garbled.status).toBe(400);
		expect(errorOf(garbled.body).code).toBe(215);
	});

	it('rejects an unknown consumer key and a bad signature with 401/32', async () => {
		const c = h.emu.credentials;
		const stranger = createSignedClient({ baseUrl: h.emu.baseUrl, consumerKey: 'someoneElse', consumerSecret: c.consumerSecret, token: c.accessToken, tokenSecret: c.accessTokenSecret });
		const wrongSecret = createSignedClient({ baseUrl: h.emu.baseUrl, consumerKey: c.consumerKey, consumerSecret: 'wrong', token: c.accessToken, tokenSecret: c.accessTokenSecret });
		try {
			for (const client of [stranger, wrongSecret]) {
				const res = await client.get(VERIFY);
				expect(res.status).toBe(401);
				expect(errorOf(res.body).code).toBe(32);
			}
		} finally {
			await stranger.close();
			await wrongSecret.close();
		}
	});

	it('rejects a request whose signed parameters differ from the sent ones', async () => {
		const header = authorizationHeader({
			method: 'GET',
			url: `${h.emu.baseUrl}/1.1/users/show.json`,
			params: { screen_name: 'someone' },
			consumerKey: h.emu.credentials.consumerKey,
			consumerSecret: h.emu.credentials.consumerSecret,
			token: h.emu.credentials.accessToken,
			tokenSecret: h.emu.credentials.accessTokenSecret,
		});
		const res = await request(`${h.emu.baseUrl}/1.1/users/show.json?screen_name=AcmeSupport`, { headers: { authorization: header } });
		expect(res.statusCode).toBe(401);
		expect(errorOf(await res.body.json()).code).toBe(32);
	});

	it('rejects an unknown or revoked token with 401/89', async () => {
		const unknown = await h.business.get(VERIFY, {}, { token: { key: '1-unknown', secret: 'x' } });
		expect(unknown.status).toBe(401);
		expect(errorOf(unknown.body).code).toBe(89);

		const [customer] = await h.addCustomers({ screenName: 'revoked_rita' });
		const rita = h.as(customer);
		expect((await rita.get(VERIFY)).status).toBe(200);
		expect((await h.control('POST', 'revoke', { token: customer.accessToken })).status).toBe(200);
		const revoked = await rita.get(VERIFY);
		expect(revoked.status).toBe(401);
		expect(errorOf(revoked.body).code).toBe(89);
	});

	it('rejects a timestamp outside the allowed skew with 401/135', async () => {
		const stale = await h.business.get(VERIFY, {}, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
		expect(stale.status).toBe(401);
		expect(errorOf(stale.body).code).toBe(135);
		const future = await h.business.get(VERIFY, {}, { timestamp: Math.floor(Date.now() / 1000) + 3600 });
		expect(errorOf(future.body).code).toBe(135);
	});

	it('rejects a reused nonce with 401/32', async () => {
		const nonce = `nonce${Date.now()}`;
		expect((await h.business.get(VERIFY, {}, { nonce })).status).toBe(200);
		const replay = await h.business.get(VERIFY, {}, { nonce });
		expect(replay.status).toBe(401);
		expect(errorOf(replay.body).code).toBe(32);
		expect(errorOf(replay.body).message).toMatch(/nonce/);
	});

	it('signs query and form parameters but not a JSON body', async () => {
		const [customer] = await h.addCustomers({ screenName: 'json_jane' });
		const form = await h.business.post('/1.1/users/lookup.json', { form: { screen_name: 'json_jane' } });
		expect(form.status).toBe(200);
		const dm = await h.business.post('/1.1/direct_messages/events/new.json', {
			query: {},
			json: { event: { type: 'message_create', message_create: { target: { recipient_id: customer.id }, message_data: { text: 'Hi' } } } },
		});
		expect(dm.status).toBe(200);
	});

	it('verifies requests signed the way n8n-core signs (query in data, spaces sent as +)', async () => {
		const c = h.emu.credentials;
		const oauth = new OAuth({
			consumer: { key: c.consumerKey, secret: c.consumerSecret },
			signature_method: 'HMAC-SHA1',
			hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
		});
		const url = `${h.emu.baseUrl}/1.1/users/show.json`;
		const qs = { screen_name: 'AcmeSupport', note: 'a b+c/é' };
		const { Authorization } = oauth.toHeader(oauth.authorize({ url, method: 'GET', data: { ...qs } }, { key: c.accessToken, secret: c.accessTokenSecret }));
		const res = await request(`${url}?${new URLSearchParams(qs).toString()}`, { headers: { authorization: Authorization } });
		expect(res.statusCode).toBe(200);
		await res.body.dump();
	});

	describe('the three-legged dance', () => {
		const c = () => h.emu.credentials;
		const consumerOnly = () => createSignedClient({ baseUrl: h.emu.baseUrl, consumerKey: c().consumerKey, consumerSecret: c().consumerSecret });

		it('request_token -> authorize page -> Authorize app -> callback -> access_token -> a signed call', async () => {
			const app = consumerOnly();
			try {
				const callback = 'http://localhost:5678/rest/oauth1-credential/callback?state=abc';
				const rt = await app.post('/oauth/request_token', { oauthParams: { oauth_callback: callback } });
				expect(rt.status).toBe(200);
				const rtFields = new URLSearchParams(rt.text);
				expect(rtFields.get('oauth_callback_confirmed')).toBe('true');
				const requestToken = rtFields.get('oauth_token')!;
				const requestSecret = rtFields.get('oauth_token_secret')!;
				expect(requestToken).toBeTruthy();

				const page = await request(`${h.emu.baseUrl}/oauth/authorize?oauth_token=${requestToken}`);
				const html = await page.body.text();
				expect(page.statusCode).toBe(200);
				expect(html).toContain('Authorize app');
				expect(html).toContain('n8n X Customer Feedback');
				expect(html).toContain('action="/oauth/authorize"');

				const approve = await request(`${h.emu.baseUrl}/oauth/authorize`, {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: new URLSearchParams({ oauth_token: requestToken, allow: '1' }).toString(),
				});
				await approve.body.dump();
				expect(approve.statusCode).toBe(302);
				const location = new URL(String(approve.headers.location));
				expect(`${location.origin}${location.pathname}`).toBe('http://localhost:5678/rest/oauth1-credential/callback');
				expect(location.searchParams.get('state')).toBe('abc');
				expect(location.searchParams.get('oauth_token')).toBe(requestToken);
				const verifier = location.searchParams.get('oauth_verifier')!;

				// A request token is no access token.
				const early = await app.get(VERIFY, {}, { token: { key: requestToken, secret: requestSecret } });
				expect(errorOf(early.body).code).toBe(89);

				const wrong = await app.post('/oauth/access_token', { token: { key: requestToken, secret: requestSecret }, form: { oauth_verifier: 'nope' } });
				expect(wrong.status).toBe(401);

				const at = await app.post('/oauth/access_token', { token: { key: requestToken, secret: requestSecret }, form: { oauth_verifier: verifier } });
				expect(at.status).toBe(200);
				const atFields = new URLSearchParams(at.text);
				expect(atFields.get('user_id')).toBe(c().userId);
				expect(atFields.get('screen_name')).toBe(c().screenName);

				const me = await app.get(VERIFY, {}, { token: { key: atFields.get('oauth_token')!, secret: atFields.get('oauth_token_secret')! } });
				expect(me.status).toBe(200);
				expect(me.body.id_str).toBe(c().userId);

				// Request tokens are single use.
				const again = await app.post('/oauth/access_token', { token: { key: requestToken, secret: requestSecret }, form: { oauth_verifier: verifier } });
				expect(again.status).toBe(401);
				expect(errorOf(again.body).code).toBe(89);
			} finally {
				await app.close();
			}
		});

		it("accepts n8n 1.x's unsigned access_token exchange (oauth_token + oauth_verifier as a form), and only with a valid pair", async () => {
			const app = consumerOnly();
			try {
				const rt = new URLSearchParams((await app.post('/oauth/request_token', { oauthParams: { oauth_callback: 'http://localhost:5678/cb' } })).text);
				const requestToken = rt.get('oauth_token')!;
				const approve = await request(`${h.emu.baseUrl}/oauth/authorize`, {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: new URLSearchParams({ oauth_token: requestToken, allow: '1' }).toString(),
				});
				await approve.body.dump();
				const verifier = new URL(String(approve.headers.location)).searchParams.get('oauth_verifier')!;
				const unsigned = (form: Record<string, string>) =>
					request(`${h.emu.baseUrl}/oauth/access_token`, {
						method: 'POST',
						headers: { 'content-type': 'application/x-www-form-urlencoded' },
						body: new URLSearchParams(form).toString(),
					});

				const wrongVerifier = await unsigned({ oauth_token: requestToken, oauth_verifier: 'nope' });
				expect(wrongVerifier.statusCode).toBe(401);
				await wrongVerifier.body.dump();
				const unknownToken = await unsigned({ oauth_token: 'not-a-request-token', oauth_verifier: verifier });
				expect(unknownToken.statusCode).toBe(401);
				await unknownToken.body.dump();

				const ok = await unsigned({ oauth_token: requestToken, oauth_verifier: verifier });
				expect(ok.statusCode).toBe(200);
				const fields = new URLSearchParams(await ok.body.text());
				expect(fields.get('screen_name')).toBe(c().screenName);
				const me = await app.get(VERIFY, {}, { token: { key: fields.get('oauth_token')!, secret: fields.get('oauth_token_secret')! } });
				expect(me.status).toBe(200);
			} finally {
				await app.close();
			}
		});

		it('works with the exact calls n8n makes (callback and verifier signed through oauth-1.0a)', async () => {
			const oauth = new OAuth({
				consumer: { key: c().consumerKey, secret: c().consumerSecret },
				signature_method: 'HMAC-SHA1',
				hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
			});
			const requestTokenUrl = `${h.emu.baseUrl}/oauth/request_token`;
			const rtHeaders = oauth.toHeader(oauth.authorize({ method: 'POST', url: requestTokenUrl, data: { oauth_callback: 'http://localhost:5678/rest/oauth1-credential/callback?state=xyz' } }));
			const rtRes = await request(requestTokenUrl, { method: 'POST', headers: { ...rtHeaders } });
			const rt = Object.fromEntries(new URLSearchParams(await rtRes.body.text()));
			expect(rtRes.statusCode).toBe(200);

			const authUrl = new URL(`${h.emu.baseUrl}/oauth/authenticate`);
			authUrl.searchParams.set('oauth_token', rt.oauth_token);
			const page = await request(authUrl.toString());
			expect(await page.body.text()).toContain('Authorize app');
			const approve = await request(`${h.emu.baseUrl}/oauth/authorize`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: `oauth_token=${rt.oauth_token}`,
			});
			await approve.body.dump();
			const verifier = new URL(String(approve.headers.location)).searchParams.get('oauth_verifier')!;

			const accessTokenUrl = `${h.emu.baseUrl}/oauth/access_token`;
			const headers = oauth.toHeader(oauth.authorize({ method: 'POST', url: accessTokenUrl, data: { oauth_verifier: verifier } }, { key: rt.oauth_token, secret: rt.oauth_token_secret }));
			const atRes = await request(accessTokenUrl, {
				method: 'POST',
				headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ oauth_verifier: verifier }).toString(),
			});
			const at = Object.fromEntries(new URLSearchParams(await atRes.body.text()));
			expect(atRes.statusCode).toBe(200);
			expect(at.user_id).toBe(c().userId);
			expect(at.oauth_token).toMatch(new RegExp(`^${c().userId}-`));
		});

		it('redirects with denied= when the user cancels, and refuses unknown request tokens', async () => {
			const app = consumerOnly();
			try {
				const rt = new URLSearchParams((await app.post('/oauth/request_token', { oauthParams: { oauth_callback: 'http://localhost:9/cb' } })).text);
				const cancel = await request(`${h.emu.baseUrl}/oauth/authorize`, {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: `oauth_token=${rt.get('oauth_token')}&cancel=1`,
				});
				await cancel.body.dump();
				expect(new URL(String(cancel.headers.location)).searchParams.get('denied')).toBe(rt.get('oauth_token'));
				const unknown = await request(`${h.emu.baseUrl}/oauth/authorize?oauth_token=nope`);
				expect(unknown.statusCode).toBe(400);
				await unknown.body.dump();
				const noCallback = await app.post('/oauth/request_token');
				expect(noCallback.status).toBe(400);
				expect(errorOf(noCallback.body).code).toBe(38);
			} finally {
				await app.close();
			}
		});
	});
});
