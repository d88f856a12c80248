/**
 * X's error answers in words a person can act on. Pure: the transport wraps the result in a
 * NodeApiError; tests and the trigger read `xCode`, `httpCode` and `transient` from it.
 */
import type { RateLimit, XErrorBody } from './types';

export interface XErrorInfo {
	message: string;
	description: string;
	xCode?: number;
	httpCode: number;
	/** Worth trying again later without the user doing anything. */
	transient: boolean;
	/** When a rate limit resets (epoch ms). */
	retryAtMs?: number;
	/** A POST whose answer was lost: X may have acted on it. */
	outcomeUnknown?: boolean;
	/**
	 * What X's refusal means for the one customer a request was about, whatever code X used for it:
	 * asked within X's 24 hours already (403/185, or a 429 on feedback/create while the window still
	 * has calls), or not reachable by DM (403/349, 403/150).
	 */
	refusal?: CustomerRefusal;
	/** X's rate-limit headers on this answer, when it sent them. */
	rateLimit?: RateLimit;
}

export type CustomerRefusal = 'asked_recently' | 'cannot_dm';

export function firstXError(body: unknown): { code?: number; message?: string } {
	const errors = (body as XErrorBody | undefined)?.errors;
	if (Array.isArray(errors) && errors.length > 0) {
		const first = errors[0] ?? {};
		return { code: typeof first.code === 'number' ? first.code : undefined, message: first.message };
	}
	return {};
}

function clock(ms: number): string {
	const d = new Date(ms);
	return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')} UTC`;
}

/** X's code for its one-request-per-customer-per-24-hours rule on feedback/create. */
export const ASKED_RECENTLY_CODE = 185;
/** X's DM refusals: "You cannot send messages to this user", and "not following you". */
export const CANNOT_DM_CODES: readonly number[] = [349, 150];
/** The endpoint whose per-recipient limit X may also answer with a 429. */
const CREATE_ENDPOINT = 'POST /1.1/feedback/create.json';

function askedRecently(subject: string | undefined, how: string, said: string): Pick<XErrorInfo, 'message' | 'description'> {
	return {
		message: `${subject ?? 'This customer'} was already sent a feedback request in the last 24 hours: X allows one per customer per 24 hours, so no card was sent`,
		description: `X refuses a second feedback request to the same customer within 24 hours (unless X allowlisted the customer)${how}. Try again later; "Skip Customers Asked Within (Days)" makes the node skip customers it asked itself.${said}`,
	};
}

/**
 * Maps an HTTP status and X error body to a message and an action. `subject` names whom the request
 * was about (e.g. `@alice (user ID 42)`), for the errors that are about that customer.
 */
export function describeXError(
	httpCode: number,
	body: unknown,
	endpoint: string,
	rateLimit?: RateLimit,
	subject?: string,
): XErrorInfo {
	const { code, message: xMessage } = firstXError(body);
	const said = xMessage ? ` X said: "${xMessage}"` : '';
	const base = { xCode: code, httpCode, transient: false };

	if ((httpCode === 429 || code === 88) && endpoint === CREATE_ENDPOINT && rateLimit !== undefined && rateLimit.remaining > 0) {
		// X's documented limit for feedback/create is "1,000 and 1 per recipient" per 24 hours: a 429
		// while the window still has calls is the per-recipient one, about this customer only.
		const how = `; X answered ${httpCode}${code !== undefined ? `/${code}` : ''} while its window still had ${rateLimit.remaining} of ${rateLimit.limit} calls, so this is its per-recipient limit`;
		return { ...base, refusal: 'asked_recently', ...askedRecently(subject, how, said) };
	}
	if (httpCode === 429 || code === 88) {
		const retryAtMs = rateLimit && rateLimit.resetAt > 0 ? rateLimit.resetAt * 1000 : undefined;
		const when = retryAtMs ? `after ${clock(retryAtMs)} (${new Date(retryAtMs).toISOString()})` : 'in 15 minutes';
		return {
			...base,
			transient: true,
			retryAtMs,
			message: `X rate limit reached for ${endpoint}: try again ${when}`,
			description: `X allows a fixed number of calls per window for each endpoint and account.${said}`,
		};
	}
	switch (code) {
		case 32:
			return {
				...base,
				message: 'X could not authenticate this request: reconnect the credential',
				description: `The consumer key and secret or the access token do not match what X has. Check the app keys in the credential, then reconnect it ("Connect", or "Reconnect", called "Switch account" in n8n 2.x, when it shows as connected).${said}`,
			};
		case 89:
			return {
				...base,
				message: 'The X access token is invalid or expired: reconnect the credential',
				description: `Open the credential and reconnect it ("Connect", or "Reconnect", called "Switch account" in n8n 2.x, when it shows as connected). Tokens end when the account revokes the app or X resets them.${said}`,
			};
		case 135:
			return {
				...base,
				message: "X rejected the request's timestamp: this machine's clock is off",
				description: `OAuth 1.0a signatures carry the time; X refuses them when the clock is more than a few minutes off. Synchronise the clock (NTP) of the machine that runs n8n.${said}`,
			};
		case 215:
			return {
				...base,
				message: 'X found the authentication data incomplete: reconnect the credential',
				description: `The request was not signed with OAuth 1.0a user context. This node needs the credential connected to an X account ("Connect" in the credential).${said}`,
			};
		case 87:
			return {
				...base,
				message: 'This app is not allowlisted for customer feedback cards',
				description: `Customer feedback cards are an X enterprise feature. Ask your X account manager to allowlist this app's client ID.${said}`,
			};
		case 220:
			return {
				...base,
				message: 'This account is not allowlisted for customer feedback cards',
				description: `X must allowlist each @username that sends feedback cards. Ask your X account manager to add the account connected in this credential.${said}`,
			};
		case 93:
			return {
				...base,
				message: 'This app may not access Direct Messages',
				description: `In the X developer portal set the app permissions to "Read and write and Direct message", then reconnect the credential so the token carries them.${said}`,
			};
		case 349:
			return {
				...base,
				refusal: 'cannot_dm',
				message: 'You cannot send Direct Messages to this user',
				description: `The customer does not accept Direct Messages from this account (can_dm is false). Send Request outputs such customers as skipped (reason "cannot_dm") unless "If Customer Cannot Receive DMs" is Error.${said}`,
			};
		case 150:
			return {
				...base,
				refusal: 'cannot_dm',
				message: 'This user does not follow the account, so it cannot receive its Direct Messages',
				description: `The customer only accepts Direct Messages from accounts they follow.${said}`,
			};
		case 354:
			return {
				...base,
				message: 'The Direct Message text is too long: at most 10,000 characters',
				description: `Shorten the message.${said}`,
			};
		case ASKED_RECENTLY_CODE:
			return { ...base, refusal: 'asked_recently', ...askedRecently(subject, '', said) };
		case 34:
			return { ...base, message: `X found nothing at ${endpoint}: check the ID`, description: `The ID does not exist or is not visible to this account.${said}` };
		case 50:
			return { ...base, message: 'X found no such user: check the user ID or @username', description: `The user does not exist or is suspended.${said}` };
		case 38:
			return { ...base, message: `A required parameter is missing: ${xMessage ?? endpoint}`, description: `Fill in the field in the node.${said}` };
		case 44:
			return { ...base, message: `X rejected a parameter: ${xMessage ?? endpoint}`, description: `Correct the field named in the message.${said}` };
		case 130:
			return { ...base, transient: true, message: 'X is over capacity: try again later', description: `A temporary problem at X; nothing was wrong with the request.${said}` };
		case 131:
			return { ...base, transient: true, message: 'X had an internal error: try again later', description: `A temporary problem at X; nothing was wrong with the request.${said}` };
	}
	if (httpCode >= 500) {
		return { ...base, transient: true, message: `X answered ${httpCode}: try again later`, description: `A temporary problem at X.${said}` };
	}
	if (httpCode === 401) {
		return { ...base, message: 'X refused the credential: reconnect it', description: `X answered 401 Unauthorized.${said}` };
	}
	// A code this table does not know: X's own code and text, so nothing X said is lost.
	const xCodeText = code !== undefined ? ` (X code ${code})` : '';
	if (httpCode === 403) {
		return {
			...base,
			message: `X refused ${endpoint}${xCodeText}${xMessage ? `: ${xMessage}` : ''}`,
			description: `X answered 403 Forbidden. Customer feedback cards need an allowlisted app and account.${said}`,
		};
	}
	return { ...base, message: `X answered ${httpCode} for ${endpoint}${xCodeText}${xMessage ? `: ${xMessage}` : ''}`, description: `Unexpected answer from X.${said}` };
}

/** n8n's failure causes (n8n-workflow >= 2.37), as plain data; hosts without them ignore the field. */
export type FailureCause =
	| { cause: 'rate-limited'; resetsAtEpochMs?: number }
	| { cause: 'temporarily-unavailable' }
	| { cause: 'credential-invalid' }
	| { cause: 'configuration-invalid' };

const CREDENTIAL_CODES = [32, 89, 215];
/** App or account not allowlisted, app without DM permission: someone has to change X's settings. */
const CONFIGURATION_CODES = [87, 220, 93];

/** Why a call failed, in n8n's terms, so n8n's scheduler can back off or ask for a reconnect. */
export function failureOf(info: Pick<XErrorInfo, 'httpCode' | 'xCode' | 'transient' | 'retryAtMs' | 'refusal'>): FailureCause | undefined {
	// About one customer: nothing to back off from or to reconfigure.
	if (info.refusal !== undefined) return undefined;
	if (info.httpCode === 429 || info.xCode === 88) {
		return info.retryAtMs ? { cause: 'rate-limited', resetsAtEpochMs: info.retryAtMs } : { cause: 'rate-limited' };
	}
	if (info.xCode !== undefined && CREDENTIAL_CODES.includes(info.xCode)) return { cause: 'credential-invalid' };
	if (info.httpCode === 401 && info.xCode !== 135) return { cause: 'credential-invalid' };
	if (info.xCode !== undefined && CONFIGURATION_CODES.includes(info.xCode)) return { cause: 'configuration-invalid' };
	if (info.transient) return { cause: 'temporarily-unavailable' };
	return undefined;
}

// What the transport says when the answer is not an X error body: the connection, the body, a
// redirect, a server that is not X. `acted`: the request was one X may have carried out (a POST).

const CHECK_BEFORE_SENDING = "check whether it reached the customer before sending again (for a feedback request: Get Many, or the customer's DMs)";

/** The connection failed before any answer; `failure` is `ECONNREFUSED`, `timed out`, a network code. */
export function connectionFailed(failure: string, shownUrl: string, endpoint: string, acted: boolean): XErrorInfo {
	if (failure === 'ECONNREFUSED') {
		// Nothing listens there: far more often a wrong API Base URL (or a stopped emulator) than X being down.
		return {
			message: `Nothing answered at ${shownUrl} (ECONNREFUSED): check the API Base URL in the credential`,
			description: `The connection to ${shownUrl} was refused before any request was sent. For X the API Base URL is https://api.twitter.com; for the local emulator, the URL it printed (is it running?).`,
			httpCode: 0,
			transient: true,
		};
	}
	return acted
		? {
				message: `The connection to X failed (${failure}) before it answered: the request may have been carried out`,
				description: `X may have acted on ${endpoint}, so ${CHECK_BEFORE_SENDING}.`,
				httpCode: 0,
				transient: false,
				outcomeUnknown: true,
			}
		: { message: `Could not reach X (${failure}): try again later`, description: `The connection to ${shownUrl} for ${endpoint} failed before X answered.`, httpCode: 0, transient: true };
}

/** The request could not be sent at all (not a network failure). */
export function requestNotSent(reason: string, endpoint: string): XErrorInfo {
	return { message: `The request to X failed: ${reason}`, description: `${endpoint} could not be sent. Check the credential and the API Base URL.`, httpCode: 0, transient: false };
}

/** The answer's body was not read whole: over the cap, past the deadline, or cut off. */
export function answerUnread(
	outcome: { kind: 'tooLarge'; bytes: number; capBytes: number } | { kind: 'tooSlow'; bytes: number; ms: number; deadlineMs: number } | { kind: 'cutOff'; failure: string },
	endpoint: string,
	shownUrl: string,
	httpCode: number,
	acted: boolean,
): XErrorInfo {
	const why =
		outcome.kind === 'tooLarge'
			? `its answer was larger than ${Math.round(outcome.capBytes / 1024 / 1024)} MiB (${outcome.bytes} bytes read); it was not read further`
			: outcome.kind === 'tooSlow'
			? `its answer did not arrive within ${outcome.deadlineMs / 1000} s (${outcome.bytes} bytes in ${Math.round(outcome.ms / 1000)} s); the connection was closed`
			: `its answer was cut off (${outcome.failure})`;
	if (acted) {
		return { message: `X accepted ${endpoint}, but ${why}: it was probably carried out`, description: `X may have acted on it: ${CHECK_BEFORE_SENDING}.`, httpCode, transient: false, outcomeUnknown: true };
	}
	return {
		message: `X answered ${endpoint}, but ${why}`,
		description:
			outcome.kind === 'tooLarge'
				? `No answer of X's needs this much: a proxy or a server that is not X may be answering at ${shownUrl}. Nothing of it was used.`
				: 'X or the network between is too slow; try again later. Nothing of this answer was used.',
		httpCode,
		transient: outcome.kind !== 'tooLarge',
	};
}

/** A 2xx whose body is not JSON: a GET can simply be asked again; a POST X accepted was carried out. */
export function garbledAnswer(endpoint: string, httpCode: number, acted: boolean): XErrorInfo {
	return acted
		? {
				message: 'X accepted the request, but its answer was garbled: it was probably carried out',
				description: `X answered ${httpCode} to ${endpoint} with a body garbled in transit, so X may have acted on it: ${CHECK_BEFORE_SENDING}.`,
				httpCode,
				transient: false,
				outcomeUnknown: true,
			}
		: { message: 'X answered with a body that is not valid JSON: try again later', description: `The answer to ${endpoint} was cut short or garbled in transit.`, httpCode, transient: true };
}

/** A 3xx: X's API does not redirect, and following one would hand the signed header elsewhere. */
export function redirected(endpoint: string, httpCode: number, location: string): XErrorInfo {
	return {
		message: `X answered ${endpoint} with a redirect (${httpCode}) to ${location}; it was not followed`,
		description: "X's API does not redirect, and following one would send the signed Authorization header elsewhere. Check the API Base URL in the credential (for X: https://api.twitter.com).",
		httpCode,
		transient: false,
	};
}

/** A bare 404 with no X error body: the base URL points at something that is not X's API. */
export function notXApi(shownUrl: string, path: string, base: XErrorInfo): XErrorInfo {
	return {
		...base,
		message: `Nothing at ${shownUrl}${path} (404): check the API Base URL in the credential`,
		description: `The server at ${shownUrl} does not serve X's API. For X the API Base URL is https://api.twitter.com; for the local emulator, the URL it printed.`,
	};
}
