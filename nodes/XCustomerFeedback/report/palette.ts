/** Colours shared by the charts and the page, so a score reads the same everywhere. */

export const INK = '#0f1419';
export const MUTED = '#536471';
export const GRID = '#e6ecf0';
export const EMPTY = '#cfd9de';

export const PROMOTER = '#17a34a';
export const PASSIVE = '#f5a524';
export const DETRACTOR = '#e0245e';

const CSAT_COLOURS = ['#e0245e', '#f4772e', '#f5a524', '#7ac74f', '#17a34a'];

export function csatColour(score: number): string {
	return CSAT_COLOURS[Math.min(Math.max(score, 1), 5) - 1];
}

export type NpsCategory = 'promoter' | 'passive' | 'detractor';

export function npsCategory(score: number): NpsCategory {
	return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}

export function npsColour(score: number): string {
	const category = npsCategory(score);
	return category === 'promoter' ? PROMOTER : category === 'passive' ? PASSIVE : DETRACTOR;
}
