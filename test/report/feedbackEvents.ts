/**
 * Builds `feedback/events` listings from short stories of feedback, the way X repeats parts: one
 * created event, one updated event per score or comment, extra updates (viewed, dismissed), and
 * snapshots either as of the event or in their current state.
 */
import { formatXDate } from '../../emulator/xDate';
import type { FeedbackType, XFeedback, XFeedbackEvent } from '../../nodes/shared/types';

export interface FeedbackStory {
	id: string;
	type: FeedbackType;
	/** Epoch ms; X dates hold whole seconds, so keep these on the second. */
	sentMs: number;
	score?: { value: number; atMs: number };
	comment?: { value: string; atMs: number };
	test?: boolean;
	externalId?: string;
	/** Updates that bring no new part, e.g. the card was viewed. */
	otherUpdatesMs?: number[];
}

export type SnapshotMode = 'asOfEvent' | 'current';

function snapshot(story: FeedbackStory, asOfMs: number): XFeedback {
	const score = story.score && story.score.atMs <= asOfMs ? story.score : undefined;
	const comment = story.comment && story.comment.atMs <= asOfMs ? story.comment : undefined;
	const times = [story.sentMs, ...(story.otherUpdatesMs ?? []), score?.atMs ?? 0, comment?.atMs ?? 0].filter((t) => t <= asOfMs);
	const feedback: XFeedback = {
		id: story.id,
		created_at: formatXDate(story.sentMs),
		updated_at: formatXDate(Math.max(...times)),
		type: story.type,
		test: story.test ?? false,
		dm_id: `dm${story.id}`,
		from_user_id: AGENT_USER_ID,
		to_user_id: CUSTOMER_USER_ID,
		privacy_url: 'https://example.com/privacy',
		question_variant_id: '0',
	};
	if (story.externalId !== undefined) feedback.external_id = story.externalId;
	if (score || comment) {
		feedback.response = {};
		if (score) feedback.response.score = { value: score.value, created_at: formatXDate(score.atMs) };
		if (comment) feedback.response.text = { value: comment.value, created_at: formatXDate(comment.atMs) };
	}
	return feedback;
}

/** Every event of the stories, oldest first (ties keep story order). */
export function eventsOf(stories: readonly FeedbackStory[], mode: SnapshotMode = 'asOfEvent'): XFeedbackEvent[] {
	const events: Array<{ ms: number; event: XFeedbackEvent }> = [];
	for (const story of stories) {
		const lastMs = Math.max(story.sentMs, story.score?.atMs ?? 0, story.comment?.atMs ?? 0, ...(story.otherUpdatesMs ?? []));
		const add = (ms: number, type: 'feedback.created' | 'feedback.updated') =>
			events.push({ ms, event: { event_type: type, created_at: formatXDate(ms), feedback: snapshot(story, mode === 'current' ? lastMs : ms) } });
		add(story.sentMs, 'feedback.created');
		const updates = new Set([...(story.otherUpdatesMs ?? []), ...(story.score ? [story.score.atMs] : []), ...(story.comment ? [story.comment.atMs] : [])]);
		for (const ms of [...updates].sort((a, b) => a - b)) add(ms, 'feedback.updated');
	}
	return events.sort((a, b) => a.ms - b.ms).map((e) => e.event);
}

export function pagesOf<T>(items: readonly T[], size: number): T[][] {
	const pages: T[][] = [];
	for (let i = 0; i < items.length; i += size) pages.push(items.slice(i, i + size));
	// X may hand out empty pages before the end; the report must not mind.
	pages.splice(Math.min(1, pages.length), 0, []);
	return pages;
}

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MINUTE = 60_000;
/** Monday 3 March 2025, 00:00 UTC. */
export const MON_3_MAR_2025 = Date.UTC(2025, 2, 3);
/** Distinctive ids, so a test can prove no one's identity reaches a report. */
export const AGENT_USER_ID = '9900000000000000001';
export const CUSTOMER_USER_ID = '8800000000000000002';
