import { createReport, renderDashboard, toCsv, type ReportFigures, type ReportOptions } from '../../nodes/XCustomerFeedback/report';
import { formatAverage, formatNps, formatPct, formatPeriod } from '../../nodes/XCustomerFeedback/report/format';
import { AGENT_USER_ID, CUSTOMER_USER_ID, DAY, eventsOf, HOUR, MINUTE, MON_3_MAR_2025, type FeedbackStory } from './feedbackEvents';
import { sampleDashboardHtml, sampleReport } from './sampleReport';

const FROM = MON_3_MAR_2025;
const TO = FROM + 7 * DAY - 1;

function reportOf(stories: FeedbackStory[], options: Partial<ReportOptions> = {}): ReportFigures {
	const report = createReport({ fromMs: FROM, toMs: TO, groupBy: 'day', keepRows: true, includeTest: false, ...options });
	report.addPage(eventsOf(stories));
	return report.finish();
}

const render = (r: ReportFigures, title = 'Weekly feedback') => renderDashboard(r, { title, generatedAt: new Date(TO + DAY) });

const HOSTILE = [
	'<script>alert(1)</script>',
	'"><img src=x onerror=alert(1)>',
	"'><svg onload=alert(1)>",
	'</blockquote></li></ul><iframe src="https://evil.example"></iframe>',
	'&lt;already escaped&gt; & <b>bold</b>',
];

/** Markup that would run or fetch something, in tags rather than in (escaped) text. */
const ACTIVE_MARKUP = /<script|<img|<iframe|<object|<embed|<link|<meta http-equiv="refresh"|<[^>]*\son[a-z]+\s*=|<[^>]*(?:src|href)\s*=|url\(|@import/i;

describe('renderDashboard', () => {
	test('customers’ comments, external ids, the title and the scope cannot inject markup', () => {
		const stories = HOSTILE.map((comment, i): FeedbackStory => {
			const sentMs = FROM + (i + 1) * HOUR;
			return { id: `h${i}`, type: 'csat', sentMs, score: { value: 1 + i, atMs: sentMs + MINUTE }, comment: { value: comment, atMs: sentMs + 2 * MINUTE }, externalId: `${HOSTILE[(i + 1) % HOSTILE.length]}` };
		});
		const r = reportOf(stories, { externalIdPrefixes: ['<', '"', "'", '&'], externalIds: ['</blockquote><script>x</script>'] });
		expect(r.latestComments).toHaveLength(HOSTILE.length);
		const html = render(r, '<script>alert("title")</script> Report');
		expect(html).not.toMatch(ACTIVE_MARKUP);
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
		expect(html).toContain('&amp;lt;already escaped&amp;gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
		expect(html).toContain('<title>&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; Report</title>');
		expect(html).toContain('ref &lt;/blockquote&gt;&lt;/li&gt;&lt;/ul&gt;&lt;iframe');
		expect(html).toContain('starting with “&lt;”');
	});

	test('the page loads nothing from elsewhere and runs no script', () => {
		const html = sampleDashboardHtml();
		expect(html).not.toMatch(ACTIVE_MARKUP);
		expect(html).not.toMatch(/https?:|\/\/[a-z]/i);
		expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'`);
	});

	test('the charts and headline figures are there', () => {
		const r = sampleReport();
		const html = sampleDashboardHtml(r);
		for (const chart of ['csat-distribution', 'nps-distribution', 'nps-gauge', 'nps-split', 'csat-trend', 'nps-trend']) {
			expect(html).toContain(`data-chart="${chart}"`);
		}
		expect(html.match(/<g class="bar" data-score/g)).toHaveLength(5 + 11);
		expect(html).toContain('class="needle"');
		expect(html).toContain(`<p class="value">${formatAverage(r.csat.averageScore)}<small>/ 5</small></p>`);
		expect(html).toContain(`<p class="value">${formatNps(r.nps.nps)}</p>`);
		expect(html).toContain(`<p class="value">${formatPct(r.overall.responseRatePct)}</p>`);
		expect(html.match(/<tr><td>/g)).toHaveLength(r.groups.length);
	});

	test('the period and the test-feedback note are stated', () => {
		const stories: FeedbackStory[] = [
			{ id: '1', type: 'nps', sentMs: FROM + HOUR, score: { value: 9, atMs: FROM + 2 * HOUR } },
			{ id: '2', type: 'nps', sentMs: FROM + HOUR, test: true },
		];
		const excluded = render(reportOf(stories));
		expect(excluded).toContain('3 Mar 2025 – 9 Mar 2025 (UTC)');
		expect(excluded).toContain('Test feedback excluded (1 test request left out)');
		expect(render(reportOf(stories, { includeTest: true }))).toContain('Test feedback included');
		expect(render(reportOf([]))).toContain('<li>Test feedback excluded</li>');
	});

	test('an empty period reads as dashes, not NaN, and the gauge has no needle', () => {
		const html = render(reportOf([]));
		expect(html).not.toMatch(/NaN|undefined|Infinity|null/);
		expect(html).toContain('<p class="value">—<small>/ 5</small></p>');
		expect(html).not.toContain('class="needle"');
		expect(html).toContain('No comments in this period.');
		expect(html).toContain('No scores in this period');
	});

	test('a thin sample is flagged', () => {
		const html = render(reportOf([{ id: '1', type: 'csat', sentMs: FROM + HOUR, score: { value: 5, atMs: FROM + 2 * HOUR } }]));
		expect(html).toContain('Few scores: read with care.');
	});

	test('no one’s identity reaches the dashboard or the CSV', () => {
		const stories: FeedbackStory[] = [{ id: '1', type: 'csat', sentMs: FROM + HOUR, score: { value: 5, atMs: FROM + 2 * HOUR }, comment: { value: 'thanks', atMs: FROM + 2 * HOUR } }];
		expect(JSON.stringify(eventsOf(stories))).toContain(AGENT_USER_ID);
		const r = reportOf(stories);
		for (const out of [render(r), toCsv(r.rows ?? []), JSON.stringify(r)]) {
			expect(out).not.toContain(AGENT_USER_ID);
			expect(out).not.toContain(CUSTOMER_USER_ID);
			expect(out).not.toContain('dm1');
		}
	});
});

describe('presentation rounding', () => {
	test('NPS rounds halves away from zero and never shows −0', () => {
		expect([formatNps(12.5), formatNps(-12.5), formatNps(-0.4), formatNps(0), formatNps(100 / 3), formatNps(null)]).toEqual(['+13', '−13', '0', '0', '+33', '—']);
	});

	test('averages keep two decimals, percentages none', () => {
		expect([formatAverage(13 / 3), formatAverage(4), formatAverage(null)]).toEqual(['4.33', '4.00', '—']);
		expect([formatPct(100 / 3), formatPct(62.5), formatPct(0), formatPct(null)]).toEqual(['33%', '63%', '0%', '—']);
	});

	test('periods read as whole days when they are', () => {
		expect(formatPeriod(FROM, FROM + DAY - 1)).toBe('3 Mar 2025 (UTC)');
		expect(formatPeriod(FROM, TO)).toBe('3 Mar 2025 – 9 Mar 2025 (UTC)');
		expect(formatPeriod(FROM + 9 * HOUR, FROM + 17 * HOUR)).toBe('3 Mar 2025, 09:00 UTC – 3 Mar 2025, 17:00 UTC');
	});
});
