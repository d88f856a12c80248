/**
 * Properties of the report over random listings. fast-check prints the seed and path of any failure;
 * rerun one with `fc.assert(..., { seed, path })`.
 */
import fc from 'fast-check';
import { createReport, renderDashboard, toCsv, type ReportFigures, type ReportRow } from '../../nodes/XCustomerFeedback/report';
import { escapeHtml } from '../../nodes/XCustomerFeedback/report/escapeHtml';
import type { FeedbackType } from '../../nodes/shared/types';
import { DAY, eventsOf, MON_3_MAR_2025, pagesOf, type FeedbackStory, type SnapshotMode } from './feedbackEvents';
import { parseCsv } from './parseCsv';

const FROM = MON_3_MAR_2025;
const TO = FROM + 3 * DAY - 1000;
const SEC = 1000;

const commentText = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\r', '\n', '=', '+', '-', '@', '\t', '<', '>', '&', "'", 'é', '😀'), maxLength: 20 });

const storyArb = fc.record({
	type: fc.constantFrom<FeedbackType>('csat', 'nps'),
	sentSec: fc.integer({ min: (FROM - DAY) / SEC, max: (TO + DAY) / SEC }),
	score: fc.option(fc.record({ value: fc.integer({ min: 0, max: 10 }), delaySec: fc.integer({ min: 0, max: DAY / SEC }) }), { nil: undefined }),
	comment: fc.option(fc.record({ value: commentText, delaySec: fc.integer({ min: 0, max: DAY / SEC }) }), { nil: undefined }),
	test: fc.boolean(),
	externalId: fc.option(fc.constantFrom('CASE-1', 'CASE-22', 'ORDER-3', 'x'), { nil: undefined }),
	otherUpdatesSec: fc.array(fc.integer({ min: 0, max: DAY / SEC }), { maxLength: 3 }),
});

const storiesArb = fc.array(storyArb, { maxLength: 40 }).map((drafts) =>
	drafts.map((d, i): FeedbackStory => {
		const sentMs = d.sentSec * SEC;
		return {
			id: String(1000 + i),
			type: d.type,
			sentMs,
			...(d.score ? { score: { value: d.type === 'csat' ? 1 + (d.score.value % 5) : d.score.value, atMs: sentMs + d.score.delaySec * SEC } } : {}),
			...(d.comment ? { comment: { value: d.comment.value, atMs: sentMs + d.comment.delaySec * SEC } } : {}),
			test: d.test,
			...(d.externalId ? { externalId: d.externalId } : {}),
			otherUpdatesMs: d.otherUpdatesSec.map((s) => sentMs + s * SEC),
		};
	}),
);

const optionsArb = fc.record({
	includeTest: fc.boolean(),
	externalIdPrefixes: fc.subarray(['CASE-', 'ORD']),
	externalIds: fc.subarray(['x', 'CASE-22']),
	groupBy: fc.constantFrom<'day' | 'week' | undefined>('day', 'week', undefined),
	mode: fc.constantFrom<SnapshotMode>('asOfEvent', 'current'),
	pageSize: fc.integer({ min: 1, max: 25 }),
});

type Options = typeof optionsArb extends fc.Arbitrary<infer T> ? T : never;

function reportOf(stories: FeedbackStory[], o: Options): ReportFigures {
	const report = createReport({ fromMs: FROM, toMs: TO, keepRows: true, ...o });
	for (const page of pagesOf(eventsOf(stories, o.mode), o.pageSize)) report.addPage(page);
	return report.finish();
}

/** The figures straight from the stories, without events, announcer or streaming. */
function oracle(stories: FeedbackStory[], o: Options) {
	const inPeriod = (ms?: number) => ms !== undefined && ms >= FROM && ms <= TO;
	const scoped = stories.filter((s) => {
		if (s.test && !o.includeTest) return false;
		if (o.externalIdPrefixes.length + o.externalIds.length === 0) return true;
		const id = s.externalId;
		return id !== undefined && (o.externalIds.includes(id) || o.externalIdPrefixes.some((p) => id.startsWith(p)));
	});
	const of = (type: FeedbackType) => {
		const ss = scoped.filter((s) => s.type === type);
		const scores = ss.filter((s) => inPeriod(s.score?.atMs)).map((s) => s.score!.value);
		return {
			requestsSent: ss.filter((s) => inPeriod(s.sentMs)).length,
			scores: scores.sort((a, b) => a - b),
			commentsReceived: ss.filter((s) => inPeriod(s.comment?.atMs)).length,
			requestsScored: ss.filter((s) => inPeriod(s.sentMs) && inPeriod(s.score?.atMs)).length,
		};
	};
	const rows = scoped.filter((s) => inPeriod(s.sentMs) || inPeriod(s.score?.atMs) || inPeriod(s.comment?.atMs)).length;
	return { csat: of('csat'), nps: of('nps'), rows };
}

const expandScores = (d: Array<{ score: number; count: number }>) => d.flatMap((x) => Array<number>(x.count).fill(x.score));

describe('report properties', () => {
	test('counts match a direct count of the stories, whatever the paging and snapshot mode', () => {
		fc.assert(
			fc.property(storiesArb, optionsArb, (stories, o) => {
				const r = reportOf(stories, o);
				const want = oracle(stories, o);
				for (const type of ['csat', 'nps'] as const) {
					expect(r[type].requestsSent).toBe(want[type].requestsSent);
					expect(expandScores(r[type].distribution)).toEqual(want[type].scores);
					expect(r[type].commentsReceived).toBe(want[type].commentsReceived);
					expect(r[type].requestsScored).toBe(want[type].requestsScored);
				}
				expect(r.rows).toHaveLength(want.rows);
			}),
		);
	});

	test('the same listing gives the same report in both snapshot modes and any page size', () => {
		fc.assert(
			fc.property(storiesArb, optionsArb, fc.integer({ min: 1, max: 25 }), (stories, o, otherPageSize) => {
				const a = reportOf(stories, o);
				const b = reportOf(stories, { ...o, mode: o.mode === 'current' ? 'asOfEvent' : 'current', pageSize: otherPageSize });
				expect(b).toEqual(a);
			}),
		);
	});

	test('figures stay in their ranges and add up', () => {
		fc.assert(
			fc.property(storiesArb, optionsArb, (stories, o) => {
				const r = reportOf(stories, o);
				for (const f of [r, ...r.groups]) {
					const { csat, nps, overall } = f;
					// NPS is −100..100 and its three shares make 100.
					if (nps.scoresReceived === 0) {
						expect([nps.nps, nps.promotersPct, nps.passivesPct, nps.detractorsPct]).toEqual([null, null, null, null]);
					} else {
						expect(nps.nps).toBeGreaterThanOrEqual(-100);
						expect(nps.nps).toBeLessThanOrEqual(100);
						expect(nps.promotersPct! + nps.passivesPct! + nps.detractorsPct!).toBeCloseTo(100, 9);
						expect(nps.nps).toBeCloseTo(nps.promotersPct! - nps.detractorsPct!, 9);
					}
					expect(nps.promoters + nps.passives + nps.detractors).toBe(nps.scoresReceived);
					// Distributions add up to the responses.
					expect(csat.distribution.reduce((s, d) => s + d.count, 0)).toBe(csat.scoresReceived);
					expect(nps.distribution.reduce((s, d) => s + d.count, 0)).toBe(nps.scoresReceived);
					expect(csat.satisfied).toBeLessThanOrEqual(csat.scoresReceived);
					if (csat.scoresReceived === 0) expect([csat.averageScore, csat.satisfiedPct]).toEqual([null, null]);
					else {
						expect(csat.averageScore).toBeGreaterThanOrEqual(1);
						expect(csat.averageScore).toBeLessThanOrEqual(5);
						expect(csat.satisfiedPct).toBeGreaterThanOrEqual(0);
						expect(csat.satisfiedPct).toBeLessThanOrEqual(100);
					}
					// Rates are shares; overall is the sum of the types.
					for (const a of [csat, nps, overall]) {
						expect(a.requestsScored).toBeLessThanOrEqual(a.requestsSent);
						if (a.requestsSent === 0) expect(a.responseRatePct).toBeNull();
						else expect(a.responseRatePct).toBeCloseTo((a.requestsScored * 100) / a.requestsSent, 9);
						if (a.responseRatePct !== null) expect(a.responseRatePct).toBeLessThanOrEqual(100);
					}
					for (const key of ['requestsSent', 'scoresReceived', 'commentsReceived', 'requestsScored'] as const) {
						expect(overall[key]).toBe(csat[key] + nps[key]);
					}
				}
				// Each request scored in the period brought one of the period's scores.
				expect(r.overall.requestsScored).toBeLessThanOrEqual(r.overall.scoresReceived);
				// Groups split the period's counts without losing or doubling any.
				if (r.groupBy) {
					for (const key of ['requestsSent', 'scoresReceived', 'commentsReceived', 'requestsScored'] as const) {
						expect(r.groups.reduce((s, g) => s + g.overall[key], 0)).toBe(r.overall[key]);
					}
					expect(r.groups.map((g) => g.key)).toEqual([...r.groups.map((g) => g.key)].sort());
				}
				expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
			}),
		);
	});

	test('the CSV reads back to the rows (with formulas defused)', () => {
		const text = fc.string({ unit: fc.oneof(fc.constantFrom(',', '"', '\r', '\n', '=', '+', '-', '@', '\t', ' '), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 30 });
		const iso = fc.integer({ min: 0, max: 4e12 }).map((ms) => new Date(ms).toISOString());
		const rowArb: fc.Arbitrary<ReportRow> = fc.record({
			feedbackId: fc.oneof(fc.stringMatching(/^[0-9]{1,19}$/), text),
			type: fc.constantFrom<FeedbackType>('csat', 'nps'),
			sentAt: fc.option(iso, { nil: null }),
			score: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
			scoredAt: fc.option(iso, { nil: null }),
			comment: fc.option(text, { nil: null }),
			commentedAt: fc.option(iso, { nil: null }),
			externalId: fc.option(text, { nil: null }),
			test: fc.boolean(),
		});
		const defused = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
		fc.assert(
			fc.property(fc.array(rowArb, { maxLength: 20 }), (rows) => {
				const parsed = parseCsv(toCsv(rows));
				expect(parsed[0]).toEqual(['feedback_id', 'type', 'sent_at', 'score', 'scored_at', 'comment', 'commented_at', 'external_id', 'test']);
				expect(parsed.slice(1)).toEqual(
					rows.map((r) => [
						defused(r.feedbackId),
						r.type,
						r.sentAt ?? '',
						r.score === null ? '' : String(r.score),
						r.scoredAt ?? '',
						r.comment === null ? '' : defused(r.comment),
						r.commentedAt ?? '',
						r.externalId === null ? '' : defused(r.externalId),
						String(r.test),
					]),
				);
			}),
		);
	});

	test('the dashboard escapes whatever customers write and never shows NaN', () => {
		fc.assert(
			fc.property(storiesArb, optionsArb, fc.string({ maxLength: 40 }), (stories, o, title) => {
				const r = reportOf(stories, o);
				const html = renderDashboard(r, { title, generatedAt: TO + DAY });
				expect(html).not.toMatch(/NaN|undefined|Infinity|\[object/);
				expect(html).not.toMatch(/<script|<img|<iframe|<link|<object|<embed|<[^>]*\son[a-z]+=|<[^>]*javascript:/i);
				expect(html).toContain(`<title>${escapeHtml(title)}</title>`);
				for (const c of r.latestComments) expect(html).toContain(`<blockquote>${escapeHtml(c.comment)}</blockquote>`);
			}),
		);
	});
});
