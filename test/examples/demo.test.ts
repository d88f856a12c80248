/**
 * `npm run demo` (examples/demo): runs its main function into a temporary folder and checks what it
 * leaves behind against the emulator's own store, counted here independently of the report code.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { runDemo, type DemoResult } from '../../examples/demo/demo';
import type { FeedbackRecord } from '../../emulator/index';
import { parseCsv } from '../report/parseCsv';

let outDir: string;
let lines: string[];
let demo: DemoResult;

beforeAll(async () => {
	outDir = mkdtempSync(path.join(tmpdir(), 'x-feedback-demo-'));
	lines = [];
	demo = await runDemo({ outDir, print: (line) => lines.push(line) });
});
afterAll(() => {
	rmSync(outDir, { recursive: true, force: true });
});

const records = (): FeedbackRecord[] => [...demo.store.feedback.records.values()];
const inPeriod = (ms: number | undefined) => {
	const { fromMs, toMs } = demo.report.figures.period as { fromMs: number; toMs: number };
	return ms !== undefined && ms >= fromMs && ms <= toMs;
};

test('runs well under a minute and tells the story in plain lines, not JSON dumps', () => {
	expect(demo.elapsedMs).toBeLessThan(60_000);
	const text = lines.join('\n');
	expect(text).toContain('24 hours old');
	expect(text).toContain('Done: the emulator is stopped.');
	expect(lines.every((l) => !l.trimStart().startsWith('{'))).toBe(true);
	expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(100);
});

test('example 1 surveyed the DM-able customers with their case IDs and skipped the others, saying why', () => {
	const outcome = Object.fromEntries(demo.surveys.map((s) => [s.caseId, [s.status, s.reason]]));
	expect(outcome['case-3002']).toEqual(['skipped', 'cannot_dm']);
	expect(outcome['case-3006']).toEqual(['skipped', 'cannot_dm']);
	expect(outcome['case-3007']).toEqual(['skipped', 'asked_recently']);
	const sent = demo.surveys.filter((s) => s.status === 'sent');
	expect(sent).toHaveLength(6);
	for (const s of sent) {
		const record = demo.store.feedback.get(s.feedbackId!)!;
		expect(record).toMatchObject({ externalId: s.caseId, type: 'csat', test: false, createdAt: s.at });
		expect(demo.store.accounts.byId(record.toUserId)!.screenName).toBe(s.customer);
	}
	// Nothing reached the customers who do not accept DMs.
	for (const name of ['tom_hughes', 'lea_martin']) {
		const user = demo.store.accounts.byName(name)!;
		expect(demo.store.feedback.dms.filter((dm) => dm.recipientId === user.id)).toEqual([]);
	}
});

test('the triggers emitted every score and comment given since they started exactly once; repeat polls brought nothing', () => {
	const [first, second, third, fourth] = demo.polls.sheetsLog;
	expect(second).toEqual([]);
	expect(fourth).toEqual([]);
	expect(demo.polls.detractorAlert[1]).toEqual([]);
	expect(demo.polls.detractorAlert[3]).toEqual([]);
	const emitted = [...first, ...third].map((i) => `${i.event} ${i.feedbackId}`).sort();
	// Example 5's cases run later, on a clock moved to tomorrow: after the trigger polls.
	const example5 = new Set(demo.realtime.map((r) => r.caseId));
	const expected = records()
		.filter((r) => !r.test && !example5.has(String(r.externalId)))
		.flatMap((r) => [
			...(r.score && r.score.at > demo.weekStartMs ? [`score ${r.id}`] : []),
			...(r.comment && r.comment.at > demo.weekStartMs ? [`comment ${r.id}`] : []),
		])
		.sort();
	expect(emitted).toEqual(expected);
	expect(third.map((i) => [i.event, i.externalId])).toEqual([
		['score', 'case-3005'],
		['comment', 'case-3005'],
	]);
	// One Sheets row per emitted item.
	expect(demo.rows).toHaveLength(emitted.length);
});

test('example 2 alerted the supervisors to exactly the detractor scores (CSAT 1-2, NPS 0-6)', () => {
	const scores = demo.polls.detractorAlert.flat();
	expect(scores.every((i) => i.event === 'score')).toBe(true);
	const detractors = scores.filter((i) => (i.type === 'csat' ? (i.score as number) <= 2 : (i.score as number) <= 6));
	expect(detractors.length).toBeGreaterThanOrEqual(2);
	expect(demo.alerts.map((a) => a.item.feedbackId).sort()).toEqual(detractors.map((i) => i.feedbackId).sort());
	for (const a of demo.alerts) {
		expect(a.text).toContain(`Case: ${String(a.item.externalId)}`);
		expect(a.text).toContain(`${a.item.score} / ${a.item.type === 'csat' ? 5 : 10}`);
	}
});

test("example 4's figures agree with the emulator's store, and both files were written", () => {
	const figures = demo.report.figures as IDataObject & Record<'overall' | 'csat' | 'nps', IDataObject>;
	const live = records().filter((r) => !r.test);
	const scored = live.filter((r) => inPeriod(r.score?.at));
	const csatScores = scored.filter((r) => r.type === 'csat').map((r) => r.score!.value);
	const npsScores = scored.filter((r) => r.type === 'nps').map((r) => r.score!.value);
	expect(figures.overall).toMatchObject({
		requestsSent: live.filter((r) => inPeriod(r.createdAt)).length,
		scoresReceived: scored.length,
		commentsReceived: live.filter((r) => inPeriod(r.comment?.at)).length,
		requestsScored: live.filter((r) => inPeriod(r.createdAt) && inPeriod(r.score?.at)).length,
	});
	expect(figures.csat.averageScore).toBeCloseTo(csatScores.reduce((a, b) => a + b, 0) / csatScores.length, 2);
	expect(figures.csat.satisfied).toBe(csatScores.filter((s) => s >= 4).length);
	const promoters = npsScores.filter((s) => s >= 9).length;
	const detractors = npsScores.filter((s) => s <= 6).length;
	expect(figures.nps).toMatchObject({ promoters, detractors, nps: ((promoters - detractors) * 100) / npsScores.length });
	// Everything the demo did this week is inside the report's 7 days.
	for (const s of demo.surveys) expect(inPeriod(s.at)).toBe(true);

	expect(existsSync(demo.report.csvPath)).toBe(true);
	expect(existsSync(demo.report.htmlPath)).toBe(true);
	expect(path.dirname(demo.report.csvPath)).toBe(outDir);
	const csv = parseCsv(readFileSync(demo.report.csvPath, 'utf8').replace(/^\uFEFF/, ''));
	const [header, ...rows] = csv;
	expect(header[0]).toBe('feedback_id');
	const withPart = live.filter((r) => inPeriod(r.createdAt) || inPeriod(r.score?.at) || inPeriod(r.comment?.at));
	expect(rows.map((r) => r[0]).sort()).toEqual(withPart.map((r) => r.id).sort());
	const html = readFileSync(demo.report.htmlPath, 'utf8');
	expect(html).toMatch(/^<!doctype html>/i);
	expect(html).toContain('Acme Support: customer feedback on X, last 7 days');
	expect(demo.report.email).toMatchObject({ toEmail: 'cx-supervisors@example.com', attached: ['csv', 'dashboard'] });
});

test('example 5 alerts supervisors to detractors within the bounded schedule, and the figure compares both paths', () => {
	const byCase = Object.fromEntries(demo.realtime.map((r) => [r.caseId, r]));
	// Scored 5 min, 40 min and 2.5 h after the survey: alerted at the 15-min, 1-h and 4-h checks.
	expect([byCase['case-4001'], byCase['case-4002'], byCase['case-4003']].map((r) => [r.checks, r.realtimeMinutes])).toEqual([
		[1, 10],
		[2, 20],
		[3, 90],
	]);
	// A satisfied customer gets no alert; a score after the last check is left to the day-late path.
	expect(byCase['case-4004']).toMatchObject({ checks: 1, alertAt: null });
	expect(byCase['case-4005']).toMatchObject({ checks: 4, alertAt: null, eventPathMinutes: 24 * 60 });
	for (const r of demo.realtime.filter((x) => x.alertAt !== null)) {
		expect(r.slackText).toContain(`Case: ${r.caseId}`);
		// The trigger path: 24 hours, then the next hourly poll.
		expect(r.eventPathMinutes).toBeGreaterThanOrEqual(24 * 60);
		expect(r.eventPathMinutes).toBeLessThan(25 * 60);
		// What the store holds: the score the customer gave, when they gave it.
		const record = records().find((f) => f.externalId === r.caseId)!;
		expect(record.score).toMatchObject({ value: r.score, at: r.scoredAt });
	}
	expect(demo.alertLatency).toEqual({ realtimeMinutes: 20, eventPathMinutes: 1470 });
	expect(lines.join('\n')).toContain('20 min on this path, 1470 min (24.5 h) on the event path');
});
