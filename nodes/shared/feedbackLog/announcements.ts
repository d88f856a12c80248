/**
 * Which event announces which part, once, with memory that does not grow with history, and without
 * leaning on X's event clock.
 *
 * X lists events, not parts, and a snapshot repeats parts given earlier (several updates per
 * feedback; the snapshot may be as of the event or the feedback as it is now, later parts
 * included). Nothing bounds the gap between an event's created_at and the parts it carries, in
 * either direction. So a part is announced by the first event read that carries it, whatever that
 * event's stamp, and remembered (`recent`) while an event within the tolerance after it may still
 * come: until the newest event read is `tolerance.afterMs` (plus a minute for X repeating an event
 * at a page boundary) past the part. `keptFromMs` is that horizon; it only moves forward, and every
 * part announced at or after it is in `recent`. So a part at or after the horizon that is not in
 * `recent` was never announced and is announced now, even from an event beyond the tolerance
 * (counted and logged as `lateEvent`). A part before the horizon that is not in `recent` cannot be
 * told apart from one announced and forgotten: it is not announced, and when the snapshot names it
 * as its latest change (its own event, stamped beyond the tolerance) it is counted and logged with
 * its feedback id (`partBeyondTolerance`), never dropped silently.
 *
 * Memory: the parts announced from `afterMs` behind the newest event read up to the newest part X
 * carried (in current snapshots, up to now); between sweeps, up to twice as many feedback. This
 * leans on X listing events oldest first (the contract's choice); `tolerance.beforeMs` is not needed
 * here: it says how far before the start the reading begins (pollState.ts, Get Report).
 */
import type { AnomalyLog } from './anomalies';
import { PART_KINDS, partKey, partOfKey, partTime, type FeedbackPart } from './parts';
import { parseXDateMs } from '../dates';
import { HOUR_MS, MINUTE_MS } from '../time';
import type { XFeedbackEvent } from '../types';

/** How far an event's stamp may lie from a part it carries and the part still count exactly once. */
export interface EventTolerance {
	/** An event stamped up to this long before its part (ms). */
	beforeMs: number;
	/** An event stamped up to this long after its part (ms). */
	afterMs: number;
}

/** X's docs show gaps of a minute and an hour; this is room for several hours either way. */
export const DEFAULT_TOLERANCE: Readonly<EventTolerance> = Object.freeze({ beforeMs: 2 * HOUR_MS, afterMs: 6 * HOUR_MS });

/** X may list an event again from just before the newest one seen (page boundaries). */
export const REPEAT_SLACK_MS = MINUTE_MS;

/**
 * The remembered parts as saved between polls: keys and their part times (epoch seconds), in
 * parallel arrays. Arrays, not an object keyed by part: n8n copies and saves the static data at
 * every poll, and an object of some hundred part keys cost the drain a tenth of its time (bench).
 */
export interface RecentParts {
	keys: string[];
	atSec: number[];
}

/** How states saved before 0.1.0's drain rework held them: part key -> part time in epoch seconds. */
export type LegacyRecentParts = Record<string, number>;

export const noRecentParts = (): RecentParts => ({ keys: [], atSec: [] });

export interface Announcer {
	/** Parts at or before this time (ms) are never announced: the consumer started after them. */
	sinceMs: number;
	/**
	 * Every part announced at or after `keptFromMs`: feedback id -> its parts' times in epoch seconds,
	 * by the kind's place in PART_KINDS (NOT_ANNOUNCED where none). Keyed by feedback, so an event
	 * costs one lookup, with a string X sent, instead of a new key string per part it carries (bench, drain).
	 */
	recent: Map<string, number[]>;
	/** Newest event time seen (ms). */
	highMs: number;
	/**
	 * Parts before this time (ms) are forgotten; it only moves forward. A part before it may stay in
	 * `recent` until the next sweep, and reads as forgotten.
	 */
	keptFromMs: number;
	/** The size of `recent` at which forgetting next sweeps it. */
	sweepAtSize: number;
	tolerance: EventTolerance;
	/** A part given after this (ms) cannot be real (clock damage); it is set aside, so memory stays bounded. */
	latestPartMs: number;
	/** Where parts that cannot be read, or met beyond the tolerance, are counted. */
	anomalies?: AnomalyLog;
}

export interface AnnouncerMemory {
	/** Where the memory starts; by default the start (nothing was announced before it). */
	keptFromMs?: number;
	tolerance?: EventTolerance;
	latestPartMs?: number;
}

/**
 * Forgetting sweeps `recent` only once it has doubled since the last sweep: a sweep costs the size of
 * `recent`, so this costs a constant per part remembered. (A sweep after every page cost the drain
 * about 2% of its time; bench, drain.)
 */
const MIN_SWEEP_SIZE = 256;
const nextSweepAt = (size: number) => Math.max(MIN_SWEEP_SIZE, 2 * size);

interface LiveMemory {
	recent: Map<string, number[]>;
	keptFromMs: number;
	sweepAtSize: number;
	keys: string[];
	atSec: number[];
	size: number;
}

/**
 * The memory behind each saved form this process made, so that the next poll of the same trigger
 * takes it over instead of rebuilding it from the saved keys (each of a drain's 73 polls rebuilt
 * about 650 parts; bench, drain). Only a saved form this process made, with the same arrays of the
 * same length, read with the same horizon: a state read back from the database (a restart), repaired,
 * or written by anything else is rebuilt from what it says.
 */
const liveMemory = new WeakMap<RecentParts, LiveMemory>();

/** Whether this saved form is one this process made and nothing has changed since (then it needs no checking copy). */
export function isOwnSavedForm(recent: unknown): recent is RecentParts {
	const live = liveMemory.get(recent as RecentParts);
	return (
		live !== undefined &&
		(recent as RecentParts).keys === live.keys &&
		(recent as RecentParts).atSec === live.atSec &&
		live.keys.length === live.size &&
		live.atSec.length === live.size
	);
}

/** The live memory behind `recent`, taken over (a second taker rebuilds), when it still says the same. */
function takeLiveMemory(recent: RecentParts, keptFromMs: number): LiveMemory | undefined {
	if (!isOwnSavedForm(recent)) return undefined;
	const live = liveMemory.get(recent)!;
	liveMemory.delete(recent);
	return live.keptFromMs === keptFromMs ? live : undefined;
}

export function createAnnouncer(sinceMs: number, highMs = 0, recent: RecentParts = noRecentParts(), anomalies?: AnomalyLog, memory: AnnouncerMemory = {}): Announcer {
	const keptFromMs = memory.keptFromMs ?? sinceMs;
	const live = takeLiveMemory(recent, keptFromMs);
	const remembered = live?.recent ?? new Map<string, number[]>();
	for (let i = 0; !live && i < recent.keys.length; i++) {
		// A key that names no part kind can match no part: it is not kept.
		const part = partOfKey(recent.keys[i]);
		if (part) remember(remembered, part.feedbackId)[PART_KINDS.indexOf(part.kind)] = recent.atSec[i];
	}
	return {
		sinceMs,
		highMs,
		recent: remembered,
		keptFromMs,
		sweepAtSize: live?.sweepAtSize ?? nextSweepAt(remembered.size),
		tolerance: memory.tolerance ?? DEFAULT_TOLERANCE,
		latestPartMs: memory.latestPartMs ?? Infinity,
		anomalies,
	};
}

/** A part time's place holder in `recent` for a kind not announced. */
export const NOT_ANNOUNCED = -1;

const NOTHING_ANNOUNCED: readonly number[] = PART_KINDS.map(() => NOT_ANNOUNCED);

/** The memory of one feedback, made when it is first needed. */
function remember(recent: Map<string, number[]>, feedbackId: string): number[] {
	let times = recent.get(feedbackId);
	if (!times) {
		times = NOTHING_ANNOUNCED.slice();
		recent.set(feedbackId, times);
	}
	return times;
}

/** The first whole second still remembered (part times are whole seconds). */
const keptFromSecOf = (announcer: Announcer) => Math.ceil(announcer.keptFromMs / 1000);

/** Whether a part time in `recent` is a part still remembered. */
const isKept = (atSec: number, keptFromSec: number) => atSec !== NOT_ANNOUNCED && atSec >= keptFromSec;

/** Whether this part was announced and is still remembered. */
export function isRemembered(announcer: Announcer, part: Pick<FeedbackPart, 'feedbackId' | 'kind'>): boolean {
	const times = announcer.recent.get(part.feedbackId);
	return times !== undefined && isKept(times[PART_KINDS.indexOf(part.kind)], keptFromSecOf(announcer));
}

/**
 * The announcer's memory in the shape the poll state saves. The announcer is done with after this:
 * its memory goes on behind the saved form, for the next poll to take over.
 */
export function savedRecent(announcer: Announcer): RecentParts {
	const saved = noRecentParts();
	const keptFromSec = keptFromSecOf(announcer);
	announcer.recent.forEach((times, feedbackId) => {
		for (let k = 0; k < times.length; k++) {
			if (!isKept(times[k], keptFromSec)) continue;
			saved.keys.push(partKey({ feedbackId, kind: PART_KINDS[k] }));
			saved.atSec.push(times[k]);
		}
	});
	const { recent, keptFromMs, sweepAtSize } = announcer;
	liveMemory.set(saved, { recent, keptFromMs, sweepAtSize, keys: saved.keys, atSec: saved.atSec, size: saved.keys.length });
	return saved;
}

const NONE: readonly FeedbackPart[] = Object.freeze([]);

const hours = (ms: number) => `${Math.round(ms / 360_000) / 10} h`;

/**
 * Whether this event is the part's own, stamped more than `afterMs` late: the snapshot carries no
 * later part, and the event lies beyond the tolerance after the snapshot's latest change too
 * (updated_at, when readable). An event about a later change (a view, say) that repeats an old part
 * is not.
 */
function isOwnLateEvent(event: XFeedbackEvent, eventMs: number, atMs: number, afterMs: number): boolean {
	const feedback = event.feedback;
	// Most often the snapshot's update is the event's own second: no date to read.
	const updatedMs = feedback.updated_at === event.created_at ? eventMs : parseXDateMs(feedback.updated_at);
	if (eventMs - (Number.isNaN(updatedMs) ? atMs : Math.max(atMs, updatedMs)) <= afterMs) return false;
	for (const kind of PART_KINDS) {
		const other = partTime(feedback, kind);
		if (other !== undefined && other > atMs) return false;
	}
	return true;
}

/**
 * The parts this event announces for the first time; records them in `announcer.recent`. The
 * event's time may be passed in when the caller has read it already (the event reader has).
 */
export function announcedParts(announcer: Announcer, event: XFeedbackEvent, eventMs = parseXDateMs(event.created_at)): readonly FeedbackPart[] {
	const feedback = event.feedback;
	if (Number.isNaN(eventMs) || !feedback || feedback.id === undefined) return NONE;
	if (eventMs > announcer.highMs) announcer.highMs = eventMs;
	const { afterMs } = announcer.tolerance;
	// Most parts a snapshot carries were announced by earlier events: they are turned down on their
	// key or time alone, before anything is made for them (a backlog's drain reads two or three per event).
	let fresh: FeedbackPart[] | undefined;
	const feedbackId = String(feedback.id);
	const keptFromSec = keptFromSecOf(announcer);
	let times: number[] | undefined;
	let looked = false;
	for (let k = 0; k < PART_KINDS.length; k++) {
		const kind = PART_KINDS[k];
		const atMs = partTime(feedback, kind, announcer.anomalies, event.created_at, eventMs);
		if (atMs === undefined || atMs <= announcer.sinceMs) continue;
		const lateBy = eventMs - atMs;
		if (atMs < announcer.keptFromMs) {
			// Announced and forgotten (nothing before the horizon is remembered), or only ever carried by
			// events stamped too late: only the latter can be this event's own part.
			if (lateBy > afterMs && isOwnLateEvent(event, eventMs, atMs, afterMs)) {
				announcer.anomalies?.add('partBeyondTolerance', feedback.id, `${kind} given ${new Date(atMs).toISOString()}, event stamped ${hours(lateBy)} later`);
			}
			continue;
		}
		if (!looked) {
			times = announcer.recent.get(feedbackId);
			looked = true;
		}
		if (times !== undefined && isKept(times[k], keptFromSec)) continue;
		if (atMs > announcer.latestPartMs) {
			announcer.anomalies?.add('partInFuture', feedback.id, `${kind} given ${new Date(atMs).toISOString()}`);
			continue;
		}
		const part: FeedbackPart = { kind, feedbackId, atMs, feedback };
		times ??= remember(announcer.recent, feedbackId);
		times[k] = Math.floor(atMs / 1000);
		if (lateBy > afterMs) announcer.anomalies?.add('lateEvent', feedback.id, `${kind} given ${new Date(atMs).toISOString()}, event stamped ${hours(lateBy)} later`);
		// Most events bring one new part: an array of one, not an empty one grown by a push (which
		// makes room for 17; bench, drain).
		if (fresh) fresh.push(part);
		else fresh = [part];
	}
	return fresh ?? NONE;
}

/**
 * Moves the horizon to what events at or after `horizonMs` may still carry within the tolerance.
 * The parts before it read as forgotten at once, and leave `recent` at the next sweep.
 */
export function forgetAnnounced(announcer: Announcer, horizonMs: number): void {
	announcer.keptFromMs = Math.max(announcer.keptFromMs, horizonMs - announcer.tolerance.afterMs - REPEAT_SLACK_MS);
	if (announcer.recent.size < announcer.sweepAtSize) return;
	const keptFromSec = keptFromSecOf(announcer);
	// forEach, not for...of: for...of makes an entry array per feedback.
	announcer.recent.forEach((times, feedbackId, recent) => {
		let kept = false;
		for (let k = 0; k < times.length; k++) {
			if (isKept(times[k], keptFromSec)) kept = true;
			else times[k] = NOT_ANNOUNCED;
		}
		if (!kept) recent.delete(feedbackId);
	});
	announcer.sweepAtSize = nextSweepAt(announcer.recent.size);
}
