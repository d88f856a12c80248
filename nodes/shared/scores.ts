/** The standard score classes. CSAT: 4 and 5 are satisfied. NPS: 9-10 promoters, 7-8 passives, 0-6 detractors. */
import type { FeedbackType } from './types';

export type NpsCategory = 'promoter' | 'passive' | 'detractor';

export const SCORE_RANGE: Record<FeedbackType, { min: number; max: number }> = {
	csat: { min: 1, max: 5 },
	nps: { min: 0, max: 10 },
};

export function csatSatisfied(score: number): boolean {
	return score >= 4;
}

/** CSAT's three bands: 1-2 dissatisfied, 3 neutral, 4-5 satisfied. */
export type CsatCategory = 'dissatisfied' | 'neutral' | 'satisfied';

export function csatCategory(score: number): CsatCategory {
	if (score >= 4) return 'satisfied';
	if (score >= 3) return 'neutral';
	return 'dissatisfied';
}

/** An unhappy customer, for alerts: NPS 0-6 (detractor) or CSAT 1-2 (dissatisfied). */
export function isDetractor(type: string, score: number): boolean {
	return type === 'nps' ? score <= 6 : type === 'csat' ? score <= 2 : false;
}

export function npsCategory(score: number): NpsCategory {
	if (score >= 9) return 'promoter';
	if (score >= 7) return 'passive';
	return 'detractor';
}
