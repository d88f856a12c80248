/**
 * The report's rows as an RFC 4180 CSV file (CRLF line ends, header first) that a manager can open
 * in a spreadsheet. Customers write the comments, so text that a spreadsheet would run as a formula
 * is defused with a leading apostrophe (OWASP's advice for CSV injection).
 */
import type { ReportRow } from './rows';

export const CSV_HEADER = ['feedback_id', 'type', 'sent_at', 'score', 'scored_at', 'comment', 'commented_at', 'external_id', 'test'] as const;

export interface CsvOptions {
	/** Start with a UTF-8 byte order mark so Excel reads accents and emoji right. Default false. */
	bom?: boolean;
}

/** Text a spreadsheet would read as a formula (or as a formula after a tab or line break). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Prefixes an apostrophe to text from outside that a spreadsheet would read as a formula. */
export function defuseFormula(text: string): string {
	return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvField(value: string): string {
	return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function rowFields(row: ReportRow): string[] {
	return [
		// X's ids are digits; defusing costs nothing and keeps any other id from running.
		defuseFormula(row.feedbackId),
		row.type,
		row.sentAt ?? '',
		row.score === null ? '' : String(row.score),
		row.scoredAt ?? '',
		row.comment === null ? '' : defuseFormula(row.comment),
		row.commentedAt ?? '',
		// External ids come from the business's own tools, which may have copied customer text.
		row.externalId === null ? '' : defuseFormula(row.externalId),
		row.test ? 'true' : 'false',
	];
}

export function toCsv(rows: readonly ReportRow[], options: CsvOptions = {}): string {
	const lines = [CSV_HEADER.join(','), ...rows.map((row) => rowFields(row).map(csvField).join(','))];
	return `${options.bom ? '\ufeff' : ''}${lines.join('\r\n')}\r\n`;
}
