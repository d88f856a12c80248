/**
 * Which customers this node asked recently, as keys for n8n's de-duplication store: one key per
 * customer (user ID, as X writes it) and UTC day asked. "Asked within N days" is "a key for the
 * current UTC day or one of the N days before it": two cards to a customer are always at least
 * N × 24 hours apart, and at most a day more (a card at 23:59 counts for its whole day).
 * Pure: plain values in and out.
 */

import { DAY_MS } from '../../shared/time';

export const DEFAULT_SKIP_DAYS = 7;
/** X's limit: an account sends at most 1,000 feedback requests in 24 hours. */
export const X_REQUESTS_PER_DAY = 1_000;
/** Entries the store keeps for one node (oldest dropped first): one per customer and day asked. */
export const MAX_REMEMBERED = 10_000;

/** Keys one check writes for a moment (the window's days and a probe) before it gives back those it does not keep. */
export function keysPerCheck(days: number): number {
	return days + 2;
}

/**
 * The longest window the store can hold: every card of the window's N + 1 UTC days (at most
 * 1,000 a day), plus one check's keys, within the store's 10,000 entries. Beyond it the store
 * would drop customers still inside the window, so a longer setting is refused.
 */
export function maxSkipDays(perDay = X_REQUESTS_PER_DAY, capacity = MAX_REMEMBERED): number {
	let days = 0;
	while ((days + 2) * perDay + keysPerCheck(days + 1) <= capacity) days++;
	return days;
}

export const MAX_SKIP_DAYS = maxSkipDays();

/** The UTC day of a time, as YYYY-MM-DD. */
export function dayOf(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

/** A user ID as X writes it: "0042" and "42" are one customer. */
export function canonicalUserId(userId: string): string {
	return /^\d+$/.test(userId) ? userId.replace(/^0+(?=\d)/, '') : userId;
}

export function askedKey(userId: string, day: string): string {
	return `${canonicalUserId(userId)}@${day}`;
}

/** The keys of a window of `days` days for a customer, oldest first: the N days before today, then today's (last). */
export function windowKeys(userId: string, nowMs: number, days: number): string[] {
	const keys: string[] = [];
	for (let back = days; back >= 0; back--) keys.push(askedKey(userId, dayOf(nowMs - back * DAY_MS)));
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
