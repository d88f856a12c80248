/**
 * Running counts for a report or one of its groups. They are all a report keeps while pages stream
 * in, so memory does not grow with the number of events.
 */
import type { FeedbackType } from '../../shared/types';

export const SCORE_SCALES: Readonly<Record<FeedbackType, { min: number; max: number }>> = {
	csat: { min: 1, max: 5 },
	nps: { min: 0, max: 10 },
};

export interface TypeTally {
	requestsSent: number;
	/** Requests sent in the period whose score also came in the period. */
	requestsScored: number;
	commentsReceived: number;
	/** `scoreCounts[i]` counts the score `min + i` of the type's scale. */
	scoreCounts: number[];
}

export type Tally = Record<FeedbackType, TypeTally>;

export function emptyTally(): Tally {
	const typeTally = (type: FeedbackType): TypeTally => ({
		requestsSent: 0,
		requestsScored: 0,
		commentsReceived: 0,
		scoreCounts: new Array<number>(SCORE_SCALES[type].max - SCORE_SCALES[type].min + 1).fill(0),
	});
	return { csat: typeTally('csat'), nps: typeTally('nps') };
}

export function isFeedbackType(value: unknown): value is FeedbackType {
	return value === 'csat' || value === 'nps';
}

/**
 * Where a score falls on its type's scale, or undefined when it is not a whole number on it. X sends
 * numbers; a digit string is accepted too because the contract asks clients to be tolerant.
 */
export function scoreIndex(type: FeedbackType, value: unknown): number | undefined {
	const score = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	if (typeof score !== 'number' || !Number.isInteger(score)) return undefined;
	const { min, max } = SCORE_SCALES[type];
	return score >= min && score <= max ? score - min : undefined;
}
