/**
 * What the trigger keeps between polls, in the node's static data. Its size depends on the parts
 * given within one announce lag (see announcements.ts), never on the history.
 */
import type { RecentParts } from './announcements';

export const POLL_STATE_VERSION = 1;

export interface OpenRange {
	fromMs: number;
	toMs: number;
	/** X's cursor into this range; bound to it. */
	cursor: string;
}

export interface PollState {
	v: typeof POLL_STATE_VERSION;
	/** Parts given at or before this time are never emitted (where the trigger started). */
	sinceMs: number;
	/** Events at or before this time have all been read. */
	windowEndMs: number;
	/** A range read part of the way; the next poll goes on with its cursor. */
	range?: OpenRange;
	recent: RecentParts;
	highMs: number;
	/** The Start From setting the state was made for; a new one starts over from there. */
	startFromMs: number | null;
	/** Last rate-limit reading: remaining calls and reset (epoch seconds). */
	rate?: { remaining: number; resetAt: number };
	/** Since when polls have failed for reasons that usually pass (X down, network). */
	failingSinceMs?: number;
}

export function initialPollState(nowMs: number, minEventAgeMs: number, startFromMs: number | null): PollState {
	const start = startFromMs !== null ? startFromMs - 1 : nowMs - minEventAgeMs;
	return { v: POLL_STATE_VERSION, sinceMs: start, windowEndMs: start, recent: {}, highMs: start, startFromMs };
}

/** The saved state if it is usable for these settings, else a fresh one. */
export function restorePollState(
	saved: unknown,
	nowMs: number,
	minEventAgeMs: number,
	startFromMs: number | null,
): PollState {
	const state = saved as Partial<PollState> | undefined;
	const usable =
		state !== undefined &&
		state !== null &&
		state.v === POLL_STATE_VERSION &&
		typeof state.windowEndMs === 'number' &&
		typeof state.sinceMs === 'number' &&
		typeof state.recent === 'object' &&
		state.recent !== null &&
		(state.startFromMs ?? null) === startFromMs;
	if (!usable) return initialPollState(nowMs, minEventAgeMs, startFromMs);
	return JSON.parse(JSON.stringify(state)) as PollState;
}
