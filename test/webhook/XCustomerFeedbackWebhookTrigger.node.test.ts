/** The webhook trigger through n8n-core's real WebhookContext: who gets in, what is refused, what is emitted. */
import { WebhookHarness } from '../harness/runWebhook';
import { eventIdOf, triggerItem } from '../../nodes/shared/triggerItem';
import type { XFeedbackEvent } from '../../nodes/shared/types';

const AUTH = { user: 'x-feedback', password: 'Zq7v!Kp2#mW9tR4xL8bN' };
const BUSINESS = '1212121212121';

/** X's own example event (webhooks.rst), squashed dates included. */
function xEvent(over: Partial<XFeedbackEvent['feedback']> = {}, eventType = 'feedback.updated'): XFeedbackEvent {
	return {
		event_type: eventType,
		created_at: 'SatDec1518:58:22+00002015',
		feedback: {
			created_at: 'SatDec1517:58:20+00002015',
			updated_at: 'SatDec1518:58:22+00002015',
			id: '123456789',
			type: 'nps',
			test: false,
			dm_id: '8989898989',
			from_user_id: BUSINESS,
			to_user_id: '343434343434',
			privacy_url: 'https://mybusiness.domain/privacy',
			external_id: 'ticket_5555',
			question_variant_id: 3 as unknown as string,
			display_name: 'MyBusinessName',
			response: {
				score: { created_at: 'SatDec1518:58:22+00002015', value: 1 },
				text: { created_at: 'SatDec1518:58:22+00002015', value: 'I<3thisbiz' },
			},
			...over,
		},
	};
}

const harness = (parameters: Record<string, unknown> = {}) =>
	new WebhookHarness({ parameters: { events: ['score', 'comment'], ...parameters } as never, basicAuth: AUTH });

test("X's example event: one item per part, the polling trigger's items exactly, eventId included", async () => {
	const h = harness();
	const answer = await h.call({ body: xEvent() });
	expect(answer.status).toBe(200);
	expect(answer.body).toEqual({ message: 'Workflow was started' });
	const items = answer.items.map((i) => i.json);
	expect(items.map((i) => i.eventId)).toEqual(['123456789:score', '123456789:comment']);
	expect(items[0]).toEqual(
		expect.objectContaining({
			event: 'score',
			feedbackId: '123456789',
			type: 'nps',
			score: 1,
			comment: 'I<3thisbiz',
			detractor: true,
			npsCategory: 'detractor',
			externalId: 'ticket_5555',
			questionVariantId: 3,
			submittedAt: '2015-12-15T18:58:22.000Z',
			requestedAt: '2015-12-15T17:58:20.000Z',
			deliveryAttempt: 1,
			recovered: false,
		}),
	);
	// The polling trigger builds its items with the same function from the same snapshot.
	const polled = triggerItem({ kind: 'score', feedbackId: '123456789', atMs: Date.UTC(2015, 11, 15, 18, 58, 22), feedback: xEvent().feedback }, false);
	expect(items[0]).toEqual(polled);
	expect(eventIdOf({ feedbackId: '123456789', kind: 'comment' })).toBe(items[1].eventId);
});

describe('refused calls: a clear answer, nothing emitted, a line in the log', () => {
	const cases: Array<[string, Parameters<WebhookHarness['call']>[0], number, RegExp]> = [
		['no credentials', { body: xEvent(), auth: null }, 401, /no Basic auth/],
		['a wrong password', { body: xEvent(), auth: { user: AUTH.user, password: 'Zq7v!Kp2#mW9tR4xL8bM' } }, 401, /wrong Basic auth/],
		['a wrong user', { body: xEvent(), auth: { user: 'x-feedbacK', password: AUTH.password } }, 401, /wrong Basic auth/],
		['a longer password that starts right', { body: xEvent(), auth: { user: AUTH.user, password: `${AUTH.password}x` } }, 401, /wrong Basic auth/],
		['bad JSON sent as text', { body: '{"event_type": "feedback.updated",', contentType: 'text/plain' }, 400, /not valid JSON/],
		['an empty body', { body: '', contentType: 'text/plain' }, 400, /empty/],
		['a JSON array', { body: [xEvent()] }, 400, /not a JSON object/],
		['no event_type', { body: { feedback: xEvent().feedback } }, 400, /event_type/],
		['another kind of event', { body: { ...xEvent(), event_type: 'tweet.create' } }, 400, /event_type/],
		['no feedback', { body: { event_type: 'feedback.updated', created_at: 'x' } }, 400, /feedback is missing/],
		['a feedback without id', { body: xEvent({ id: undefined as unknown as string }) }, 400, /feedback.id/],
		['a from_user_id that is not an id', { body: xEvent({ from_user_id: 'abc' }) }, 400, /from_user_id/],
		['a body over the cap', { body: xEvent({ display_name: 'x'.repeat(600 * 1024) }) }, 413, /at most 524288/],
		['JSON nested 100 levels', { body: { ...xEvent(), extra: JSON.parse('['.repeat(100) + ']'.repeat(100)) } }, 400, /nested deeper/],
	];
	test.each(cases)('%s', async (_name, call, status, reason) => {
		const h = harness();
		const answer = await h.call(call);
		expect(answer.status).toBe(status);
		expect(answer.answeredBy).toBe('node');
		expect((answer.body as { error: string }).error).toMatch(reason);
		expect(answer.items).toEqual([]);
		const warned = h.logged.filter((l) => l.level === 'warn');
		expect(warned).toHaveLength(1);
		expect(warned[0].message).toMatch(reason);
		expect(warned[0].meta).toEqual(expect.objectContaining({ status, remoteAddress: '127.0.0.1' }));
		if (status === 401) expect(answer.headers['www-authenticate']).toMatch(/^Basic realm=/);
		// Nothing of the secret reaches the answer or the log.
		const seen = JSON.stringify([answer, h.logged]);
		expect(seen).not.toContain(AUTH.password);
		expect(seen).not.toContain(Buffer.from(`${AUTH.user}:${AUTH.password}`).toString('base64'));
	});

	test('bad JSON declared as JSON is answered 422 by n8n itself, before the node runs', async () => {
		const answer = await harness().call({ body: '{"event_type":' });
		expect(answer).toEqual(expect.objectContaining({ status: 422, answeredBy: 'n8n', items: [] }));
	});
});

test('a credential without a password fails the node, naming the field, and admits nobody', async () => {
	const h = new WebhookHarness({ parameters: { events: ['score'] } as never, basicAuth: { user: 'x', password: '' } });
	const answer = await h.call({ body: xEvent(), auth: { user: 'x', password: '' } });
	expect(answer.status).toBe(500);
	expect(answer.items).toEqual([]);
	expect(answer.error?.message).toMatch(/^Basic Auth credential: .*password/);
});

describe('what is emitted', () => {
	test('Events picks the parts; a request part comes with feedback.created', async () => {
		const created = xEvent({ response: undefined }, 'feedback.created');
		expect((await harness({ events: ['request', 'score'] }).call({ body: created })).items.map((i) => i.json.eventId)).toEqual(['123456789:request']);
		expect((await harness({ events: ['comment'] }).call({ body: xEvent() })).items.map((i) => i.json.eventId)).toEqual(['123456789:comment']);
	});

	test('an update without a new part (a card viewed) starts nothing and is answered 200', async () => {
		const answer = await harness().call({ body: xEvent({ response: undefined }) });
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({ received: true, items: 0 });
		expect(answer.items).toEqual([]);
	});

	test('Only Feedback Sent By: another account, another type, test feedback are answered 200 and ignored', async () => {
		const byIds = harness({ account: 'ids', fromUserIds: `999, ${BUSINESS}` });
		expect((await byIds.call({ body: xEvent() })).items).toHaveLength(2);
		expect((await byIds.call({ body: xEvent({ from_user_id: '777' }) })).items).toHaveLength(0);
		expect((await harness({ feedbackType: 'csat' }).call({ body: xEvent() })).items).toHaveLength(0);
		expect((await harness().call({ body: xEvent({ test: true }) })).items).toHaveLength(0);
		expect((await harness({ options: { includeTest: true } }).call({ body: xEvent({ test: true }) })).items).toHaveLength(2);
	});

	test("The Account of an X Credential: the connected account's user id", async () => {
		const creds = (token: string) => () => ({ baseUrl: 'http://127.0.0.1:1', consumerKey: 'k', consumerSecret: 's', accessToken: token, accessTokenSecret: 't' });
		const ours = new WebhookHarness({ parameters: { account: 'credential' } as never, basicAuth: AUTH, xCredentials: creds(`${BUSINESS}-abc`) });
		expect((await ours.call({ body: xEvent() })).items).toHaveLength(2);
		const other = new WebhookHarness({ parameters: { account: 'credential' } as never, basicAuth: AUTH, xCredentials: creds('555-abc') });
		expect((await other.call({ body: xEvent() })).items).toHaveLength(0);
	});

	test('From User IDs that are not ids fail the node, naming the field', async () => {
		const answer = await harness({ account: 'ids', fromUserIds: '12, @acme' }).call({ body: xEvent() });
		expect(answer.status).toBe(500);
		expect(answer.error?.message).toBe('From User IDs: "@acme" is not an X user ID (digits only)');
	});

	test('Include Raw Event adds the snapshot; a score with an unreadable date is logged, the comment still comes', async () => {
		const raw = await harness({ options: { includeRaw: true } }).call({ body: xEvent() });
		expect(raw.items[0].json.raw).toEqual(expect.objectContaining({ id: '123456789', dm_id: '8989898989' }));
		const h = harness();
		const odd = xEvent();
		odd.feedback.response!.score!.created_at = 'Sat Nov 34 10:00:00 +0000 2015';
		const answer = await h.call({ body: odd });
		expect(answer.items.map((i) => i.json.event)).toEqual(['comment']);
		expect(h.logged.some((l) => l.level === 'warn' && l.meta?.reason === 'unreadablePartDate')).toBe(true);
	});
});
