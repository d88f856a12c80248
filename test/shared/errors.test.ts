/**
 * errors.ts, pure: each X error answer in words a person can act on (message, description, whether
 * trying again can help) and as n8n's failure cause (n8n >= 2.37 backs off or asks for a reconnect
 * by them). The transport's own failures (network, garbled bodies) are in transport.test.ts.
 */
import { NodeApiError } from 'n8n-workflow';

import { describeXError, failureOf, firstXError } from '../../nodes/shared/errors';

const ENDPOINT = 'GET /1.1/feedback/show/:id.json';
const xError = (code: number, message = 'What X said.') => ({ errors: [{ code, message }] });

describe('each X code', () => {
	const cases: Array<[code: number, http: number, message: string, description: RegExp, transient: boolean, cause: string | undefined]> = [
		[32, 401, 'X could not authenticate this request: reconnect the credential', /consumer key and secret or the access token/, false, 'credential-invalid'],
		[89, 401, 'The X access token is invalid or expired: reconnect the credential', /reconnect it \("Connect", or "Reconnect", called "Switch account" in n8n 2.x/, false, 'credential-invalid'],
		[135, 401, "X rejected the request's timestamp: this machine's clock is off", /Synchronise the clock \(NTP\)/, false, undefined],
		[215, 400, 'X found the authentication data incomplete: reconnect the credential', /OAuth 1\.0a user context/, false, 'credential-invalid'],
		[87, 403, 'This app is not allowlisted for customer feedback cards', /allowlist this app's client ID/, false, 'configuration-invalid'],
		[220, 403, 'This account is not allowlisted for customer feedback cards', /X must allowlist each @username/, false, 'configuration-invalid'],
		[93, 403, 'This app may not access Direct Messages', /"Read and write and Direct message"/, false, 'configuration-invalid'],
		[349, 403, 'You cannot send Direct Messages to this user', /reason "cannot_dm"/, false, undefined],
		[150, 403, 'This user does not follow the account, so it cannot receive its Direct Messages', /accounts they follow/, false, undefined],
		[354, 403, 'The Direct Message text is too long: at most 10,000 characters', /Shorten the message/, false, undefined],
		[185, 403, 'This customer was already sent a feedback request in the last 24 hours: X allows one per customer per 24 hours, so no card was sent', /Skip Customers Asked Within \(Days\)/, false, undefined],
		[34, 404, `X found nothing at ${ENDPOINT}: check the ID`, /does not exist or is not visible/, false, undefined],
		[50, 404, 'X found no such user: check the user ID or @username', /does not exist or is suspended/, false, undefined],
		[38, 400, 'A required parameter is missing: What X said.', /Fill in the field/, false, undefined],
		[44, 400, 'X rejected a parameter: What X said.', /Correct the field named/, false, undefined],
		[130, 503, 'X is over capacity: try again later', /temporary problem at X/, true, 'temporarily-unavailable'],
		[131, 500, 'X had an internal error: try again later', /temporary problem at X/, true, 'temporarily-unavailable'],
	];

	test.each(cases)('%i (%i)', (code, http, message, description, transient, cause) => {
		const info = describeXError(http, xError(code), ENDPOINT);
		expect(info).toMatchObject({ message, xCode: code, httpCode: http, transient });
		expect(info.description).toMatch(description);
		// X's own words stay readable in the description.
		expect(info.description).toContain('X said: "What X said."');
		expect(failureOf(info)?.cause).toBe(cause);
	});
});

describe('rate limits', () => {
	test('429/88 with a reset: the time to try again, in UTC and ISO, and the reset for n8n', () => {
		const resetSec = Date.UTC(2025, 5, 1, 14, 7, 30) / 1000;
		const info = describeXError(429, xError(88, 'Rate limit exceeded.'), ENDPOINT, { limit: 180, remaining: 0, resetAt: resetSec });
		expect(info.message).toBe(`X rate limit reached for ${ENDPOINT}: try again after 14:07 UTC (2025-06-01T14:07:30.000Z)`);
		expect(info).toMatchObject({ transient: true, retryAtMs: resetSec * 1000, xCode: 88 });
		expect(failureOf(info)).toEqual({ cause: 'rate-limited', resetsAtEpochMs: resetSec * 1000 });
	});

	test('88 without rate-limit headers (or a bare 429): in 15 minutes', () => {
		expect(describeXError(403, xError(88), ENDPOINT).message).toBe(`X rate limit reached for ${ENDPOINT}: try again in 15 minutes`);
		expect(describeXError(429, undefined, ENDPOINT)).toMatchObject({ message: `X rate limit reached for ${ENDPOINT}: try again in 15 minutes`, retryAtMs: undefined });
	});
});

describe('answers without a known code', () => {
	test('5xx is transient', () => {
		expect(describeXError(502, 'Bad gateway', ENDPOINT)).toMatchObject({ message: 'X answered 502: try again later', transient: true, xCode: undefined });
	});

	test('401 asks for a reconnect; 403 names the endpoint and what X said', () => {
		expect(describeXError(401, undefined, ENDPOINT).message).toBe('X refused the credential: reconnect it');
		expect(describeXError(403, xError(187, 'Already submitted.'), ENDPOINT).message).toBe(`X refused ${ENDPOINT} (X code 187): Already submitted.`);
		expect(describeXError(403, {}, ENDPOINT).message).toBe(`X refused ${ENDPOINT}`);
	});

	test('anything else: the status, the endpoint and what X said', () => {
		expect(describeXError(404, xError(17, 'No user matches.'), ENDPOINT)).toMatchObject({ message: `X answered 404 for ${ENDPOINT} (X code 17): No user matches.`, transient: false });
		expect(describeXError(418, undefined, ENDPOINT).description).toBe('Unexpected answer from X.');
	});
});

describe("X's refusals about one customer, read by what they mean whatever the code", () => {
	const CREATE = 'POST /1.1/feedback/create.json';
	const window = (remaining: number) => ({ limit: 1000, remaining, resetAt: 1_700_000_000 });

	test('403/185 and a 429 (or 88) on feedback/create with calls left in the window: asked_recently, not a rate limit', () => {
		expect(describeXError(403, xError(185), CREATE)).toMatchObject({ refusal: 'asked_recently', transient: false });
		for (const [http, body] of [[429, xError(88)], [429, undefined], [400, xError(88)]] as const) {
			const info = describeXError(http, body, CREATE, window(997), '@alice (user ID 42)');
			expect(info).toMatchObject({ refusal: 'asked_recently', transient: false });
			expect(info.retryAtMs).toBeUndefined();
			expect(info.message).toBe('@alice (user ID 42) was already sent a feedback request in the last 24 hours: X allows one per customer per 24 hours, so no card was sent');
			expect(info.description).toMatch(/still had 997 of 1000 calls, so this is its per-recipient limit/);
			expect(failureOf(info)).toBeUndefined();
		}
	});

	test('a 429 with no calls left, without the headers, or on another endpoint stays a rate limit', () => {
		for (const [endpoint, rate] of [[CREATE, window(0)], [CREATE, undefined], ['GET /1.1/feedback/events.json', window(500)]] as const) {
			const info = describeXError(429, xError(88), endpoint, rate);
			expect(info.refusal).toBeUndefined();
			expect(info.message).toMatch(/^X rate limit reached for /);
			expect(failureOf(info)).toMatchObject({ cause: 'rate-limited' });
		}
	});

	test('403/349 and 403/150: cannot_dm', () => {
		expect(describeXError(403, xError(349), CREATE).refusal).toBe('cannot_dm');
		expect(describeXError(403, xError(150), CREATE).refusal).toBe('cannot_dm');
		expect(describeXError(403, xError(220), CREATE).refusal).toBeUndefined();
	});

	test("an unknown code: X's code and X's text in the message", () => {
		expect(describeXError(403, xError(4242, 'Feedback paused.'), CREATE).message).toBe(`X refused ${CREATE} (X code 4242): Feedback paused.`);
		expect(describeXError(409, xError(4243, 'Conflict.'), CREATE).message).toBe(`X answered 409 for ${CREATE} (X code 4243): Conflict.`);
	});
});

test('185 names the customer when the request says whom it was about', () => {
	expect(describeXError(403, xError(185), 'POST /1.1/feedback/create.json', undefined, '@alice (user ID 42)').message).toBe(
		'@alice (user ID 42) was already sent a feedback request in the last 24 hours: X allows one per customer per 24 hours, so no card was sent',
	);
});

test('firstXError reads the first entry of an X error body, and nothing from anything else', () => {
	expect(firstXError({ errors: [{ code: 89, message: 'Invalid or expired token.' }, { code: 32, message: 'x' }] })).toEqual({ code: 89, message: 'Invalid or expired token.' });
	expect(firstXError({ errors: [{ code: '89', message: 'text code' }] })).toEqual({ code: undefined, message: 'text code' });
	expect(firstXError({ errors: [] })).toEqual({});
	expect(firstXError('<html>')).toEqual({});
	expect(firstXError(undefined)).toEqual({});
});

test.each([
	['429 with a reset', { httpCode: 429, xCode: 88, transient: true, retryAtMs: 1_700_000_000_000 }, { cause: 'rate-limited', resetsAtEpochMs: 1_700_000_000_000 }],
	['88 without a reset header', { httpCode: 429, xCode: 88, transient: true }, { cause: 'rate-limited' }],
	['expired token 89', { httpCode: 401, xCode: 89, transient: false }, { cause: 'credential-invalid' }],
	['could not authenticate 32', { httpCode: 401, xCode: 32, transient: false }, { cause: 'credential-invalid' }],
	['bare 401', { httpCode: 401, transient: false }, { cause: 'credential-invalid' }],
	['clock off 135 is not the credential', { httpCode: 401, xCode: 135, transient: false }, undefined],
	['app not allowlisted 87', { httpCode: 403, xCode: 87, transient: false }, { cause: 'configuration-invalid' }],
	['over capacity 130', { httpCode: 503, xCode: 130, transient: true }, { cause: 'temporarily-unavailable' }],
	['network', { httpCode: 0, transient: true }, { cause: 'temporarily-unavailable' }],
	['asked in the last 24 hours 185', { httpCode: 403, xCode: 185, transient: false }, undefined],
])('%s', (_name, info, expected) => {
	expect(failureOf(info)).toEqual(expected);
});

test("n8n-workflow's NodeApiError carries it as `failure`", () => {
	const node = { name: 'X', type: 'x', typeVersion: 1, position: [0, 0] as [number, number], parameters: {}, id: '1' };
	const error = new NodeApiError(node, {}, { message: 'X rate limit reached', failure: failureOf({ httpCode: 429, transient: true }) });
	expect(error.failure).toEqual({ cause: 'rate-limited' });
});
