/**
 * Account → Check Setup, through n8n-core against the emulator in each of its modes: one item that
 * says what X did (credential, calls, can_dm, event clock, snapshot mode) and a verdict, whatever
 * X refused, with no secret in it.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { EmulatorOptions } from '../../../emulator/index';
import { useXNode, visibleText, type XNode } from '../xNode';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let x: XNode;
useXNode((node) => (x = node));

const params = (extra: IDataObject = {}): INodeParameters => ({ resource: 'account', operation: 'checkSetup', ...extra }) as INodeParameters;

/**
 * A fresh emulator in the given mode with four requests sent two days ago: three answered (a score,
 * then a comment), one not.
 */
async function history(options: Partial<EmulatorOptions> = {}): Promise<void> {
	await x.reset(options);
	const [customer] = await x.addCustomers({ screenName: 'cust_setup', allowlisted: true });
	const business = x.emu.store.accounts.business;
	const start = Math.floor((Date.now() - 48 * HOUR) / 1000) * 1000;
	for (let n = 0; n < 4; n++) {
		const sent = start + n * HOUR;
		const fb = x.emu.store.feedback.create(
			{ type: 'csat', fromUserId: business.id, toUserId: customer.id, message: 'How did we do?', privacyUrl: 'https://acme.example/privacy', questionVariantId: 0, test: false },
			sent,
		);
		if (n === 3) continue;
		x.emu.store.respond(fb.id, { score: 4, at: sent + 10 * MINUTE });
		x.emu.store.respond(fb.id, { text: 'thanks', at: sent + 20 * MINUTE });
	}
}

async function check(extra: IDataObject = {}): Promise<{ item: IDataObject; text: string }> {
	const result = await x.run(params(extra));
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(1);
	const text = visibleText(result);
	const { consumerKey, consumerSecret, accessToken, accessTokenSecret } = x.credentials;
	for (const secret of [consumerKey, consumerSecret, accessToken, accessTokenSecret]) expect(text).not.toContain(secret);
	expect(text).not.toMatch(/oauth_signature|Authorization/i);
	return { item: result.items[0].json, text };
}

const events = (item: IDataObject) => item.events as IDataObject & { snapshotMode: string; beyondTolerance: { after: number; before: number }; partsSeen: number };
const verdict = (item: IDataObject) => item.verdict as { overall: string; findings: string[] };
const calls = (item: IDataObject) => item.calls as Array<{ endpoint: string; status: number | null; xCode: number | null; rateLimit: IDataObject | null; meaning: string }>;

test('default mode: the credential, every call with its rate-limit headers, can_dm from friendships/show, snapshots as of the event, verdict ok; GETs only', async () => {
	await history();
	const { item } = await check();
	expect(item.credential).toEqual({ status: 'ok', userId: x.emu.store.accounts.business.id, screenName: x.emu.store.accounts.business.screenName });
	expect(calls(item).map((c) => [c.endpoint, c.status])).toEqual([
		['GET /1.1/account/verify_credentials.json', 200],
		['GET /1.1/feedback/events.json', 200],
		['GET /1.1/friendships/show.json', 200],
		['GET /1.1/users/show.json', 200],
	]);
	for (const call of calls(item)) expect(call.rateLimit).toEqual({ limit: expect.any(Number), remaining: expect.any(Number), resetAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
	expect(item.canDm).toMatchObject({ source: 'friendships/show relationship.source.can_dm' });
	expect(events(item)).toMatchObject({
		eventsRead: 10,
		partsSeen: 10,
		partsByKind: { request: 4, score: 3, comment: 3 },
		stampedAfterPart: { count: 10, minSec: 0, maxSec: 0 },
		stampedBeforePart: { count: 0 },
		beyondTolerance: { after: 0, before: 0 },
		snapshotMode: 'event',
		listingComplete: true,
	});
	expect(verdict(item).overall).toBe('ok');
	expect(verdict(item).findings.join(' ')).toContain("default tolerance (2 h before, 6 h after) covers every gap seen");
	const stats = await x.stats();
	expect(Object.keys(stats.byEndpoint).every((endpoint) => endpoint.startsWith('GET '))).toBe(true);
	expect(stats.total).toBeLessThanOrEqual(8);
});

test('snapshotMode current: inferred as the feedback as it is now; event mode with stamps an hour early is still as of the event', async () => {
	await history({ snapshotMode: 'current' });
	expect(events((await check()).item).snapshotMode).toBe('current');
	await history({ snapshotMode: 'event', eventLagMinMs: -HOUR, eventLagMaxMs: -HOUR });
	const { item } = await check();
	expect(events(item)).toMatchObject({ snapshotMode: 'event', stampedBeforePart: { count: 10, minSec: 3600, maxSec: 3600 }, beyondTolerance: { after: 0, before: 0 } });
	expect(verdict(item).overall).toBe('ok');
});

test.each(['event', 'current'] as const)('events stamped 7 to 8 h after their parts (%s snapshots): beyond the default tolerance, verdict attention naming the option', async (snapshotMode) => {
	await history({ snapshotMode, eventLagMinMs: 7 * HOUR, eventLagMaxMs: 8 * HOUR });
	const { item } = await check();
	expect(events(item).snapshotMode).toBe(snapshotMode);
	expect(events(item)).toMatchObject({ partsSeen: 10, beyondTolerance: { after: 10, before: 0 }, stampedAfterPart: { count: 10, minSec: expect.any(Number) } });
	expect((events(item).stampedAfterPart as { minSec: number }).minSec).toBeGreaterThan(6 * 3600);
	expect(verdict(item).overall).toBe('attention');
	expect(verdict(item).findings.join(' ')).toMatch(/"Event Time Tolerance After Part \(Hours\)" to at least (7|8)\b/);
});

test('events stamped 3 h before their parts: beyond the tolerance before, verdict attention', async () => {
	await history({ eventLagMinMs: -3 * HOUR, eventLagMaxMs: -3 * HOUR });
	const { item } = await check();
	expect(events(item).beyondTolerance).toEqual({ after: 0, before: 10 });
	expect(verdict(item).findings.join(' ')).toContain('"Event Time Tolerance Before Part (Hours)" to at least 3');
});

test('canDmField false: the item says X leaves can_dm out of friendships/show', async () => {
	await history({ canDmField: false });
	const { item } = await check();
	expect(item.canDm).toMatchObject({ source: 'absent', value: null });
	expect(calls(item)[2].meaning).toBe('200: relationship.source.can_dm is absent');
});

test('app not allowlisted: feedback/events shows 403/87 and the operation still returns its item, verdict attention', async () => {
	await history({ appAllowlisted: false });
	const { item } = await check();
	expect(item.credential).toMatchObject({ status: 'ok' });
	const events = calls(item).find((c) => c.endpoint === 'GET /1.1/feedback/events.json')!;
	expect(events).toMatchObject({ status: 403, xCode: 87, meaning: '403/87: This app is not allowlisted for customer feedback cards', rateLimit: { limit: 1000 } });
	expect(verdict(item).overall).toBe('attention');
	expect(verdict(item).findings.join(' ')).toContain('403/87');
});

test('a refused credential (401/89) is a finding, not a failure', async () => {
	await history();
	const result = await x.run(params(), { credentials: { accessToken: '1-not-a-token', accessTokenSecret: 'nope-SENTINEL' } });
	expect(result.error).toBeUndefined();
	const item = result.items[0].json;
	expect(item.credential).toMatchObject({ status: 'error', httpCode: 401 });
	expect(verdict(item).overall).toBe('attention');
	expect(visibleText(result)).not.toContain('nope-SENTINEL');
});

test('Other User: friendships/show and users/show ask about that user', async () => {
	await history();
	const { item } = await check({ otherUser: '@cust_setup' });
	expect(item.canDm).toMatchObject({ source: 'friendships/show relationship.source.can_dm', value: true, about: '@cust_setup' });
});

test.each([
	[{ days: 0 }, 'Item 0: Days of Events must be a whole number from 1 to 30'],
	[{ otherUser: 'not a user!' }, 'Item 0: Other User "not a user!" is neither'],
])('bad input %p fails naming the field and the item, before any call', async (extra, message) => {
	await x.reset();
	const result = await x.run(params(extra));
	expect(result.error?.message).toContain(message);
	expect((await x.stats()).total).toBe(0);
});

test('a base URL with user info: the item shows the URL without it', async () => {
	await x.reset();
	const withUserInfo = x.credentials.baseUrl.replace('//', '//someone:pa55-SENTINEL@');
	const result = await x.run(params(), { credentials: { baseUrl: withUserInfo } });
	expect(result.error).toBeUndefined();
	const item = result.items[0].json;
	expect(item.apiBaseUrl).toBe(x.credentials.baseUrl.replace(/\/+$/, ''));
	expect(visibleText(result)).not.toMatch(/pa55-SENTINEL|someone/);
});
