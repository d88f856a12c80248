/**
 * The emulator's own reading and writing of X's dates, and its switch for the compact form X's
 * published feedback examples show (`SatDec1517:58:20+00002015`): the nodes read the same listing,
 * report and card either way.
 */
import type { IDataObject } from 'n8n-workflow';

import { createSignedClient } from '../../emulator/client';
import { compactXDates, formatXDate, parseXDate } from '../../emulator/xDate';
import { startXNode, type XNode } from '../node/xNode';

test("the emulator reads X dates itself: exact layout, real days only", () => {
	expect(parseXDate('Sat Dec 15 17:58:20 +0000 2015')).toBe(Date.UTC(2015, 11, 15, 17, 58, 20));
	expect(parseXDate(formatXDate(Date.UTC(2024, 1, 29, 1, 2, 3)))).toBe(Date.UTC(2024, 1, 29, 1, 2, 3));
	expect(parseXDate('Sat Nov 31 12:00:00 +0000 2026')).toBeNaN();
	expect(parseXDate('SatDec1517:58:20+00002015')).toBeNaN();
	expect(compactXDates('{"a":"Sat Dec 15 17:58:20 +0000 2015"}')).toBe('{"a":"SatDec1517:58:20+00002015"}');
});

let x: XNode;
beforeAll(async () => {
	x = await startXNode();
});
afterAll(async () => {
	await x.close();
});

const TO_MS = Date.now() - 1000;
const from = new Date(TO_MS - 5 * 3_600_000).toISOString();
const to = new Date(TO_MS).toISOString();

async function listing(dateStyle: 'classic' | 'compact'): Promise<{ createdAt: unknown; items: IDataObject[]; report: IDataObject; show: IDataObject }> {
	// The same feedback served both ways: only the way dates are written changes.
	await x.control('POST', 'config', { dateStyle });
	const many = await x.run({ resource: 'feedback', operation: 'getMany', from, to, returnAll: true, filters: { includeTest: true }, options: { minEventAgeHours: 0 } });
	const report = await x.run({ resource: 'feedback', operation: 'getReport', from, to, files: [], options: { minEventAgeHours: 0, includeTest: true } });
	const someId = String((x.emu.store.feedback.records.values().next().value as { id: string }).id);
	const show = await x.run({ resource: 'feedback', operation: 'get', feedbackId: someId });
	const c = x.credentials;
	const client = createSignedClient({ baseUrl: c.baseUrl, consumerKey: c.consumerKey, consumerSecret: c.consumerSecret, token: c.accessToken, tokenSecret: c.accessTokenSecret });
	const wire = await client.get(`/1.1/feedback/show/${someId}.json`);
	await client.close();
	for (const r of [many, report, show]) expect(r.error).toBeUndefined();
	// Get's rateLimit counts down between the two runs; the rest must match.
	const shown = { ...show.items[0].json };
	delete shown.rateLimit;
	return { createdAt: wire.body.created_at, items: many.items.map((i) => i.json), report: report.items[0].json, show: shown };
}

test('Get Many, Get Report and Get read the compact dates as the classic ones', async () => {
	await x.reset();
	x.emu.store.bulk({ customers: 10, feedback: 20, spanMs: 4 * 3_600_000, seed: 3 });
	const classic = await listing('classic');
	const compact = await listing('compact');
	// The switch is really on: the API writes the compact form.
	expect(classic.createdAt).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \+0000 \d{4}$/);
	expect(compact.createdAt).toMatch(/^[A-Z][a-z]{2}[A-Z][a-z]{2}\d{2}\d{2}:\d{2}:\d{2}\+0000\d{4}$/);
	expect(compact.items.length).toBeGreaterThan(20);
	expect(compact.items).toEqual(classic.items);
	expect(compact.report).toEqual(classic.report);
	expect(compact.show).toEqual(classic.show);
	expect(JSON.stringify(compact.items)).not.toMatch(/setAside/);
});
