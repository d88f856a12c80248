/**
 * The parts of a feedback that a consumer reports once each: the request itself, the score and the
 * comment. Each part has its own immutable time; a snapshot may carry parts given long ago.
 */
import { parseXDateMs } from '../dates';
import type { XFeedback } from '../types';
import type { AnomalyLog } from './anomalies';

export type PartKind = 'request' | 'score' | 'comment';

export interface FeedbackPart {
	kind: PartKind;
	feedbackId: string;
	/** When the part was given (epoch ms, whole seconds as X reports them). */
	atMs: number;
	/** The snapshot the part was read from. */
	feedback: XFeedback;
}

/**
 * Every part a snapshot carries, with its own time. Parts with unreadable times, and comments that
 * are not text, are left out and counted in `anomalies`.
 */
export function partsOf(feedback: XFeedback, anomalies?: AnomalyLog): FeedbackPart[] {
	const parts: FeedbackPart[] = [];
	const add = (kind: PartKind, at: unknown) => {
		const atMs = parseXDateMs(at);
		if (!Number.isNaN(atMs)) parts.push({ kind, feedbackId: String(feedback.id), atMs, feedback });
		else anomalies?.add('unreadablePartDate', feedback.id, `${kind} at ${JSON.stringify(at) ?? 'undefined'}`);
	};
	add('request', feedback.created_at);
	const score = feedback.response?.score;
	if (score && score.value !== undefined && score.value !== null) add('score', score.created_at);
	const text = feedback.response?.text;
	if (text && typeof text.value === 'string') add('comment', text.created_at);
	else if (text && text.value !== undefined && text.value !== null) anomalies?.add('commentNotText', feedback.id, text.value);
	return parts;
}

export function partKey(part: Pick<FeedbackPart, 'feedbackId' | 'kind'>): string {
	return `${part.feedbackId}${part.kind[0]}`;
}
