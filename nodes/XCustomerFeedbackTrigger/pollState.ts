/**
 * What the trigger keeps between polls, in the node's static data. Its size depends on the parts
 * given within the event time tolerance behind the read position (see announcements.ts), never on
 * the history.
 *
 * Saved state is untrusted too (another node, an import or a clock jump can leave it wrong), so it
 * is checked by range and scope before use: out-of-range values are repaired to safe ones and
 * reported; state that cannot be used fails loudly, naming the problem and how to restart; another
 * X account behind the credential restarts from now.
 */
import { DEFAULT_TOLERANCE, isOwnSavedForm, noRecentParts, REPEAT_SLACK_MS, type RecentParts } from '../shared/feedbackLog/announcements';
import { DAY_MS, MINUTE_MS } from '../shared/time';

export const POLL_STATE_VERSION = 1;

/** X's rate-limit windows are 15 minutes: a reset further ahead than this cannot be X's. */
const RATE_WINDOW_MS = 15 * MINUTE_MS;
/** A saved event time this far ahead of the clock cannot come from X: it is damage. */
const DAMAGED_AHEAD_MS = DAY_MS;
/** The longest lead before the start a saved state may name (the tolerance option's maximum is a week). */
const MAX_BEFORE_MS = 30 * DAY_MS;
/** The longest the trigger waits after a stuck listing. */
export const MAX_BACKOFF_MS = 15 * MINUTE_MS;

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
	/**
	 * Parts before this time are forgotten (announcements.ts); every part emitted at or after it is
	 * in `recent`. Missing in states saved before it existed: then what they remembered, a minute
	 * behind `highMs`.
	 */
	keptFromMs?: number;
	/**
	 * How far before `sinceMs` the reading started, for events X stamps before their parts (the
	 * tolerance's before side when the state was made).
	 */
	beforeMs?: number;
	/** The Start From setting the state was made for; a new one starts over from there. */
	startFromMs: number | null;
	/** The Minimum Event Age the state was read with (ms). */
	minAgeMs?: number;
	/** The X account (user id) the state was read for, when the credential tells it. */
	account?: string;
	/** Last rate-limit reading: remaining calls and reset (epoch seconds). */
	rate?: { remaining: number; resetAt: number };
	/** Since when polls have failed for reasons that usually pass (X down, network, a stuck listing). */
	failingSinceMs?: number;
	/** No request before this time: X's listing was stuck at the last poll. */
	waitUntilMs?: number;
}

/** The newest time a poll at `nowMs` may read: whole seconds that are over (X stamps events to the second). */
export function latestReadableMs(nowMs: number, minEventAgeMs: number): number {
	return Math.floor((nowMs - minEventAgeMs) / 1000) * 1000 - 1;
}

/** Where a saved state without `keptFromMs` keeps parts from: what it remembered. */
export function keptFromOf(state: Pick<PollState, 'keptFromMs' | 'sinceMs' | 'highMs'>): number {
	return state.keptFromMs ?? Math.max(state.sinceMs, state.highMs - MINUTE_MS);
}

/**
 * A state that starts at Start From, or else at the start of the current second (minus the minimum
 * age): a part given in the activation second is read, even one given just before activation, so
 * none given just after is lost (at least once at the boundary; the announcer keeps it to once).
 * Reading begins `beforeMs` earlier, for parts after the start that X stamps events before.
 */
export function initialPollState(nowMs: number, minEventAgeMs: number, startFromMs: number | null, account?: string, beforeMs = 0): PollState {
	const start = startFromMs !== null ? startFromMs - 1 : latestReadableMs(nowMs, minEventAgeMs);
	return {
		v: POLL_STATE_VERSION,
		sinceMs: start,
		windowEndMs: start - beforeMs,
		recent: noRecentParts(),
		highMs: start - beforeMs,
		keptFromMs: start,
		beforeMs,
		startFromMs,
		minAgeMs: minEventAgeMs,
		...(account ? { account } : {}),
	};
}

export interface StateCheckSettings {
	nowMs: number;
	minEventAgeMs: number;
	startFromMs: number | null;
	/** The X account behind the credential now, when known. */
	account?: string;
	/** How far before the start a new state begins reading (the tolerance's before side). */
	beforeMs?: number;
}

export type StateCheck =
	| { ok: true; state: PollState; repairs: string[]; restart?: string }
	| { ok: false; problem: string };

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const iso = (ms: number) => (Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms));

const isSavedArrays = (r: Record<string, unknown>): boolean => Array.isArray(r.keys) && Array.isArray(r.atSec);

/**
 * The remembered parts, from either saved form: parallel arrays, or (states saved by 0.1.0) an
 * object of part key -> time. Entries without a string key and a finite time are dropped and counted.
 */
function readRecentParts(saved: Record<string, unknown>): { parts: RecentParts; dropped: number } {
	const parts = noRecentParts();
	let dropped = 0;
	const keep = (key: unknown, atSec: unknown) => {
		if (typeof key === 'string' && isFiniteNumber(atSec)) {
			parts.keys.push(key);
			parts.atSec.push(atSec);
		} else dropped++;
	};
	if (isSavedArrays(saved)) {
		const keys = saved.keys as unknown[];
		const times = saved.atSec as unknown[];
		for (let i = 0; i < Math.max(keys.length, times.length); i++) keep(keys[i], times[i]);
	} else {
		for (const key of Object.keys(saved)) keep(key, saved[key]);
	}
	return { parts, dropped };
}

/** The first reason the saved state cannot be used at all, or undefined. */
function unusableBecause(s: Record<string, unknown>): string | undefined {
	if (s.v !== POLL_STATE_VERSION) return `its version is ${JSON.stringify(s.v)}, not ${POLL_STATE_VERSION}`;
	for (const field of ['sinceMs', 'windowEndMs', 'highMs'] as const) {
		if (!isFiniteNumber(s[field])) return `${field} is ${JSON.stringify(s[field]) ?? 'missing'}, not a time`;
	}
	if (!s.recent || typeof s.recent !== 'object' || Array.isArray(s.recent)) return 'recent is not an object';
	if (s.range !== undefined) {
		const r = s.range as Record<string, unknown> | null;
		if (!r || typeof r !== 'object' || !isFiniteNumber(r.fromMs) || !isFiniteNumber(r.toMs) || typeof r.cursor !== 'string') {
			return 'the open range is not a range with a cursor';
		}
	}
	return undefined;
}

/** Checks saved state against these settings: repaired, restarted, fresh, or unusable. */
export function checkPollState(saved: unknown, settings: StateCheckSettings): StateCheck {
	const { nowMs, minEventAgeMs, startFromMs, account, beforeMs = 0 } = settings;
	const fresh = () => initialPollState(nowMs, minEventAgeMs, startFromMs, account, beforeMs);
	if (saved === undefined || saved === null) return { ok: true, state: fresh(), repairs: [] };
	if (typeof saved !== 'object' || Array.isArray(saved)) return { ok: false, problem: 'it is not an object' };
	const raw = saved as Record<string, unknown>;
	// A new Start From is how a person restarts on purpose: it replaces whatever was saved.
	if ((raw.startFromMs ?? null) !== startFromMs) return { ok: true, state: fresh(), repairs: [] };
	const problem = unusableBecause(raw);
	if (problem) return { ok: false, problem };

	// A copy: nothing is changed in what n8n holds until the state is saved. The remembered parts, most
	// of it, are copied by readRecentParts below, not through JSON (bench, drain).
	const { recent: savedParts, ...rest } = raw;
	const state = JSON.parse(JSON.stringify(rest)) as PollState;
	if (account !== undefined && state.account !== undefined && state.account !== account) {
		// From now even with Start From set: that date was meant for the account it was chosen for.
		return {
			ok: true,
			state: { ...initialPollState(nowMs, minEventAgeMs, null, account, beforeMs), startFromMs },
			repairs: [],
			restart: `The credential now connects X account ${account}, not ${state.account}: reading starts again from now for the new account`,
		};
	}
	if (account !== undefined) state.account = account;

	const repairs: string[] = [];
	const latest = latestReadableMs(nowMs, minEventAgeMs);
	const rate = state.rate as unknown as Record<string, unknown> | undefined;
	if (rate !== undefined) {
		if (!rate || !isFiniteNumber(rate.remaining) || !isFiniteNumber(rate.resetAt) || rate.remaining < 0) {
			repairs.push('the saved rate-limit reading was not readable; it was dropped');
			delete state.rate;
		} else if (rate.resetAt * 1000 > nowMs + RATE_WINDOW_MS + MINUTE_MS) {
			repairs.push(`the saved rate-limit reset (${String(rate.resetAt)}) is further ahead than X's 15-minute window (a value in milliseconds, or a clock that went back); it was dropped`);
			delete state.rate;
		}
	}
	// A longer Minimum Event Age also puts the saved point after the latest time X serves; then the
	// trigger waits for time to catch up (repairing would read parts again). Only the same age means
	// the clock went back.
	if (state.beforeMs !== undefined && !(isFiniteNumber(state.beforeMs) && state.beforeMs >= 0 && state.beforeMs <= MAX_BEFORE_MS)) {
		repairs.push('the saved reading lead before the start was not a time from 0 to 30 days; it was dropped');
		delete state.beforeMs;
	}
	const sameAge = state.minAgeMs === undefined || state.minAgeMs === minEventAgeMs;
	// Start From reads from its lead before it (events stamped before their parts); never earlier.
	const floor = startFromMs !== null ? startFromMs - 1 - (state.beforeMs ?? 0) : -Infinity;
	if (sameAge && state.windowEndMs > latest && state.windowEndMs > floor) {
		// Events up to the newest one seen were read; from there on, read again (repeats are recognised).
		const back = Math.max(floor, Math.min(latest, state.highMs - 1));
		repairs.push(`the read-up-to point ${iso(state.windowEndMs)} is in the future (the clock went back); reading goes on from ${iso(back)}`);
		state.windowEndMs = back;
	}
	// An open range is kept only as drain.ts opens it: right after the read-up-to point, in order, and
	// ending where X serves. Any other is read again from the earliest point it or the read-up-to
	// point names (repeats are recognised).
	const range = state.range;
	const rangeProblem = !range
		? undefined
		: range.fromMs !== state.windowEndMs + 1
			? `starts at ${iso(range.fromMs)}, not right after the read-up-to point ${iso(state.windowEndMs)}`
			: range.fromMs > range.toMs
				? `starts (${iso(range.fromMs)}) after it ends (${iso(range.toMs)})`
				: range.toMs > latest
					? `ends at ${iso(range.toMs)}, after the latest time X serves now (${iso(latest)}): the clock went back`
					: undefined;
	if (range && rangeProblem) {
		state.windowEndMs = Math.min(state.windowEndMs, range.fromMs - 1, range.toMs);
		repairs.push(`the open range ${rangeProblem}; it is read again from ${iso(state.windowEndMs)}`);
		delete state.range;
	}
	// The newest event time is bounded by what X served, so it is never ahead of X's clock: when only
	// this machine's clock went back it stays (it keeps re-read parts from coming out twice). Only a
	// time beyond any clock error is damage (an unbounded date saved by an older version).
	if (state.highMs > nowMs + DAMAGED_AHEAD_MS && state.highMs > floor + 1) {
		repairs.push(`the newest event time ${iso(state.highMs)} is far in the future; it was set back to ${iso(state.windowEndMs)}`);
		state.highMs = Math.max(state.windowEndMs, floor);
	}
	if (state.keptFromMs !== undefined && !(isFiniteNumber(state.keptFromMs) && state.keptFromMs <= Math.max(state.sinceMs, state.highMs))) {
		// Never later than the start or the newest event read: anything else would emit nothing more.
		// Back to where the default tolerance puts it, which it is unless the option was widened.
		const back = Math.max(state.sinceMs, state.highMs - DEFAULT_TOLERANCE.afterMs - REPEAT_SLACK_MS);
		repairs.push(`the remembered-parts horizon (${isFiniteNumber(state.keptFromMs) ? iso(state.keptFromMs) : 'an unreadable time'}) is after the newest event read; it was set back to ${iso(back)}`);
		state.keptFromMs = back;
	}
	state.minAgeMs = minEventAgeMs;
	// A new state reads from `beforeMs` before its start: only a start further ahead is damage.
	if (startFromMs === null && state.sinceMs > state.windowEndMs + (state.beforeMs ?? 0)) {
		repairs.push(`the start ${iso(state.sinceMs)} is after the read-up-to point; it was set back to ${iso(state.windowEndMs)}`);
		state.sinceMs = state.windowEndMs;
		if (state.keptFromMs !== undefined && state.keptFromMs > state.sinceMs) state.keptFromMs = Math.max(state.sinceMs, state.highMs - MINUTE_MS);
	}
	if (state.failingSinceMs !== undefined && !(isFiniteNumber(state.failingSinceMs) && state.failingSinceMs <= nowMs)) {
		repairs.push('the saved failure start was not a past time; it was dropped');
		delete state.failingSinceMs;
	}
	if (state.waitUntilMs !== undefined && !(isFiniteNumber(state.waitUntilMs) && state.waitUntilMs <= nowMs + MAX_BACKOFF_MS)) {
		repairs.push(`the saved wait (until ${isFiniteNumber(state.waitUntilMs) ? iso(state.waitUntilMs) : 'an unreadable time'}) was longer than ${MAX_BACKOFF_MS / MINUTE_MS} minutes; it was dropped`);
		delete state.waitUntilMs;
	}
	// What this process saved at the last poll, untouched since, needs no checking copy.
	const recent = isOwnSavedForm(savedParts) ? { parts: savedParts, dropped: 0 } : readRecentParts(savedParts as Record<string, unknown>);
	if (recent.dropped > 0) repairs.push(`${recent.dropped} remembered parts did not have a key and a time; they were dropped`);
	state.recent = recent.parts;
	return { ok: true, state, repairs };
}
