/** Feedback cards: create (DM + card), show, and the emulator-only customer side (submit, dismiss). */
import { DAY_MS } from '../time';
import type { FeedbackType } from '../../nodes/shared/types';
import { MAX_DISPLAY_NAME, MAX_EXTERNAL_ID, MAX_TEXT } from '../../nodes/shared/xLimits';
import type { UserRecord } from '../accounts';
import {
	accountNotAllowlisted,
	appNotAllowlisted,
	cannotDm,
	invalidParam,
	missingParam,
	noDmPermission,
	userNotFound,
	XApiError,
} from '../errors';
import { charCount, VARIANT_MAX, type FeedbackRecord, type NewFeedback } from '../feedbackStore';
import { isHttpUrl, jsonReply, type ApiRequest } from '../http';
import type { EmulatorState } from '../state';
import { feedbackWire } from '../wire';
import type { ApiRoute } from './route';

const REQUIRED = ['type', 'to_user_id', 'message', 'privacy_url'] as const;

/** Feedback endpoints of the sending business need an allowlisted app and account. */
export function requireFeedbackAccess(state: EmulatorState, user: UserRecord): void {
	if (!state.config.appAllowlisted) throw appNotAllowlisted();
	if (!state.config.accountAllowlisted || !user.isBusiness) throw accountNotAllowlisted();
}

/** Reads and checks every create parameter: 38 for the first missing one, else 44 for the first bad one. */
export function readCreateParams(req: ApiRequest): Omit<NewFeedback, 'fromUserId'> {
	for (const name of REQUIRED) {
		const v = req.param(name);
		if (v === undefined || v === '') throw missingParam(name);
	}
	const type = req.param('type')!;
	if (type !== 'csat' && type !== 'nps') throw invalidParam('type', 'must be csat or nps (lower case)');
	const toUserId = req.param('to_user_id')!;
	if (!/^\d{1,20}$/.test(toUserId)) throw invalidParam('to_user_id', 'must be a user id (digits)');
	const message = req.param('message')!;
	if (charCount(message) > MAX_TEXT) throw invalidParam('message', `must be at most ${MAX_TEXT} characters`);
	const privacyUrl = req.param('privacy_url')!;
	if (!isHttpUrl(privacyUrl)) throw invalidParam('privacy_url', 'must be an http or https URL');

	const out: Omit<NewFeedback, 'fromUserId'> = {
		type: type as FeedbackType,
		toUserId,
		message,
		privacyUrl,
		questionVariantId: 0,
		test: false,
	};
	const externalId = req.param('external_id');
	if (externalId !== undefined) {
		if (externalId === '' || charCount(externalId) > MAX_EXTERNAL_ID) {
			throw invalidParam('external_id', `must be 1 to ${MAX_EXTERNAL_ID} characters`);
		}
		out.externalId = externalId;
	}
	const variant = req.param('question_variant_id');
	if (variant !== undefined) {
		const max = VARIANT_MAX[out.type];
		if (!/^\d{1,3}$/.test(variant) || Number(variant) > max) {
			throw invalidParam('question_variant_id', `must be an integer from 0 to ${max} for ${out.type}`);
		}
		out.questionVariantId = Number(variant);
	}
	const displayName = req.param('display_name');
	if (displayName !== undefined) {
		if (displayName === '' || charCount(displayName) > MAX_DISPLAY_NAME) {
			throw invalidParam('display_name', `must be 1 to ${MAX_DISPLAY_NAME} characters`);
		}
		out.displayName = displayName;
	}
	const test = req.param('test');
	if (test !== undefined) {
		if (test !== 'true' && test !== 'false') throw invalidParam('test', 'must be true or false');
		out.test = test === 'true';
	}
	return out;
}

/** [our choice] 403 code 185 (X's "over the daily limit") for the one-request-per-recipient rule. */
export const alreadyAskedToday = () =>
	new XApiError(403, 185, 'You already sent this user a feedback request in the last 24 hours.');

/** The same rule said as a rate limit (perRecipientRefusal: 'rateLimit'); the window's headers still show calls left. */
export const perRecipientRateLimited = () => new XApiError(429, 88, 'Rate limit exceeded.');

export const feedbackCreate: ApiRoute = {
	kind: 'api',
	methods: ['POST'],
	pattern: /^\/1\.1\/feedback\/create\.json$/,
	template: '/1.1/feedback/create.json',
	limit: 'feedbackCreate',
	handle({ req, state, user }) {
		requireFeedbackAccess(state, user);
		if (!state.config.dmPermission) throw noDmPermission();
		const input = readCreateParams(req);
		const recipient = state.accounts.byId(input.toUserId);
		if (!recipient) throw userNotFound();
		if (!state.accounts.canDm(user, recipient)) throw cannotDm();
		const now = state.clock.nowSec();
		const last = state.feedback.lastRequestAt(recipient.id);
		if (!recipient.allowlisted && last !== undefined && now - last < DAY_MS) {
			throw state.config.perRecipientRefusal === 'rateLimit' ? perRecipientRateLimited() : alreadyAskedToday();
		}
		const fb = state.feedback.create({ ...input, fromUserId: user.id }, now);
		return jsonReply(200, feedbackWire(fb));
	},
};

const noSuchFeedback = () => new XApiError(404, 34, 'Sorry, that page does not exist.');

/** The feedback with the path's id, if `user` may see it as `side`. */
function feedbackFor(state: EmulatorState, id: string, user: UserRecord, side: 'sender' | 'recipient'): FeedbackRecord {
	const fb = state.feedback.get(id);
	if (!fb || (side === 'sender' ? fb.fromUserId : fb.toUserId) !== user.id) throw noSuchFeedback();
	return fb;
}

export const feedbackShow: ApiRoute = {
	kind: 'api',
	methods: ['GET'],
	pattern: /^\/1\.1\/feedback\/show\/(\d{1,20})\.json$/,
	template: '/1.1/feedback/show/:id.json',
	limit: 'feedbackShow',
	handle({ state, user, pathParams }) {
		requireFeedbackAccess(state, user);
		return jsonReply(200, feedbackWire(feedbackFor(state, pathParams[0], user, 'sender')));
	},
};

export const feedbackSubmit: ApiRoute = {
	kind: 'api',
	methods: ['POST'],
	pattern: /^\/1\.1\/feedback\/submit\/(\d{1,20})\.json$/,
	template: '/1.1/feedback/submit/:id.json',
	limit: 'feedbackAnswer',
	handle({ req, state, user, pathParams }) {
		const fb = feedbackFor(state, pathParams[0], user, 'recipient');
		state.feedback.answer(fb, { score: req.param('score'), text: req.param('text') }, state.clock.nowSec());
		return jsonReply(200, feedbackWire(fb));
	},
};

export const feedbackDismiss: ApiRoute = {
	kind: 'api',
	methods: ['POST'],
	pattern: /^\/1\.1\/feedback\/dismiss\/(\d{1,20})\.json$/,
	template: '/1.1/feedback/dismiss/:id.json',
	limit: 'feedbackAnswer',
	handle({ state, user, pathParams }) {
		const fb = feedbackFor(state, pathParams[0], user, 'recipient');
		if (fb.dismissedAt !== undefined) throw new XApiError(403, 187, 'This feedback card was already dismissed.');
		state.feedback.mark(fb, 'dismissed', state.clock.nowSec());
		return jsonReply(200, feedbackWire(fb));
	},
};
