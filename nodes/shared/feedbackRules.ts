/**
 * The rules every node applies to a feedback object X sends, written once: whether it is test
 * feedback, and how its score reads against its type's scale. X's data is untrusted, so a score that
 * is not a number or lies off its scale is reported with the reason, never passed on unflagged.
 */
import { SCORE_RANGE } from './scores';
import type { XFeedback } from './types';

/** Test feedback (sent with test=true) is left out unless asked for. X sends a boolean; the text "true" counts too. */
export function isTestFeedback(feedback: Pick<XFeedback, 'test'>): boolean {
	const test = feedback.test as unknown;
	return test === true || (typeof test === 'string' && test.trim().toLowerCase() === 'true');
}

export interface ScoreReading {
	/** The score as a number, or null when there is none or it is not a number. */
	score: number | null;
	/** Why the score cannot be used as it stands (not a number, or off its scale); null when it can. */
	issue: string | null;
}

const NO_SCORE: ScoreReading = { score: null, issue: null };

/** The score of a snapshot, checked against the scale of the feedback's type. */
export function readScore(feedback: XFeedback): ScoreReading {
	const value = feedback.response?.score?.value as unknown;
	if (value === undefined || value === null) return NO_SCORE;
	const score = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
	if (!Number.isFinite(score)) {
		return { score: null, issue: `X sent ${JSON.stringify(value)?.slice(0, 40) ?? String(value)} as the score, not a number` };
	}
	const scale = feedback.type === 'csat' || feedback.type === 'nps' ? SCORE_RANGE[feedback.type] : undefined;
	if (scale && (!Number.isInteger(score) || score < scale.min || score > scale.max)) {
		return { score, issue: `${feedback.type.toUpperCase()} scores run from ${scale.min} to ${scale.max}; X sent ${score}` };
	}
	return { score, issue: null };
}
