/**
 * OAuth 1.0a (HMAC-SHA1) as X does it: signing (shared with the emulator's client), parsing the
 * Authorization header, verifying a request, and remembering nonces for as long as they could be
 * replayed. Signatures are computed with the oauth-1.0a package, the one n8n signs with.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import OAuth from 'oauth-1.0a';

import type { Accounts, UserRecord } from './accounts';
import { XApiError } from './errors';

/** Query-string and form-body parameters (repeated names as arrays), plus oauth_* when signing. */
export type SignedParams = Record<string, string | string[]>;

export function createOAuth(consumerKey: string, consumerSecret: string): OAuth {
	return new OAuth({
		consumer: { key: consumerKey, secret: consumerSecret },
		signature_method: 'HMAC-SHA1',
		hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
	});
}

/**
 * The HMAC-SHA1 signature of a request. `url` is the base URL (a query string on it is signed too);
 * `params` holds the query, form and oauth_* parameters except oauth_signature.
 */
export function oauthSignature(input: {
	method: string;
	url: string;
	params: SignedParams;
	consumerSecret: string;
	tokenSecret?: string;
}): string {
	// The library mutates what it is given (merges objects, sorts arrays): hand it copies.
	const data: SignedParams = {};
	for (const [k, v] of Object.entries(input.params)) data[k] = Array.isArray(v) ? [...v] : v;
	return createOAuth('', input.consumerSecret).getSignature(
		{ url: input.url, method: input.method, data },
		input.tokenSecret,
		{} as OAuth.Data,
	);
}

export interface SignInput {
	method: string;
	/** Base URL without the query string; put query and form parameters in `params`. */
	url: string;
	params?: SignedParams;
	consumerKey: string;
	consumerSecret: string;
	token?: string;
	tokenSecret?: string;
	/** Extra protocol parameters sent in the header and signed, e.g. oauth_callback, oauth_verifier. */
	oauthParams?: Record<string, string>;
	nonce?: string;
	timestamp?: number;
}

/** The `Authorization: OAuth ...` header value for a request. */
export function authorizationHeader(input: SignInput): string {
	const oauth = createOAuth(input.consumerKey, input.consumerSecret);
	const protocol: Record<string, string> = {
		oauth_consumer_key: input.consumerKey,
		oauth_nonce: input.nonce ?? oauth.getNonce(),
		oauth_signature_method: 'HMAC-SHA1',
		oauth_timestamp: String(input.timestamp ?? oauth.getTimeStamp()),
		oauth_version: '1.0',
		...(input.token !== undefined ? { oauth_token: input.token } : {}),
		...input.oauthParams,
	};
	const signature = oauthSignature({
		method: input.method,
		url: input.url,
		params: { ...input.params, ...protocol },
		consumerSecret: input.consumerSecret,
		tokenSecret: input.tokenSecret,
	});
	return oauth.toHeader({ ...protocol, oauth_signature: signature } as unknown as OAuth.Authorization).Authorization;
}

const HEADER_PARAM = /^([A-Za-z0-9_.~%-]+)\s*=\s*"([^"]*)"$/;

/** The parameters of an `OAuth k="v", ...` header, percent-decoded; undefined when garbled. */
export function parseOAuthHeader(header: string | undefined): Record<string, string> | undefined {
	if (!header) return undefined;
	const m = /^OAuth\s+([\s\S]*)$/i.exec(header.trim());
	if (!m) return undefined;
	const out: Record<string, string> = {};
	for (const raw of m[1].split(',')) {
		const part = raw.trim();
		if (!part) continue;
		const kv = HEADER_PARAM.exec(part);
		if (!kv) return undefined;
		try {
			out[decodeURIComponent(kv[1])] = decodeURIComponent(kv[2]);
		} catch {
			return undefined;
		}
	}
	return out;
}

/**
 * Nonces seen while their timestamps are still acceptable. Memory is bounded by time (a nonce is
 * dropped once a request carrying it would fail the timestamp check anyway) and by a hard cap, so
 * a long benchmark at thousands of requests per second cannot grow it without end.
 */
export class NonceCache {
	constructor(private readonly maxEntries = 1_000_000) {}

	private readonly seen = new Set<string>();
	private readonly byExpiry = new Map<number, string[]>();
	private prunedAt = 0;

	/** Records a nonce; false when it was already used. */
	record(key: string, expiresAtSec: number, nowSec: number): boolean {
		this.prune(nowSec);
		if (this.seen.has(key)) return false;
		this.seen.add(key);
		const bucket = this.byExpiry.get(expiresAtSec);
		if (bucket) bucket.push(key);
		else this.byExpiry.set(expiresAtSec, [key]);
		if (this.seen.size > this.maxEntries) this.dropOldestBucket();
		return true;
	}

	/** Buckets are created in roughly ascending expiry order: the first one is about the oldest. */
	private dropOldestBucket(): void {
		const first = this.byExpiry.keys().next();
		if (first.done) return;
		for (const k of this.byExpiry.get(first.value)!) this.seen.delete(k);
		this.byExpiry.delete(first.value);
	}

	get size(): number {
		return this.seen.size;
	}

	clear(): void {
		this.seen.clear();
		this.byExpiry.clear();
	}

	private prune(nowSec: number): void {
		if (nowSec === this.prunedAt) return;
		this.prunedAt = nowSec;
		for (const [sec, keys] of this.byExpiry) {
			if (sec >= nowSec) continue;
			for (const k of keys) this.seen.delete(k);
			this.byExpiry.delete(sec);
		}
	}
}

/** What a route needs from the token: an access token, a request token (access_token), or none. */
export type TokenRule = 'access' | 'request' | 'consumer';

export interface VerifyInput {
	method: string;
	/** Candidate base URLs (scheme, host, path) the client may have signed. */
	urls: string[];
	params: SignedParams;
	authorization: string | undefined;
	rule: TokenRule;
}

export interface Verified {
	oauth: Record<string, string>;
	/** The account an access token maps to. */
	user?: UserRecord;
	/** The request token, for /oauth/access_token. */
	requestToken?: string;
}

export interface VerifierContext {
	accounts: Accounts;
	nonces: NonceCache;
	consumerKey: string;
	consumerSecret: string;
	skewSec: number;
}

const REQUIRED = ['oauth_consumer_key', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method', 'oauth_timestamp'];

const badAuthData = (why: string) => new XApiError(400, 215, `Bad Authentication data: ${why}.`);
const cannotAuthenticate = (why: string) => new XApiError(401, 32, `Could not authenticate you: ${why}.`);
const invalidToken = () => new XApiError(401, 89, 'Invalid or expired token.');

/** Checks one request as X does; throws the X error a client would get. */
export function verifyOAuthRequest(ctx: VerifierContext, input: VerifyInput): Verified {
	const oauth = parseOAuthHeader(input.authorization);
	if (!oauth) {
		throw badAuthData(input.authorization ? 'the Authorization header is garbled' : 'the Authorization header is missing');
	}
	for (const name of REQUIRED) if (!oauth[name]) throw badAuthData(`${name} is missing`);
	if (oauth.oauth_version !== undefined && oauth.oauth_version !== '1.0') throw badAuthData('oauth_version must be 1.0');
	if (!/^\d{1,12}$/.test(oauth.oauth_timestamp)) throw badAuthData('oauth_timestamp is not a number');
	if (oauth.oauth_signature_method !== 'HMAC-SHA1') throw cannotAuthenticate('only HMAC-SHA1 signatures are accepted');
	if (oauth.oauth_consumer_key !== ctx.consumerKey) throw cannotAuthenticate('unknown consumer key');

	const token = oauth.oauth_token;
	let tokenSecret = '';
	const verified: Verified = { oauth };
	if (input.rule === 'request') {
		const rt = token ? ctx.accounts.requestToken(token) : undefined;
		if (!rt) throw invalidToken();
		tokenSecret = rt.secret;
		verified.requestToken = rt.token;
	} else if (token || input.rule === 'access') {
		const access = token ? ctx.accounts.accessToken(token) : undefined;
		if (!access) throw invalidToken();
		tokenSecret = access.secret;
		verified.user = access.user;
	}

	const nowSec = Math.floor(Date.now() / 1000);
	const ts = Number(oauth.oauth_timestamp);
	if (Math.abs(ts - nowSec) > ctx.skewSec) throw new XApiError(401, 135, 'Timestamp out of bounds.');

	// The signature and realm are not signed themselves.
	const given = oauth.oauth_signature;
	const signedOAuth = Object.fromEntries(Object.entries(oauth).filter(([key]) => key !== 'oauth_signature' && key !== 'realm'));
	const params = { ...input.params, ...signedOAuth };
	const matches = input.urls.some((url) =>
		sameString(oauthSignature({ method: input.method, url, params, consumerSecret: ctx.consumerSecret, tokenSecret }), given),
	);
	if (!matches) throw cannotAuthenticate('the signature does not match');

	const nonceKey = `${oauth.oauth_consumer_key}&${token ?? ''}&${oauth.oauth_nonce}`;
	if (!ctx.nonces.record(nonceKey, Math.max(ts + ctx.skewSec, nowSec + 1), nowSec)) {
		throw cannotAuthenticate('the nonce was already used');
	}
	return verified;
}

function sameString(a: string, b: string): boolean {
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return x.length === y.length && timingSafeEqual(x, y);
}
