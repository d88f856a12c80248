/**
 * X's own published example payloads (test/fixtures/x-docs, verbatim from its beta feedback docs)
 * through the nodes: Get Many over the events example and the webhook event, Get over the show
 * example, Send Request over the create example. X served through a fake X (HostileX) that answers
 * exactly those bodies; the nodes run in n8n-core (runNode).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INodeParameters } from 'n8n-workflow';

import { runNode, type NodeRunResult } from '../harness/runNode';
import { EVENTS, HostileX } from '../hostile/hostileX';

const DOCS = join(__dirname, '..', 'fixtures', 'x-docs');
const verbatim = (file: string) => readFileSync(join(DOCS, file), 'utf8');

/**
 * The only repairs X's examples need to be JSON, each applied exactly where X's text needs it: the
 * events example elides each snapshot's other fields with a `...` line, and the show example lacks
 * the comma after its id. Nothing else is touched.
 */
function asX(file: string): unknown {
	const text = verbatim(file);
	let repaired = text;
	if (file === 'feedback-events.example.txt') repaired = text.replace(/,\n\s*\.\.\.\n/g, '\n');
	if (file === 'feedback-show.example.txt') repaired = text.replace('"id": "123456789"\n', '"id": "123456789",\n');
	return JSON.parse(repaired);
}

const SAT_DEC_15_2015 = Date.UTC(2015, 11, 15);
const HOUR = 3_600_000;

let x: HostileX;
beforeAll(async () => {
	x = await HostileX.start();
});
afterAll(async () => {
	await x.close();
});
beforeEach(() => x.reset());

const run = (parameters: INodeParameters): Promise<NodeRunResult> => runNode({ credentials: x.credentials(), parameters });
const getMany: INodeParameters = {
	resource: 'feedback',
	operation: 'getMany',
	from: new Date(SAT_DEC_15_2015 + 17 * HOUR).toISOString(),
	to: new Date(SAT_DEC_15_2015 + 19 * HOUR).toISOString(),
	returnAll: true,
	filters: { includeTest: true },
};

test('the fixtures are what X published: two are not JSON as written, and exactly the documented repairs fix them', () => {
	expect(() => JSON.parse(verbatim('feedback-events.example.txt'))).toThrow();
	expect(() => JSON.parse(verbatim('feedback-show.example.txt'))).toThrow();
	expect(() => JSON.parse(verbatim('feedback-create.example.txt'))).not.toThrow();
	expect(() => JSON.parse(verbatim('webhook-event.example.txt'))).not.toThrow();
	expect(verbatim('feedback-events.example.txt').match(/^\s*\.\.\.$/gm)).toHaveLength(2);
	expect(asX('feedback-events.example.txt')).toMatchObject({ next_cursor: '10011', events: [{ event_type: 'feedback.updated' }, { event_type: 'feedback.created' }] });
});

test("Get Many reads X's events example (squashed dates, Sat for a Tuesday, snapshots with only id and dates) and follows its next_cursor", async () => {
	x.on(EVENTS, (_req, n) => ({ body: n === 0 ? asX('feedback-events.example.txt') : { events: [], next_cursor: '' } }));
	const { items, error } = await run(getMany);
	expect(error).toBeUndefined();
	expect(items.map((i) => i.json)).toEqual([
		expect.objectContaining({ eventType: 'updated', eventAt: '2015-12-15T17:58:22.000Z', feedbackId: '123456789', sentAt: '2015-12-15T17:58:20.000Z', updatedAt: '2015-12-15T17:59:22.000Z' }),
		expect.objectContaining({ eventType: 'created', eventAt: '2015-12-15T17:59:22.000Z', feedbackId: '123456799', sentAt: '2015-12-15T17:59:22.000Z' }),
	]);
	const asked = x.requests(EVENTS);
	expect(asked).toHaveLength(2);
	expect(asked[1].query.get('cursor')).toBe('10011');
});

test("Get Many reads X's webhook event (a full snapshot: numeric question_variant_id, score and comment) when it comes in a listing", async () => {
	x.on(EVENTS, () => ({ body: { events: [asX('webhook-event.example.txt')], next_cursor: '' } }));
	const { items, error } = await run(getMany);
	expect(error).toBeUndefined();
	expect(items.map((i) => i.json)).toEqual([
		expect.objectContaining({
			eventType: 'updated',
			feedbackId: '123456789',
			type: 'nps',
			score: 1,
			scoreIssue: null,
			scoredAt: '2015-12-15T18:58:22.000Z',
			comment: 'I<3thisbiz',
			questionVariantId: 3,
			externalId: 'ticket_5555',
			recipientId: '343434343434',
			test: false,
			detractor: true,
		}),
	]);
});

test("Get reads X's show example (the response object, a text and media_id_str besides)", async () => {
	x.on('/1.1/feedback/show/123456789.json', () => ({ body: asX('feedback-show.example.txt') }));
	const { items, error } = await run({ resource: 'feedback', operation: 'get', feedbackId: '123456789' });
	expect(error).toBeUndefined();
	expect(items[0].json).toMatchObject({
		feedbackId: '123456789',
		answered: true,
		score: 1,
		scoredAt: '2015-12-15T18:59:22.000Z',
		comment: 'I<3thisbiz',
		commentedAt: '2015-12-15T18:59:52.000Z',
		sentAt: '2015-12-15T17:58:20.000Z',
		updatedAt: '2015-12-15T17:59:22.000Z',
	});
});

test("Send Request reads X's create example as sent (question_variant_id as a string)", async () => {
	x.on('/1.1/feedback/create.json', () => ({ body: asX('feedback-create.example.txt') }));
	const { items, error } = await run({
		resource: 'feedback',
		operation: 'send',
		recipient: { __rl: true, mode: 'id', value: '343434343434' },
		feedbackType: 'nps',
		message: 'Thanks for contacting us! How did we do?',
		privacyUrl: 'https://mybusiness.example/privacy',
		externalId: 'ticket_5555',
		options: { checkCanDm: false, skipAskedWithinDays: 0, questionVariantId: 3, displayName: 'MyBusinessName' },
	});
	expect(error).toBeUndefined();
	expect(items[0].json).toEqual({
		status: 'sent',
		feedbackId: '123456789',
		dmId: '8989898989',
		recipientId: '343434343434',
		type: 'nps',
		questionVariantId: 3,
		questionText: expect.stringContaining('MyBusinessName'),
		externalId: 'ticket_5555',
		test: false,
		sentAt: '2015-12-15T17:58:20.000Z',
	});
});
