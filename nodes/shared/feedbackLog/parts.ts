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

export const PART_KINDS: readonly PartKind[] = ['request', 'score', 'comment'];

/**
 * When the snapshot says this part was given (epoch ms), undefined when it does not carry the part.
 * A part with an unreadable time, or a comment that is not text, is counted in `anomalies` and
 * reads as undefined. `knownAt` is a date string already read as `knownMs` (the event's), reused when
 * the part's is the same: a snapshot as of its event carries the event's time in the part the event reports.
 */
export function partTime(feedback: XFeedback, kind: PartKind, anomalies?: AnomalyLog, knownAt?: unknown, knownMs = NaN): number | undefined {
	let at: unknown;
	if (kind === 'request') at = feedback.created_at;
	else if (kind === 'score') {
		const score = feedback.response?.score;
		if (!score || score.value === undefined || score.value === null) return undefined;
		at = score.created_at;
	} else {
		const text = feedback.response?.text;
		if (!text || text.value === undefined || text.value === null) return undefined;
		if (typeof text.value !== 'string') {
			anomalies?.add('commentNotText', feedback.id, text.value);
			return undefined;
		}
		at = text.created_at;
	}
	const atMs = knownAt !== undefined && at === knownAt ? knownMs : parseXDateMs(at);
	if (!Number.isNaN(atMs)) return atMs;
	anomalies?.add('unreadablePartDate', feedback.id, `${kind} at ${JSON.stringify(at) ?? 'undefined'}`);
	return undefined;
}

export function partKey(part: Pick<FeedbackPart, 'feedbackId' | 'kind'>): string {
	return `${part.feedbackId}${part.kind[0]}`;
}
