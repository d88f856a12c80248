/** The newest comments of a report, a fixed handful so the dashboard can quote customers' words. */
import type { FeedbackType } from '../../shared/types';

export interface CommentSample {
	feedbackId: string;
	type: FeedbackType;
	commentedAt: string;
	comment: string;
	/** The feedback's score for context: given before the comment (maybe before the period) or later in the period. */
	score: number | null;
	externalId: string | null;
}

export const LATEST_COMMENTS = 10;

/** Adds a comment to `latest` (newest first), dropping the oldest beyond `limit`. */
export function keepLatestComment(latest: CommentSample[], sample: CommentSample, limit = LATEST_COMMENTS): void {
	let at = latest.findIndex((c) => c.commentedAt < sample.commentedAt);
	if (at < 0) at = latest.length;
	if (at >= limit) return;
	latest.splice(at, 0, sample);
	if (latest.length > limit) latest.length = limit;
}

/** Gives a kept comment the score that its feedback received after it. */
export function attachLaterScore(latest: CommentSample[], feedbackId: string, score: number): void {
	for (const c of latest) if (c.feedbackId === feedbackId && c.score === null) c.score = score;
}
