/**
 * The control API under /_emulator/: no OAuth, JSON in and out, errors as {"error": ".."} with 400
 * or 404. Tests, benchmarks and the demo use it to seed, play the customer, move the clock, and
 * inject faults. Not counted in stats, never delayed or faulted.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { UserRecord } from '../accounts';
import { XApiError } from '../errors';
import { parseFaultSpec } from '../faults';
import { jsonReply, readBody, send, splitUrl, type Reply } from '../http';
import { parseTime, type EmulatorState } from '../state';
import { dmWire, feedbackWire } from '../wire';

type Json = Record<string, unknown>;

class ControlError extends Error {
	constructor(
		readonly status: number,
		message: string,
	) {
		super(message);
	}
}

function customerJson(u: UserRecord): Json {
	return {
		id: u.id,
		screenName: u.screenName,
		name: u.name,
		canDm: u.canDm,
		allowlisted: u.allowlisted,
		accessToken: u.accessToken,
		accessTokenSecret: u.accessTokenSecret,
	};
}

function objectBody(body: unknown): Json {
	if (body === undefined) return {};
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ControlError(400, 'the body must be a JSON object');
	return body as Json;
}

function setClock(state: EmulatorState, body: Json): void {
	const { now, advanceMs, freeze } = body;
	if (now === undefined && advanceMs === undefined && freeze === undefined) {
		throw new ControlError(400, 'give now (epoch ms or ISO), advanceMs, and/or freeze (true|false)');
	}
	if (advanceMs !== undefined && (typeof advanceMs !== 'number' || !Number.isFinite(advanceMs))) {
		throw new ControlError(400, 'advanceMs must be a number of milliseconds');
	}
	if (freeze !== undefined && typeof freeze !== 'boolean') throw new ControlError(400, 'freeze must be true or false');
	// Freeze before moving the clock, so "set and freeze" holds exactly the time given even when a
	// millisecond passes between the two steps; unfreeze after it.
	const time = now === undefined ? undefined : parseTime(now, 'now');
	if (freeze === true) state.clock.freeze(true);
	if (time !== undefined) state.clock.set(time);
	if (typeof advanceMs === 'number') state.clock.advance(advanceMs);
	if (freeze === false) state.clock.freeze(false);
}

type Handler = (state: EmulatorState, body: Json, query: URLSearchParams, params: string[]) => unknown;

const ROUTES: Array<[string, RegExp, Handler]> = [
	['GET', /^credentials$/, (s) => ({ ...s.credentials })],
	['GET', /^health$/, (s) => ({ ok: true, baseUrl: s.baseUrl })],
	[
		'POST',
		/^reset$/,
		(s, b) => {
			s.reset({ seed: b.seed as 'demo' | 'none' | undefined, options: b.options as Json | undefined });
			return { ok: true, config: s.config, customers: s.accounts.customers().length, feedback: s.feedback.records.size };
		},
	],
	['GET', /^config$/, (s) => ({ config: s.config, clock: s.clock.describe() })],
	['POST', /^config$/, (s, b) => ({ config: s.configure(b) })],
	[
		'GET',
		/^customers$/,
		(s) => ({ business: customerJson(s.accounts.business), customers: s.accounts.customers().map(customerJson) }),
	],
	[
		'POST',
		/^customers$/,
		(s, b) => {
			if (!Array.isArray(b.customers)) throw new ControlError(400, 'customers must be an array of {screenName, name?, canDm?, allowlisted?, id?}');
			return { customers: s.addCustomers(b.customers).map(customerJson) };
		},
	],
	[
		'POST',
		/^customers\/(\d+)$/,
		(s, b, _q, [id]) => {
			const user = s.accounts.byId(id);
			if (!user) throw new ControlError(404, `no user with id ${id}`);
			s.accounts.updateCustomer(user, b);
			return { customer: customerJson(user) };
		},
	],
	[
		'GET',
		/^feedback$/,
		(s, _b, q) => {
			const to = q.get('to_user_id');
			const all = [...s.feedback.records.values()].filter((f) => !to || f.toUserId === to);
			return { feedback: all.map((f) => feedbackWire(f)) };
		},
	],
	['GET', /^feedback\/(\d+)$/, (s, _b, _q, [id]) => feedbackWire(s.feedbackById(id))],
	['POST', /^feedback\/(\d+)\/respond$/, (s, b, _q, [id]) => feedbackWire(s.respond(id, b))],
	['POST', /^feedback\/(\d+)\/touch$/, (s, b, _q, [id]) => feedbackWire(s.touch(id, b))],
	['GET', /^clock$/, (s) => s.clock.describe()],
	[
		'POST',
		/^clock$/,
		(s, b) => {
			setClock(s, b);
			return s.clock.describe();
		},
	],
	['GET', /^faults$/, (s) => s.faults.describe()],
	[
		'POST',
		/^faults$/,
		(s, b) => {
			if (!Array.isArray(b.faults)) throw new ControlError(400, 'faults must be an array of {kind, count?, method?, path?, status?, afterMs?}');
			const specs = b.faults.map(parseFaultSpec);
			return { added: s.faults.add(specs), ...s.faults.describe() };
		},
	],
	[
		'DELETE',
		/^faults$/,
		(s) => {
			s.faults.clear();
			return s.faults.describe();
		},
	],
	['GET', /^webhook$/, (s, _b, q) => s.webhooks.describe(q.get('deliveries') === 'all')],
	['POST', /^webhook$/, (s, b) => s.webhooks.register(b)],
	[
		'DELETE',
		/^webhook$/,
		(s) => {
			s.webhooks.unregister();
			return s.webhooks.describe();
		},
	],
	['POST', /^webhook\/faults$/, (s, b) => s.webhooks.addFaults(b.faults)],
	['GET', /^stats$/, (s) => s.stats.snapshot()],
	[
		'POST',
		/^stats\/reset$/,
		(s) => {
			s.stats.reset();
			return s.stats.snapshot();
		},
	],
	[
		'GET',
		/^dms$/,
		(s, _b, q) => {
			const recipient = q.get('recipient_id');
			const dms = s.feedback.dms.filter((d) => !recipient || d.recipientId === recipient);
			return { dms: dms.map((d) => ({ ...dmWire(d), ...(d.feedbackId ? { feedback_id: d.feedbackId } : {}) })) };
		},
	],
	['POST', /^bulk$/, (s, b) => s.bulk(b)],
	[
		'POST',
		/^revoke$/,
		(s, b) => {
			if (typeof b.token !== 'string' || !s.accounts.revoke(b.token)) throw new ControlError(404, 'no such access token');
			return { ok: true };
		},
	],
];

function dispatch(state: EmulatorState, method: string, path: string, query: URLSearchParams, raw: Buffer): Reply {
	let matchedPath = false;
	for (const [m, pattern, handler] of ROUTES) {
		const match = pattern.exec(path);
		if (!match) continue;
		matchedPath = true;
		if (m !== method) continue;
		let body: unknown;
		if (raw.length > 0) {
			try {
				body = JSON.parse(raw.toString('utf8'));
			} catch {
				return jsonReply(400, { error: 'the body is not valid JSON' });
			}
		}
		try {
			return jsonReply(200, handler(state, objectBody(body), query, match.slice(1)));
		} catch (err) {
			const status = err instanceof ControlError ? err.status : err instanceof XApiError && err.status === 404 ? 404 : 400;
			return jsonReply(status, { error: err instanceof Error ? err.message : String(err) });
		}
	}
	return jsonReply(404, { error: matchedPath ? `${method} is not supported on /_emulator/${path}` : `unknown control endpoint /_emulator/${path}` });
}

/** Host names a local caller uses: loopback, and the host the emulator was started on. */
function isLocalHost(state: EmulatorState, hostHeader: string | undefined): boolean {
	if (!hostHeader) return false;
	let hostname: string;
	try {
		hostname = new URL(`http://${hostHeader}`).hostname.replace(/^\[|\]$/g, '').toLowerCase();
	} catch {
		return false;
	}
	if (hostname === 'localhost' || hostname === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)) return true;
	const own = state.baseUrl ? new URL(state.baseUrl).hostname.replace(/^\[|\]$/g, '').toLowerCase() : undefined;
	return own !== undefined && own !== '0.0.0.0' && own !== '::' && hostname === own;
}

/**
 * The control API can reset and fill the emulator, so a web page the user happens to visit must not
 * reach it: only loopback Host headers (no DNS rebinding), and only JSON bodies, which a cross-site
 * page cannot send without a CORS preflight this server never grants.
 */
function refusal(state: EmulatorState, req: IncomingMessage, method: string): Reply | undefined {
	if (!isLocalHost(state, req.headers.host)) {
		return jsonReply(403, { error: 'the control API answers only requests addressed to a loopback host (127.0.0.1, localhost, [::1])' });
	}
	const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	if (method !== 'GET' && method !== 'HEAD' && contentType !== 'application/json') {
		return jsonReply(415, { error: `the control API takes only application/json bodies, not ${contentType ? `"${contentType}"` : 'none'}: send Content-Type: application/json` });
	}
	return undefined;
}

export async function handleControl(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const { pathname, search } = splitUrl(req.url ?? '/');
	const method = (req.method ?? 'GET').toUpperCase();
	let raw: Buffer;
	try {
		raw = await readBody(req);
	} catch (err) {
		if (!(err instanceof XApiError) || res.headersSent) throw err;
		send(res, jsonReply(err.status, { error: err.message }));
		return;
	}
	const refused = refusal(state, req, method);
	if (refused) return send(res, refused);
	const path = pathname.replace(/^\/_emulator\/?/, '').replace(/\/$/, '');
	send(res, dispatch(state, method, path, new URLSearchParams(search), raw));
}
