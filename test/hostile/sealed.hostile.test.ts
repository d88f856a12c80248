/**
 * Bounded and sealed: an X that trickles, floods, nests, redirects or echoes secrets, through
 * n8n-core's real contexts (runNode for the action node, the trigger harness for the trigger). Every
 * call ends within its deadline, no answer is read past its cap, and nothing X or the network says
 * reaches n8n's error view as markup or with a secret in it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeParameters, INodeType } from 'n8n-workflow';

import { TriggerHarness } from '../harness/runTrigger';
import { TestNodeTypes } from '../harness/nodeTypes';
import { runNode } from '../harness/runNode';
import type { XTestCredentials } from '../harness/credentials';
import { XCustomerFeedback } from '../../nodes/XCustomerFeedback/XCustomerFeedback.node';
import { XCustomerFeedbackTrigger } from '../../nodes/XCustomerFeedbackTrigger/XCustomerFeedbackTrigger.node';
import { xRequest, type TransportOptions, type XRequest } from '../../nodes/shared/transport';
import { event, EVENTS, feedback, HostileX } from './hostileX';

// n8n-workflow's real sleep: the transport keeps watch over a quiet connection with it.

const SHOW = '/1.1/feedback/show/7.json';
const MIN = 60_000;

/** A server whose every answer the test writes by hand, byte by byte if it likes. */
class RawX {
	readonly seen: IncomingMessage[] = [];
	handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end('{}');
	private constructor(
		private readonly server: Server,
		readonly baseUrl: string,
	) {}

	static async start(): Promise<RawX> {
		let self: RawX | undefined = undefined;
		const server = createServer((req, res) => {
			self!.seen.push(req);
			self!.handler(req, res);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		self = new RawX(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
		return self;
	}

	credentials(extra: Partial<XTestCredentials> = {}): XTestCredentials {
		return { baseUrl: this.baseUrl, consumerKey: 'ck-visible', consumerSecret: 'consumer-S3CRET', accessToken: '42-tokenValue', accessTokenSecret: 'token-S3CRET', ...extra };
	}

	close(): Promise<void> {
		return new Promise((resolve) => {
			this.server.closeAllConnections();
			this.server.close(() => resolve());
		});
	}
}

type Caught = Error & { description?: string; context?: IDataObject };

/** One xRequest from inside a node n8n-core runs: the transport as the nodes use it. */
async function call(credentials: XTestCredentials, req: XRequest, options: TransportOptions = {}): Promise<{ body?: unknown; error?: Caught }> {
	let outcome: { body?: unknown; error?: Caught } = {};
	const probe: INodeType = {
		description: { ...new XCustomerFeedback().description, name: 'sealProbe', properties: [] },
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			try {
				outcome = { body: (await xRequest(this, req, options)).body };
			} catch (error) {
				outcome = { error: error as Caught };
			}
			return [[{ json: {} }]];
		},
	};
	const { error } = await runNode({ credentials, parameters: {}, nodeType: 'test.sealProbe', nodeTypes: new TestNodeTypes({ 'test.sealProbe': probe }) });
	if (error) throw error;
	return outcome;
}

/** Everything of an error a person or a log could see. */
const shown = (error: Caught | undefined) => JSON.stringify({ m: error?.message, d: error?.description, c: error?.context });

let raw: RawX;
let warnings: string[];
beforeAll(async () => {
	raw = await RawX.start();
});
afterAll(async () => {
	await raw.close();
});
beforeEach(() => {
	raw.seen.length = 0;
	warnings = [];
	jest.spyOn(Container.get(Logger), 'warn').mockImplementation((message: string) => void warnings.push(message));
});
afterEach(() => jest.restoreAllMocks());

describe('time: every call ends', () => {
	test('an X that sends its headers, then one byte at a time, is cut off at the deadline with an error naming the endpoint', async () => {
		const drips: NodeJS.Timeout[] = [];
		raw.handler = (_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.write('{"events":[],"next_cursor":""');
			drips.push(setInterval(() => res.write(' '), 100));
		};
		const started = Date.now();
		const { error } = await call(raw.credentials(), { method: 'GET', path: EVENTS }, { deadlineMs: 1_500, timeoutMs: 1_000 });
		const took = Date.now() - started;
		drips.forEach(clearInterval);
		expect(error?.message).toMatch(/GET \/1\.1\/feedback\/events\.json.*did not arrive within 1\.5 s/);
		// The drip never goes idle, so only the deadline ends it; retries stay within the same deadline.
		expect(took).toBeLessThan(5_000);
		expect(raw.seen.length).toBeLessThanOrEqual(2);
	});

	test('an X that goes silent after its headers is ended by the idle timeout', async () => {
		raw.handler = (_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.write('{"id":');
		};
		const started = Date.now();
		const { error } = await call(raw.credentials(), { method: 'POST', path: '/1.1/feedback/create.json' }, { deadlineMs: 10_000, timeoutMs: 500 });
		expect(Date.now() - started).toBeLessThan(5_000);
		// A POST X accepted may have been carried out: the error says so, and it is never sent again.
		expect(error?.message).toMatch(/X accepted POST \/1\.1\/feedback\/create\.json, but .*probably carried out/);
		expect(raw.seen).toHaveLength(1);
	});
});

describe('size: no answer is read past its cap', () => {
	test('a 50 MB answer is refused after the cap, without holding it', async () => {
		const chunk = Buffer.alloc(1024 * 1024, 0x20);
		raw.handler = (_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.write('{"events":[');
			let sent = 0;
			const more = () => {
				while (sent < 50 && res.write(chunk)) sent++;
				if (sent < 50) res.once('drain', more);
				else res.end(']}');
			};
			res.on('error', () => {});
			more();
		};
		const before = process.memoryUsage().rss;
		const started = Date.now();
		const { error } = await call(raw.credentials(), { method: 'GET', path: EVENTS }, { maxBodyBytes: 2 * 1024 * 1024 });
		const ms = Date.now() - started;
		const grewMb = (process.memoryUsage().rss - before) / 1024 / 1024;
		expect(ms).toBeLessThan(5_000);
		expect(error?.message).toMatch(/GET \/1\.1\/feedback\/events\.json, but its answer was larger than 2 MiB/);
		expect(error?.context?.x).toMatchObject({ transient: false });
		// Not asked again (the same answer would come), and read no further than the cap.
		expect(raw.seen).toHaveLength(1);
		expect(grewMb).toBeLessThan(40);
	});

	test('JSON nested 100,000 deep is cut at 64 levels with a warning; what is left copies like any answer', async () => {
		const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
		raw.handler = (_req, res) => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(`{"id":"7","junk":${deep}}`);
		};
		const { body, error } = await call(raw.credentials(), { method: 'GET', path: SHOW });
		expect(error).toBeUndefined();
		expect(() => JSON.stringify(body)).not.toThrow();
		expect(JSON.stringify(body)).toMatch(/nested deeper than 64 levels: left out/);
		expect(warnings.join('\n')).toMatch(/GET \/1\.1\/feedback\/show\/7\.json held 1 value\(s\) nested deeper than 64 levels/);
	});

	test('a rate-limit reset in the year 318857 is clamped with a warning: the 429 reads as a rate limit, not "Invalid time value"', async () => {
		raw.handler = (_req, res) => {
			res.writeHead(429, { 'content-type': 'application/json', 'x-rate-limit-limit': '180', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '10000000000000' });
			res.end(JSON.stringify({ errors: [{ code: 88, message: 'Rate limit exceeded' }] }));
		};
		const { error } = await call(raw.credentials(), { method: 'GET', path: SHOW });
		expect(error?.message).toMatch(/^X rate limit reached for GET \/1\.1\/feedback\/show\/7\.json: try again after \d\d:\d\d UTC/);
		const retryAtMs = Number((error?.context?.x as IDataObject).retryAtMs);
		expect(retryAtMs - Date.now()).toBeLessThanOrEqual(15 * MIN + 1_000);
		expect(warnings.join('\n')).toMatch(/rate-limit reset of 10000000000000 .* beyond any window X has/);
	});
});

describe('nothing leaks into what n8n shows', () => {
	test("X's text with a link is shown as text in the error view, never as a link", async () => {
		raw.handler = (_req, res) => {
			res.writeHead(403, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ errors: [{ code: 999, message: 'Denied. <a href="https://evil.example/login" target="_blank">Reconnect here</a>' }] }));
		};
		const { error } = await call(raw.credentials(), { method: 'GET', path: SHOW });
		expect(error?.description).toContain('&lt;a href="https://evil.example/login" target="_blank"&gt;Reconnect here&lt;/a&gt;');
		expect(error?.description).not.toMatch(/<a\b/);
	});

	test.each([
		['an @ in the password', 'http://proxyuser:pa@S3cretTail@127.0.0.1:1'],
		['a space in the password', 'http://proxyuser:pa ss S3cretTail@127.0.0.1:1'],
		['an encoded password', 'http://proxyuser:pa%40S3cretTail@127.0.0.1:1'],
	])('a base URL with user info (%s) shows in no message, refused connection or 404', async (_case, baseUrl) => {
		const refused = await call(raw.credentials({ baseUrl }), { method: 'GET', path: SHOW }, { backoffMs: 1 });
		expect(refused.error?.message).toMatch(/Nothing answered at http:\/\/127\.0\.0\.1:1 /);
		raw.handler = (_req, res) => {
			res.writeHead(404, { 'content-type': 'text/html' });
			res.end('<html>no</html>');
		};
		const notFound = await call(raw.credentials({ baseUrl: baseUrl.replace('127.0.0.1:1', raw.baseUrl.slice(7)) }), { method: 'GET', path: SHOW });
		expect(notFound.error?.message).toMatch(/^Nothing at http:\/\/127\.0\.0\.1:\d+\/1\.1\/feedback\/show\/7\.json \(404\)/);
		for (const error of [refused.error, notFound.error]) expect(shown(error)).not.toMatch(/S3cretTail|proxyuser|pa%40|pa ss/);
	});

	test('X echoing the Authorization header puts no signature, token or secret in the message', async () => {
		let authorization = '';
		raw.handler = (req, res) => {
			authorization = String(req.headers.authorization);
			res.writeHead(401, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ errors: [{ code: 999, message: `Bad request. Authorization: ${authorization} token-S3CRET consumer-S3CRET` }] }));
		};
		const { error } = await call(raw.credentials(), { method: 'GET', path: SHOW });
		const signature = /oauth_signature="([^"]+)"/.exec(authorization)?.[1];
		expect(signature).toBeDefined();
		expect(shown(error)).not.toContain(signature!);
		expect(shown(error)).not.toContain(decodeURIComponent(signature!));
		expect(shown(error)).not.toMatch(/42-tokenValue|token-S3CRET|consumer-S3CRET|ck-visible/);
		expect(error?.description).toMatch(/Authorization: \[redacted\]/);
	});

	test('a redirect to another host is not followed: the other host never sees the Authorization header', async () => {
		const other = await RawX.start();
		try {
			raw.handler = (_req, res) => {
				res.writeHead(302, { location: `${other.baseUrl}/steal?x=1` });
				res.end();
			};
			const { error } = await call(raw.credentials(), { method: 'GET', path: SHOW });
			expect(other.seen).toHaveLength(0);
			expect(error?.message).toBe(`X answered GET ${SHOW} with a redirect (302) to ${other.baseUrl}/steal; it was not followed`);
		} finally {
			await other.close();
		}
	});
});

describe('the trigger', () => {
	let x: HostileX;
	beforeAll(async () => {
		x = await HostileX.start();
	});
	afterAll(async () => {
		await x.close();
	});
	beforeEach(() => x.reset());

	const NOW = Date.now();
	const params = (options: IDataObject = {}): INodeParameters => ({
		events: ['request', 'score', 'comment'],
		feedbackType: 'all',
		options: { minEventAgeHours: 0, startFrom: new Date(NOW - 60 * MIN).toISOString(), ...options },
	});
	const trigger = (parameters: INodeParameters) => new TriggerHarness({ credentials: () => x.credentials(), parameters, nodeType: new XCustomerFeedbackTrigger() });

	test('with Include Raw Event, a snapshot nested 100,000 deep is emitted cut, and the honest event after it too', async () => {
		const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
		const page = { events: [event('created', NOW - 50 * MIN, feedback('D', NOW - 50 * MIN, { junk: '@@DEEP@@' })), event('created', NOW - 40 * MIN, feedback('H', NOW - 40 * MIN))], next_cursor: '' };
		x.on(EVENTS, () => ({ body: null, rawBody: JSON.stringify(page).replace('"@@DEEP@@"', deep) }));
		const t = trigger(params({ includeRaw: true }));
		const { items, error } = await t.poll();
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.feedbackId)).toEqual(['D', 'H']);
		expect(JSON.stringify(items[0].json.raw)).toMatch(/nested deeper than 64 levels/);
	});

	test('a poll time that comes while the last poll still reads is skipped with a warning, not silently', async () => {
		raw.handler = (_req, res) => {
			setTimeout(() => {
				res.writeHead(200, { 'content-type': 'application/json', 'x-rate-limit-limit': '180', 'x-rate-limit-remaining': '170', 'x-rate-limit-reset': String(Math.ceil(Date.now() / 1000) + 900) });
				res.end(JSON.stringify({ events: [], next_cursor: '' }));
			}, 300);
		};
		const t = new TriggerHarness({ credentials: () => raw.credentials(), parameters: params(), nodeType: new XCustomerFeedbackTrigger() });
		expect((await t.poll()).error).toBeUndefined();
		const [first, second] = await Promise.all([t.poll(), t.poll()]);
		expect([first.error, second.error]).toEqual([undefined, undefined]);
		expect(warnings.filter((w) => /a poll time was skipped because the previous poll, started \d+ s ago, is still reading/.test(w))).toHaveLength(1);
	});

	test('a Start From in the year 2999 is refused at activation, naming the field', async () => {
		x.on(EVENTS, () => ({ body: { events: [], next_cursor: '' } }));
		const t = trigger(params({ startFrom: '2999-01-01T00:00:00Z' }));
		const { error } = await t.poll();
		expect(error?.message).toBe('Start From is 2999-01-01T00:00:00.000Z, a time that has not come yet');
		expect(x.requests(EVENTS)).toHaveLength(0);
	});

	test("an impossible X date (a 36 November for 6 December) is unreadable: set aside and logged, not read as the day it runs on to", async () => {
		// The time 30 minutes ago, written as a day past the end of the month before: Date would read it
		// as exactly that time, inside the range.
		const at = new Date(NOW - 30 * MIN);
		const monthBefore = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 0));
		const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
		const pad = (n: number) => String(n).padStart(2, '0');
		const impossible = `Sat ${months[monthBefore.getUTCMonth()]} ${monthBefore.getUTCDate() + at.getUTCDate()} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} +0000 ${monthBefore.getUTCFullYear()}`;
		x.on(EVENTS, () => ({
			body: { events: [event('created', impossible, feedback('Z', NOW - 30 * MIN, { created_at: impossible, updated_at: impossible })), event('created', NOW - 20 * MIN, feedback('Y', NOW - 20 * MIN))], next_cursor: '' },
		}));
		const { items } = await trigger(params()).poll();
		expect(items.map((i) => i.json.feedbackId)).toEqual(['Y']);
		expect(warnings.join('\n')).toMatch(/Z/);
	});
});
