/**
 * One compact row per feedback request for the CSV download. The only part of a report that grows
 * with the data, so the accumulator keeps it only when asked.
 */
import { xDateToIso } from '../../shared/dates';
import { givenAtField, type FeedbackPart } from '../../shared/feedbackLog/parts';
import type { FeedbackType } from '../../shared/types';
import { isTestFeedback } from '../../shared/feedbackRules';

/**
 * A feedback with at least one part counted in the period. `sentAt` is always the request's time (it
 * may precede the period when only the score or comment fell in it); score and comment appear only
 * when they were received in the period.
 */
export interface ReportRow {
	feedbackId: string;
	type: FeedbackType;
	sentAt: string | null;
	score: number | null;
	scoredAt: string | null;
	comment: string | null;
	commentedAt: string | null;
	externalId: string | null;
	test: boolean;
}

export type RowBook = Map<string, ReportRow>;

/** What a part puts in its row besides its time: a score its value, a comment its text. */
export type RowValue = Partial<Pick<ReportRow, 'score' | 'comment'>>;

function rowFor(book: RowBook, part: FeedbackPart, type: FeedbackType): ReportRow {
	let row = book.get(part.feedbackId);
	if (!row) {
		const feedback = part.feedback;
		row = {
			feedbackId: part.feedbackId,
			type,
			sentAt: xDateToIso(feedback.created_at) ?? null,
			score: null,
			scoredAt: null,
			comment: null,
			commentedAt: null,
			externalId: typeof feedback.external_id === 'string' ? feedback.external_id : null,
			test: isTestFeedback(feedback),
		};
		book.set(part.feedbackId, row);
	}
	return row;
}

/** Records a counted part: its time in the field the part-kind table names (sentAt, scoredAt, commentedAt), and its value. */
export function recordRowPart(book: RowBook, part: FeedbackPart, type: FeedbackType, value: RowValue): void {
	const row = rowFor(book, part, type);
	row[givenAtField(part.kind)] = new Date(part.atMs).toISOString();
	Object.assign(row, value);
}

/** Rows by time sent, then id, so a download reads in order whatever order the events came in. */
export function sortedRows(book: RowBook): ReportRow[] {
	return [...book.values()].sort((a, b) => compare(a.sentAt ?? '\uffff', b.sentAt ?? '\uffff') || compare(a.feedbackId, b.feedbackId));
}

function compare(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
