/**
 * The only code that talks HTTP to X. Signs through n8n's OAuth 1.0a helper (it signs the query
 * string, so v1.1 parameters travel in `qs`), reads rate-limit headers, turns X's error answers
 * into NodeApiErrors a person can act on, and retries GETs that failed for transient reasons.
 * A POST is never retried: a retried feedback request could reach a customer twice.
 */
import {
	NodeApiError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
	type ITriggerFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { describeXError, failureOf, type XErrorInfo } from './errors';
import { withoutUserInfo } from './redact';
import type { RateLimit } from './types';

export const CREDENTIAL_TYPE = 'xCustomerFeedbackOAuth1Api';

export type XContext = IExecuteFunctions | IPollFunctions | ITriggerFunctions | ILoadOptionsFunctions;

export interface XRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL, e.g. `/1.1/feedback/events.json`. */
	path: string;
	qs?: IDataObject;
	/** JSON body (DM endpoints only; X does not sign it). */
	body?: IDataObject;
	itemIndex?: number;
	/** Whom the request is about, as an error about that customer names them (e.g. `@alice (user ID 42)`). */
	subject?: string;
}

export interface XResponse<T> {
	body: T;
	statusCode: number;
	rateLimit?: RateLimit;
}

export interface TransportOptions {
	/** Extra attempts for a GET after a transient failure. */
	getRetries?: number;
	/** First backoff in ms; doubles each attempt. */
	backoffMs?: number;
	timeoutMs?: number;
}

const DEFAULTS: Required<TransportOptions> = { getRetries: 3, backoffMs: 500, timeoutMs: 30_000 };
const NETWORK_CODES = ['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'ERR_BAD_RESPONSE'];
const TIMEOUT_CODES = ['ETIMEDOUT', 'ECONNABORTED'];

export function readRateLimit(headers: Record<string, unknown> | undefined): RateLimit | undefined {
	if (!headers) return undefined;
	const get = (name: string) => Number(headers[name] ?? headers[name.toLowerCase()]);
	const limit = get('x-rate-limit-limit');
	const remaining = get('x-rate-limit-remaining');
	const resetAt = get('x-rate-limit-reset');
	if (![limit, remaining, resetAt].every(Number.isFinite)) return undefined;
	return { limit, remaining, resetAt };
}

/** The X error details a NodeApiError from this transport carries. */
export function xErrorInfo(error: unknown): Partial<XErrorInfo> {
	const context = (error as { context?: IDataObject } | undefined)?.context;
	return (context?.x as Partial<XErrorInfo> | undefined) ?? {};
}

function apiError(ctx: XContext, info: XErrorInfo, itemIndex?: number): NodeApiError {
	// Built from the X answer only: the failed request (with its Authorization header) stays out.
	const error = new NodeApiError(
		ctx.getNode(),
		{ httpCode: String(info.httpCode), xCode: info.xCode ?? null, message: info.message } as JsonObject,
		{ message: info.message, description: info.description, httpCode: String(info.httpCode), itemIndex, failure: failureOf(info) },
	);
	// NodeApiError swaps messages that mention some network codes for its own generic text.
	error.message = info.message;
	error.context.x = { ...info } as unknown as IDataObject;
	return error;
}

function networkFailure(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const { code, message } = current as { code?: unknown; message?: unknown };
		if (typeof code === 'string' && TIMEOUT_CODES.includes(code)) return 'timed out';
		if (typeof message === 'string' && /timeout|timed out/i.test(message)) return 'timed out';
		if (typeof code === 'string' && NETWORK_CODES.includes(code)) return code;
		if (typeof message === 'string' && /socket hang up|ECONNRESET|network|aborted/i.test(message)) {
			return 'network';
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function parseBody(body: unknown): { ok: true; value: unknown } | { ok: false } {
	if (body === undefined || body === null || body === '') return { ok: true, value: {} };
	if (typeof body === 'object' && !Buffer.isBuffer(body)) return { ok: true, value: body };
	const text = Buffer.isBuffer(body) ? body.toString('utf8') : String(body);
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		return { ok: false };
	}
}

type Attempt<T> = { ok: true; response: XResponse<T> } | { ok: false; error: NodeApiError; info: XErrorInfo };

// One credential read per node run, or per poll for the trigger (forgetCredentials): a poll draining
// a backlog makes a thousand calls.
const credentialReads = new WeakMap<XContext, Promise<Record<string, unknown>>>();

/** The node's credential, read once per run (n8n resolves its expressions on every read). */
export async function credentialsOf(ctx: XContext, itemIndex?: number): Promise<Record<string, unknown>> {
	let read = credentialReads.get(ctx);
	if (!read) {
		read = ctx.getCredentials(CREDENTIAL_TYPE, itemIndex) as Promise<Record<string, unknown>>;
		credentialReads.set(ctx, read);
		read.catch(() => credentialReads.delete(ctx));
	}
	return await read;
}

/**
 * The next credentialsOf reads the credential again. A trigger's context lasts as long as its
 * activation, and n8n keeps an active trigger running when its credential is edited (another X
 * account, another API Base URL): the trigger reads it anew at every poll.
 */
export function forgetCredentials(ctx: XContext): void {
	credentialReads.delete(ctx);
}

async function baseUrlOf(ctx: XContext, itemIndex?: number): Promise<string> {
	const credentials = await credentialsOf(ctx, itemIndex);
	return String(credentials.baseUrl ?? 'https://api.twitter.com').replace(/\/+$/, '');
}

async function sendOnce<T>(ctx: XContext, req: XRequest, timeoutMs: number): Promise<Attempt<T>> {
	const baseUrl = await baseUrlOf(ctx, req.itemIndex);
	const endpoint = `${req.method} ${req.path}`;
	const options: IHttpRequestOptions = {
		method: req.method,
		url: `${baseUrl}${req.path}`,
		qs: req.qs,
		body: req.body,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: timeoutMs,
	};
	let response: { body: unknown; headers: Record<string, unknown>; statusCode: number };
	try {
		response = await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, options);
	} catch (error) {
		const failure = networkFailure(error);
		const info: XErrorInfo = failure
			? failure === 'ECONNREFUSED'
				? {
						// Nothing listens there: far more often a wrong API Base URL (or a stopped emulator) than X being down.
						message: `Nothing answered at ${withoutUserInfo(baseUrl)} (ECONNREFUSED): check the API Base URL in the credential`,
						description: `The connection to ${withoutUserInfo(baseUrl)} was refused before any request was sent. For X the API Base URL is https://api.twitter.com; for the local emulator, the URL it printed (is it running?).`,
						httpCode: 0,
						transient: true,
					}
				: req.method === 'GET'
				? {
						message: `Could not reach X (${failure}): try again later`,
						description: `The connection to ${withoutUserInfo(baseUrl)} failed before X answered.`,
						httpCode: 0,
						transient: true,
					}
				: {
						message: `The connection to X failed (${failure}) before it answered: the request may have been carried out`,
						description: `X may have acted on it, so check whether it reached the customer before sending again (for a feedback request: Get Many, or the customer's DMs).`,
						httpCode: 0,
						transient: false,
						outcomeUnknown: true,
					}
			: {
					message: `The request to X failed: ${withoutUserInfo(String((error as Error).message ?? 'unknown error'))}`,
					description: 'The request could not be sent. Check the credential and the API Base URL.',
					httpCode: 0,
					transient: false,
				};
		return { ok: false, error: apiError(ctx, info, req.itemIndex), info };
	}
	const rateLimit = readRateLimit(response.headers);
	const parsed = parseBody(response.body);
	if (response.statusCode >= 200 && response.statusCode < 300) {
		if (!parsed.ok) {
			// A GET can simply be asked again; a POST that X accepted has been carried out.
			const info: XErrorInfo =
				req.method === 'GET'
					? {
							message: 'X answered with a body that is not valid JSON: try again later',
							description: `The answer to ${endpoint} was cut short or garbled in transit.`,
							httpCode: response.statusCode,
							transient: true,
						}
					: {
							message: 'X accepted the request, but its answer was garbled: it was probably carried out',
							description: `X answered ${response.statusCode} to ${endpoint} with a body garbled in transit, so X may have acted on it: check whether it reached the customer before sending again (for a feedback request: Get Many, or the customer's DMs).`,
							httpCode: response.statusCode,
							transient: false,
							outcomeUnknown: true,
						};
			return { ok: false, error: apiError(ctx, info, req.itemIndex), info };
		}
		return { ok: true, response: { body: parsed.value as T, statusCode: response.statusCode, rateLimit } };
	}
	const info = describeXError(response.statusCode, parsed.ok ? parsed.value : undefined, endpoint, rateLimit, req.subject);
	if (response.statusCode === 404 && info.xCode === undefined) {
		// X answers an unknown ID with an X error body; a bare 404 means the base URL points elsewhere.
		info.message = `Nothing at ${withoutUserInfo(baseUrl)}${req.path} (404): check the API Base URL in the credential`;
		info.description = `The server at ${withoutUserInfo(baseUrl)} does not serve X's API. For X the API Base URL is https://api.twitter.com; for the local emulator, the URL it printed.`;
	}
	return { ok: false, error: apiError(ctx, info, req.itemIndex), info };
}

/** One call to X. GETs are retried on transient failures (not on rate limits); POSTs never are. */
export async function xRequest<T>(ctx: XContext, req: XRequest, options: TransportOptions = {}): Promise<XResponse<T>> {
	const { getRetries, backoffMs, timeoutMs } = { ...DEFAULTS, ...options };
	const attempts = req.method === 'GET' ? getRetries + 1 : 1;
	for (let attempt = 1; ; attempt++) {
		const outcome = await sendOnce<T>(ctx, req, timeoutMs);
		if (outcome.ok) return outcome.response;
		const { info } = outcome;
		const retryable = info.transient && info.httpCode !== 429 && info.xCode !== 88;
		if (!retryable || attempt >= attempts) throw outcome.error;
		await sleep(backoffMs * 2 ** (attempt - 1));
	}
}
