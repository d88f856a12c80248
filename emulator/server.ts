/**
 * The HTTP server: routes /1.1 and /oauth requests through faults, OAuth, rate limits and the
 * endpoint, and /_emulator/ to the control API. node:http only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import { DEFAULT_FAULT_CODES, pageNotFound, rateLimited, XApiError } from './errors';
import type { Fault, FaultKind } from './faults';
import { jsonReply, parseApiRequest, readBody, send, splitUrl, type Reply } from './http';
import { verifyOAuthRequest, type Verified } from './oauth';
import { DAY_MS } from './time';
import { RATE_LIMITS, rateLimitHeaders, type LimitState } from './rateLimits';
import { handleControl } from './routes/control';
import { directMessagesNew } from './routes/directMessages';
import { feedbackEvents } from './routes/events';
import { feedbackCreate, feedbackDismiss, feedbackShow, feedbackSubmit } from './routes/feedback';
import {
	accessToken,
	authenticatePageRoute,
	authorizePageRoute,
	authorizeSubmit,
	requestToken,
} from './routes/oauthDance';
import type { ApiRoute, Route } from './routes/route';
import { friendshipsShow, usersLookup, usersShow, verifyCredentials } from './routes/users';
import type { EmulatorState } from './state';
import { compactXDates } from './xDate';

const ROUTES: Route[] = [
	verifyCredentials,
	usersShow,
	usersLookup,
	friendshipsShow,
	directMessagesNew,
	feedbackCreate,
	feedbackShow,
	feedbackEvents,
	feedbackSubmit,
	feedbackDismiss,
	requestToken,
	authorizePageRoute,
	authenticatePageRoute,
	authorizeSubmit,
	accessToken,
];

const DEFAULT_TIMEOUT_HOLD_MS = 30_000;
const DEFAULT_RATE_LIMIT_RESET_MS = 1000;
const MALFORMED_BODY = '{"events":[{"event_type":"feedback.upd<html><body>502 Bad Gateway</body></html>';

function findRoute(method: string, pathname: string): { route?: Route; params: string[]; wrongMethod: boolean } {
	let wrongMethod = false;
	for (const route of ROUTES) {
		const m = route.pattern.exec(pathname);
		if (!m) continue;
		if (route.methods.includes(method)) return { route, params: m.slice(1), wrongMethod: false };
		wrongMethod = true;
	}
	return { params: [], wrongMethod };
}

function errorReply(err: unknown, headers?: Record<string, string>): Reply {
	if (err instanceof XApiError) return jsonReply(err.status, err.toBody(), headers);
	console.error('[x-emulator] internal error:', err);
	return jsonReply(500, new XApiError(500, 131, 'Internal error.').toBody(), headers);
}

/** Base URLs the client may have signed: as seen in the Host header, and the emulator's own. */
function signedUrlCandidates(state: EmulatorState, req: IncomingMessage, pathname: string): string[] {
	const out = new Set<string>();
	const host = req.headers.host;
	const forwarded = req.headers['x-forwarded-proto'];
	const proto = (typeof forwarded === 'string' && forwarded.split(',')[0].trim()) || 'http';
	if (host) out.add(`${proto}://${host}${pathname}`);
	if (state.baseUrl) out.add(`${state.baseUrl}${pathname}`);
	return [...out];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createEmulatorServer(state: EmulatorState): Server {
	const server = createServer((req, res) => {
		handle(state, req, res).catch((err) => {
			if (err instanceof XApiError) send(res, errorReply(err));
			else {
				console.error('[x-emulator] request failed:', err);
				if (!res.headersSent) send(res, errorReply(err));
				else res.destroy();
			}
		});
	});
	// Longer than undici's and n8n's keep-alive, so the server never closes a socket a client reuses.
	server.keepAliveTimeout = 65_000;
	return server;
}

async function handle(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const rawUrl = req.url ?? '/';
	const { pathname } = splitUrl(rawUrl);
	if (pathname === '/_emulator' || pathname.startsWith('/_emulator/')) return handleControl(state, req, res);

	const method = (req.method ?? 'GET').toUpperCase();
	const { route, params, wrongMethod } = findRoute(method, pathname);
	const endpoint = `${method} ${route ? route.template : '(unknown)'}`;
	let outcome: string | undefined;
	res.on('close', () => state.stats.record(endpoint, res.writableFinished ? res.statusCode : (outcome ?? 'aborted')));

	if (state.config.requestDelayMs > 0) await sleep(state.config.requestDelayMs);

	const isEventsPage = route === feedbackEvents;
	const fault = state.faults.take(method, rawUrl, isEventsPage);
	if (fault && fault.kind !== 'timeout' && fault.afterMs) await sleep(fault.afterMs);
	if (fault && applyTerminalFault(state, fault, route, req, res, (o) => (outcome = o))) return;

	const body = await readBody(req);
	let reply: Reply;
	if (!route) {
		reply = errorReply(wrongMethod ? new XApiError(404, 34, `Sorry, that page does not exist (not with ${method}).`) : pageNotFound());
	} else {
		const apiReq = parseApiRequest(req, body);
		const verify = (rule: 'access' | 'request' | 'consumer'): Verified =>
			verifyOAuthRequest(
				{
					accounts: state.accounts,
					nonces: state.nonces,
					consumerKey: state.credentials.consumerKey,
					consumerSecret: state.credentials.consumerSecret,
					skewSec: state.config.oauthTimestampSkewSec,
				},
				{ method, urls: signedUrlCandidates(state, req, pathname), params: apiReq.signedParams, authorization: req.headers.authorization, rule },
			);
		if (route.kind === 'api') {
			const pageFaults = new Set<FaultKind>(fault ? [fault.kind] : []);
			reply = handleApi(state, route, verify, (user) => ({ req: apiReq, state, user, pathParams: params, pageFaults }));
		} else {
			try {
				const unsigned = route.unsignedAllowed === true && !req.headers.authorization;
				const verified = route.auth === 'none' || unsigned ? undefined : verify(route.auth);
				reply = route.handle({ req: apiReq, state, verified });
			} catch (err) {
				reply = errorReply(err);
			}
		}
	}
	if (state.config.dateStyle === 'compact' && route?.kind === 'api') reply = { ...reply, body: compactXDates(reply.body) };
	if (fault?.kind === 'truncated') reply = { ...reply, body: reply.body.slice(0, Math.floor(reply.body.length / 2)) };
	send(res, reply);
}

/** Auth, then the per-user rate limit, then the endpoint; every answer carries x-rate-limit-*. */
function handleApi(
	state: EmulatorState,
	route: ApiRoute,
	verify: (rule: 'access') => Verified,
	context: (user: NonNullable<Verified['user']>) => Parameters<ApiRoute['handle']>[0],
): Reply {
	const rule = RATE_LIMITS[route.limit];
	const windowMs = rule.window === 'day' ? DAY_MS : state.config.rateWindowMs;
	const now = state.clock.now();
	let limit: LimitState = { allowed: true, limit: rule.limit, remaining: rule.limit, resetAt: now + windowMs };
	try {
		const { user } = verify('access');
		limit = state.limits.take(`${route.limit}:${user!.id}`, rule, windowMs, now);
		if (!limit.allowed) throw rateLimited();
		const reply = route.handle(context(user!));
		return { ...reply, headers: { ...rateLimitHeaders(limit, now), ...reply.headers } };
	} catch (err) {
		return errorReply(err, rateLimitHeaders(limit, now));
	}
}

/**
 * Faults that answer instead of the endpoint. Returns false for the kinds that need the endpoint
 * to run (truncated, and the events-page kinds).
 */
function applyTerminalFault(
	state: EmulatorState,
	fault: Fault,
	route: Route | undefined,
	req: IncomingMessage,
	res: ServerResponse,
	setOutcome: (o: string) => void,
): boolean {
	switch (fault.kind) {
		case 'status': {
			const status = fault.status ?? 503;
			const [defaultCode, defaultMessage] = DEFAULT_FAULT_CODES[status] ?? [131, 'Internal error.'];
			send(res, errorReply(new XApiError(status, fault.code ?? defaultCode, fault.message ?? defaultMessage)));
			return true;
		}
		case 'rateLimit': {
			const rule = route?.kind === 'api' ? RATE_LIMITS[route.limit] : { limit: 15 };
			const now = state.clock.now();
			const headers = rateLimitHeaders(
				{ allowed: false, limit: rule.limit, remaining: 0, resetAt: now + (fault.resetAfterMs ?? DEFAULT_RATE_LIMIT_RESET_MS) },
				now,
			);
			send(res, errorReply(rateLimited(), headers));
			return true;
		}
		case 'staleTimestamp':
			send(res, errorReply(new XApiError(401, 135, 'Timestamp out of bounds.')));
			return true;
		case 'expiredToken':
			send(res, errorReply(new XApiError(401, 89, 'Invalid or expired token.')));
			return true;
		case 'malformed':
			send(res, { status: 200, body: MALFORMED_BODY, contentType: 'application/json; charset=utf-8' });
			return true;
		case 'reset':
			setOutcome('reset');
			req.socket.destroy();
			return true;
		case 'timeout': {
			setOutcome('timeout');
			// Hold the request without answering; drop the socket later, or when the client gives up.
			const timer = setTimeout(() => req.socket.destroy(), fault.afterMs ?? DEFAULT_TIMEOUT_HOLD_MS);
			res.on('close', () => clearTimeout(timer));
			req.resume();
			return true;
		}
		default:
			return false;
	}
}
