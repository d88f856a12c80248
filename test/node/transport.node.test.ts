/**
 * What the action node says when X fails, for every error class the transport maps, and how GETs
 * are retried (and POSTs are not). The transport's backoff sleeps go through n8n-workflow's `sleep`;
 * this file replaces it with one that records the delay and returns at once, so retries cost no
 * time and the delays can be checked exactly.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { ENDPOINT, byId, count, sendParams, useXNode, visibleText, type Customer, type XNode } from './xNode';

const sleeps: number[] = [];
jest.mock('n8n-workflow', () => {
	const actual = jest.requireActual('n8n-workflow');
	return {
		...actual,
		sleep: async (ms: number) => {
			// The transport also keeps watch over each answer with sleep (one slice here, as it returns at once).
			if (ms !== jest.requireActual('../../nodes/shared/readWatch').WATCH_SLICE_MS) sleeps.push(ms);
		},
	};
});

let x: XNode;
let alice: Customer;
let closed: Customer;
let feedbackId: string;

useXNode((node) => (x = node), {
	customers: [{ screenName: 'alice' }, { screenName: 'closed_dms', canDm: false }],
	each: (customers) => ([alice, closed] = customers),
});
beforeEach(async () => {
	const { items, error } = await x.run(sendParams(byId(alice.id)));
	if (error) throw error;
	feedbackId = items[0].json.feedbackId as string;
	await x.control('POST', 'stats/reset');
	sleeps.length = 0;
});

const getParams = (): INodeParameters => ({ resource: 'feedback', operation: 'get', feedbackId });
const dmParams = (id: string): INodeParameters => ({ resource: 'directMessage', operation: 'send', recipient: byId(id), text: 'Hello' });
const listParams = (): INodeParameters => ({
	resource: 'feedback',
	operation: 'getMany',
	returnAll: true,
	options: { minEventAgeHours: 0 },
});

describe('each X error class reads as what to do', () => {
	const cases: Array<[string, () => Promise<void>, () => INodeParameters, string, string, string]> = [
		[
			'87 app not allowlisted',
			() => x.control('POST', 'config', { appAllowlisted: false }),
			getParams,
			'This app is not allowlisted for customer feedback cards',
			"allowlist this app's client ID",
			'403',
		],
		[
			'220 account not allowlisted',
			() => x.control('POST', 'config', { accountAllowlisted: false }),
			() => sendParams(byId(closed.id), {}, { checkCanDm: false }),
			'This account is not allowlisted for customer feedback cards',
			'X must allowlist each @username that sends feedback cards',
			'403',
		],
		[
			'93 no DM permission',
			() => x.control('POST', 'config', { dmPermission: false }),
			() => dmParams(alice.id),
			'This app may not access Direct Messages',
			'Read and write and Direct message',
			'403',
		],
		[
			'349 cannot DM (a Direct Message)',
			async () => {},
			() => dmParams(closed.id),
			'You cannot send Direct Messages to this user',
			'reason "cannot_dm"',
			'403',
		],
		[
			'89 expired token',
			() => x.faults({ kind: 'expiredToken' }),
			() => dmParams(alice.id),
			'The X access token is invalid or expired: reconnect the credential',
			'"Switch account"',
			'401',
		],
		[
			'135 clock off',
			() => x.faults({ kind: 'staleTimestamp' }),
			getParams,
			"X rejected the request's timestamp: this machine's clock is off",
			'Synchronise the clock',
			'401',
		],
		[
			'34 not found',
			async () => {},
			() => ({ resource: 'feedback', operation: 'get', feedbackId: '1799999999999999999' }),
			'X found nothing at GET /1.1/feedback/show/1799999999999999999.json: check the ID',
			'does not exist or is not visible',
			'404',
		],
		[
			'44 parameter rejected (X keeps a longer minimum age than the node was told)',
			() => x.control('POST', 'config', { minEventAgeMs: 60 * 60 * 1000 }),
			listParams,
			'X rejected a parameter: to_time parameter is invalid: must be at least 1 hours in the past.',
			'Correct the field named in the message',
			'400',
		],
		[
			'50 user not found (username lookup)',
			async () => {},
			() => sendParams({ __rl: true, mode: 'username', value: 'nobody_here' }),
			'X found no such user: check the user ID or @username',
			'does not exist or is suspended',
			'404',
		],
	];

	test.each(cases)('%s', async (_name, arrange, params, message, hint, httpCode) => {
		await arrange();
		const { items, error } = await x.run(params());
		expect(items).toHaveLength(0);
		expect(error?.message).toBe(`Item 0: ${message}`);
		expect(error?.description).toContain(hint);
		expect(error?.httpCode).toBe(httpCode);
		expect(error?.context?.itemIndex).toBe(0);
		// None of these is worth retrying.
		expect(sleeps).toEqual([]);
	});

	test('32 could not authenticate: a wrong consumer secret', async () => {
		const { error } = await x.run(getParams(), { credentials: { consumerSecret: 'not-the-secret' } });
		expect(error?.message).toBe('Item 0: X could not authenticate this request: reconnect the credential');
		expect(error?.description).toContain('consumer key and secret or the access token do not match');
		expect(error?.httpCode).toBe('401');
		expect(count(await x.stats(), ENDPOINT.show)).toBe(1);
	});

	test('with continueOnFail the error becomes the item', async () => {
		await x.control('POST', 'config', { appAllowlisted: false });
		const { items, error } = await x.run(getParams(), { continueOnFail: true, input: [{}, {}] });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		for (const [i, item] of items.entries()) {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toEqual({
				error: `Item ${i}: This app is not allowlisted for customer feedback cards`,
				description: expect.stringContaining('Ask your X account manager'),
			});
		}
	});

	test('with "continue using error output" failed items go to the error output', async () => {
		await x.control('POST', 'config', { appAllowlisted: false });
		const { items, errorItems, error } = await x.run(getParams(), { errorOutput: true, input: [{}, {}] });
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
		expect(errorItems.map((i) => [i.json, i.pairedItem])).toEqual([
			[{ error: 'Item 0: This app is not allowlisted for customer feedback cards' }, { item: 0 }],
			[{ error: 'Item 1: This app is not allowlisted for customer feedback cards' }, { item: 1 }],
		]);
	});
});

describe('rate limits (88)', () => {
	test('the error says when the limit resets, and the GET is not retried', async () => {
		await x.faults({ kind: 'rateLimit', resetAfterMs: 10 * 60 * 1000, path: '/feedback/show' });
		const before = Date.now();
		const { error } = await x.run(getParams());
		const after = Date.now();
		const match = /^Item 0: X rate limit reached for GET \/1\.1\/feedback\/show\/\d+\.json: try again after (\d\d):(\d\d) UTC \((\S+)\)$/.exec(
			error?.message ?? '',
		);
		expect(match).not.toBeNull();
		const resetMs = Date.parse(match![3]);
		// The header carries whole seconds, rounded up.
		expect(resetMs).toBeGreaterThanOrEqual(Math.floor((before + 10 * 60 * 1000) / 1000) * 1000);
		expect(resetMs).toBeLessThanOrEqual(Math.ceil((after + 10 * 60 * 1000) / 1000) * 1000);
		expect(`${match![1]}:${match![2]}`).toBe(new Date(resetMs).toISOString().slice(11, 16));
		expect(error?.httpCode).toBe('429');
		expect((error?.context?.x as IDataObject).retryAtMs).toBe(resetMs);
		// n8n >= 2.37 reads why it failed and when X says it works again.
		expect((error as unknown as { failure?: unknown }).failure).toEqual({ cause: 'rate-limited', resetsAtEpochMs: resetMs });
		expect(count(await x.stats(), ENDPOINT.show)).toBe(1);
		expect(sleeps).toEqual([]);
	});

	test('the per-user window of X itself: feedback/show allows 180 calls per window', async () => {
		await x.control('POST', 'config', { rateWindowMs: 60 * 60 * 1000 });
		const input = Array.from({ length: 181 }, () => ({}));
		const { items, error } = await x.run(getParams(), { input, continueOnFail: true });
		expect(error).toBeUndefined();
		expect(items.slice(0, 180).every((i) => i.json.feedbackId === feedbackId)).toBe(true);
		expect(items[180].json.error).toMatch(/^Item 180: X rate limit reached for GET \/1\.1\/feedback\/show\/\d+\.json: try again after \d\d:\d\d UTC/);
		expect(count(await x.stats(), ENDPOINT.show)).toBe(181);
	});
});

describe('GET retries', () => {
	test('503 over capacity (130): retried with doubling backoff, up to 3 retries, then the error', async () => {
		await x.faults({ kind: 'status', status: 503, count: 10, path: '/feedback/show' });
		const { error } = await x.run(getParams());
		expect(error?.message).toBe('Item 0: X is over capacity: try again later');
		expect(error?.httpCode).toBe('503');
		expect(count(await x.stats(), ENDPOINT.show)).toBe(4);
		expect(sleeps).toEqual([500, 1000, 2000]);
	});

	test('503 twice, then the answer', async () => {
		await x.faults({ kind: 'status', status: 503, count: 2, path: '/feedback/show' });
		const { items, error } = await x.run(getParams());
		expect(error).toBeUndefined();
		expect(items[0].json.feedbackId).toBe(feedbackId);
		expect(count(await x.stats(), ENDPOINT.show)).toBe(3);
		expect(sleeps).toEqual([500, 1000]);
	});

	test('500 internal error (131) is retried too', async () => {
		await x.faults({ kind: 'status', status: 500, count: 1, path: '/feedback/events' });
		const { error } = await x.run(listParams());
		expect(error).toBeUndefined();
		expect(count(await x.stats(), ENDPOINT.events)).toBe(2);
	});

	test('a dropped connection and a garbled body are retried', async () => {
		await x.faults({ kind: 'reset', count: 1, path: '/feedback/show' }, { kind: 'malformed', count: 1, path: '/feedback/show' });
		const { items, error } = await x.run(getParams());
		expect(error).toBeUndefined();
		expect(items[0].json.feedbackId).toBe(feedbackId);
		expect(count(await x.stats(), ENDPOINT.show)).toBe(3);
	});

	test('a page of a listing is retried on its own: the listing still has every event once', async () => {
		const { items: reference } = await x.run({ ...listParams(), filters: { includeTest: true } });
		await x.control('POST', 'stats/reset');
		await x.faults({ kind: 'status', status: 503, count: 1, path: '/feedback/events' });
		const { items } = await x.run({ ...listParams(), filters: { includeTest: true } });
		expect(items.map((i) => i.json)).toEqual(reference.map((i) => i.json));
		expect(count(await x.stats(), ENDPOINT.events)).toBe(2);
	});

	test('a client error (4xx) is not retried', async () => {
		await x.faults({ kind: 'status', status: 404, count: 5, path: '/feedback/show' });
		await x.run(getParams());
		expect(count(await x.stats(), ENDPOINT.show)).toBe(1);
		expect(sleeps).toEqual([]);
	});
});

describe('POSTs are never retried', () => {
	test.each([
		['feedback/create', () => sendParams(byId(alice.id), {}, { checkCanDm: false, skipAskedWithinDays: 0 }), '/feedback/create', ENDPOINT.create],
		['direct_messages/events/new', () => dmParams(alice.id), '/direct_messages/', ENDPOINT.dm],
	])('%s answered 503 or dropped: one attempt each', async (_name, params, path, endpoint) => {
		await x.faults({ kind: 'status', status: 503, count: 5, path });
		const first = await x.run(params());
		expect(first.error?.message).toBe('Item 0: X is over capacity: try again later');
		expect(count(await x.stats(), endpoint)).toBe(1);
		await x.control('DELETE', 'faults');
		await x.faults({ kind: 'reset', count: 5, path });
		const second = await x.run(params());
		expect(second.error?.description).toContain('check whether it reached the customer before sending again');
		expect(count(await x.stats(), endpoint)).toBe(2);
		expect(sleeps).toEqual([]);
	});
});

describe('secrets', () => {
	test('neither the consumer secret nor the token secret appears in any output or error', async () => {
		const { consumerSecret, accessTokenSecret } = x.credentials;
		const texts: string[] = [];
		const keep = async (run: ReturnType<XNode['run']>) => texts.push(visibleText(await run));

		await keep(x.run(getParams()));
		await keep(x.run(listParams()));
		await keep(x.run(dmParams(alice.id)));
		await keep(x.run(sendParams(byId(closed.id))));
		await keep(x.run(sendParams(byId(closed.id), {}, { checkCanDm: false })));
		await keep(x.run(sendParams(byId(alice.id), {}, { skipAskedWithinDays: 0, introMessage: 'Hi' }), { continueOnFail: true }));
		await x.faults({ kind: 'status', status: 503, count: 4 });
		await keep(x.run(getParams(), { continueOnFail: true }));
		await x.faults({ kind: 'expiredToken' });
		await keep(x.run(getParams()));
		await x.faults({ kind: 'reset' });
		await keep(x.run(dmParams(alice.id)));
		await x.faults({ kind: 'rateLimit' });
		await keep(x.run(listParams()));
		await keep(x.run(getParams(), { credentials: { consumerSecret: `${consumerSecret}-wrong` } }));
		await keep(x.run(getParams(), { credentials: { accessTokenSecret: `${accessTokenSecret}-wrong` } }));
		await keep(x.run({ ...getParams(), feedbackId: '={{ "no/such" }}' }));

		expect(texts).toHaveLength(13);
		for (const text of texts) {
			expect(text.length).toBeGreaterThan(100);
			expect(text).not.toContain(consumerSecret);
			expect(text).not.toContain(accessTokenSecret);
			expect(text).not.toContain('oauth_signature');
		}
	});
});

describe('a wrong API Base URL says so, with the URL (never its user info)', () => {
	test('connection refused: check the API Base URL, not "try again later"', async () => {
		const closedPort = await new Promise<number>((resolve) => {
			const srv = createServer();
			srv.listen(0, '127.0.0.1', () => {
				const { port } = srv.address() as AddressInfo;
				srv.close(() => resolve(port));
			});
		});
		const result = await x.run(getParams(), { credentials: { baseUrl: `http://someone:pa55word@127.0.0.1:${closedPort}` } });
		expect(result.error?.message).toBe(`Item 0: Nothing answered at http://127.0.0.1:${closedPort} (ECONNREFUSED): check the API Base URL in the credential`);
		expect(result.error?.description).toContain(`http://127.0.0.1:${closedPort}`);
		expect(visibleText(result)).not.toContain('pa55word');
	});

	test('a server that is not X (a bare 404 without an X error code): the URL it tried', async () => {
		const other = createServer((_req, res) => {
			res.writeHead(404, { 'content-type': 'text/html' });
			res.end('<html><body>Not Found</body></html>');
		});
		await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
		const { port } = other.address() as AddressInfo;
		try {
			const { error } = await x.run(getParams(), { credentials: { baseUrl: `http://127.0.0.1:${port}/wrong/` } });
			expect(error?.message).toBe(
				`Item 0: Nothing at http://127.0.0.1:${port}/wrong/1.1/feedback/show/${feedbackId}.json (404): check the API Base URL in the credential`,
			);
		} finally {
			await new Promise((resolve) => other.close(resolve));
		}
	});
});
