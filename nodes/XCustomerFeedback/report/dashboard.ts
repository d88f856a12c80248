/**
 * The report as one self-contained HTML page for supervisors, opened from an email or Slack link on
 * a phone or a desk. It loads nothing (inline CSS and SVG, no scripts; a CSP forbids the rest) and
 * every string from outside, customers' comments above all, is escaped where it is written.
 */
import type { GroupFigures, ReportFigures } from './accumulator';
import { DASHBOARD_CSS } from './dashboardStyle';
import { escapeHtml } from './escapeHtml';
import { formatAverage, formatCount, formatDateTime, formatNps, formatPct, formatPeriod, formatShortDay, formatSigned } from './format';
import type { CommentSample } from './latestComments';
import { csatColour, DETRACTOR, npsColour, PASSIVE, PROMOTER } from './palette';
import { distributionBars } from './svg/distributionBars';
import { npsGauge } from './svg/npsGauge';
import { trendLine, type TrendPoint } from './svg/trendLine';

export interface DashboardOptions {
	title: string;
	/** When the report was made; shown as UTC. */
	generatedAt: Date | number | string;
}

/** Fewer scores than this make a percentage swing with every answer; the page says so. */
const FEW_SCORES = 30;
const COMMENT_CHARS = 600;
const OPEN_TABLE_GROUPS = 14;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

function fewScoresNote(n: number): string {
	return n > 0 && n < FEW_SCORES ? `<p class="sub caution">Few scores: read with care.</p>` : '';
}

function csatTile(r: ReportFigures): string {
	const c = r.csat;
	return `<section class="tile" data-figure="csat">
<h2>CSAT</h2>
<p class="value">${escapeHtml(formatAverage(c.averageScore))}<small>/ 5</small></p>
<p class="sub"><strong>${escapeHtml(formatPct(c.satisfiedPct))}</strong> satisfied <span class="nw">(scores 4–5)</span></p>
<p class="sub">${escapeHtml(plural(c.scoresReceived, 'score', 'scores'))}</p>
${fewScoresNote(c.scoresReceived)}</section>`;
}

function npsTile(r: ReportFigures): string {
	const n = r.nps;
	return `<section class="tile" data-figure="nps">
<h2>NPS</h2>
<p class="value">${escapeHtml(formatNps(n.nps))}</p>
<p class="sub">${escapeHtml(formatPct(n.promotersPct))} promoters · ${escapeHtml(formatPct(n.passivesPct))} passives · ${escapeHtml(formatPct(n.detractorsPct))} detractors</p>
<p class="sub">${escapeHtml(plural(n.scoresReceived, 'score', 'scores'))}</p>
${fewScoresNote(n.scoresReceived)}</section>`;
}

function responseTile(r: ReportFigures): string {
	const o = r.overall;
	const byType = (['csat', 'nps'] as const)
		.filter((t) => r[t].requestsSent > 0)
		.map((t) => `${t.toUpperCase()} ${formatPct(r[t].responseRatePct)}`)
		.join(' · ');
	return `<section class="tile" data-figure="response-rate">
<h2>Response rate</h2>
<p class="value">${escapeHtml(formatPct(o.responseRatePct))}</p>
<p class="sub">${escapeHtml(formatCount(o.requestsScored))} of ${escapeHtml(plural(o.requestsSent, 'request', 'requests'))} scored</p>
${byType ? `<p class="sub">${escapeHtml(byType)}</p>` : ''}</section>`;
}

function volumeTile(r: ReportFigures): string {
	const o = r.overall;
	return `<section class="tile" data-figure="volume">
<h2>Requests sent</h2>
<p class="value">${escapeHtml(formatCount(o.requestsSent))}</p>
<p class="sub">${escapeHtml(plural(o.scoresReceived, 'score', 'scores'))} · ${escapeHtml(plural(o.commentsReceived, 'comment', 'comments'))} received</p>
<p class="sub">CSAT ${escapeHtml(formatCount(r.csat.requestsSent))} · NPS ${escapeHtml(formatCount(r.nps.requestsSent))} sent</p>
</section>`;
}

/** Promoters, passives and detractors as one stacked bar. */
function npsSplit(r: ReportFigures): string {
	const n = r.nps;
	if (n.scoresReceived === 0) return '';
	let x = 0;
	const rects = [
		[n.detractors, DETRACTOR],
		[n.passives, PASSIVE],
		[n.promoters, PROMOTER],
	]
		.map(([count, colour]) => {
			const w = ((count as number) * 100) / n.scoresReceived;
			const rect = `<rect x="${x.toFixed(3)}" y="0" width="${w.toFixed(3)}" height="6" fill="${colour}"/>`;
			x += w;
			return rect;
		})
		.join('');
	return `<div class="split"><svg data-chart="nps-split" viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label="Detractors, passives and promoters">${rects}</svg></div>`;
}

function npsLegend(r: ReportFigures): string {
	const n = r.nps;
	const item = (cls: string, name: string, range: string, count: number, pctValue: number | null) =>
		`<li><span class="swatch ${cls}"></span>${name} ${range}: ${escapeHtml(formatCount(count))} (${escapeHtml(formatPct(pctValue))})</li>`;
	return `<ul class="legend">${item('sw-detractor', 'Detractors', '0–6', n.detractors, n.detractorsPct)}${item('sw-passive', 'Passives', '7–8', n.passives, n.passivesPct)}${item('sw-promoter', 'Promoters', '9–10', n.promoters, n.promotersPct)}</ul>`;
}

function distributionCards(r: ReportFigures): string {
	const csat = distributionBars(r.csat.distribution, {
		name: 'csat-distribution',
		label: `CSAT scores 1 to 5: ${r.csat.distribution.map((d) => `${d.score}: ${d.count}`).join(', ')}`,
		colourOf: csatColour,
	});
	const nps = distributionBars(r.nps.distribution, {
		name: 'nps-distribution',
		label: `NPS scores 0 to 10: ${r.nps.distribution.map((d) => `${d.score}: ${d.count}`).join(', ')}`,
		colourOf: npsColour,
	});
	return `<div class="cards">
<section class="card"><h2>NPS</h2><div class="gauge">${npsGauge(r.nps.nps)}</div>${npsSplit(r)}${npsLegend(r)}</section>
<section class="card"><h2>NPS scores 0–10</h2>${nps}<p class="sub">0–6 detractors · 7–8 passives · 9–10 promoters</p></section>
<section class="card"><h2>CSAT scores 1–5</h2>${csat}<p class="sub">${escapeHtml(formatCount(r.csat.satisfied))} satisfied (4–5) of ${escapeHtml(plural(r.csat.scoresReceived, 'score', 'scores'))}</p></section>
</div>`;
}

function groupAxisLabel(g: GroupFigures, groupBy: 'day' | 'week'): string {
	return groupBy === 'day' ? formatShortDay(g.startMs) : g.label.slice(5);
}

function groupLongLabel(g: GroupFigures, groupBy: 'day' | 'week'): string {
	return groupBy === 'day' ? g.key : `${g.label} (from ${formatShortDay(g.startMs)})`;
}

function trendCard(r: ReportFigures): string {
	if (!r.groupBy || r.groups.length === 0) return '';
	const groupBy = r.groupBy;
	const points = (value: (g: GroupFigures) => number | null, tip: (g: GroupFigures) => string): TrendPoint[] =>
		r.groups.map((g) => ({ label: groupAxisLabel(g, groupBy), value: value(g), tip: `${groupLongLabel(g, groupBy)}: ${tip(g)}` }));
	const charts = [
		{
			title: 'CSAT average',
			svg: trendLine(
				points(
					(g) => g.csat.averageScore,
					(g) => `${formatAverage(g.csat.averageScore)} (${plural(g.csat.scoresReceived, 'score', 'scores')})`,
				),
				{ name: 'csat-trend', label: `CSAT average by ${groupBy}`, min: 1, max: 5, ticks: [1, 2, 3, 4, 5], formatTick: String, colour: '#1d9bf0' },
			),
		},
		{
			title: 'NPS',
			svg: trendLine(
				points(
					(g) => g.nps.nps,
					(g) => `${formatNps(g.nps.nps)} (${plural(g.nps.scoresReceived, 'score', 'scores')})`,
				),
				{ name: 'nps-trend', label: `NPS by ${groupBy}`, min: -100, max: 100, ticks: [-100, -50, 0, 50, 100], formatTick: formatSigned, colour: '#7856ff', baseline: 0 },
			),
		},
	];
	return `<section class="card wide" data-section="trend"><h2>Trend by ${groupBy}</h2>
<div class="trend-grid">${charts.map((c) => `<div class="trend"><h3>${c.title}</h3><div class="scroll">${c.svg}</div></div>`).join('')}</div>
${groupTable(r, groupBy)}
</section>`;
}

function groupTable(r: ReportFigures, groupBy: 'day' | 'week'): string {
	const rows = r.groups
		.map(
			(g) => `<tr><td>${escapeHtml(groupLongLabel(g, groupBy))}</td><td>${formatCount(g.overall.requestsSent)}</td><td>${formatCount(g.overall.scoresReceived)}</td><td>${escapeHtml(formatPct(g.overall.responseRatePct))}</td><td>${escapeHtml(formatAverage(g.csat.averageScore))}</td><td>${escapeHtml(formatPct(g.csat.satisfiedPct))}</td><td>${escapeHtml(formatNps(g.nps.nps))}</td><td>${formatCount(g.overall.commentsReceived)}</td></tr>`,
		)
		.join('');
	// A long table would bury the comments below it, so past two weeks it starts folded.
	const open = r.groups.length <= OPEN_TABLE_GROUPS ? ' open' : '';
	return `<details class="groups"${open}><summary>Figures by ${groupBy} (${r.groups.length})</summary><div class="scroll"><table data-table="groups"><thead><tr><th>${groupBy === 'day' ? 'Day' : 'Week'}</th><th>Sent</th><th>Scores</th><th>Response rate</th><th>CSAT avg</th><th>Satisfied</th><th>NPS</th><th>Comments</th></tr></thead><tbody>${rows}</tbody></table></div></details>`;
}

function truncate(text: string, max: number): string {
	const chars = Array.from(text);
	return chars.length > max ? `${chars.slice(0, max).join('')}…` : text;
}

function commentItem(c: CommentSample): string {
	const chip =
		c.score === null
			? ''
			: `<span class="chip" style="background:${c.type === 'csat' ? csatColour(c.score) : npsColour(c.score)}">${c.score}</span>`;
	const by = [`${c.type.toUpperCase()}${c.score === null ? ', no score' : ''}`, formatDateTime(Date.parse(c.commentedAt))];
	if (c.externalId !== null) by.push(`ref ${c.externalId}`);
	return `<li><blockquote>${escapeHtml(truncate(c.comment, COMMENT_CHARS))}</blockquote><p class="by">${chip}${escapeHtml(by.join(' · '))}</p></li>`;
}

function commentsCard(r: ReportFigures): string {
	const body =
		r.latestComments.length === 0
			? `<p class="empty">No comments in this period.</p>`
			: `<ul class="comments">${r.latestComments.map(commentItem).join('')}</ul>`;
	return `<section class="card wide" data-section="comments"><h2>Latest comments</h2>${body}</section>`;
}

function notes(r: ReportFigures): string[] {
	const list: string[] = [];
	const testCount = r.excluded.testRequests;
	list.push(
		r.scope.includeTest
			? 'Test feedback included'
			: `Test feedback excluded${testCount > 0 ? ` (${plural(testCount, 'test request', 'test requests')} left out)` : ''}`,
	);
	const scopes = [...r.scope.externalIdPrefixes.map((p) => `starting with “${p}”`), ...r.scope.externalIds.map((id) => `“${id}”`)];
	if (scopes.length > 0) list.push(`Only external ids ${scopes.join(', ')}`);
	if (r.ignoredParts > 0) list.push(`${plural(r.ignoredParts, 'unreadable answer', 'unreadable answers')} not counted`);
	return list;
}

function toMs(value: Date | number | string): number {
	const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
	return Number.isFinite(ms) ? ms : NaN;
}

export function renderDashboard(report: ReportFigures, options: DashboardOptions): string {
	const generatedMs = toMs(options.generatedAt);
	const generated = Number.isNaN(generatedMs) ? '' : `Generated ${formatDateTime(generatedMs)}`;
	const summary = `CSAT ${formatAverage(report.csat.averageScore)}/5 · NPS ${formatNps(report.nps.nps)} · response rate ${formatPct(report.overall.responseRatePct)} · ${formatPeriod(report.period.fromMs, report.period.toMs)}`;
	return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<meta name="description" content="${escapeHtml(summary)}">
<title>${escapeHtml(options.title)}</title>
<style>${DASHBOARD_CSS}</style>
</head>
<body>
<main class="wrap">
<header>
<p class="eyebrow">Customer feedback report</p>
<h1>${escapeHtml(options.title)}</h1>
<p class="meta">${escapeHtml(formatPeriod(report.period.fromMs, report.period.toMs))}${generated ? ` · ${escapeHtml(generated)}` : ''}</p>
<ul class="notes">${notes(report)
		.map((n) => `<li>${escapeHtml(n)}</li>`)
		.join('')}</ul>
</header>
<div class="tiles">${csatTile(report)}${npsTile(report)}${responseTile(report)}${volumeTile(report)}</div>
${distributionCards(report)}
<div class="cards">${trendCard(report)}${commentsCard(report)}</div>
<footer>
<p>CSAT: average of scores 1–5; satisfied = scores 4–5 ÷ all CSAT scores. NPS = % promoters (9–10) − % detractors (0–6), from −100 to 100.</p>
<p>Scores and comments count when they were received in the period. Response rate = requests sent in the period that were scored in it ÷ requests sent in it, so requests sent near the end may still be answered later. Times are UTC.</p>
</footer>
</main>
</body>
</html>
`;
}
