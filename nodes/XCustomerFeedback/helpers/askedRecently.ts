/**
 * Which customers this node asked recently, as keys for n8n's de-duplication store: one key per
 * recipient and UTC day asked. "Asked within N days" is then "a key for one of the last N days,
 * today included". Pure: plain values in and out.
 */

import { DAY_MS } from '../../shared/time';

export const DEFAULT_SKIP_DAYS = 7;
export const MAX_SKIP_DAYS = 365;
/** Entries the store keeps for one node (oldest dropped first): one per recipient and day asked. */
export const MAX_REMEMBERED = 10_000;

/** The UTC day of a time, as YYYY-MM-DD. */
export function dayOf(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

export function askedKey(userId: string, day: string): string {
	return `${userId}@${day}`;
}

/** The keys of the last `days` days for a recipient, oldest first; the last one is today's. */
export function windowKeys(userId: string, nowMs: number, days: number): string[] {
	const keys: string[] = [];
	for (let back = days - 1; back >= 0; back--) keys.push(askedKey(userId, dayOf(nowMs - back * DAY_MS)));
	return keys;
}

/** The latest day among keys the store already had. */
export function latestDay(keys: Array<string | number>): string | undefined {
	let latest: string | undefined;
	for (const key of keys) {
		const day = String(key).slice(String(key).lastIndexOf('@') + 1);
		if (latest === undefined || day > latest) latest = day;
	}
	return latest;
}
