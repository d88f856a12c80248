/**
 * transport.ts on its own, with X replaced by nock: the request goes through n8n-core's OAuth 1.0a
 * signing (a probe node run by test/harness/runNode, so the context is the one n8n gives a node), and
 * nock answers what X might: rate-limit headers, 503s and dropped connections (GETs retried, POSTs
 * never), bodies that are not JSON, a refused connection. The backoff sleeps go through
 * n8n-workflow's `sleep`, replaced here by one that records the delay and returns at once.
 */
import nock from 'nock';
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { XCustomerFeedback } from '../../nodes/XCustomerFeedback/XCustomerFeedback.node';

import { xRequest, type XRequest, type XResponse } from '../../nodes/shared/transport';
import type { XTestCredentials } from '../harness/credentials';
import { TestNodeTypes } from '../harness/nodeTypes';
import { runNode } from '../harness/runNode';

const sleeps: number[] = [];
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: async (ms: number) => {
		// The transport also keeps watch over each answer with sleep (one slice here, as it returns at once).
		if (ms !== jest.requireActual('../../nodes/shared/readWatch').WATCH_SLICE_MS) sleeps.push(ms);
	},
}));

const X = 'https://api.x.test';
const CREDENTIALS: XTestCredentials = {
	baseUrl: X,
	consumerKey: 'consumer-key-1',
	consumerSecret: 'consumer-secret-1',
	accessToken: '42-access-token-1',
	accessTokenSecret: 'access-token-secret-1',
};
const SHOW = '/1.1/feedback/show/7.json';
const CREATE = '/1.1/feedback/create.json';
const PROBE = 'test.transportProbe';

type Outcome<T> = { response: XResponse<T>; error?: undefined } | { response?: undefined; error: Error & { description?: string; context?: Record<string, unknown> } };

/** One xRequest from inside a node that n8n-core runs, with the credential's Authorization signed by n8n. */
async function call<T = unknown>(req: XRequest, credentials: Partial<XTestCredentials> = {}): Promise<Outcome<T>> {
	let outcome: Outcome<T> | undefined;
	const probe: INodeType = {
		// The action node's description (its credential, inputs and outputs), without its fields.
		description: { ...new XCustomerFeedback().description, name: 'transportProbe', properties: [] },
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			try {
				outcome = { response: await xRequest<T>(this, req, { backoffMs: 100 }) };
			} catch (error) {
				outcome = { error: error as Error };
			}
			return [[{ json: {} }]];
		},
	};
	const { error } = await runNode({
		credentials: { ...CREDENTIALS, ...credentials },
		parameters: {},
		nodeType: PROBE,
		nodeTypes: new TestNodeTypes({ [PROBE]: probe }),
	});
	if (error) throw error;
	return outcome!;
}

const xError = (code: number, message: string) => ({ errors: [{ code, message }] });
const OVER_CAPACITY = xError(130, 'Over capacity.');

beforeAll(() => {
	nock.disableNetConnect();
});
afterAll(() => {
	nock.enableNetConnect();
});
beforeEach(() => {
	sleeps.length = 0;
});
afterEach(() => {
	nock.cleanAll();
});

describe('a GET that works', () => {
	test('is signed by n8n (OAuth 1.0a, HMAC-SHA1, the consumer key and token), and the rate-limit headers are read', async () => {
		const scope = nock(X, { reqheaders: { authorization: /^OAuth / } })
			.get(SHOW)
			.query({ include: 'x' })
			.reply(200, { id: '7' }, { 'x-rate-limit-limit': '180', 'x-rate-limit-remaining': '179', 'x-rate-limit-reset': '1760000900' });
		let authorization = '';
		scope.on('request', (req: { headers: Record<string, string> }) => (authorization = req.headers.authorization));

		const { response, error } = await call<{ id: string }>({ method: 'GET', path: SHOW, qs: { include: 'x' } });
		expect(error).toBeUndefined();
		expect(response).toEqual({ body: { id: '7' }, statusCode: 200, rateLimit: { limit: 180, remaining: 179, resetAt: 1760000900 } });
		expect(authorization).toMatch(/oauth_signature_method="HMAC-SHA1"/);
		expect(authorization).toMatch(/oauth_consumer_key="consumer-key-1"/);
		expect(authorization).toMatch(/oauth_token="42-access-token-1"/);
		expect(authorization).toMatch(/oauth_signature="[^"]+"/);
		expect(scope.isDone()).toBe(true);
	});

	test('without all three rate-limit headers there is no rateLimit', async () => {
		nock(X).get(SHOW).reply(200, { id: '7' }, { 'x-rate-limit-limit': '180', 'x-rate-limit-remaining': 'many' });
		const { response } = await call({ method: 'GET', path: SHOW });
		expect(response?.rateLimit).toBeUndefined();
	});

	test('an empty 2xx body reads as an empty object', async () => {
		nock(X).get(SHOW).reply(204);
		const { response } = await call({ method: 'GET', path: SHOW });
		expect(response).toMatchObject({ body: {}, statusCode: 204 });
	});
});

describe('GETs are retried on transient failures', () => {
	test('503 twice, then the answer: three requests, backing off 100 then 200 ms', async () => {
		const scope = nock(X).get(SHOW).times(2).reply(503, OVER_CAPACITY).get(SHOW).reply(200, { id: '7' });
		const { response, error } = await call({ method: 'GET', path: SHOW });
		expect(error).toBeUndefined();
		expect(response?.body).toEqual({ id: '7' });
		expect(scope.isDone()).toBe(true);
		expect(sleeps).toEqual([100, 200]);
	});

	test('a dropped connection, then the answer', async () => {
		const scope = nock(X)
			.get(SHOW)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.get(SHOW)
			.reply(200, { id: '7' });
		const { response } = await call({ method: 'GET', path: SHOW });
		expect(response?.body).toEqual({ id: '7' });
		expect(scope.isDone()).toBe(true);
		expect(sleeps).toEqual([100]);
	});

	test('503 on every try: 1 request and 3 retries, then what X said', async () => {
		const scope = nock(X).get(SHOW).times(4).reply(503, OVER_CAPACITY).get(SHOW).reply(200, { id: 'never' });
		const { error } = await call({ method: 'GET', path: SHOW });
		expect(error?.message).toBe('X is over capacity: try again later');
		expect(error?.context?.x).toMatchObject({ xCode: 130, httpCode: 503, transient: true });
		expect(sleeps).toEqual([100, 200, 400]);
		expect(scope.pendingMocks()).toHaveLength(1);
	});

	test('a network failure on every try: "Could not reach X", naming the failure', async () => {
		nock(X)
			.get(SHOW)
			.times(4)
			.replyWithError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
		const { error } = await call({ method: 'GET', path: SHOW });
		expect(error?.message).toBe('Could not reach X (ECONNRESET): try again later');
		expect(error?.description).toBe(`The connection to ${X} for GET ${SHOW} failed before X answered.`);
		expect(sleeps).toHaveLength(3);
	});

	test('a rate limit is not retried in place: the error says when to try again', async () => {
		const scope = nock(X)
			.get(SHOW)
			.reply(429, xError(88, 'Rate limit exceeded.'), { 'x-rate-limit-limit': '180', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Date.UTC(2025, 5, 1, 14, 7) / 1000) })
			.get(SHOW)
			.reply(200, { id: 'never' });
		const { error } = await call({ method: 'GET', path: SHOW });
		expect(error?.message).toBe(`X rate limit reached for GET ${SHOW}: try again after 14:07 UTC (2025-06-01T14:07:00.000Z)`);
		expect(sleeps).toEqual([]);
		expect(scope.pendingMocks()).toHaveLength(1);
	});

	test('a 4xx X error is not retried', async () => {
		const scope = nock(X).get(SHOW).reply(404, xError(34, 'Sorry, that page does not exist.')).get(SHOW).reply(200, {});
		const { error } = await call({ method: 'GET', path: SHOW });
		expect(error?.message).toBe(`X found nothing at GET ${SHOW}: check the ID`);
		expect(scope.pendingMocks()).toHaveLength(1);
	});
});

describe('POSTs are never retried: a second feedback request could reach the customer', () => {
	const create = (): XRequest => ({ method: 'POST', path: CREATE, qs: { type: 'csat', to_user_id: '42' } });

	test('503: one request, X\'s error', async () => {
		const scope = nock(X).post(CREATE).query(true).reply(503, OVER_CAPACITY).post(CREATE).query(true).reply(200, { id: 'twice' });
		const { error } = await call(create());
		expect(error?.message).toBe('X is over capacity: try again later');
		expect(sleeps).toEqual([]);
		expect(scope.pendingMocks()).toHaveLength(1);
	});

	test('the connection dropped before the answer: X may have acted, so the error says to check first', async () => {
		const scope = nock(X)
			.post(CREATE)
			.query(true)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.post(CREATE)
			.query(true)
			.reply(200, { id: 'twice' });
		const { error } = await call(create());
		expect(error?.message).toBe('The connection to X failed (ECONNRESET) before it answered: the request may have been carried out');
		expect(error?.description).toMatch(/check whether it reached the customer before sending again/);
		expect(error?.context?.x).toMatchObject({ outcomeUnknown: true, transient: false, httpCode: 0 });
		expect(scope.pendingMocks()).toHaveLength(1);
	});

	test('the parameters travel in the query string (signed), not in a body', async () => {
		let body: unknown;
		nock(X)
			.post(CREATE)
			.query({ type: 'csat', to_user_id: '42' })
			.reply(200, (_uri, requestBody) => {
				body = requestBody;
				return { id: '9' };
			});
		const { response } = await call(create());
		expect(response?.body).toEqual({ id: '9' });
		expect(body === '' || body === undefined).toBe(true);
	});
});

describe('a body that is not JSON', () => {
	test('GET: retried, then "not valid JSON"', async () => {
		const scope = nock(X).get(SHOW).times(4).reply(200, '{"id": "7", "cut sho', { 'content-type': 'application/json' });
		const { error } = await call({ method: 'GET', path: SHOW });
		expect(error?.message).toBe('X answered with a body that is not valid JSON: try again later');
		expect(error?.description).toBe(`The answer to GET ${SHOW} was cut short or garbled in transit.`);
		expect(scope.isDone()).toBe(true);
		expect(sleeps).toHaveLength(3);
	});

	test('POST accepted with a garbled answer: probably carried out, not sent again', async () => {
		const scope = nock(X).post(CREATE).query(true).reply(200, '<html>proxy</html>', { 'content-type': 'text/html' });
		const { error } = await call({ method: 'POST', path: CREATE, qs: { type: 'csat' } });
		expect(error?.message).toBe('X accepted the request, but its answer was garbled: it was probably carried out');
		expect(error?.context?.x).toMatchObject({ outcomeUnknown: true, httpCode: 200 });
		expect(scope.isDone()).toBe(true);
	});

	test('an error status with an HTML page: the status decides, "X answered 502"', async () => {
		nock(X).get(SHOW).times(4).reply(502, '<html>Bad gateway</html>', { 'content-type': 'text/html' });
		const { error } = await call({ method: 'GET', path: SHOW });
		expect(error?.message).toBe('X answered 502: try again later');
	});
});

describe('a wrong API Base URL', () => {
	test('ECONNREFUSED names the URL, without its user info', async () => {
		nock('http://127.0.0.1:9')
			.get(SHOW)
			.times(4)
			.replyWithError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }));
		const { error } = await call({ method: 'GET', path: SHOW }, { baseUrl: 'http://admin:hunter2@127.0.0.1:9/' });
		expect(error?.message).toBe('Nothing answered at http://127.0.0.1:9 (ECONNREFUSED): check the API Base URL in the credential');
		expect(error?.description).toMatch(/^The connection to http:\/\/127\.0\.0\.1:9 was refused before any request was sent/);
		expect(JSON.stringify({ message: error?.message, description: error?.description, context: error?.context })).not.toMatch(/hunter2|admin/);
	});

	test('a bare 404 (no X error body): nothing at that URL', async () => {
		nock(X).get(SHOW).reply(404, '<html>Not Found</html>', { 'content-type': 'text/html' });
		const { error } = await call({ method: 'GET', path: SHOW });
		expect(error?.message).toBe(`Nothing at ${X}${SHOW} (404): check the API Base URL in the credential`);
	});
});

describe('secrets', () => {
	test("the Authorization header, the token and the secrets are nowhere in the error n8n keeps", async () => {
		let authorization = '';
		const scope = nock(X).get(SHOW).reply(401, xError(89, 'Invalid or expired token.'));
		scope.on('request', (req: { headers: Record<string, string> }) => (authorization = req.headers.authorization));
		const { error } = await call({ method: 'GET', path: SHOW });
		expect(error?.message).toBe('The X access token is invalid or expired: reconnect the credential');
		expect(authorization).toMatch(/^OAuth /);
		const signature = /oauth_signature="([^"]+)"/.exec(authorization)?.[1] ?? 'missing';
		const kept = JSON.stringify({ ...error, message: error?.message, description: error?.description, stack: error?.stack });
		for (const secret of [authorization, decodeURIComponent(signature), signature, CREDENTIALS.accessToken, CREDENTIALS.accessTokenSecret, CREDENTIALS.consumerSecret]) {
			expect(kept).not.toContain(secret);
		}
		expect(kept).not.toMatch(/authorization/i);
	});

	test('nor when the connection failed (the failed request is not kept)', async () => {
		let authorization = '';
		const scope = nock(X)
			.post(CREATE)
			.query(true)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
		scope.on('request', (req: { headers: Record<string, string> }) => (authorization = req.headers.authorization));
		const { error } = await call({ method: 'POST', path: CREATE, qs: { type: 'csat' } });
		expect(error?.message).toMatch(/^The connection to X failed \(ECONNRESET\)/);
		expect(authorization).toMatch(/^OAuth /);
		const kept = JSON.stringify({ ...error, message: error?.message, description: error?.description, stack: error?.stack });
		expect(kept).not.toContain(authorization);
		expect(kept).not.toContain(CREDENTIALS.accessToken);
		expect(kept).not.toMatch(/authorization/i);
	});
});
