/** The JSON shapes X answers with, built from the emulator's records. */
import { formatXDate } from './xDate';
import type { XDirectMessageEvent, XFeedback, XFeedbackEvent, XFeedbackResponse } from '../nodes/shared/types';
import type { UserRecord } from './accounts';
import { isAfter, type FeedbackEvent, type LogPosition } from './eventLog';
import type { DirectMessage, FeedbackRecord } from './feedbackStore';
import type { SnapshotMode } from './options';

const formatted = new Map<number, string>();

/** formatXDate, memoised: event pages format the same seconds over and over. */
export function xDate(ms: number): string {
	let s = formatted.get(ms);
	if (s === undefined) {
		if (formatted.size > 100_000) formatted.clear();
		s = formatXDate(ms);
		formatted.set(ms, s);
	}
	return s;
}

/**
 * The feedback object; with `asOf`, as it stood right after that event's change (its updated_at is
 * the change's time, which X may stamp the event apart from).
 */
export function feedbackWire(fb: FeedbackRecord, event?: FeedbackEvent): XFeedback {
	const asOf: LogPosition | undefined = event && { at: event.changedAt ?? event.at, seq: event.seq };
	const out: XFeedback = {
		id: fb.id,
		created_at: xDate(fb.createdAt),
		updated_at: xDate(asOf ? asOf.at : fb.updatedAt),
		type: fb.type,
		test: fb.test,
		dm_id: fb.dmId,
		from_user_id: fb.fromUserId,
		to_user_id: fb.toUserId,
		privacy_url: fb.privacyUrl,
	};
	if (fb.externalId !== undefined) out.external_id = fb.externalId;
	out.question_variant_id = String(fb.questionVariantId);
	if (fb.displayName !== undefined) out.display_name = fb.displayName;
	out.text = fb.text;
	const response: XFeedbackResponse = {};
	if (fb.score && (!asOf || !isAfter(fb.score, asOf))) {
		response.score = { value: fb.score.value, created_at: xDate(fb.score.at) };
	}
	if (fb.comment && (!asOf || !isAfter(fb.comment, asOf))) {
		response.text = { value: fb.comment.value, created_at: xDate(fb.comment.at) };
	}
	if (response.score || response.text) out.response = response;
	return out;
}

export function eventWire(ev: FeedbackEvent, mode: SnapshotMode): XFeedbackEvent {
	return {
		event_type: ev.kind === 'created' ? 'feedback.created' : 'feedback.updated',
		created_at: xDate(ev.at),
		feedback: feedbackWire(ev.feedback, mode === 'event' ? ev : undefined),
	};
}

export function dmWire(dm: DirectMessage): XDirectMessageEvent['event'] {
	return {
		type: 'message_create',
		id: dm.id,
		created_timestamp: String(dm.createdAt),
		message_create: {
			target: { recipient_id: dm.recipientId },
			sender_id: dm.senderId,
			message_data: dm.messageData,
		},
	};
}

const RAW_NUMBER = '\u0000num:';

/** A value jsonWithRawNumbers writes as a bare number (X's 64-bit ids, unsafe as JS numbers). */
export function rawNumber(digits: string): string {
	return RAW_NUMBER + digits;
}

/** A user object; `id` is a bare 64-bit number as on X (unsafe in JS: clients must read id_str). */
export function userWire(user: UserRecord, canDm?: boolean): Record<string, unknown> {
	const out: Record<string, unknown> = {
		id: rawNumber(user.id),
		id_str: user.id,
		name: user.name,
		screen_name: user.screenName,
		created_at: xDate(user.createdAt),
		protected: false,
		verified: false,
		description: user.isBusiness ? 'Official support account (emulator).' : '',
	};
	if (canDm !== undefined) out.can_dm = canDm;
	return out;
}

/** JSON text where values made by userWire become bare numbers. */
export function jsonWithRawNumbers(body: unknown): string {
	return JSON.stringify(body).replace(/"\\u0000num:(\d+)"/g, '$1');
}
