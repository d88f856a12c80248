import { CSV_HEADER, toCsv, type ReportRow } from '../../nodes/XCustomerFeedback/report';
import { parseCsv } from './parseCsv';

const row = (over: Partial<ReportRow> = {}): ReportRow => ({
	feedbackId: '1001',
	type: 'csat',
	sentAt: '2025-03-03T09:00:00.000Z',
	score: 4,
	scoredAt: '2025-03-03T09:05:00.000Z',
	comment: 'Quick and kind',
	commentedAt: '2025-03-03T09:06:00.000Z',
	externalId: 'CASE-1',
	test: false,
	...over,
});

describe('toCsv', () => {
	test('a header and one CRLF-ended line per row', () => {
		const csv = toCsv([row(), row({ feedbackId: '1002', type: 'nps', score: null, scoredAt: null, comment: null, commentedAt: null, externalId: null, test: true })]);
		expect(csv).toBe(
			'feedback_id,type,sent_at,score,scored_at,comment,commented_at,external_id,test\r\n' +
				'1001,csat,2025-03-03T09:00:00.000Z,4,2025-03-03T09:05:00.000Z,Quick and kind,2025-03-03T09:06:00.000Z,CASE-1,false\r\n' +
				'1002,nps,2025-03-03T09:00:00.000Z,,,,,,true\r\n',
		);
	});

	test('no rows still gives the header', () => {
		expect(toCsv([])).toBe(`${CSV_HEADER.join(',')}\r\n`);
	});

	test('commas, quotes and line breaks are quoted', () => {
		const csv = toCsv([row({ comment: 'Good, but "slow"\nand\r\nlate' })]);
		expect(csv).toContain(',"Good, but ""slow""\nand\r\nlate",');
		expect(parseCsv(csv)[1][5]).toBe('Good, but "slow"\nand\r\nlate');
	});

	test.each(['=HYPERLINK("http://evil")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])('a comment a spreadsheet would run (%j) gets a leading apostrophe', (comment) => {
		const parsed = parseCsv(toCsv([row({ comment, externalId: comment })]));
		expect(parsed[1][5]).toBe(`'${comment}`);
		expect(parsed[1][7]).toBe(`'${comment}`);
	});

	test('harmless text is left alone', () => {
		const parsed = parseCsv(toCsv([row({ comment: 'Rated 5 = great! -- thanks @support' })]));
		expect(parsed[1][5]).toBe('Rated 5 = great! -- thanks @support');
	});

	test('a byte order mark on request, for Excel', () => {
		expect(toCsv([], { bom: true }).startsWith('\ufefffeedback_id,')).toBe(true);
	});
});
