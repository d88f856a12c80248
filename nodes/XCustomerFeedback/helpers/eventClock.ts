/**
 * What a sample of feedback events shows about X's event clock (Check Setup). Pure.
 *
 * - The gap of each part: the created_at of its own event minus the part's time. Which event is a
 *   part's own is read from the snapshots (gapsOfFeedback); with its own event outside the sample,
 *   another event stands in and the gap is overstated.
 * - The snapshot mode: X's events carry the feedback either as of the event or as it is now. Two
 *   events of one feedback that carry the same snapshot (same updated_at, same parts), or a
 *   feedback.created event that already carries an answer, are the feedback as it is now; two
 *   events of one feedback with different snapshots are as of the event. Part times against the
 *   event's own time are no evidence: X may stamp an event hours before the part it reports.
 */
import { PART_KINDS, partKey, partTime, type PartKind } from '../../shared/feedbackLog/parts';
import type { EventTolerance } from '../../shared/feedbackLog/announcements';
import type { XFeedbackEvent } from '../../shared/types';

export type SnapshotMode = 'current' | 'event' | 'mixed' | 'unknown';

export const SNAPSHOT_MODE_MEANING: Record<SnapshotMode, string> = {
	current: 'feedback as it is now (every event carries the latest snapshot)',
	event: 'feedback as of the event (each event carries the snapshot of its own change)',
	mixed: 'contradictory: some events carry the feedback as it is now, others as of the event',
	unknown: 'no evidence: no feedback with two events, and no request event carrying an answer',
};

/** Seconds, on one side of the part. */
export interface GapSpread {
	count: number;
	minSec: number | null;
	medianSec: number | null;
	p95Sec: number | null;
	maxSec: number | null;
}

export interface EventClock {
	eventsRead: number;
	partsSeen: number;
	partsByKind: Record<PartKind, number>;
	/** Events stamped after (or at) the part they are nearest to: seconds after. */
	stampedAfterPart: GapSpread;
	/** Events stamped before the part: seconds before. */
	stampedBeforePart: GapSpread;
	beyondTolerance: { after: number; before: number };
	snapshotMode: SnapshotMode;
	snapshotEvidence: { current: number; event: number };
}

/** The value at quantile q of sorted numbers (nearest rank). */
function quantile(sorted: readonly number[], q: number): number {
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function spread(seconds: number[]): GapSpread {
	if (seconds.length === 0) return { count: 0, minSec: null, medianSec: null, p95Sec: null, maxSec: null };
	const sorted = [...seconds].sort((a, b) => a - b);
	return { count: sorted.length, minSec: sorted[0], medianSec: quantile(sorted, 0.5), p95Sec: quantile(sorted, 0.95), maxSec: sorted[sorted.length - 1] };
}

function snapshotSignature(event: XFeedbackEvent): string {
	const feedback = event.feedback;
	return [String(feedback.updated_at), ...PART_KINDS.map((kind) => String(partTime(feedback, kind) ?? '-'))].join('|');
}

/** The parts a snapshot carries, by kind, with their times (ms). */
function carriedParts(event: XFeedbackEvent): Array<{ kind: PartKind; atMs: number }> {
	const parts: Array<{ kind: PartKind; atMs: number }> = [];
	for (const kind of PART_KINDS) {
		const atMs = partTime(event.feedback, kind);
		if (atMs !== undefined) parts.push({ kind, atMs });
	}
	return parts;
}

/**
 * The gap (event time minus part time, ms) of each part of one feedback to its own event, as far as
 * the events read tell: in snapshots as of the event, the event whose newest part it is; in
 * snapshots as they are now (all alike), the event of the same rank when there is one event per
 * part; else the nearest event that carries it.
 */
function gapsOfFeedback(events: ReadonlyArray<{ event: XFeedbackEvent; atMs: number }>, alike: boolean): Map<PartKind, number> {
	const parts = new Map<PartKind, number>();
	for (const { event } of events) for (const { kind, atMs } of carriedParts(event)) if (!parts.has(kind)) parts.set(kind, atMs);
	const gaps = new Map<PartKind, number>();
	const nearest = (kind: PartKind, among: ReadonlyArray<{ event: XFeedbackEvent; atMs: number }>): number | undefined => {
		let best: number | undefined;
		for (const { event, atMs } of among) {
			const partMs = partTime(event.feedback, kind);
			if (partMs === undefined) continue;
			const gap = atMs - partMs;
			if (best === undefined || Math.abs(gap) < Math.abs(best)) best = gap;
		}
		return best;
	};
	if (alike && events.length > 1 && events.length === parts.size) {
		const byTime = [...events].sort((a, b) => a.atMs - b.atMs);
		const partsByTime = [...parts].sort((a, b) => a[1] - b[1]);
		partsByTime.forEach(([kind, partMs], rank) => gaps.set(kind, byTime[rank].atMs - partMs));
		return gaps;
	}
	for (const kind of parts.keys()) {
		const own = alike
			? []
			: events.filter(({ event }) => {
					const carried = carriedParts(event);
					const newest = Math.max(...carried.map((part) => part.atMs));
					const mine = carried.find((part) => part.kind === kind);
					return mine !== undefined && mine.atMs === newest && carried.filter((part) => part.atMs === newest).length === 1;
				});
		const gap = nearest(kind, own.length > 0 ? own : events);
		if (gap !== undefined) gaps.set(kind, gap);
	}
	return gaps;
}

export function readEventClock(events: ReadonlyArray<{ event: XFeedbackEvent; atMs: number }>, tolerance: EventTolerance): EventClock {
	const byFeedback = new Map<string, Array<{ event: XFeedbackEvent; atMs: number }>>();
	let evidenceCurrent = 0;
	let evidenceEvent = 0;

	for (const listed of events) {
		const { event } = listed;
		const id = String(event.feedback.id);
		const list = byFeedback.get(id);
		if (list) list.push(listed);
		else byFeedback.set(id, [listed]);
		if (event.event_type === 'feedback.created' && (partTime(event.feedback, 'score') !== undefined || partTime(event.feedback, 'comment') !== undefined)) evidenceCurrent++;
	}
	const nearest = new Map<string, { kind: PartKind; gapMs: number }>();
	for (const [id, list] of byFeedback) {
		const alike = new Set(list.map(({ event }) => snapshotSignature(event))).size === 1;
		if (list.length > 1) {
			if (alike) evidenceCurrent++;
			else evidenceEvent++;
		}
		for (const [kind, gapMs] of gapsOfFeedback(list, alike)) nearest.set(partKey({ feedbackId: id, kind }), { kind, gapMs });
	}

	const after: number[] = [];
	const before: number[] = [];
	const partsByKind = Object.fromEntries(PART_KINDS.map((kind) => [kind, 0])) as Record<PartKind, number>;
	let beyondAfter = 0;
	let beyondBefore = 0;
	for (const { kind, gapMs } of nearest.values()) {
		partsByKind[kind]++;
		if (gapMs >= 0) {
			after.push(Math.round(gapMs / 1000));
			if (gapMs > tolerance.afterMs) beyondAfter++;
		} else {
			before.push(Math.round(-gapMs / 1000));
			if (-gapMs > tolerance.beforeMs) beyondBefore++;
		}
	}
	const snapshotMode: SnapshotMode =
		evidenceCurrent > 0 && evidenceEvent > 0 ? 'mixed' : evidenceCurrent > 0 ? 'current' : evidenceEvent > 0 ? 'event' : 'unknown';
	return {
		eventsRead: events.length,
		partsSeen: nearest.size,
		partsByKind,
		stampedAfterPart: spread(after),
		stampedBeforePart: spread(before),
		beyondTolerance: { after: beyondAfter, before: beyondBefore },
		snapshotMode,
		snapshotEvidence: { current: evidenceCurrent, event: evidenceEvent },
	};
}
