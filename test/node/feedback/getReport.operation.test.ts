/**
 * Feedback -> Get Report, through n8n-core against the emulator. The seeded story is built through
 * the API: the action node sends every request (with the API clock moved to the chosen time) and the
 * control API gives each answer at its chosen time. The expected figures below are worked out by hand
 * from that story; the demo seed is checked against figures computed from the emulator's store.
 */
import type { IBinaryData, IDataObject, INodeParameters } from 'n8n-workflow';

import { useXNode, type XNode, ENDPOINT, byId, count, sendParams } from '../xNode';
import { CSV_HEADER } from '../../../nodes/XCustomerFeedback/report';
import { DEFAULT_TOLERANCE } from '../../../nodes/shared/feedbackLog/announcements';
import type { FeedbackRecord } from '../../../emulator';
import { parseCsv } from '../../report/parseCsv';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Midnight UTC ten days ago: the period is the three days from there. */
const D0 = Math.floor(Date.now() / DAY) * DAY - 10 * DAY;
const D1 = D0 + DAY;
const D2 = D0 + 2 * DAY;
const D3 = D0 + 3 * DAY;
const FROM = D0;
const TO = D3 - 1;

interface Story {
	key: string;
	type: 'csat' | 'nps';
	sentMs: number;
	externalId: string;
	test?: boolean;
	score?: [number, number];
	comment?: [string, number];
	/** Updates without a new part (viewed, dismissed). */
	touches?: Array<['viewed' | 'dismissed', number]>;
}

const STORIES: Story[] = [
	{ key: 'c1', type: 'csat', sentMs: D0 + HOUR, externalId: 'TEAM-A-1', score: [5, D0 + 2 * HOUR], comment: ['Très rapide, merci 😀', D0 + 3 * HOUR] },
	{ key: 'c2', type: 'csat', sentMs: D0 + 5 * HOUR, externalId: 'TEAM-A-2', score: [4, D1 + HOUR] },
	{ key: 'c3', type: 'csat', sentMs: D1 + 2 * HOUR, externalId: 'TEAM-B-1', score: [2, D1 + 3 * HOUR], comment: ['=SUM(A1) "three days", really', D1 + 3.5 * HOUR] },
	{ key: 'c4', type: 'csat', sentMs: D1 + 4 * HOUR, externalId: 'TEAM-B-2', touches: [['viewed', D1 + 5 * HOUR]] },
	{ key: 'c5', type: 'csat', sentMs: D2 + HOUR, externalId: 'TEAM-A-3', score: [3, D2 + 2 * HOUR] },
	{ key: 'n1', type: 'nps', sentMs: D0 + 4 * HOUR, externalId: 'TEAM-A-4', score: [10, D0 + 4.5 * HOUR] },
	{ key: 'n2', type: 'nps', sentMs: D1 + 5 * HOUR, externalId: 'TEAM-B-3', score: [9, D1 + 6 * HOUR] },
	{ key: 'n3', type: 'nps', sentMs: D1 + 7 * HOUR, externalId: 'TEAM-A-5', score: [7, D2 + 3 * HOUR] },
	{ key: 'n4', type: 'nps', sentMs: D2 + 4 * HOUR, externalId: 'TEAM-B-4', score: [3, D2 + 5 * HOUR], comment: ['Never again', D2 + 5.5 * HOUR] },
	{
		key: 'n5',
		type: 'nps',
		sentMs: D2 + 6 * HOUR,
		externalId: 'OTHER-1',
		touches: [
			['viewed', D2 + 7 * HOUR],
			['dismissed', D2 + 8 * HOUR],
		],
	},
	// Sent before the period, scored inside it: the score counts, the request does not.
	{ key: 'early', type: 'csat', sentMs: D0 - 2 * HOUR, externalId: 'TEAM-A-0', score: [3, D0 + HOUR] },
	// Sent inside the period, scored after it: the request counts, the score does not.
	{ key: 'late', type: 'csat', sentMs: D2 + 20 * HOUR, externalId: 'TEAM-B-5', score: [5, D3 + 2 * HOUR] },
	{ key: 'testC', type: 'csat', sentMs: D1 + 8 * HOUR, externalId: 'TEAM-A-9', test: true, score: [1, D1 + 9 * HOUR] },
	{ key: 'testN', type: 'nps', sentMs: D2 + 8 * HOUR, externalId: 'TEAM-B-9', test: true, score: [0, D2 + 9 * HOUR] },
];

let x: XNode;
/** Story key -> feedback id. */
const ids: Record<string, string> = {};

async function seedStories(): Promise<void> {
	const customers = await x.addCustomers(...STORIES.map((s) => ({ screenName: `cust_${s.key}` })));
	try {
		for (const [i, story] of STORIES.entries()) {
			x.emu.store.clock.set(story.sentMs);
			const { items, error } = await x.run(
				sendParams(byId(customers[i].id), { feedbackType: story.type, externalId: story.externalId }, { test: story.test === true }),
			);
			if (error) throw error;
			ids[story.key] = String(items[0].json.feedbackId);
		}
	} finally {
		x.emu.store.clock.reset();
	}
	for (const story of STORIES) {
		const id = ids[story.key];
		if (story.score) await x.control('POST', `feedback/${id}/respond`, { score: story.score[0], at: story.score[1] });
		if (story.comment) await x.control('POST', `feedback/${id}/respond`, { text: story.comment[0], at: story.comment[1] });
		for (const [kind, at] of story.touches ?? []) await x.control('POST', `feedback/${id}/touch`, { kind, at });
	}
}

useXNode((node) => (x = node));
beforeAll(async () => {
	await seedStories();
});
beforeEach(async () => {
	await x.control('POST', 'stats/reset');
});

const iso = (ms: number) => new Date(ms).toISOString();
const stamp = (ms: number) => iso(ms).replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');

function reportParams(extra: IDataObject = {}, options: IDataObject = {}): INodeParameters {
	return {
		resource: 'feedback',
		operation: 'getReport',
		from: iso(FROM),
		to: iso(TO),
		...extra,
		options: { minEventAgeHours: 0, ...options },
	} as INodeParameters;
}

async function report(extra: IDataObject = {}, options: IDataObject = {}) {
	const result = await x.run(reportParams(extra, options));
	if (result.error) throw result.error;
	expect(result.items).toHaveLength(1);
	return result.items[0];
}

const fileText = (binary: IBinaryData) => Buffer.from(binary.data, 'base64').toString('utf8');

describe('figures', () => {
	test('the default scope: hand-computed CSAT, NPS, response rate and counts; test feedback left out', async () => {
		const { json, binary } = await report();
		expect(binary).toBeUndefined();
		expect(json.period).toEqual({ fromMs: FROM, toMs: TO, from: iso(FROM), to: iso(TO) });
		expect(json.scope).toEqual({ includeTest: false, externalIdPrefixes: [], externalIds: [] });
		expect(json.excluded).toEqual({ testRequests: 2, outOfScopeRequests: 0 });
		expect(json.ignoredParts).toBe(0);
		expect(json.groupBy).toBeNull();
		expect(json.groups).toEqual([]);
		expect('rows' in json).toBe(false);

		// CSAT: sent c1..c5 and late; scores received 5 (c1), 4 (c2), 2 (c3), 3 (c5), 3 (early).
		const csat = json.csat as IDataObject;
		expect(csat).toMatchObject({ requestsSent: 6, scoresReceived: 5, commentsReceived: 2, requestsScored: 4, satisfied: 2 });
		expect(csat.averageScore).toBe(3.4);
		expect(csat.satisfiedPct).toBe(40);
		// Shown rounded: one decimal for percentages and NPS, two for averages.
		expect(csat.responseRatePct).toBe(66.7);
		expect(csat.distribution).toEqual([1, 2, 3, 4, 5].map((score) => ({ score, count: [0, 1, 2, 1, 1][score - 1] })));

		// NPS: sent n1..n5; scores 10, 9, 7, 3.
		const nps = json.nps as IDataObject;
		expect(nps).toMatchObject({ requestsSent: 5, scoresReceived: 4, commentsReceived: 1, requestsScored: 4, promoters: 2, passives: 1, detractors: 1 });
		expect(nps.nps).toBeCloseTo(25, 10);
		expect(nps.promotersPct).toBeCloseTo(50, 10);
		expect(nps.passivesPct).toBeCloseTo(25, 10);
		expect(nps.detractorsPct).toBeCloseTo(25, 10);
		expect(nps.responseRatePct).toBeCloseTo(80, 10);

		const overall = json.overall as IDataObject;
		expect(overall).toMatchObject({ requestsSent: 11, scoresReceived: 9, commentsReceived: 3, requestsScored: 8 });
		expect(overall.responseRatePct).toBe(72.7);

		expect(json.latestComments).toEqual([
			{ feedbackId: ids.n4, type: 'nps', commentedAt: iso(D2 + 5.5 * HOUR), comment: 'Never again', score: 3, externalId: 'TEAM-B-4' },
			{ feedbackId: ids.c3, type: 'csat', commentedAt: iso(D1 + 3.5 * HOUR), comment: '=SUM(A1) "three days", really', score: 2, externalId: 'TEAM-B-1' },
			{ feedbackId: ids.c1, type: 'csat', commentedAt: iso(D0 + 3 * HOUR), comment: 'Très rapide, merci 😀', score: 5, externalId: 'TEAM-A-1' },
		]);
		// Plain JSON: what n8n stores and passes on is what the node produced.
		expect(JSON.parse(JSON.stringify(json))).toEqual(json);
	});

	test('Include Test Feedback: the test requests and their scores count too', async () => {
		const { json } = await report({}, { includeTest: true });
		expect(json.excluded).toEqual({ testRequests: 0, outOfScopeRequests: 0 });
		const csat = json.csat as IDataObject;
		expect(csat).toMatchObject({ requestsSent: 7, scoresReceived: 6, requestsScored: 5, satisfied: 2 });
		expect(csat.averageScore).toBeCloseTo(3, 10);
		expect(csat.satisfiedPct).toBe(33.3);
		const nps = json.nps as IDataObject;
		expect(nps).toMatchObject({ requestsSent: 6, scoresReceived: 5, requestsScored: 5, promoters: 2, passives: 1, detractors: 2 });
		expect(nps.nps).toBe(0);
		expect(json.overall).toMatchObject({ requestsSent: 13, scoresReceived: 11, commentsReceived: 3, requestsScored: 10 });
	});

	test("external-id scoping: a team's prefix plus single ids, comma-separated with spaces", async () => {
		const { json } = await report({}, { externalIdPrefixes: 'TEAM-A-', externalIds: ' OTHER-1 , TEAM-B-4,' });
		expect(json.scope).toEqual({ includeTest: false, externalIdPrefixes: ['TEAM-A-'], externalIds: ['OTHER-1', 'TEAM-B-4'] });
		// Out of scope and sent in the period: c3, c4, late (CSAT) and n2 (NPS).
		expect(json.excluded).toEqual({ testRequests: 2, outOfScopeRequests: 4 });
		const csat = json.csat as IDataObject;
		expect(csat).toMatchObject({ requestsSent: 3, scoresReceived: 4, requestsScored: 3, commentsReceived: 1, satisfied: 2 });
		expect(csat.averageScore).toBe(3.75);
		expect(csat.responseRatePct).toBe(100);
		const nps = json.nps as IDataObject;
		expect(nps).toMatchObject({ requestsSent: 4, scoresReceived: 3, requestsScored: 3, commentsReceived: 1, promoters: 1, passives: 1, detractors: 1 });
		expect(nps.nps).toBe(0);
		expect(nps.responseRatePct).toBe(75);
	});

	test('Group By day: one group per UTC day, parts by their own time, scored requests by the request', async () => {
		const { json } = await report({}, { groupBy: 'day' });
		expect(json.groupBy).toBe('day');
		const groups = json.groups as IDataObject[];
		expect(groups.map((g) => [g.key, g.label, g.startMs, g.endMs])).toEqual(
			[D0, D1, D2].map((d) => [iso(d).slice(0, 10), iso(d).slice(0, 10), d, d + DAY - 1]),
		);
		const pick = (g: IDataObject) => {
			const csat = g.csat as IDataObject;
			const nps = g.nps as IDataObject;
			return {
				csat: [csat.requestsSent, csat.scoresReceived, csat.requestsScored, csat.commentsReceived, csat.averageScore],
				nps: [nps.requestsSent, nps.scoresReceived, nps.requestsScored, nps.commentsReceived, nps.nps],
			};
		};
		expect(groups.map(pick)).toEqual([
			// D0: sent c1, c2, n1; scores c1 5, early 3, n1 10; c2 scored on D1 still counts for D0's requests.
			{ csat: [2, 2, 2, 1, 4], nps: [1, 1, 1, 0, 100] },
			// D1: sent c3, c4, n2, n3; scores c2 4, c3 2, n2 9; n3 scored on D2 counts for D1's requests.
			{ csat: [2, 2, 1, 1, 3], nps: [2, 1, 2, 0, 100] },
			// D2: sent c5, late, n4, n5; scores c5 3, n3 7, n4 3.
			{ csat: [2, 1, 1, 0, 3], nps: [2, 2, 1, 1, -50] },
		]);
		// The overall figures do not change with grouping.
		const plain = await report();
		expect({ ...json, groupBy: null, groups: [] }).toEqual(plain.json);
	});
});

describe('files', () => {
	test('CSV: one row per request with a part in the period, the right columns, UTF-8 with BOM', async () => {
		const { json, binary } = await report({ files: ['csv'] });
		expect('rows' in json).toBe(false);
		expect(Object.keys(binary ?? {})).toEqual(['csv']);
		const csv = binary!.csv;
		expect(csv.mimeType).toBe('text/csv');
		expect(csv.fileName).toBe(`feedback-report-${stamp(FROM)}-${stamp(TO)}.csv`);
		expect(csv.fileExtension).toBe('csv');
		const bytes = Buffer.from(csv.data, 'base64');
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const records = parseCsv(bytes.toString('utf8').replace(/^\ufeff/, ''));
		expect(records[0]).toEqual([...CSV_HEADER]);

		const inPeriod = (ms?: number) => ms !== undefined && ms >= FROM && ms <= TO;
		const expected = STORIES.filter((s) => !s.test)
			.filter((s) => inPeriod(s.sentMs) || inPeriod(s.score?.[1]) || inPeriod(s.comment?.[1]))
			.sort((a, b) => a.sentMs - b.sentMs)
			.map((s) => {
				const scored = s.score && inPeriod(s.score[1]);
				const commented = s.comment && inPeriod(s.comment[1]);
				return [
					ids[s.key],
					s.type,
					iso(s.sentMs),
					scored ? String(s.score![0]) : '',
					scored ? iso(s.score![1]) : '',
					commented ? s.comment![0].replace(/^=/, "'=") : '',
					commented ? iso(s.comment![1]) : '',
					s.externalId,
					'false',
				];
			});
		expect(expected).toHaveLength(12);
		expect(records.slice(1)).toEqual(expected);
		// The figures are the same with or without the rows.
		expect(json).toEqual((await report()).json);
	});

	test('HTML dashboard: self-contained, with the inline SVG, the title and the figures', async () => {
		const { binary } = await report({ files: ['dashboard', 'csv'] }, { title: 'Team A & B <weekly>', groupBy: 'day' });
		expect(Object.keys(binary ?? {}).sort()).toEqual(['csv', 'dashboard']);
		const page = binary!.dashboard;
		expect(page.mimeType).toBe('text/html');
		expect(page.fileName).toBe(`feedback-report-${stamp(FROM)}-${stamp(TO)}.html`);
		const html = fileText(page);
		expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
		expect(html).toContain('<svg');
		expect(html).toContain('<title>Team A &amp; B &lt;weekly&gt;</title>');
		expect(html).not.toMatch(/(https?:)?\/\/[a-z0-9]/i);
		expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|url\(/i);
		expect(html).toContain('Never again');
		expect(html).toContain('=SUM(A1) &quot;three days&quot;, really');
	});

	test('no Title: the default one', async () => {
		const { binary } = await report({ files: ['dashboard'] }, { title: '' });
		expect(fileText(binary!.dashboard)).toContain('<title>Customer feedback report</title>');
	});
});

describe('paging', () => {
	afterEach(async () => {
		await x.control('POST', 'config', { maxPageSize: 100, emptyPageEvery: 0 });
	});

	test('pages of one event with every other page empty give the same figures and rows', async () => {
		const params = { files: ['csv'] };
		const options = { includeTest: true, groupBy: 'day' };
		const reference = await report(params, options);
		expect(count(await x.stats(), ENDPOINT.events)).toBe(1);

		await x.control('POST', 'config', { maxPageSize: 1, emptyPageEvery: 2 });
		await x.control('POST', 'stats/reset');
		const paged = await report(params, options);
		expect(paged.json).toEqual(reference.json);
		expect(fileText(paged.binary!.csv)).toBe(fileText(reference.binary!.csv));

		// One page per event plus an empty page between any two (the listing reaches the event time
		// tolerance before From and after To): the 30 events of the period (13 requests sent, all but
		// early; 11 scores, all but late's; 3 comments; 3 views or dismissals) and those around it.
		const listed = (e: { at: number }, from: number, to: number) => e.at >= from && e.at <= to;
		const log = x.emu.store.feedback.log.all();
		expect(log.filter((e) => listed(e, FROM, TO)).length).toBe(30);
		const events = log.filter((e) => listed(e, FROM - DEFAULT_TOLERANCE.beforeMs, TO + DEFAULT_TOLERANCE.afterMs)).length;
		const requests = count(await x.stats(), ENDPOINT.events);
		expect(requests).toBeGreaterThanOrEqual(2 * events - 1);
		expect(requests).toBeLessThanOrEqual(2 * events);
	});

	test('empty pages under fresh cursors are followed to the end (5, where 3 used to end it); a cursor handed back ends the report with what X did', async () => {
		const reference = await report();
		await x.faults({ kind: 'emptyPage', count: 5 });
		await x.control('POST', 'stats/reset');
		const { json } = await report();
		expect(json).toEqual(reference.json);
		expect(count(await x.stats(), ENDPOINT.events)).toBe(6);

		await x.faults({ kind: 'sameCursor', count: 5 });
		await x.control('POST', 'stats/reset');
		const { error } = await x.run(reportParams());
		await x.control('DELETE', 'faults');
		expect(error?.message).toMatch(/^Item 0: X sent back the cursor it was asked with/);
		expect(count(await x.stats(), ENDPOINT.events)).toBe(2);
	});

	test('the listing asks X for the event time tolerance around From and To (2 hours before, 6 after), as epoch milliseconds', async () => {
		const seen = await x.requestsTo('/feedback/events', () => report());
		expect(seen).toHaveLength(1);
		const query = new URLSearchParams(seen[0].split('?')[1]);
		expect(query.get('from_time')).toBe(String(FROM - 2 * HOUR));
		expect(query.get('to_time')).toBe(String(TO + 6 * HOUR));
	});
});

describe('the period and errors', () => {
	test('To later than X serves: an error naming To and the latest allowed time, nothing asked', async () => {
		const before = Date.now();
		const { error, items } = await x.run(reportParams({ to: iso(before - HOUR) }, { minEventAgeHours: 24 }));
		const match = /^Item 0: To is (\S+), but X serves events only up to 24 hours ago: use (\S+) or earlier, or leave To empty$/.exec(
			error?.message ?? '',
		);
		expect(match).not.toBeNull();
		expect(match![1]).toBe(iso(before - HOUR));
		expect(Date.parse(match![2])).toBeLessThanOrEqual(Date.now() - DAY);
		expect(error?.context?.itemIndex).toBe(0);
		expect(items).toHaveLength(0);
		expect((await x.stats()).total).toBe(0);
	});

	test('Minimum Event Age 24 (the default): To may not be within the last 24 hours', async () => {
		const { error } = await x.run({ resource: 'feedback', operation: 'getReport', to: iso(Date.now() - 2 * HOUR) } as INodeParameters);
		expect(error?.message).toMatch(/^Item 0: To is .* but X serves events only up to 24 hours ago/);
		expect((await x.stats()).total).toBe(0);
	});

	test('defaults: To is the latest time X serves, From 7 days before, and the listing stops there', async () => {
		const before = Date.now();
		const { json } = await report({ from: '', to: '' }, { minEventAgeHours: 0 });
		const period = json.period as { fromMs: number; toMs: number };
		expect(period.toMs).toBeGreaterThanOrEqual(before);
		expect(period.toMs).toBeLessThanOrEqual(Date.now());
		expect(period.fromMs).toBe(period.toMs - 7 * DAY);
	});

	test('a period too long for Group By day: an error naming Group By and the item, nothing asked', async () => {
		const { error } = await x.run(reportParams({ from: '2020-01-01T00:00:00Z' }, { groupBy: 'day' }), { input: [{}, {}] });
		expect(error?.message).toBe('Item 0: Group By does not fit: a period this long has more than 1000 days; group by week or shorten it.');
		expect(error?.context?.itemIndex).toBe(0);
		expect((await x.stats()).total).toBe(0);
	});

	test('From after To: an error naming From', async () => {
		const { error } = await x.run(reportParams({ from: iso(TO + DAY) }));
		expect(error?.message).toBe(`Item 0: From (${iso(TO + DAY)}) is after To (${iso(TO)})`);
	});

	test('an unknown file kind from an expression: an error naming Files', async () => {
		const { error } = await x.run(reportParams({ files: '={{ ["csv", "pdf"] }}' }));
		expect(error?.message).toBe('Item 0: Files must be one of "csv", "dashboard", not "pdf"');
	});

	test('one report per input item, each paired with its item', async () => {
		const { items, error } = await x.run(reportParams({ to: '={{ $json.to }}' }), { input: [{ to: iso(TO) }, { to: iso(D1 - 1) }] });
		expect(error).toBeUndefined();
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items.map((i) => (i.json.overall as IDataObject).requestsSent)).toEqual([11, 3]);
	});

	test('continueOnFail: the failing item becomes an error item, paired', async () => {
		const { items, error } = await x.run(reportParams({ to: '={{ $json.to }}' }), {
			input: [{ to: iso(TO) }, { to: iso(Date.now() + DAY) }],
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[1]).toMatchObject({ pairedItem: { item: 1 }, json: { error: expect.stringMatching(/^Item 1: To is /) } });
	});
});

/** CSAT and NPS figures of the emulator's store for a period, computed apart from the report module. */
function storeFigures(records: FeedbackRecord[], fromMs: number, toMs: number) {
	const inPeriod = (ms?: number) => ms !== undefined && ms >= fromMs && ms <= toMs;
	const of = (type: 'csat' | 'nps') => {
		const mine = records.filter((r) => !r.test && r.type === type);
		const sent = mine.filter((r) => inPeriod(r.createdAt));
		const scores = mine.filter((r) => inPeriod(r.score?.at)).map((r) => r.score!.value);
		return {
			requestsSent: sent.length,
			scoresReceived: scores.length,
			commentsReceived: mine.filter((r) => inPeriod(r.comment?.at)).length,
			requestsScored: sent.filter((r) => inPeriod(r.score?.at)).length,
			scores,
		};
	};
	return { csat: of('csat'), nps: of('nps') };
}

describe('the demo seed', () => {
	let demo: XNode;
	useXNode((node) => (demo = node), { start: { seed: 'demo' } });

	test('the default period of the demo: figures, groups and rows agree with the store', async () => {
		const { items, error } = await demo.run(reportParams({ from: '', to: '', files: ['csv', 'dashboard'] }, { groupBy: 'day' }));
		expect(error).toBeUndefined();
		const { json, binary } = items[0];
		const period = json.period as { fromMs: number; toMs: number };
		const records = [...demo.emu.store.feedback.records.values()];
		const expected = storeFigures(records, period.fromMs, period.toMs);
		// The demo tells a story with every kind of answer; the report must see all of it.
		expect(expected.csat.requestsSent + expected.nps.requestsSent).toBe(records.length);
		expect(expected.csat.scoresReceived).toBeGreaterThan(0);
		expect(expected.nps.scoresReceived).toBeGreaterThan(0);

		const csat = json.csat as IDataObject;
		const c = expected.csat;
		expect(csat).toMatchObject({
			requestsSent: c.requestsSent,
			scoresReceived: c.scoresReceived,
			commentsReceived: c.commentsReceived,
			requestsScored: c.requestsScored,
			satisfied: c.scores.filter((s) => s >= 4).length,
		});
		expect(csat.averageScore).toBeCloseTo(c.scores.reduce((a, b) => a + b, 0) / c.scores.length, 10);

		const nps = json.nps as IDataObject;
		const n = expected.nps;
		const promoters = n.scores.filter((s) => s >= 9).length;
		const detractors = n.scores.filter((s) => s <= 6).length;
		expect(nps).toMatchObject({
			requestsSent: n.requestsSent,
			scoresReceived: n.scoresReceived,
			commentsReceived: n.commentsReceived,
			requestsScored: n.requestsScored,
			promoters,
			passives: n.scores.length - promoters - detractors,
			detractors,
		});
		expect(nps.nps).toBeCloseTo(((promoters - detractors) * 100) / n.scores.length, 10);
		expect(json.overall).toMatchObject({
			requestsSent: c.requestsSent + n.requestsSent,
			scoresReceived: c.scoresReceived + n.scoresReceived,
			commentsReceived: c.commentsReceived + n.commentsReceived,
			requestsScored: c.requestsScored + n.requestsScored,
		});
		expect((json.latestComments as IDataObject[]).map((l) => l.comment).sort()).toEqual(
			records.filter((r) => r.comment).map((r) => r.comment!.value).sort(),
		);

		// The days add up to the whole.
		const groups = json.groups as Array<{ overall: IDataObject }>;
		expect(groups).toHaveLength(8);
		for (const key of ['requestsSent', 'scoresReceived', 'commentsReceived', 'requestsScored']) {
			expect(groups.reduce((sum, g) => sum + Number(g.overall[key]), 0)).toBe((json.overall as IDataObject)[key]);
		}

		const rows = parseCsv(fileText(binary!.csv).replace(/^\ufeff/, '')).slice(1);
		expect(rows.map((r) => r[0]).sort()).toEqual(records.map((r) => r.id).sort());
		for (const row of rows) {
			const record = demo.emu.store.feedback.records.get(row[0])!;
			expect(row.slice(1, 4)).toEqual([record.type, iso(record.createdAt), record.score ? String(record.score.value) : '']);
			expect(row[7]).toBe(record.externalId);
		}
		const html = fileText(binary!.dashboard);
		expect(html).toContain('<svg');
		expect(html).toContain('Support sorted my billing issue in minutes. Would recommend!');
	});
});
