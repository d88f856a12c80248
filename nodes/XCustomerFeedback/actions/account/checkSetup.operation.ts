/**
 * Account → Check Setup: what X does for this account, observed, in one item a person can paste into
 * a bug report. At most 8 GET calls, none retried, nothing sent: verify_credentials, up to 5 pages
 * of feedback/events, friendships/show and users/show. A call that fails is a finding, not a
 * failure of the operation; only bad input fails it.
 */
import {
	NodeApiError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import {
	credentialsOf,
	exactUserId,
	listFeedbackEvents,
	showRelationshipAnswer,
	showUserAnswer,
	verifyCredentials,
	xErrorInfo,
	type UserRef,
} from '../../../shared/api';
import { accountOf } from '../../../shared/account';
import { AnomalyLog } from '../../../shared/feedbackLog/anomalies';
import { DEFAULT_TOLERANCE } from '../../../shared/feedbackLog/announcements';
import { createEventReader, type ListedEvent } from '../../../shared/feedbackLog/eventReader';
import { displayUrl } from '../../../shared/redact';
import { DAY_MS, HOUR_MS } from '../../../shared/time';
import type { RateLimit } from '../../../shared/types';
import { readEventClock, SNAPSHOT_MODE_MEANING, type EventClock } from '../../helpers/eventClock';
import { checkedText, inputError, wholeNumber } from '../../helpers/fieldChecks';

/** Pages of feedback/events read at most: enough to see X's clock, few enough to spare its budget. */
export const MAX_EVENT_PAGES = 5;
const MAX_DAYS = 30;
/** X serves no event younger than 24 hours: the sample ends there. */
const MIN_EVENT_AGE_MS = DAY_MS;
/** One attempt per call: a retry would hide what X did. */
const ONE_ATTEMPT = { getRetries: 0 };

const properties: INodeProperties[] = [
	{
		displayName: 'Days of Events',
		name: 'days',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_DAYS, numberPrecision: 0 },
		default: 3,
		description: `How many days of feedback events to sample, ending 24 hours ago (X serves no younger event). At most ${MAX_EVENT_PAGES} pages are read.`,
	},
	{
		displayName: 'Other User',
		name: 'otherUser',
		type: 'string',
		default: '',
		placeholder: 'e.g. @customer or 1234567890',
		description: "A user ID or @username for friendships/show and users/show (where can_dm comes from). Empty: the connected account's own.",
	},
	{
		displayName: `Makes at most ${3 + MAX_EVENT_PAGES} read-only calls to X (no DM, no card) and returns one item: the credential, each endpoint's answer and rate-limit headers, where can_dm comes from, X's event clock, and a verdict. It holds no token or key.`,
		name: 'checkSetupNotice',
		type: 'notice',
		default: '',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['account'], operation: ['checkSetup'] } }, properties);

interface CallFinding extends IDataObject {
	endpoint: string;
	status: number | null;
	xCode: number | null;
	rateLimit: { limit: number; remaining: number; resetAt: string } | null;
	meaning: string;
}

function rateLimitShown(rateLimit: RateLimit | undefined): CallFinding['rateLimit'] {
	return rateLimit ? { limit: rateLimit.limit, remaining: rateLimit.remaining, resetAt: new Date(rateLimit.resetAt * 1000).toISOString() } : null;
}

/** What a failed call tells: X's status and code, and what the transport made of them. */
function failedCall(endpoint: string, error: unknown): CallFinding {
	if (!(error instanceof NodeApiError)) {
		return { endpoint, status: null, xCode: null, rateLimit: null, meaning: `the answer could not be read: ${(error as Error)?.message ?? String(error)}` };
	}
	const info = xErrorInfo(error);
	const status = info.httpCode ? Number(info.httpCode) : null;
	const code = `${status ?? 'no answer'}${info.xCode !== undefined ? `/${info.xCode}` : ''}`;
	return { endpoint, status, xCode: info.xCode ?? null, rateLimit: rateLimitShown(info.rateLimit), meaning: `${code}: ${info.message ?? error.message}` };
}

async function probe<T>(calls: CallFinding[], endpoint: string, call: () => Promise<{ statusCode: number; rateLimit?: RateLimit; body: T }>, meaning: (body: T) => string): Promise<T | undefined> {
	try {
		const res = await call();
		calls.push({ endpoint, status: res.statusCode, xCode: null, rateLimit: rateLimitShown(res.rateLimit), meaning: `${res.statusCode}: ${meaning(res.body)}` });
		return res.body;
	} catch (error) {
		calls.push(failedCall(endpoint, error));
		return undefined;
	}
}

/** The Other User field: empty, a user ID, or an @username. */
function readOtherUser(ctx: IExecuteFunctions, itemIndex: number): UserRef | undefined {
	const raw = checkedText(ctx, itemIndex, 'Other User', ctx.getNodeParameter('otherUser', itemIndex, ''), 'id').trim();
	if (raw === '') return undefined;
	if (/^\d{1,20}$/.test(raw)) return { userId: raw };
	const screenName = raw.replace(/^@/, '');
	if (/^\w{1,15}$/.test(screenName)) return { screenName };
	throw inputError(ctx, itemIndex, 'Other User', `"${raw}" is neither an X user ID (digits) nor an @username (1 to 15 letters, digits or _)`, 'Fix the Other User field, or leave it empty for the account itself.');
}

const hoursText = (sec: number) => `${Math.round(sec / 360) / 10} h`;

function clockFindings(clock: EventClock | undefined, days: number): { sentences: string[]; attention: boolean } {
	if (!clock) return { sentences: ['Events: feedback/events could not be read, so X\'s event clock was not observed.'], attention: true };
	if (clock.partsSeen === 0) {
		return { sentences: [`Events: none in the last ${days} day(s) before the last 24 hours, so X's event clock was not observed; run it again once customers have answered.`], attention: false };
	}
	const sentences: string[] = [];
	let attention = false;
	const { after, before } = clock.beyondTolerance;
	const late = clock.stampedAfterPart.maxSec;
	const early = clock.stampedBeforePart.maxSec;
	sentences.push(
		`Events: ${clock.eventsRead} read, ${clock.partsSeen} parts; events stamped up to ${late === null ? '0 h' : hoursText(late)} after and ${early === null ? '0 h' : hoursText(early)} before their part.`,
	);
	if (after > 0) {
		attention = true;
		sentences.push(
			`${after} part(s) had their event stamped more than ${DEFAULT_TOLERANCE.afterMs / HOUR_MS} h after them: set the trigger's "Event Time Tolerance After Part (Hours)" to at least ${Math.ceil((late ?? 0) / 3600)}.`,
		);
	}
	if (before > 0) {
		attention = true;
		sentences.push(
			`${before} part(s) had their event stamped more than ${DEFAULT_TOLERANCE.beforeMs / HOUR_MS} h before them: set the trigger's "Event Time Tolerance Before Part (Hours)" to at least ${Math.ceil((early ?? 0) / 3600)}.`,
		);
	}
	if (after === 0 && before === 0) {
		sentences.push(`The trigger's default tolerance (${DEFAULT_TOLERANCE.beforeMs / HOUR_MS} h before, ${DEFAULT_TOLERANCE.afterMs / HOUR_MS} h after) covers every gap seen.`);
	}
	if (clock.snapshotMode === 'mixed') attention = true;
	sentences.push(`Snapshots: ${SNAPSHOT_MODE_MEANING[clock.snapshotMode]}.`);
	return { sentences, attention };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const days = wholeNumber(this, itemIndex, 'Days of Events', this.getNodeParameter('days', itemIndex, 3), 1, MAX_DAYS);
	const otherUser = readOtherUser(this, itemIndex);
	const credentials = await credentialsOf(this, itemIndex);
	const calls: CallFinding[] = [];
	const sentences: string[] = [];
	let attention = false;

	// The credential and the account it connects.
	const me = await probe(calls, 'GET /1.1/account/verify_credentials.json', async () => await verifyCredentials(this, itemIndex, ONE_ATTEMPT), (user) => `the credential works; it connects @${String(user?.screen_name)}`);
	let accountId: string | undefined;
	let credential: IDataObject;
	if (me) {
		try {
			accountId = exactUserId(me);
		} catch {
			accountId = undefined;
		}
		credential = { status: 'ok', userId: accountId ?? null, screenName: typeof me.screen_name === 'string' ? me.screen_name : null };
		sentences.push(`Credential: works, connects @${String(credential.screenName)} (user ID ${String(accountId)}).`);
	} else {
		const failed = calls[calls.length - 1];
		accountId = accountOf(credentials);
		credential = { status: 'error', httpCode: failed.status, xCode: failed.xCode, message: failed.meaning };
		sentences.push(`Credential: X refused it (${failed.meaning}); reconnect the credential or check its app keys.`);
		attention = true;
	}

	// A sample of the event log, ending where X's log is complete.
	const toMs = Date.now() - MIN_EVENT_AGE_MS;
	const fromMs = toMs - days * DAY_MS;
	const anomalies = new AnomalyLog();
	const listed: ListedEvent[] = [];
	let pagesRead = 0;
	let listingEnded = false;
	let eventsFailed = false;
	const reader = createEventReader(
		async (req) => {
			const res = await listFeedbackEvents(this, req, itemIndex, ONE_ATTEMPT);
			return { page: res.body, rateLimit: res.rateLimit };
		},
		{ fromMs, toMs },
		{ anomalies, rateReserve: 10 },
	);
	while (pagesRead < MAX_EVENT_PAGES && !listingEnded) {
		const callsBefore = reader.calls;
		try {
			const page = await reader.next();
			for (let n = callsBefore; n < reader.calls; n++) {
				calls.push({
					endpoint: 'GET /1.1/feedback/events.json',
					status: 200,
					xCode: null,
					rateLimit: rateLimitShown(page.rateLimit),
					meaning: `200: the app and the account may read feedback events (${page.events.length} on this page)`,
				});
			}
			listed.push(...page.events);
			listingEnded = page.next === undefined;
		} catch (error) {
			calls.push(failedCall('GET /1.1/feedback/events.json', error));
			eventsFailed = true;
			break;
		}
		pagesRead = reader.calls;
	}
	const clock = eventsFailed && listed.length === 0 ? undefined : readEventClock(listed, DEFAULT_TOLERANCE);
	if (eventsFailed) {
		attention = true;
		sentences.push(`Feedback events: ${calls[calls.length - 1].meaning}.`);
	}
	const findings = clockFindings(clock, days);
	sentences.push(...findings.sentences);
	attention ||= findings.attention;

	// Where can_dm comes from: friendships/show documents it; users/show is asked for comparison.
	const target: UserRef | undefined = otherUser ?? (accountId ? { userId: accountId } : undefined);
	let canDm: IDataObject;
	if (!target) {
		canDm = { source: 'not asked', value: null, about: null, note: 'No user to ask about: the credential did not name its account; fill in Other User.' };
	} else {
		const about = 'userId' in target ? `user ID ${target.userId}` : `@${target.screenName}`;
		const relationship = await probe(calls, 'GET /1.1/friendships/show.json', async () => await showRelationshipAnswer(this, target, itemIndex, ONE_ATTEMPT), (body) =>
			body.relationship?.source && 'can_dm' in body.relationship.source ? 'relationship.source.can_dm is present' : 'relationship.source.can_dm is absent',
		);
		const source = relationship?.relationship?.source;
		if (!relationship) {
			canDm = { source: 'friendships/show failed', value: null, about };
		} else if (source && 'can_dm' in source) {
			canDm = { source: 'friendships/show relationship.source.can_dm', value: typeof source.can_dm === 'boolean' ? source.can_dm : null, about };
		} else {
			canDm = { source: 'absent', value: null, about };
		}
		sentences.push(
			canDm.source === 'absent'
				? "can_dm: X's friendships/show leaves relationship.source.can_dm out, so Send Request cannot skip customers who refuse DMs beforehand; it sends and reads X's refusal (403/349 or 150)."
				: canDm.source === 'friendships/show failed'
				? "can_dm: friendships/show failed, so where X gives can_dm is unknown."
				: otherUser
				? `can_dm: X gives it in friendships/show (relationship.source.can_dm), here ${String(canDm.value)} for ${about}.`
				: `can_dm: X gives it in friendships/show (relationship.source.can_dm); asked about the account itself, so its value says nothing about customers (fill in Other User to check one).`,
		);
		if (!relationship) attention = true;
		await probe(calls, 'GET /1.1/users/show.json', async () => await showUserAnswer(this, target, itemIndex, ONE_ATTEMPT), (user) => `the user lookup works (@${String(user?.screen_name)})`);
	}

	const lastCall = calls[calls.length - 1];
	if (target && lastCall.endpoint === 'GET /1.1/users/show.json' && lastCall.status !== 200) {
		attention = true;
		sentences.push(`User lookup: ${lastCall.meaning}.`);
	}
	const withoutHeaders = [...new Set(calls.filter((call) => call.status !== null && !call.rateLimit).map((call) => call.endpoint))];
	if (withoutHeaders.length > 0) sentences.push(`Rate limits: X sent no rate-limit headers for ${withoutHeaders.join(', ')}; the nodes then cannot slow down before a 429.`);

	const events: IDataObject = {
		from: new Date(fromMs).toISOString(),
		to: new Date(toMs).toISOString(),
		pagesRead,
		pageLimit: MAX_EVENT_PAGES,
		listingComplete: listingEnded,
		...(clock ?? { eventsRead: 0 }),
		snapshotModeMeaning: clock ? SNAPSHOT_MODE_MEANING[clock.snapshotMode] : null,
		setAside: anomalies.total,
		tolerance: { beforeSec: DEFAULT_TOLERANCE.beforeMs / 1000, afterSec: DEFAULT_TOLERANCE.afterMs / 1000 },
	};

	return [
		{
			json: {
				checkedAt: new Date().toISOString(),
				apiBaseUrl: displayUrl(String(credentials.baseUrl ?? 'https://api.twitter.com')),
				credential,
				calls,
				canDm,
				events,
				verdict: { overall: attention ? 'attention' : 'ok', findings: sentences },
			} as IDataObject,
		},
	];
}
