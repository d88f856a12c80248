/**
 * Which event announces which part, with memory that does not grow with history.
 *
 * X lists events, not parts, and a snapshot may repeat parts given earlier (several updates per
 * feedback, and the snapshot may be as of the event or the feedback's current state). A part is
 * announced by an event of its feedback whose time lies in [part time, part time + ANNOUNCE_LAG_MS];
 * the first such event wins and later ones are recognised through `recent`, which only has to
 * remember parts younger than the lag behind the newest event seen. So memory is bounded by the
 * parts given within one lag, whatever the history. This leans on X listing events oldest first
 * (the contract's choice): an event from further back than the lag is taken as a repeat.
 */
import type { AnomalyLog } from './anomalies';
import { PART_KINDS, partKey, partTime, type FeedbackPart } from './parts';
import { parseXDateMs } from '../dates';
import { MINUTE_MS } from '../time';
import type { XFeedbackEvent } from '../types';

/** How long after a part its announcing event may come. X stamps both at the same second today. */
export const ANNOUNCE_LAG_MS = MINUTE_MS;

/** Part key -> part time in epoch seconds, as saved between polls. */
export type RecentParts = Record<string, number>;

export interface Announcer {
	/** Parts at or before this time (ms) are never announced: the consumer started after them. */
	sinceMs: number;
	/** Part key -> part time in epoch seconds. */
	recent: Map<string, number>;
	/** Newest event time seen (ms), to forget parts no later event can announce. */
	highMs: number;
	/** Where parts that cannot be read are counted. */
	anomalies?: AnomalyLog;
}

export function createAnnouncer(sinceMs: number, highMs = 0, recent: RecentParts = {}, anomalies?: AnomalyLog): Announcer {
	return { sinceMs, highMs, recent: new Map(Object.entries(recent)), anomalies };
}

/** The announcer's memory in the shape the poll state saves. */
export function savedRecent(announcer: Announcer): RecentParts {
	return Object.fromEntries(announcer.recent);
}

const NONE: readonly FeedbackPart[] = Object.freeze([]);

/**
 * The parts this event announces for the first time; records them in `announcer.recent`. The
 * event's time may be passed in when the caller has read it already (the event reader has).
 */
export function announcedParts(announcer: Announcer, event: XFeedbackEvent, eventMs = parseXDateMs(event.created_at)): readonly FeedbackPart[] {
	const feedback = event.feedback;
	if (Number.isNaN(eventMs) || !feedback || feedback.id === undefined) return NONE;
	// A part older than the lag behind the newest event seen was announced before and may be
	// forgotten already: X repeating an old event (seen at page boundaries) must not bring it back.
	const oldestNewMs = announcer.highMs - ANNOUNCE_LAG_MS;
	if (eventMs > announcer.highMs) announcer.highMs = eventMs;
	// Most parts a snapshot carries were announced by earlier events: they are turned down on their
	// times alone, before anything is made for them (a backlog's drain reads two or three per event).
	let fresh: FeedbackPart[] | undefined;
	for (let k = 0; k < PART_KINDS.length; k++) {
		const kind = PART_KINDS[k];
		const atMs = partTime(feedback, kind, announcer.anomalies, event.created_at, eventMs);
		if (atMs === undefined || atMs <= announcer.sinceMs || atMs < oldestNewMs) continue;
		if (eventMs < atMs || eventMs - atMs > ANNOUNCE_LAG_MS) continue;
		const part: FeedbackPart = { kind, feedbackId: String(feedback.id), atMs, feedback };
		const key = partKey(part);
		if (announcer.recent.has(key)) continue;
		announcer.recent.set(key, Math.floor(atMs / 1000));
		(fresh ??= []).push(part);
	}
	return fresh ?? NONE;
}

/** Forgets parts that no event at or after `horizonMs` can announce any more. */
export function forgetAnnounced(announcer: Announcer, horizonMs: number): void {
	const oldestKeptSec = Math.floor((horizonMs - ANNOUNCE_LAG_MS) / 1000);
	// forEach, not for...of: this runs after every page, and for...of makes an entry array per part.
	announcer.recent.forEach((atSec, key, recent) => {
		if (atSec < oldestKeptSec) recent.delete(key);
	});
}
