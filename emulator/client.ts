/**
 * A small OAuth 1.0a-signed HTTP client (undici + oauth-1.0a) for the emulator or X itself: the
 * benchmark's floor client, the demo's customer, and the tests' way in.
 */
import { Agent, request } from 'undici';

import { authorizationHeader, createOAuth, type SignedParams } from './oauth';

export interface SignedClientOptions {
	/** e.g. http://127.0.0.1:8787 (paths are appended as given). */
	baseUrl: string;
	consumerKey: string;
	consumerSecret: string;
	token?: string;
	tokenSecret?: string;
	/** Abort a request after this long (default 30 s). */
	timeoutMs?: number;
	/** Parallel connections to the server (default 16). */
	connections?: number;
}

export type Params = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
	query?: Params;
	/** Sent as application/x-www-form-urlencoded and signed. */
	form?: Params;
	/** Sent as application/json and not signed (as X signs). */
	json?: unknown;
	/** Sent as is and not signed; set its content-type in headers. */
	rawBody?: string;
	headers?: Record<string, string>;
	/** Extra oauth_* parameters, signed and sent in the header (oauth_callback, oauth_verifier). */
	oauthParams?: Record<string, string>;
	/** Override the token of the client for this request (null: sign with the consumer only). */
	token?: { key: string; secret: string } | null;
	nonce?: string;
	timestamp?: number;
	/** Send no Authorization header at all. */
	unsigned?: boolean;
	signal?: AbortSignal;
}

/**
 * JSON as the tests and tools read it: by path, without declaring each answer's shape. The one
 * place the code that never ships opts out of types on purpose.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJson = any;

export interface SignedResponse<T = AnyJson> {
	status: number;
	headers: Record<string, string>;
	/** Parsed JSON when the answer is JSON, else the text. */
	body: T;
	text: string;
}

export interface SignedClient {
	get<T = AnyJson>(path: string, query?: Params, options?: Omit<RequestOptions, 'query'>): Promise<SignedResponse<T>>;
	post<T = AnyJson>(path: string, options?: RequestOptions): Promise<SignedResponse<T>>;
	request<T = AnyJson>(method: string, path: string, options?: RequestOptions): Promise<SignedResponse<T>>;
	close(): Promise<void>;
}

const encoder = createOAuth('', '');
/** RFC 3986 encoding, as OAuth signs it, so the query sent is exactly the one signed. */
const percentEncode = (s: string) => encoder.percentEncode(s);

function toStrings(params: Params | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined) out[k] = String(v);
	return out;
}

function encode(params: Record<string, string>): string {
	return Object.entries(params)
		.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
		.join('&');
}

export function createSignedClient(options: SignedClientOptions): SignedClient {
	const baseUrl = options.baseUrl.replace(/\/$/, '');
	const dispatcher = new Agent({ connections: options.connections ?? 16, keepAliveTimeout: 10_000 });
	const timeoutMs = options.timeoutMs ?? 30_000;

	async function send<T>(method: string, path: string, opts: RequestOptions = {}): Promise<SignedResponse<T>> {
		const query = toStrings(opts.query);
		const form = opts.form ? toStrings(opts.form) : undefined;
		const url = `${baseUrl}${path}`;
		const qs = encode(query);
		const headers: Record<string, string> = { ...opts.headers };
		let body: string | undefined;
		if (form) {
			body = encode(form);
			headers['content-type'] = 'application/x-www-form-urlencoded';
		} else if (opts.json !== undefined) {
			body = JSON.stringify(opts.json);
			headers['content-type'] = 'application/json';
		} else if (opts.rawBody !== undefined) {
			body = opts.rawBody;
		}
		if (!opts.unsigned) {
			const token = opts.token === undefined ? (options.token ? { key: options.token, secret: options.tokenSecret ?? '' } : undefined) : (opts.token ?? undefined);
			const params: SignedParams = { ...query, ...form };
			headers.authorization = authorizationHeader({
				method,
				url,
				params,
				consumerKey: options.consumerKey,
				consumerSecret: options.consumerSecret,
				token: token?.key,
				tokenSecret: token?.secret,
				oauthParams: opts.oauthParams,
				nonce: opts.nonce,
				timestamp: opts.timestamp,
			});
		}
		const res = await request(qs ? `${url}?${qs}` : url, {
			method: method as 'GET',
			headers,
			body,
			dispatcher,
			signal: opts.signal ?? AbortSignal.timeout(timeoutMs),
		});
		const text = await res.body.text();
		const flat: Record<string, string> = {};
		for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
		let parsed: unknown = text;
		if ((flat['content-type'] ?? '').includes('json')) {
			try {
				parsed = JSON.parse(text);
			} catch {
				parsed = text;
			}
		}
		return { status: res.statusCode, headers: flat, body: parsed as T, text };
	}

	return {
		get: (path, query, opts) => send('GET', path, { ...opts, query }),
		post: (path, opts) => send('POST', path, opts),
		request: send,
		close: () => dispatcher.close(),
	};
}

/** One call to the emulator's control API (`/_emulator/...`): JSON in and out, no OAuth. */
export async function callControl<T = AnyJson>(baseUrl: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
	const res = await fetch(`${baseUrl}/_emulator/${path}`, {
		method,
		// The control API takes JSON only (a cross-site page cannot send it), also for a POST without a body.
		headers: body === undefined && (method === 'GET' || method === 'HEAD') ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: res.status, body: (await res.json()) as T };
}

/** Like callControl, for callers that expect success: anything but 200 throws with the answer. */
export async function control<T = AnyJson>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
	const res = await callControl<T>(baseUrl, method, path, body);
	if (res.status !== 200) throw new Error(`control ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
	return res.body;
}
