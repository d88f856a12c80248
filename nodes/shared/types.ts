/** Wire shapes of the X Customer Feedback API, as in docs/x-api.md. */

export type FeedbackType = 'csat' | 'nps';

export interface XResponsePart<T> {
	value: T;
	/** Classic X date, e.g. `Sat Dec 15 17:58:20 +0000 2015` (or its squashed form). */
	created_at: string;
}

export interface XFeedbackResponse {
	score?: XResponsePart<number>;
	text?: XResponsePart<string>;
}

export interface XFeedback {
	id: string;
	created_at: string;
	updated_at: string;
	type: FeedbackType;
	test: boolean;
	dm_id: string;
	from_user_id: string;
	to_user_id: string;
	privacy_url: string;
	external_id?: string;
	question_variant_id?: string;
	display_name?: string;
	/** The DM text (the emulator adds it; X may not). */
	text?: string;
	response?: XFeedbackResponse;
	[key: string]: unknown;
}

export type XFeedbackEventType = 'feedback.created' | 'feedback.updated';

export interface XFeedbackEvent {
	event_type: XFeedbackEventType | string;
	created_at: string;
	feedback: XFeedback;
}

export interface XFeedbackEventsPage {
	events: XFeedbackEvent[];
	next_cursor?: string | null;
}

export interface XUser {
	id_str: string;
	screen_name: string;
	name?: string;
	can_dm?: boolean;
	[key: string]: unknown;
}

/**
 * GET 1.1/friendships/show.json: how two users relate. X documents `can_dm` here, on the source side
 * (the authenticated account when no source is named).
 */
export interface XRelationship {
	relationship?: {
		source?: { id_str?: string; screen_name?: string; can_dm?: unknown; [key: string]: unknown };
		target?: { id_str?: string; id?: unknown; screen_name?: string; [key: string]: unknown };
	};
}

export interface XDirectMessageEvent {
	event: {
		type: 'message_create';
		id: string;
		created_timestamp: string;
		message_create: {
			target: { recipient_id: string };
			sender_id: string;
			message_data: Record<string, unknown>;
		};
	};
}

export interface XErrorBody {
	errors?: Array<{ code: number; message: string }>;
}

/** Rate-limit headers X sends on every answer; reset is epoch seconds. */
export interface RateLimit {
	limit: number;
	remaining: number;
	resetAt: number;
	/** What X sent when its reset lay beyond the 15-minute window and was clamped. */
	clampedFrom?: number;
}
