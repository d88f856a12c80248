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

import { answerUnread, connectionFailed, describeXError, failureOf, garbledAnswer, notXApi, redirected, requestNotSent, type XErrorInfo } from './errors';
import { readBounded } from './boundedBody';
import { cutDeepJson, MAX_JSON_DEPTH } from './jsonDepth';
import { displayUrl, escapeMarkup, sealed } from './redact';
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
	/** How long a connection may stay silent. */
	timeoutMs?: number;
	/** How long one attempt may take in all, however X trickles its answer. */
	deadlineMs?: number;
	/** The largest answer read; a bigger one is refused. */
	maxBodyBytes?: number;
}

const DEFAULTS: Required<TransportOptions> = {
	getRetries: 3,
	backoffMs: 500,
	timeoutMs: 30_000,
	deadlineMs: 60_000,
	// A full page of 100 events is about 200 KB; X's largest documented answers are far below this.
	maxBodyBytes: 8 * 1024 * 1024,
};
/** X's windows are 15 minutes, or a day for feedback/create; a reset further ahead is not believed. */
const LONGEST_WINDOW_MS = 24 * 60 * 60_000;
const CLOCK_SKEW_MS = 5 * 60_000;
/** An unbelievable reset is read as the end of X's usual 15-minute window: X refuses again if it is wrong. */
const CLAMPED_WINDOW_MS = 15 * 60_000;
const NETWORK_CODES = ['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'ERR_BAD_RESPONSE'];
const TIMEOUT_CODES = ['ETIMEDOUT', 'ECONNABORTED'];

/**
 * X's rate-limit headers. A reset further ahead than X's longest window (a value in milliseconds,
 * a broken proxy) is clamped to 15 minutes from now, and `clampedFrom` keeps what X sent.
 */
export function readRateLimit(headers: Record<string, unknown> | undefined, nowMs = Date.now()): RateLimit | undefined {
	if (!headers) return undefined;
	const get = (name: string) => Number(headers[name] ?? headers[name.toLowerCase()]);
	const limit = get('x-rate-limit-limit');
	const remaining = get('x-rate-limit-remaining');
	const resetAt = get('x-rate-limit-reset');
	if (![limit, remaining, resetAt].every(Number.isFinite)) return undefined;
	if (resetAt * 1000 > nowMs + LONGEST_WINDOW_MS + CLOCK_SKEW_MS) {
		return { limit, remaining, resetAt: Math.ceil((nowMs + CLAMPED_WINDOW_MS) / 1000), clampedFrom: resetAt };
	}
	return { limit, remaining, resetAt };
}

/** The X error details a NodeApiError from this transport carries. */
export function xErrorInfo(error: unknown): Partial<XErrorInfo> {
	const context = (error as { context?: IDataObject } | undefined)?.context;
	return (context?.x as Partial<XErrorInfo> | undefined) ?? {};
}

/** Every secret the credential holds, so that no message can carry one whatever echoes it. */
function secretsOf(credentials: Record<string, unknown>): string[] {
	const token = (credentials.oauthTokenData ?? {}) as Record<string, unknown>;
	const values = [credentials.consumerSecret, credentials.consumerKey, token.oauth_token, token.oauth_token_secret];
	try {
		const url = new URL(String(credentials.baseUrl ?? ''));
		values.push(url.username, url.password, decodeURIComponent(url.password), decodeURIComponent(url.username));
	} catch {
		// Not a URL: nothing to take from it.
	}
	return values.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

function apiError(ctx: XContext, raw: XErrorInfo, secrets: readonly string[], itemIndex?: number): { error: NodeApiError; info: XErrorInfo } {
	// Whatever X or the network said is sealed here, on the one path every message takes: no user
	// info, no OAuth values, no credential secret, and markup shown as text in n8n's error view.
	const info: XErrorInfo = { ...raw, message: sealed(raw.message, secrets), description: escapeMarkup(sealed(raw.description, secrets, 2_000)) };
	// Built from the X answer only: the failed request (with its Authorization header) stays out.
	const error = new NodeApiError(
		ctx.getNode(),
		{ httpCode: String(info.httpCode), xCode: info.xCode ?? null, message: info.message } as JsonObject,
		{ message: info.message, description: info.description, httpCode: String(info.httpCode), itemIndex, failure: failureOf(info) },
	);
	// NodeApiError swaps messages that mention some network codes for its own generic text.
	error.message = info.message;
	error.context.x = { ...info } as unknown as IDataObject;
	return { error, info };
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

function parseBody(body: Buffer): { ok: true; value: unknown } | { ok: false } {
	if (body.length === 0) return { ok: true, value: {} };
	try {
		return { ok: true, value: JSON.parse(body.toString('utf8')) };
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

function mayHaveActed(req: XRequest): boolean {
	return req.method !== 'GET';
}

async function sendOnce<T>(ctx: XContext, req: XRequest, limits: Required<TransportOptions>): Promise<Attempt<T>> {
	const credentials = await credentialsOf(ctx, req.itemIndex);
	const baseUrl = String(credentials.baseUrl ?? 'https://api.twitter.com').replace(/\/+$/, '');
	// Only a failure needs these; a drain makes a thousand calls that succeed.
	const shownUrl = () => displayUrl(baseUrl);
	const endpoint = `${req.method} ${req.path}`;
	const fail = (info: XErrorInfo): Attempt<T> => ({ ok: false, ...apiError(ctx, info, secretsOf(credentials), req.itemIndex) });
	const startedAt = Date.now();
	const options: IHttpRequestOptions = {
		method: req.method,
		url: `${baseUrl}${req.path}`,
		qs: req.qs,
		body: req.body,
		json: true,
		// Read here, with a size cap and a deadline (boundedBody.ts).
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: limits.timeoutMs,
		// X's API does not redirect; following one would hand the signed Authorization header to
		// whatever host it names.
		disableFollowRedirect: true,
	};
	let response: { body: unknown; headers: Record<string, unknown>; statusCode: number };
	try {
		response = await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, options);
	} catch (error) {
		const failure = networkFailure(error);
		return fail(
			failure
				? connectionFailed(failure, shownUrl(), endpoint, mayHaveActed(req))
				: requestNotSent(String((error as Error).message ?? 'unknown error'), endpoint),
		);
	}
	const rateLimit = readRateLimit(response.headers);
	if (rateLimit?.clampedFrom !== undefined) {
		ctx.logger.warn(
			`X sent a rate-limit reset of ${String(rateLimit.clampedFrom)} for ${endpoint}, beyond any window X has; it was read as ${new Date(rateLimit.resetAt * 1000).toISOString()}`,
		);
	}
	const read = await readBounded(response.body, { maxBytes: limits.maxBodyBytes, deadlineMs: startedAt + limits.deadlineMs, idleMs: limits.timeoutMs, wait: sleep });
	if (read.kind !== 'read') {
		const outcome =
			read.kind === 'tooLarge'
				? { kind: read.kind, bytes: read.bytes, capBytes: limits.maxBodyBytes }
				: read.kind === 'tooSlow'
				? { kind: read.kind, bytes: read.bytes, ms: read.ms, deadlineMs: limits.deadlineMs }
				: { kind: 'cutOff' as const, failure: networkFailure(read.error) ?? 'connection closed' };
		const accepted = mayHaveActed(req) && response.statusCode >= 200 && response.statusCode < 300;
		return fail(answerUnread(outcome, endpoint, shownUrl(), response.statusCode, accepted));
	}
	const parsed = parseBody(read.body);
	if (parsed.ok) {
		const cut = cutDeepJson(parsed.value);
		if (cut > 0) ctx.logger.warn(`X's answer to ${endpoint} held ${cut} value(s) nested deeper than ${MAX_JSON_DEPTH} levels; they were left out`);
	}
	if (response.statusCode >= 200 && response.statusCode < 300) {
		if (!parsed.ok) return fail(garbledAnswer(endpoint, response.statusCode, mayHaveActed(req)));
		return { ok: true, response: { body: parsed.value as T, statusCode: response.statusCode, rateLimit } };
	}
	if (response.statusCode >= 300 && response.statusCode < 400) {
		const location = typeof response.headers.location === 'string' ? displayUrl(response.headers.location) : 'another address';
		return fail(redirected(endpoint, response.statusCode, location));
	}
	const info = describeXError(response.statusCode, parsed.ok ? parsed.value : undefined, endpoint, rateLimit, req.subject);
	if (rateLimit) info.rateLimit = rateLimit;
	// X answers an unknown ID with an X error body; a bare 404 means the base URL points elsewhere.
	if (response.statusCode === 404 && info.xCode === undefined) return fail(notXApi(shownUrl(), req.path, info));
	return fail(info);
}

/** One call to X. GETs are retried on transient failures (not on rate limits); POSTs never are. */
export async function xRequest<T>(ctx: XContext, req: XRequest, options: TransportOptions = {}): Promise<XResponse<T>> {
	const limits = { ...DEFAULTS, ...options };
	const attempts = req.method === 'GET' ? limits.getRetries + 1 : 1;
	const startedAt = Date.now();
	for (let attempt = 1; ; attempt++) {
		const outcome = await sendOnce<T>(ctx, req, limits);
		if (outcome.ok) return outcome.response;
		const { info } = outcome;
		const retryable = info.transient && info.httpCode !== 429 && info.xCode !== 88;
		// Retries stay within one deadline: a slow X makes one call slow, not four.
		const outOfTime = Date.now() - startedAt > limits.deadlineMs;
		if (!retryable || attempt >= attempts || outOfTime) throw outcome.error;
		await sleep(limits.backoffMs * 2 ** (attempt - 1));
	}
}
