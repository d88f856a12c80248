import { createReport, type ReportFigures, type ReportOptions } from '../../nodes/XCustomerFeedback/report';
import { isoWeekLabel } from '../../nodes/XCustomerFeedback/report/periodGroups';
import { DAY, eventsOf, HOUR, MINUTE, MON_3_MAR_2025, pagesOf, type FeedbackStory, type SnapshotMode } from './feedbackEvents';

const FROM = MON_3_MAR_2025;
const TO = FROM + 7 * DAY - 1;

function run(stories: FeedbackStory[], options: Partial<ReportOptions> = {}, mode: SnapshotMode = 'asOfEvent', pageSize = 3): ReportFigures {
	const report = createReport({ fromMs: FROM, toMs: TO, keepRows: true, includeTest: false, ...options });
	for (const page of pagesOf(eventsOf(stories, mode), pageSize)) report.addPage(page);
	return report.finish();
}

let nextId = 1;
/** A story sent `sentH` hours into the period, scored and commented some minutes later. */
function story(type: 'csat' | 'nps', sentH: number, score?: number, more: Partial<FeedbackStory> = {}): FeedbackStory {
	const sentMs = FROM + sentH * HOUR;
	return {
		id: String(nextId++),
		type,
		sentMs,
		...(score === undefined ? {} : { score: { value: score, atMs: sentMs + 5 * MINUTE } }),
		...more,
	};
}

const counts = (r: { distribution: Array<{ count: number }> }) => r.distribution.map((d) => d.count);

describe('createReport: hand-computed figures', () => {
	test('an empty period has zero counts and null figures, never NaN', () => {
		const r = run([], { groupBy: 'day' });
		expect(r.overall).toEqual({ requestsSent: 0, scoresReceived: 0, commentsReceived: 0, requestsScored: 0, responseRatePct: null });
		expect(r.csat).toMatchObject({ averageScore: null, satisfied: 0, satisfiedPct: null, responseRatePct: null });
		expect(counts(r.csat)).toEqual([0, 0, 0, 0, 0]);
		expect(r.csat.distribution.map((d) => d.score)).toEqual([1, 2, 3, 4, 5]);
		expect(r.nps).toMatchObject({ nps: null, promotersPct: null, passivesPct: null, detractorsPct: null, promoters: 0, passives: 0, detractors: 0 });
		expect(r.nps.distribution.map((d) => d.score)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
		expect(r.groups).toHaveLength(7);
		expect(r.groups.every((g) => g.overall.requestsSent === 0 && g.csat.averageScore === null)).toBe(true);
		expect(r.rows).toEqual([]);
		expect(r.latestComments).toEqual([]);
		expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
	});

	test('only CSAT: 5 sent, scores 5, 4, 4, 2', () => {
		const r = run([story('csat', 1, 5), story('csat', 2, 4), story('csat', 3, 4), story('csat', 4, 2), story('csat', 5)]);
		expect(r.csat).toMatchObject({ requestsSent: 5, scoresReceived: 4, requestsScored: 4, responseRatePct: 80, averageScore: 3.75, satisfied: 3, satisfiedPct: 75 });
		expect(counts(r.csat)).toEqual([0, 1, 0, 2, 1]);
		expect(r.nps).toMatchObject({ requestsSent: 0, scoresReceived: 0, responseRatePct: null, nps: null });
		expect(r.overall).toEqual({ requestsSent: 5, scoresReceived: 4, commentsReceived: 0, requestsScored: 4, responseRatePct: 80 });
	});

	test('only NPS: 10, 10, 9, 3 gives 75% promoters, 25% detractors, NPS 50', () => {
		const r = run([story('nps', 1, 10), story('nps', 2, 10), story('nps', 3, 9), story('nps', 4, 3)]);
		expect(r.nps).toMatchObject({ scoresReceived: 4, promoters: 3, passives: 0, detractors: 1, promotersPct: 75, passivesPct: 0, detractorsPct: 25, nps: 50, responseRatePct: 100 });
		expect(counts(r.nps)).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 2]);
		expect(r.csat).toMatchObject({ scoresReceived: 0, averageScore: null, satisfiedPct: null });
	});

	test('all detractors give NPS −100', () => {
		const r = run([story('nps', 1, 0), story('nps', 2, 6), story('nps', 3, 5)]);
		expect(r.nps).toMatchObject({ detractors: 3, detractorsPct: 100, promotersPct: 0, passivesPct: 0, nps: -100 });
	});

	test('boundaries: NPS 6 detracts, 7 and 8 are passive, 9 promotes; CSAT 3 is not satisfied, 4 is', () => {
		const r = run([story('nps', 1, 6), story('nps', 2, 7), story('nps', 3, 8), story('nps', 4, 9), story('csat', 5, 3), story('csat', 6, 4)]);
		expect(r.nps).toMatchObject({ detractors: 1, passives: 2, promoters: 1, detractorsPct: 25, passivesPct: 50, promotersPct: 25, nps: 0 });
		expect(r.csat).toMatchObject({ satisfied: 1, satisfiedPct: 50, averageScore: 3.5 });
	});

	test('thirds are kept unrounded', () => {
		const r = run([story('nps', 1, 10), story('nps', 2, 8), story('nps', 3, 1)]);
		expect(r.nps.promotersPct).toBeCloseTo(100 / 3, 12);
		expect(r.nps.nps).toBe(0);
		const c = run([story('csat', 1, 5), story('csat', 2, 4), story('csat', 3, 4)]);
		expect(c.csat.averageScore).toBeCloseTo(13 / 3, 12);
		expect(c.csat.satisfiedPct).toBe(100);
	});

	test('a comment without a score counts as a comment, not as a response', () => {
		const s = story('csat', 2, undefined, { comment: { value: 'Took too long', atMs: FROM + 3 * HOUR } });
		const r = run([s]);
		expect(r.csat).toMatchObject({ requestsSent: 1, scoresReceived: 0, commentsReceived: 1, requestsScored: 0, responseRatePct: 0, averageScore: null });
		expect(r.overall.commentsReceived).toBe(1);
		expect(r.rows).toEqual([
			{
				feedbackId: s.id,
				type: 'csat',
				sentAt: new Date(s.sentMs).toISOString(),
				score: null,
				scoredAt: null,
				comment: 'Took too long',
				commentedAt: new Date(FROM + 3 * HOUR).toISOString(),
				externalId: null,
				test: false,
			},
		]);
		expect(r.latestComments).toEqual([
			{ feedbackId: s.id, type: 'csat', commentedAt: new Date(FROM + 3 * HOUR).toISOString(), comment: 'Took too long', score: null, externalId: null },
		]);
	});

	test('test feedback is left out unless asked for', () => {
		const stories = [story('csat', 1, 5), story('csat', 2, 1, { test: true, comment: { value: 'testing', atMs: FROM + 3 * HOUR } })];
		const out = run(stories);
		expect(out.csat).toMatchObject({ requestsSent: 1, scoresReceived: 1, commentsReceived: 0, averageScore: 5 });
		expect(out.excluded).toEqual({ testRequests: 1, outOfScopeRequests: 0 });
		expect(out.rows?.map((r) => r.test)).toEqual([false]);
		expect(out.latestComments).toEqual([]);
		const all = run(stories, { includeTest: true });
		expect(all.csat).toMatchObject({ requestsSent: 2, scoresReceived: 2, commentsReceived: 1, averageScore: 3 });
		expect(all.excluded).toEqual({ testRequests: 0, outOfScopeRequests: 0 });
		expect(all.rows?.map((r) => r.test)).toEqual([false, true]);
	});

	test('external ids scope the report by prefix, by exact id, or both', () => {
		const stories = [
			story('nps', 1, 10, { externalId: 'CASE-1' }),
			story('nps', 2, 0, { externalId: 'CASE-2' }),
			story('nps', 3, 8, { externalId: 'ORDER-9' }),
			story('nps', 4, 9),
			story('nps', 5, 9, { externalId: 'case-3' }),
		];
		const byPrefix = run(stories, { externalIdPrefixes: ['CASE-'] });
		expect(byPrefix.nps).toMatchObject({ requestsSent: 2, promoters: 1, detractors: 1, nps: 0 });
		expect(byPrefix.excluded.outOfScopeRequests).toBe(3);
		const byId = run(stories, { externalIds: ['ORDER-9'] });
		expect(byId.nps).toMatchObject({ requestsSent: 1, passives: 1 });
		const both = run(stories, { externalIdPrefixes: ['CASE-', ''], externalIds: ['ORDER-9'] });
		expect(both.nps.requestsSent).toBe(3);
		expect(both.scope).toEqual({ includeTest: false, externalIdPrefixes: ['CASE-'], externalIds: ['ORDER-9'] });
		const noFilter = run(stories, { externalIdPrefixes: [], externalIds: [''] });
		expect(noFilter.nps.requestsSent).toBe(5);
	});

	test.each<SnapshotMode>(['asOfEvent', 'current'])('a score repeated by many events counts once (%s snapshots)', (mode) => {
		const s = story('csat', 1, 4, {
			comment: { value: 'ok', atMs: FROM + 2 * HOUR },
			otherUpdatesMs: [FROM + HOUR + 5 * MINUTE + 10_000, FROM + HOUR + 5 * MINUTE + 59_000, FROM + 30 * HOUR, FROM + 50 * HOUR],
		});
		for (const pageSize of [1, 2, 100]) {
			const r = run([s, story('nps', 3, 9)], {}, mode, pageSize);
			expect(r.csat).toMatchObject({ requestsSent: 1, scoresReceived: 1, commentsReceived: 1, requestsScored: 1 });
			expect(r.nps).toMatchObject({ requestsSent: 1, scoresReceived: 1 });
			expect(r.rows).toHaveLength(2);
		}
	});

	test('parts outside the period do not count; the bounds are inclusive', () => {
		const to = FROM + DAY - 1000; // on a whole second, as X times are
		const stories: FeedbackStory[] = [
			// Sent before, scored in the period: a response, not a request, and not in the rate.
			{ id: 'a', type: 'csat', sentMs: FROM - HOUR, score: { value: 5, atMs: FROM + HOUR } },
			// Sent in the period, scored after it.
			{ id: 'b', type: 'csat', sentMs: FROM + HOUR, score: { value: 1, atMs: to + 1000 } },
			// Entirely before.
			{ id: 'c', type: 'nps', sentMs: FROM - DAY, score: { value: 0, atMs: FROM - 1000 }, comment: { value: 'old', atMs: FROM - 1000 } },
			// Exactly on the bounds.
			{ id: 'd', type: 'nps', sentMs: FROM, score: { value: 10, atMs: to }, comment: { value: 'late', atMs: to + 1000 } },
		];
		const r = run(stories, { toMs: to });
		expect(r.csat).toMatchObject({ requestsSent: 1, scoresReceived: 1, requestsScored: 0, responseRatePct: 0, averageScore: 5 });
		expect(r.nps).toMatchObject({ requestsSent: 1, scoresReceived: 1, requestsScored: 1, commentsReceived: 0, nps: 100 });
		expect(r.rows?.map((row) => [row.feedbackId, row.score])).toEqual([
			['a', 5],
			['d', 10],
			['b', null],
		]);
		expect(r.rows?.[0].sentAt).toBe(new Date(FROM - HOUR).toISOString());
	});

	test('the response rate is a share of the requests sent in the period, never above 100%', () => {
		// Two old requests answered now, one new request unanswered: a flow reading would say 200%.
		const stories: FeedbackStory[] = [
			{ id: 'old1', type: 'csat', sentMs: FROM - DAY, score: { value: 5, atMs: FROM + HOUR } },
			{ id: 'old2', type: 'csat', sentMs: FROM - DAY, score: { value: 4, atMs: FROM + HOUR } },
			{ id: 'new', type: 'csat', sentMs: FROM + 2 * HOUR },
		];
		const r = run(stories);
		expect(r.csat).toMatchObject({ requestsSent: 1, scoresReceived: 2, requestsScored: 0, responseRatePct: 0, averageScore: 4.5 });
	});

	test('a score off its scale is not counted and is reported as ignored', () => {
		const r = run([story('csat', 1, 7), story('nps', 2, 11), story('csat', 3, 5)]);
		expect(r.csat).toMatchObject({ requestsSent: 2, scoresReceived: 1, requestsScored: 1 });
		expect(r.nps).toMatchObject({ requestsSent: 1, scoresReceived: 0 });
		expect(r.ignoredParts).toBe(2);
	});

	test('day groups split parts by their own day; a score is in its request’s day for the rate', () => {
		const stories: FeedbackStory[] = [
			{ id: 'mon', type: 'csat', sentMs: FROM + 23 * HOUR, score: { value: 5, atMs: FROM + DAY + 9 * HOUR }, comment: { value: 'great', atMs: FROM + 2 * DAY + HOUR } },
			{ id: 'tue', type: 'nps', sentMs: FROM + DAY + HOUR, score: { value: 3, atMs: FROM + DAY + 2 * HOUR } },
		];
		const r = run(stories, { groupBy: 'day', fromMs: FROM, toMs: FROM + 3 * DAY - 1 });
		expect(r.groupBy).toBe('day');
		expect(r.groups.map((g) => [g.key, g.label])).toEqual([
			['2025-03-03', '2025-03-03'],
			['2025-03-04', '2025-03-04'],
			['2025-03-05', '2025-03-05'],
		]);
		const [mon, tue, wed] = r.groups;
		expect(mon.overall).toEqual({ requestsSent: 1, scoresReceived: 0, commentsReceived: 0, requestsScored: 1, responseRatePct: 100 });
		expect(tue.overall).toEqual({ requestsSent: 1, scoresReceived: 2, commentsReceived: 0, requestsScored: 1, responseRatePct: 100 });
		expect(tue.csat.averageScore).toBe(5);
		expect(tue.nps.nps).toBe(-100);
		expect(wed.overall).toEqual({ requestsSent: 0, scoresReceived: 0, commentsReceived: 1, requestsScored: 0, responseRatePct: null });
		expect(mon.startMs).toBe(FROM);
		expect(mon.endMs).toBe(FROM + DAY - 1);
	});

	test('week groups start on Monday (UTC) and carry ISO week labels', () => {
		const wed = FROM + 2 * DAY; // Wednesday 5 March 2025
		const stories: FeedbackStory[] = [
			{ id: '1', type: 'csat', sentMs: wed + HOUR, score: { value: 4, atMs: wed + 2 * HOUR } },
			{ id: '2', type: 'csat', sentMs: FROM + 6 * DAY + 23 * HOUR, score: { value: 2, atMs: FROM + 7 * DAY + HOUR } }, // Sunday, then Monday
			{ id: '3', type: 'csat', sentMs: FROM + 15 * DAY },
		];
		const r = run(stories, { groupBy: 'week', fromMs: wed, toMs: wed + 14 * DAY - 1 });
		expect(r.groups.map((g) => [g.key, g.label])).toEqual([
			['2025-03-03', '2025-W10'],
			['2025-03-10', '2025-W11'],
			['2025-03-17', '2025-W12'],
		]);
		expect(r.groups.map((g) => g.csat.requestsSent)).toEqual([2, 0, 1]);
		expect(r.groups.map((g) => g.csat.scoresReceived)).toEqual([1, 1, 0]);
		expect(r.groups.map((g) => g.csat.requestsScored)).toEqual([2, 0, 0]);
		expect(r.groups[0].startMs).toBe(FROM);
	});

	test('ISO week labels across year ends', () => {
		expect(isoWeekLabel(Date.UTC(2025, 11, 29))).toBe('2026-W01');
		expect(isoWeekLabel(Date.UTC(2020, 11, 28))).toBe('2020-W53');
		expect(isoWeekLabel(Date.UTC(2024, 0, 1))).toBe('2024-W01');
		expect(isoWeekLabel(Date.UTC(2027, 0, 4))).toBe('2027-W01');
		expect(isoWeekLabel(Date.UTC(2026, 11, 28))).toBe('2026-W53');
	});

	test('without keepRows there are no rows; without groupBy no groups', () => {
		const r = run([story('csat', 1, 5)], { keepRows: false });
		expect(r).not.toHaveProperty('rows');
		expect(r.groups).toEqual([]);
		expect(r.groupBy).toBeNull();
	});

	test('latest comments are the newest ten, newest first', () => {
		const stories = Array.from({ length: 14 }, (_, i) => story('nps', i + 1, 9, { comment: { value: `c${i}`, atMs: FROM + (i + 1) * HOUR + 10 * MINUTE }, externalId: `X-${i}` }));
		const r = run(stories.reverse());
		expect(r.latestComments.map((c) => c.comment)).toEqual(['c13', 'c12', 'c11', 'c10', 'c9', 'c8', 'c7', 'c6', 'c5', 'c4']);
		expect(r.latestComments[0]).toMatchObject({ score: 9, externalId: 'X-13', type: 'nps' });
	});

	test('events that cannot be read are skipped, not fatal', () => {
		const report = createReport({ fromMs: FROM, toMs: TO, keepRows: true, includeTest: true });
		report.addPage([
			{ event_type: 'feedback.created', created_at: 'not a date', feedback: eventsOf([story('csat', 1)])[0].feedback },
			{ event_type: 'feedback.created', created_at: eventsOf([story('csat', 1)])[0].created_at, feedback: undefined as never },
			...eventsOf([{ ...story('csat', 1), type: 'ces' as never }]),
		]);
		const r = report.finish();
		expect(r.overall.requestsSent).toBe(0);
		expect(r.ignoredParts).toBe(1);
	});

	test('bad options are refused with a plain message', () => {
		expect(() => createReport({ fromMs: TO, toMs: FROM, keepRows: false, includeTest: false })).toThrow(/start at or before its end/);
		expect(() => createReport({ fromMs: NaN, toMs: FROM, keepRows: false, includeTest: false })).toThrow(RangeError);
		expect(() => createReport({ fromMs: 0, toMs: 2000 * DAY, groupBy: 'day', keepRows: false, includeTest: false })).toThrow(/group by week/);
		expect(() => createReport({ fromMs: 0, toMs: DAY, groupBy: 'month' as never, keepRows: false, includeTest: false })).toThrow(/'day' or 'week'/);
	});

	test('finish can be called again as more pages arrive', () => {
		const report = createReport({ fromMs: FROM, toMs: TO, keepRows: false, includeTest: false });
		const [first, second] = [eventsOf([story('csat', 1, 5)]), eventsOf([story('csat', 2, 1)])];
		report.addPage(first);
		expect(report.finish().csat.averageScore).toBe(5);
		report.addPage(second);
		expect(report.finish().csat.averageScore).toBe(3);
	});
});
