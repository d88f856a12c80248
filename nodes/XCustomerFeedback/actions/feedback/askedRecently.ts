/**
 * Which customers this node asked recently. X asks businesses not to survey the same customer more
 * than about once a week; the node remembers each recipient's last successful request in its
 * static data. Pure: plain objects in and out. The memory stays bounded: entries older than the
 * retention are pruned and at most MAX_REMEMBERED recipients are kept (the oldest go first).
 */

export const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_SKIP_DAYS = 7;
export const MAX_SKIP_DAYS = 365;
export const MAX_REMEMBERED = 10_000;

/** Static data key under the node's own static data. */
export const MEMORY_KEY = 'askedAt';

/** Recipient user id -> epoch ms of the last feedback request sent to them. */
export type AskedMemory = Record<string, number>;

/** The memory inside the node's static data, created (or repaired) in place. */
export function askedMemoryIn(staticData: Record<string, unknown>): AskedMemory {
	const current = staticData[MEMORY_KEY];
	if (current && typeof current === 'object' && !Array.isArray(current)) return current as AskedMemory;
	const fresh: AskedMemory = {};
	staticData[MEMORY_KEY] = fresh;
	return fresh;
}

/** When the recipient was last asked, if that lies within the window before now. */
export function askedWithin(memory: AskedMemory, userId: string, nowMs: number, windowMs: number): number | undefined {
	if (windowMs <= 0) return undefined;
	const at = memory[userId];
	if (typeof at !== 'number' || !Number.isFinite(at)) return undefined;
	return nowMs - at < windowMs ? at : undefined;
}

/**
 * Records a request and keeps the memory bounded. Entries older than `retentionMs` go; if more
 * than `cap` remain, the oldest go.
 */
export function rememberAsked(
	memory: AskedMemory,
	userId: string,
	atMs: number,
	nowMs: number,
	retentionMs: number,
	cap = MAX_REMEMBERED,
): void {
	memory[userId] = atMs;
	for (const [id, at] of Object.entries(memory)) {
		if (typeof at !== 'number' || !Number.isFinite(at) || nowMs - at >= retentionMs) delete memory[id];
	}
	const ids = Object.keys(memory);
	if (ids.length <= cap) return;
	ids.sort((a, b) => memory[a] - memory[b]);
	for (const id of ids.slice(0, ids.length - cap)) delete memory[id];
}
