/** Reading requests and writing answers with node:http, no framework. */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

import { XApiError } from './errors';
import type { SignedParams } from './oauth';

const MAX_BODY_BYTES = 1024 * 1024;
/** Past this, reading on to answer 413 is not worth it: the connection is dropped. */
const MAX_DRAINED_BYTES = 64 * MAX_BODY_BYTES;

export interface ApiRequest {
	method: string;
	/** Path and query as sent. */
	url: string;
	pathname: string;
	headers: IncomingHttpHeaders;
	query: URLSearchParams;
	/** An application/x-www-form-urlencoded body. */
	form: URLSearchParams | undefined;
	/** An application/json body; `jsonError` says why it could not be read. */
	json: unknown;
	jsonError: string | undefined;
	/** A parameter from the query string, else from the form body. */
	param(name: string): string | undefined;
	/** Query and form parameters as OAuth signs them (a JSON body is not signed). */
	signedParams: SignedParams;
}

/**
 * The request body, up to 1 MB. A larger one is read to its end and discarded so the client gets a
 * 413 answer (a client still sending does not see an answer on a reset connection); only a body
 * far past the limit has its connection dropped.
 */
export function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_DRAINED_BYTES) {
				reject(new XApiError(413, 44, 'Request body is larger than 1 MB.'));
				req.destroy();
				return;
			}
			if (size <= MAX_BODY_BYTES) chunks.push(chunk);
		});
		req.on('end', () => {
			if (size > MAX_BODY_BYTES) reject(new XApiError(413, 44, 'Request body is larger than 1 MB.'));
			else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
		});
		req.on('error', reject);
	});
}

/** An absolute http(s) URL with a host, as X wants for privacy_url, buttons and callbacks. */
export function isHttpUrl(value: unknown): boolean {
	if (typeof value !== 'string') return false;
	try {
		const u = new URL(value);
		return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
	} catch {
		return false;
	}
}

export function splitUrl(url: string): { pathname: string; search: string } {
	const q = url.indexOf('?');
	return q < 0 ? { pathname: url, search: '' } : { pathname: url.slice(0, q), search: url.slice(q + 1) };
}

export function parseApiRequest(req: IncomingMessage, body: Buffer): ApiRequest {
	const url = req.url ?? '/';
	const { pathname, search } = splitUrl(url);
	const query = new URLSearchParams(search);
	const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	let form: URLSearchParams | undefined;
	let json: unknown;
	let jsonError: string | undefined;
	if (body.length > 0 && contentType === 'application/x-www-form-urlencoded') {
		form = new URLSearchParams(body.toString('utf8'));
	} else if (contentType === 'application/json') {
		if (body.length === 0) jsonError = 'the JSON body is empty';
		else {
			try {
				json = JSON.parse(body.toString('utf8'));
			} catch {
				jsonError = 'the body is not valid JSON';
			}
		}
	}
	const signedParams: SignedParams = {};
	for (const source of [query, form]) {
		if (!source) continue;
		for (const [k, v] of source) {
			const prev = signedParams[k];
			if (prev === undefined) signedParams[k] = v;
			else if (Array.isArray(prev)) prev.push(v);
			else signedParams[k] = [prev, v];
		}
	}
	return {
		method: (req.method ?? 'GET').toUpperCase(),
		url,
		pathname,
		headers: req.headers,
		query,
		form,
		json,
		jsonError,
		param: (name) => query.get(name) ?? form?.get(name) ?? undefined,
		signedParams,
	};
}

export interface Reply {
	status: number;
	body: string;
	contentType: string;
	headers?: Record<string, string>;
}

export function jsonReply(status: number, body: unknown, headers?: Record<string, string>): Reply {
	return jsonTextReply(status, JSON.stringify(body), headers);
}

export function jsonTextReply(status: number, text: string, headers?: Record<string, string>): Reply {
	return { status, body: text, contentType: 'application/json; charset=utf-8', headers };
}

export function send(res: ServerResponse, reply: Reply): void {
	if (res.headersSent || res.destroyed) return;
	res.writeHead(reply.status, {
		'content-type': reply.contentType,
		'content-length': Buffer.byteLength(reply.body),
		...reply.headers,
	});
	res.end(reply.body);
}
