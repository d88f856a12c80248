/**
 * What the webhook trigger decides about one call from X, as plain values (no n8n): whether the
 * Basic auth matches, whether the body is one feedback event within the size cap, and which parts
 * of its snapshot to emit. X's body is one event in the shape of feedback/events:
 * `{event_type, created_at, feedback: {id, from_user_id, response: {score, text}, ...}}`.
 */
import { timingSafeEqual } from 'crypto';

import { AnomalyLog } from '../shared/feedbackLog/anomalies';
import { PART_KINDS, partTime, type FeedbackPart, type PartKind } from '../shared/feedbackLog/parts';
import { isTestFeedback } from '../shared/feedbackRules';
import { isNestedDeeperThan, MAX_JSON_DEPTH } from '../shared/jsonDepth';
import type { XFeedback, XFeedbackEvent } from '../shared/types';

/**
 * A call larger than this is refused unread (413) [our choice]: one event with a 10,000-character DM
 * text and comment, every character escaped as JSON, stays under 300 KB.
 */
export const MAX_BODY_BYTES = 512 * 1024;

export type Refusal = { status: 400 | 401 | 413; reason: string };

/** Basic auth as `Authorization: Basic base64(user:password)`, compared in constant time. */
export function basicAuthMatches(header: unknown, user: string, password: string): boolean {
	if (typeof header !== 'string') return false;
	const match = /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
	if (!match) return false;
	const given = Buffer.from(match[1], 'base64');
	const expected = Buffer.from(`${user}:${password}`, 'utf8');
	// timingSafeEqual needs equal lengths; comparing against itself keeps the time independent of
	// where a shorter or longer guess differs.
	const same = given.length === expected.length;
	return timingSafeEqual(same ? given : expected, expected) && same;
}

/**
 * The event in a call: `raw` is the body as received (n8n keeps it as `rawBody`), `parsed` what n8n
 * parsed from it when it could (it parses JSON only when the call says `application/json`).
 */
export function readEvent(raw: Buffer | undefined, parsed: unknown): { event: XFeedbackEvent } | Refusal {
	let body: unknown = parsed;
	if (raw !== undefined) {
		if (raw.length > MAX_BODY_BYTES) {
			return { status: 413, reason: `the body is ${raw.length} bytes; at most ${MAX_BODY_BYTES} are accepted (one feedback event)` };
		}
		if (raw.length === 0) return { status: 400, reason: 'the body is empty: expected one feedback event as JSON' };
		try {
			body = JSON.parse(raw.toString('utf8'));
		} catch {
			return { status: 400, reason: 'the body is not valid JSON: expected one feedback event' };
		}
	}
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		return { status: 400, reason: 'the body is not a JSON object: expected one feedback event {event_type, created_at, feedback}' };
	}
	if (isNestedDeeperThan(body)) return { status: 400, reason: `the body is nested deeper than ${MAX_JSON_DEPTH} levels` };
	const event = body as Partial<XFeedbackEvent>;
	if (typeof event.event_type !== 'string' || !event.event_type.startsWith('feedback.')) {
		return { status: 400, reason: 'event_type is missing or not a feedback event (feedback.created, feedback.updated)' };
	}
	const feedback = event.feedback as Partial<XFeedback> | undefined;
	if (!feedback || typeof feedback !== 'object' || Array.isArray(feedback)) return { status: 400, reason: 'feedback is missing or not an object' };
	const id = feedback.id as unknown;
	if ((typeof id !== 'string' && typeof id !== 'number') || !/^[A-Za-z0-9_-]{1,64}$/.test(String(id))) {
		return { status: 400, reason: 'feedback.id is missing or not a feedback id' };
	}
	const from = feedback.from_user_id as unknown;
	// Only a string or a number can be a user id: String() of any other value X sends may throw.
	if (from !== undefined && ((typeof from !== 'string' && typeof from !== 'number') || !/^\d{1,20}$/.test(String(from)))) {
		return { status: 400, reason: 'feedback.from_user_id is not a user id' };
	}
	return { event: event as XFeedbackEvent };
}

export interface PartFilter {
	events: PartKind[];
	feedbackType: 'all' | 'csat' | 'nps';
	includeTest: boolean;
	/** Sending accounts to accept (user ids); undefined: every account allowlisted for the app. */
	fromUserIds?: ReadonlySet<string>;
}

/** Why an event's parts are not emitted at all (another account, a filtered type), or undefined. */
export function ignoredBecause(feedback: XFeedback, filter: PartFilter): string | undefined {
	if (filter.fromUserIds && !filter.fromUserIds.has(String(feedback.from_user_id ?? ''))) return 'sent by another account';
	if (filter.feedbackType !== 'all' && feedback.type !== filter.feedbackType) return `not ${filter.feedbackType.toUpperCase()} feedback`;
	if (!filter.includeTest && isTestFeedback(feedback)) return 'test feedback';
	return undefined;
}

/**
 * Every part the snapshot carries that the filter wants: X's snapshot of a comment also carries the
 * score given earlier, so a part may come again (the Skip Seen Parts step drops it), and a score
 * whose own call was lost arrives with the comment.
 */
export function partsOf(event: XFeedbackEvent, filter: PartFilter, anomalies: AnomalyLog): FeedbackPart[] {
	const feedback = { ...event.feedback, id: String(event.feedback.id) };
	if (ignoredBecause(feedback, filter) !== undefined) return [];
	const parts: FeedbackPart[] = [];
	for (const kind of PART_KINDS) {
		if (!filter.events.includes(kind)) continue;
		const atMs = partTime(feedback, kind, anomalies);
		if (atMs !== undefined) parts.push({ kind, feedbackId: feedback.id, atMs, feedback });
	}
	return parts;
}
