/** POST /1.1/direct_messages/events/new.json: a DM with optional quick replies, buttons and attachment. */
import { cannotDm, invalidParam, missingParam, noDmPermission, rateLimited, userNotFound, XApiError } from '../errors';
import { MAX_BUTTONS, MAX_LABEL, MAX_METADATA, MAX_OPTION_DESCRIPTION, MAX_QUICK_REPLIES, MAX_TEXT } from '../../nodes/shared/xLimits';
import { charCount } from '../feedbackStore';
import { isHttpUrl, jsonReply } from '../http';
import { APP_DM_LIMIT } from '../rateLimits';
import { DAY_MS } from '../time';
import { dmWire } from '../wire';
import type { ApiRoute } from './route';


type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const isLabel = (v: unknown, max = MAX_LABEL) => typeof v === 'string' && v.trim() !== '' && charCount(v) <= max;

function readQuickReply(v: unknown): Json {
	const why = `must be {"type":"options","options":[...]} with 1 to ${MAX_QUICK_REPLIES} options, each with a label of at most ${MAX_LABEL} characters`;
	if (!isObject(v) || v.type !== 'options' || !Array.isArray(v.options)) throw invalidParam('quick_reply', why);
	const options = v.options as unknown[];
	if (options.length < 1 || options.length > MAX_QUICK_REPLIES) throw invalidParam('quick_reply', why);
	for (const o of options) {
		if (!isObject(o) || !isLabel(o.label)) throw invalidParam('quick_reply', why);
		if (o.description !== undefined && !isLabel(o.description, MAX_OPTION_DESCRIPTION)) throw invalidParam('quick_reply', why);
		if (o.metadata !== undefined && (typeof o.metadata !== 'string' || charCount(o.metadata) > MAX_METADATA)) {
			throw invalidParam('quick_reply', why);
		}
	}
	// X: "All options must have this property defined if property is present in any option."
	const described = options.filter((o) => (o as Json).description !== undefined).length;
	if (described > 0 && described < options.length) throw invalidParam('quick_reply', 'every option must have a description when one has');
	return { type: 'options', options: options.map((o) => ({ ...(o as Json) })) };
}

function readCtas(v: unknown): Json[] {
	const why = `must be 1 to ${MAX_BUTTONS} buttons {"type":"web_url","label":..,"url":..} with labels of at most ${MAX_LABEL} characters`;
	if (!Array.isArray(v) || v.length < 1 || v.length > MAX_BUTTONS) throw invalidParam('ctas', why);
	return v.map((c) => {
		if (!isObject(c) || c.type !== 'web_url' || !isLabel(c.label) || !isHttpUrl(c.url)) throw invalidParam('ctas', why);
		return { type: 'web_url', label: c.label, url: c.url };
	});
}

function readAttachment(v: unknown): Json {
	const ok =
		isObject(v) &&
		((v.type === 'media' && isObject(v.media) && typeof v.media.id === 'string' && /^\d+$/.test(v.media.id)) ||
			(v.type === 'location' && isObject(v.location)));
	if (!ok) throw invalidParam('attachment', 'must be {"type":"media","media":{"id":".."}} or a location');
	return { ...v };
}

export const directMessagesNew: ApiRoute = {
	kind: 'api',
	methods: ['POST'],
	pattern: /^\/1\.1\/direct_messages\/events\/new\.json$/,
	template: '/1.1/direct_messages/events/new.json',
	limit: 'dmNew',
	handle({ req, state, user }) {
		if (!state.config.dmPermission) throw noDmPermission();
		if (req.jsonError) throw invalidParam('event', req.jsonError);
		const body = req.json;
		if (!isObject(body) || body.event === undefined) throw missingParam('event');
		const event = body.event;
		if (!isObject(event) || event.type !== 'message_create') throw invalidParam('event.type', 'must be message_create');
		const mc = event.message_create;
		if (!isObject(mc)) throw missingParam('event.message_create');
		const recipientId = isObject(mc.target) ? mc.target.recipient_id : undefined;
		if (recipientId === undefined) throw missingParam('recipient_id');
		if (typeof recipientId !== 'string' || !/^\d{1,20}$/.test(recipientId)) {
			throw invalidParam('recipient_id', 'must be a user id (digits, as a string)');
		}
		const md = mc.message_data;
		if (!isObject(md)) throw missingParam('message_data');
		if (typeof md.text !== 'string' || md.text === '') throw missingParam('text');
		if (charCount(md.text) > MAX_TEXT) throw new XApiError(403, 354, 'The text of your direct message is over the max character limit.');
		const messageData: Json = { text: md.text };
		if (md.quick_reply !== undefined) messageData.quick_reply = readQuickReply(md.quick_reply);
		if (md.ctas !== undefined) messageData.ctas = readCtas(md.ctas);
		if (md.attachment !== undefined) messageData.attachment = readAttachment(md.attachment);

		const recipient = state.accounts.byId(recipientId);
		if (!recipient) throw userNotFound();
		if (!state.accounts.canDm(user, recipient)) throw cannotDm();
		const now = state.clock.nowSec();
		if (!state.limits.take('app:dmNew', APP_DM_LIMIT, DAY_MS, now).allowed) throw rateLimited();
		const dm = state.feedback.sendDm(user.id, recipient.id, messageData, now);
		return jsonReply(200, { event: dmWire(dm) });
	},
};
