/**
 * Typed X endpoints on top of the transport. No HTTP details here, no error mapping. The nodes reach
 * the transport and the X error details only through this module.
 */
import type { IDataObject } from 'n8n-workflow';

import { xRequest, type TransportOptions, type XContext, type XResponse } from './transport';
import type { FeedbackType, XDirectMessageEvent, XFeedback, XFeedbackEventsPage, XRelationship, XUser } from './types';
import { PAGE_SIZE } from './xLimits';

export { ASKED_RECENTLY_CODE, type CustomerRefusal, type XErrorInfo } from './errors';
export { CREDENTIAL_TYPE, credentialsOf, forgetCredentials, xErrorInfo, type XContext } from './transport';

export type UserRef = { userId: string } | { screenName: string };

function userQuery(user: UserRef): IDataObject {
	return 'userId' in user ? { user_id: user.userId } : { screen_name: user.screenName };
}

/**
 * A user's ID exactly: X's `id_str`. The numeric `id` is only used when it is a safe integer: X's
 * IDs pass 2^53, where JSON numbers are rounded and would name another user.
 */
export function exactUserId(user: Pick<XUser, 'id_str'> & { id?: unknown }): string {
	if (typeof user.id_str === 'string' && /^\d{1,20}$/.test(user.id_str)) return user.id_str;
	if (typeof user.id === 'number' && Number.isSafeInteger(user.id) && user.id >= 0) return String(user.id);
	throw new Error('X sent a user without an exact ID (no id_str, and the numeric id is too large to read exactly)');
}

/** The account the credential connects (account/verify_credentials), with X's rate-limit headers. */
export async function verifyCredentials(ctx: XContext, itemIndex?: number, transport?: TransportOptions): Promise<XResponse<XUser>> {
	return await xRequest<XUser>(ctx, { method: 'GET', path: '/1.1/account/verify_credentials.json', itemIndex }, transport);
}

/** users/show's whole answer, rate-limit headers included. X's public docs give it no `can_dm`. */
export async function showUserAnswer(ctx: XContext, user: UserRef, itemIndex?: number, transport?: TransportOptions): Promise<XResponse<XUser>> {
	return await xRequest<XUser>(ctx, { method: 'GET', path: '/1.1/users/show.json', qs: userQuery(user), itemIndex }, transport);
}

/** The user (users/show). X's public docs give it no `can_dm`: that is read from showRelationship. */
export async function showUser(ctx: XContext, user: UserRef, itemIndex?: number): Promise<XUser> {
	return (await showUserAnswer(ctx, user, itemIndex)).body;
}

/**
 * How the authenticated account relates to a user (friendships/show, source left out so X takes the
 * authenticated account): where X documents `can_dm`, as `relationship.source.can_dm`
 * (https://developer.twitter.com/en/docs/twitter-api/v1/accounts-and-users/follow-search-get-users/api-reference/get-friendships-show).
 * The whole answer, rate-limit headers included.
 */
export async function showRelationshipAnswer(ctx: XContext, target: UserRef, itemIndex?: number, transport?: TransportOptions): Promise<XResponse<XRelationship>> {
	const res = await xRequest<XRelationship>(
		ctx,
		{
			method: 'GET',
			path: '/1.1/friendships/show.json',
			qs: 'userId' in target ? { target_id: target.userId } : { target_screen_name: target.screenName },
			itemIndex,
		},
		transport,
	);
	return { ...res, body: res.body && typeof res.body === 'object' ? res.body : {} };
}

/** How the authenticated account relates to a user: showRelationshipAnswer's body. */
export async function showRelationship(ctx: XContext, target: UserRef, itemIndex?: number): Promise<XRelationship> {
	return (await showRelationshipAnswer(ctx, target, itemIndex)).body;
}

export interface DirectMessageInput {
	recipientId: string;
	text: string;
	quickReplyOptions?: Array<{ label: string; description?: string; metadata?: string }>;
	buttons?: Array<{ label: string; url: string }>;
}

export async function sendDirectMessage(
	ctx: XContext,
	input: DirectMessageInput,
	itemIndex?: number,
): Promise<XDirectMessageEvent> {
	const messageData: IDataObject = { text: input.text };
	if (input.quickReplyOptions?.length) {
		messageData.quick_reply = { type: 'options', options: input.quickReplyOptions };
	}
	if (input.buttons?.length) {
		messageData.ctas = input.buttons.map((b) => ({ type: 'web_url', label: b.label, url: b.url }));
	}
	const res = await xRequest<XDirectMessageEvent>(ctx, {
		method: 'POST',
		path: '/1.1/direct_messages/events/new.json',
		body: {
			event: {
				type: 'message_create',
				message_create: { target: { recipient_id: input.recipientId }, message_data: messageData },
			},
		},
		itemIndex,
	});
	return res.body;
}

export interface CreateFeedbackInput {
	type: FeedbackType;
	toUserId: string;
	message: string;
	privacyUrl: string;
	externalId?: string;
	questionVariantId?: number;
	displayName?: string;
	test?: boolean;
	/** How an error about this customer names them (e.g. `@alice (user ID 42)`). */
	recipientLabel?: string;
}

/** Sends the DM and the card in one call. Parameters travel in the query string so they are signed. */
export async function createFeedback(ctx: XContext, input: CreateFeedbackInput, itemIndex?: number): Promise<XFeedback> {
	const qs: IDataObject = {
		type: input.type,
		to_user_id: input.toUserId,
		message: input.message,
		privacy_url: input.privacyUrl,
	};
	if (input.externalId) qs.external_id = input.externalId;
	if (input.questionVariantId !== undefined) qs.question_variant_id = input.questionVariantId;
	if (input.displayName) qs.display_name = input.displayName;
	if (input.test) qs.test = 'true';
	const res = await xRequest<XFeedback>(ctx, { method: 'POST', path: '/1.1/feedback/create.json', qs, itemIndex, subject: input.recipientLabel });
	return res.body;
}

/** The feedback object, with X's rate-limit headers: feedback/show allows only 180 calls per 15 minutes. */
export async function showFeedback(ctx: XContext, id: string, itemIndex?: number): Promise<XResponse<XFeedback>> {
	return await xRequest<XFeedback>(ctx, {
		method: 'GET',
		path: `/1.1/feedback/show/${encodeURIComponent(id)}.json`,
		itemIndex,
	});
}

export interface EventsPageRequest {
	fromMs: number;
	toMs: number;
	cursor?: string;
	count?: number;
}

/**
 * One page of feedback events. The range goes with every page; X binds the cursor to it.
 * `next_cursor` is left out of the answer when X left it out, so a caller can tell "missing" from
 * "empty" (both end a listing, but a full page without the field may be a cut-short answer).
 */
export async function listFeedbackEvents(
	ctx: XContext,
	req: EventsPageRequest,
	itemIndex?: number,
	transport?: TransportOptions,
): Promise<XResponse<XFeedbackEventsPage>> {
	const qs: IDataObject = { from_time: req.fromMs, to_time: req.toMs, count: req.count ?? PAGE_SIZE };
	if (req.cursor) qs.cursor = req.cursor;
	const res = await xRequest<XFeedbackEventsPage>(
		ctx,
		{ method: 'GET', path: '/1.1/feedback/events.json', qs, itemIndex },
		transport,
	);
	const body = (res.body && typeof res.body === 'object' ? res.body : {}) as Partial<XFeedbackEventsPage>;
	const page: XFeedbackEventsPage = { events: Array.isArray(body.events) ? body.events : [] };
	if ('next_cursor' in body) page.next_cursor = body.next_cursor;
	return { ...res, body: page };
}
