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

export function npsCategory(score: number): NpsCategory {
	if (score >= 9) return 'promoter';
	if (score >= 7) return 'passive';
	return 'detractor';
}
