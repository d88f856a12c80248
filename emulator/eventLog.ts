/**
 * The feedback events, kept sorted by (created_at, sequence) so that a page is a binary search plus
 * a slice: per-request work stays O(log n + page) however many events there are.
 */
import type { FeedbackRecord } from './feedbackStore';

export type ChangeKind = 'created' | 'score' | 'text' | 'viewed' | 'dismissed';

export interface FeedbackEvent {
	/** Unique, increasing in creation order; breaks ties between events of the same second. */
	seq: number;
	/** Epoch ms, whole seconds: X's stamp (created_at), by which events are listed. */
	at: number;
	/** When the change happened, when X stamped the event at another time (the eventLag options). */
	changedAt?: number;
	kind: ChangeKind;
	feedback: FeedbackRecord;
}

/** A place in the listing: everything strictly after (at, seq). */
export interface LogPosition {
	at: number;
	seq: number;
}

export function isAfter(e: LogPosition, pos: LogPosition): boolean {
	return e.at > pos.at || (e.at === pos.at && e.seq > pos.seq);
}

export class EventLog {
	private events: FeedbackEvent[] = [];
	private readonly bySeq = new Map<number, FeedbackEvent>();

	get size(): number {
		return this.events.length;
	}

	get(index: number): FeedbackEvent | undefined {
		return this.events[index];
	}

	bySequence(seq: number): FeedbackEvent | undefined {
		return this.bySeq.get(seq);
	}

	/** Appends in time order; a back-dated event is inserted at its place. */
	insert(event: FeedbackEvent): void {
		this.bySeq.set(event.seq, event);
		const last = this.events[this.events.length - 1];
		if (!last || isAfter(event, last)) this.events.push(event);
		else this.events.splice(this.indexAfter(event), 0, event);
	}

	/** Merges a batch that is already sorted by (at, seq). */
	insertSorted(batch: FeedbackEvent[]): void {
		for (const e of batch) this.bySeq.set(e.seq, e);
		const last = this.events[this.events.length - 1];
		if (!last || batch.length === 0 || isAfter(batch[0], last)) {
			for (const e of batch) this.events.push(e);
			return;
		}
		const merged: FeedbackEvent[] = new Array(this.events.length + batch.length);
		let i = 0;
		let j = 0;
		let k = 0;
		while (i < this.events.length && j < batch.length) {
			merged[k++] = isAfter(this.events[i], batch[j]) ? batch[j++] : this.events[i++];
		}
		while (i < this.events.length) merged[k++] = this.events[i++];
		while (j < batch.length) merged[k++] = batch[j++];
		this.events = merged;
	}

	/** Index of the first event strictly after `pos`. */
	indexAfter(pos: LogPosition): number {
		let lo = 0;
		let hi = this.events.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (isAfter(this.events[mid], pos)) hi = mid;
			else lo = mid + 1;
		}
		return lo;
	}

	all(): readonly FeedbackEvent[] {
		return this.events;
	}

	clear(): void {
		this.events = [];
		this.bySeq.clear();
	}
}
