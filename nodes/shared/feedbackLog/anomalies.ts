/**
 * Events and parts X sent that cannot be used as they stand. Nothing is dropped without a count:
 * each is recorded by reason with the feedback id (when there is one), so Get Many and Get Report
 * can put the counts in their output and the trigger can log them.
 */
export const ANOMALY_REASONS = {
	unreadableEventDate: "the event's created_at cannot be read as a date",
	eventOutsideRange: "the event's created_at lies outside the range asked for",
	noFeedback: 'the event carries no feedback object or no feedback id',
	unreadablePartDate: 'a request, score or comment in the snapshot has a created_at that cannot be read',
	commentNotText: "the comment's value is not text",
	partInFuture: 'a request, score or comment in the snapshot is dated more than a day after this machine\'s clock',
	partBeyondTolerance:
		'X stamped the event that brings this part later after the part than the event time tolerance allows; it was not emitted or counted now (it was, once, if an earlier event carried it)',
	lateEvent: 'X stamped the event that brings this part later after the part than the event time tolerance allows; no earlier event carried it, so it was taken from this one (once)',
	beyondPageSize: 'X sent more events on one page than the count asked for; the events beyond it were set aside',
} as const;


export type AnomalyReason = keyof typeof ANOMALY_REASONS;

/** Reasons that say something about X's data but set nothing aside: the part was used. */
export const USED_ANYWAY: ReadonlySet<AnomalyReason> = new Set(['lateEvent']);

export interface Anomaly {
	reason: AnomalyReason;
	feedbackId: string | null;
	/** The value that could not be used, shortened (X's data is untrusted and may be huge). */
	detail: string;
}

export interface AnomalySummary {
	total: number;
	byReason: Partial<Record<AnomalyReason, number>>;
	/** The first few, for a person to look up. */
	examples: Anomaly[];
}

const MAX_EXAMPLES = 20;

export class AnomalyLog {
	total = 0;
	readonly byReason: Partial<Record<AnomalyReason, number>> = {};
	readonly examples: Anomaly[] = [];
	/** Called for each anomaly as it is found (the trigger logs the first few of a poll). */
	onAnomaly?: (anomaly: Anomaly) => void;

	add(reason: AnomalyReason, feedbackId: unknown, value: unknown): void {
		const anomaly: Anomaly = { reason, feedbackId: idText(feedbackId), detail: shorten(value, reason === 'beyondPageSize' ? 200 : 80) };
		this.total++;
		this.byReason[reason] = (this.byReason[reason] ?? 0) + 1;
		if (this.examples.length < MAX_EXAMPLES) this.examples.push(anomaly);
		this.onAnomaly?.(anomaly);
	}

	/** `count` anomalies of one kind found at once (e.g. the events beyond a page's size), as one example. */
	addMany(reason: AnomalyReason, count: number, detail: unknown): void {
		if (count <= 0) return;
		// Reported as one (the trigger logs the first few of a poll by the running total), then counted in full.
		this.add(reason, null, detail);
		this.total += count - 1;
		this.byReason[reason] = (this.byReason[reason] ?? 0) + count - 1;
	}

	summary(): AnomalySummary {
		return { total: this.total, byReason: { ...this.byReason }, examples: this.examples.map((a) => ({ ...a })) };
	}
}

function idText(id: unknown): string | null {
	if (typeof id === 'string' && id !== '') return id.slice(0, 64);
	if (typeof id === 'number' && Number.isFinite(id)) return String(id);
	return null;
}

function shorten(value: unknown, max = 80): string {
	let text: string;
	try {
		text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
	} catch {
		text = String(value);
	}
	return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** One line a person can read: what was wrong, with which feedback. */
export function describeAnomaly(anomaly: Anomaly): string {
	// Its detail is the whole sentence, with the counts.
	if (anomaly.reason === 'beyondPageSize') return `${anomaly.detail} (${anomaly.reason})`;
	const which = anomaly.feedbackId ? `feedback ${anomaly.feedbackId}` : 'an event without a feedback id';
	if (USED_ANYWAY.has(anomaly.reason)) return `X sent ${which} late (${anomaly.reason}): ${ANOMALY_REASONS[anomaly.reason]} (${anomaly.detail})`;
	return `X sent ${which} that was set aside (${anomaly.reason}): ${ANOMALY_REASONS[anomaly.reason]} (${anomaly.detail})`;
}
