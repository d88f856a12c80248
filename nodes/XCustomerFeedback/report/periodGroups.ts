/** Days and ISO weeks (Monday first), in UTC, that split a report period for trends. */
import { DAY_MS } from '../../shared/time';

export type GroupBy = 'day' | 'week';

const WEEK_MS = 7 * DAY_MS;

/** More groups than this make neither a readable chart nor a sensible table. */
export const MAX_GROUPS = 1000;

export function groupStartMs(ms: number, groupBy: GroupBy): number {
	const dayStart = Math.floor(ms / DAY_MS) * DAY_MS;
	if (groupBy === 'day') return dayStart;
	const daysSinceMonday = (new Date(dayStart).getUTCDay() + 6) % 7;
	return dayStart - daysSinceMonday * DAY_MS;
}

export function groupEndMs(startMs: number, groupBy: GroupBy): number {
	return startMs + (groupBy === 'day' ? DAY_MS : WEEK_MS) - 1;
}

/** Starts of every group that overlaps [fromMs, toMs], oldest first. */
export function groupStartsInPeriod(fromMs: number, toMs: number, groupBy: GroupBy): number[] {
	const step = groupBy === 'day' ? DAY_MS : WEEK_MS;
	const starts: number[] = [];
	for (let start = groupStartMs(fromMs, groupBy); start <= toMs; start += step) starts.push(start);
	return starts;
}

export function groupCount(fromMs: number, toMs: number, groupBy: GroupBy): number {
	const step = groupBy === 'day' ? DAY_MS : WEEK_MS;
	return Math.floor((groupStartMs(toMs, groupBy) - groupStartMs(fromMs, groupBy)) / step) + 1;
}

function isoDate(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

/** ISO 8601 week of the week starting on this Monday, e.g. `2025-W09`. */
export function isoWeekLabel(mondayMs: number): string {
	// The ISO week belongs to the year of its Thursday, and week 1 holds the year's first Thursday.
	const thursday = new Date(mondayMs + 3 * DAY_MS);
	const year = thursday.getUTCFullYear();
	const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / WEEK_MS);
	return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Sortable key (the start date) and label (the date, or the ISO week) of a group. */
export function groupName(startMs: number, groupBy: GroupBy): { key: string; label: string } {
	const key = isoDate(startMs);
	return { key, label: groupBy === 'day' ? key : isoWeekLabel(startMs) };
}
