/** Feedback -> Get, through n8n-core against the emulator. */
import { ENDPOINT, byId, count, sendParams, useXNode, type Customer, type XNode } from '../xNode';

let x: XNode;
let alice: Customer;
let bob: Customer;

useXNode((node) => (x = node), {
	customers: [{ screenName: 'alice' }, { screenName: 'bob' }],
	each: (customers) => ([alice, bob] = customers),
});

async function send(customer: Customer, type: 'csat' | 'nps', options = {}): Promise<string> {
	const { items, error } = await x.run(sendParams(byId(customer.id), { feedbackType: type }, options));
	if (error) throw error;
	return items[0].json.feedbackId as string;
}

const getParams = (feedbackId: string, simplify?: boolean) => ({
	resource: 'feedback',
	operation: 'get',
	feedbackId,
	...(simplify === undefined ? {} : { simplify }),
});

const iso = (xDate: string) => new Date(Date.parse(xDate.replace(/^\w{3} (\w{3}) (\d{2}) (\S+) \+0000 (\d{4})$/, '$1 $2 $4 $3 UTC'))).toISOString();

test('an NPS answer with score and comment, simplified', async () => {
	const { items: sent } = await x.run(sendParams(byId(alice.id), { feedbackType: 'nps', externalId: 'case-1' }, { questionVariantId: 5 }));
	const id = sent[0].json.feedbackId as string;
	await x.control('POST', `feedback/${id}/respond`, { score: 9 });
	await x.control('POST', 'clock', { advanceMs: 90_000 });
	await x.control('POST', `feedback/${id}/respond`, { text: 'Quick and friendly.' });
	const stored = await x.control('GET', `feedback/${id}`);

	const { items, error } = await x.run(getParams(id));
	expect(error).toBeUndefined();
	expect(items).toHaveLength(1);
	expect(items[0].json).toEqual({
		feedbackId: id,
		type: 'nps',
		answered: true,
		score: 9,
		scoreIssue: null,
		scoredAt: iso(stored.response.score.created_at),
		comment: 'Quick and friendly.',
		commentedAt: iso(stored.response.text.created_at),
		questionVariantId: 5,
		externalId: 'case-1',
		recipientId: alice.id,
		test: true,
		sentAt: iso(stored.created_at),
		updatedAt: iso(stored.updated_at),
		category: 'promoter',
		detractor: false,
		npsCategory: 'promoter',
		csatSatisfied: null,
		rateLimit: { limit: 180, remaining: 179, resetAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/) },
	});
	expect(Date.parse(items[0].json.commentedAt as string) - Date.parse(items[0].json.scoredAt as string)).toBeGreaterThanOrEqual(90_000);
	expect(count(await x.stats(), ENDPOINT.show)).toBe(1);
});

test.each([
	[6, 'detractor'],
	[7, 'passive'],
	[8, 'passive'],
	[10, 'promoter'],
])('NPS %i is a %s', async (score, category) => {
	const id = await send(alice, 'nps');
	await x.control('POST', `feedback/${id}/respond`, { score });
	const { items } = await x.run(getParams(id));
	expect(items[0].json).toMatchObject({ score, npsCategory: category, category, detractor: score <= 6, csatSatisfied: null, answered: true, comment: null, commentedAt: null });
});

test.each([
	[1, false, 'dissatisfied', true],
	[2, false, 'dissatisfied', true],
	[3, false, 'neutral', false],
	[4, true, 'satisfied', false],
])('CSAT %i: csatSatisfied is %s, category %s, detractor %s', async (score, satisfied, category, detractor) => {
	const id = await send(bob, 'csat');
	await x.control('POST', `feedback/${id}/respond`, { score });
	const { items } = await x.run(getParams(id));
	// Every item has the same keys: the other type's class is null.
	expect(items[0].json).toMatchObject({ type: 'csat', score, csatSatisfied: satisfied, category, detractor, npsCategory: null });
});

test("X's rate-limit headers come with each item, so a polling loop can slow down before a 429", async () => {
	const id = await send(bob, 'csat');
	const first = await x.run(getParams(id));
	const second = await x.run(getParams(id));
	const a = first.items[0].json.rateLimit as { limit: number; remaining: number; resetAt: string };
	const b = second.items[0].json.rateLimit as { limit: number; remaining: number; resetAt: string };
	expect(a.limit).toBe(180);
	expect(b.remaining).toBe(a.remaining - 1);
	expect(Date.parse(b.resetAt)).toBeGreaterThan(Date.now() - 1000);
	const raw = await x.run(getParams(id, false));
	expect(raw.items[0].json.rateLimit).toMatchObject({ limit: 180, remaining: b.remaining - 1 });
});

test('unanswered: answered false, nulls for the parts and the class', async () => {
	const id = await send(bob, 'csat');
	const { items } = await x.run(getParams(id));
	expect(items[0].json).toMatchObject({
		answered: false,
		score: null,
		scoredAt: null,
		comment: null,
		commentedAt: null,
		csatSatisfied: null,
		npsCategory: null,
		category: null,
		detractor: null,
		externalId: null,
		questionVariantId: 0,
	});
});

test('a comment without a score is an answer', async () => {
	const id = await send(bob, 'csat');
	await x.control('POST', `feedback/${id}/respond`, { text: 'No score from me.' });
	const { items } = await x.run(getParams(id));
	expect(items[0].json).toMatchObject({ answered: true, score: null, csatSatisfied: null, comment: 'No score from me.' });
});

test('Simplify off: the raw X object', async () => {
	const id = await send(alice, 'nps', { displayName: 'Acme' });
	await x.control('POST', `feedback/${id}/respond`, { score: 3, text: 'Meh.' });
	const stored = await x.control('GET', `feedback/${id}`);
	const { items } = await x.run(getParams(id, false));
	const { rateLimit, ...raw } = items[0].json;
	expect(raw).toEqual(stored);
	expect(rateLimit).toMatchObject({ limit: 180 });
	expect(items[0].json).toMatchObject({ question_variant_id: '0', display_name: 'Acme', response: { score: { value: 3 } } });
});

test('one item per input item, with expressions', async () => {
	const a = await send(alice, 'nps');
	const b = await send(bob, 'csat');
	const { items } = await x.run(
		{ resource: 'feedback', operation: 'get', feedbackId: '={{ $json.id }}' },
		{ input: [{ id: b }, { id: a }] },
	);
	expect(items.map((i) => [i.json.feedbackId, i.json.type, i.pairedItem])).toEqual([
		[b, 'csat', { item: 0 }],
		[a, 'nps', { item: 1 }],
	]);
});

test('an unknown ID: X says not found (34)', async () => {
	const { error } = await x.run(getParams('1799999999999999999'));
	expect(error?.message).toBe('Item 0: X found nothing at GET /1.1/feedback/show/1799999999999999999.json: check the ID');
	expect(error?.httpCode).toBe('404');
	expect(count(await x.stats(), ENDPOINT.show)).toBe(1);
});

test('an ID that cannot be one: refused before any request, naming the field and the item', async () => {
	const { error } = await x.run(getParams('={{ "12/34" }}'));
	expect(error?.message).toBe('Item 0: Feedback ID "12/34" is not a feedback ID (letters, digits, _ or -)');
	const empty = await x.run(getParams('={{ " " }}'));
	expect(empty.error?.message).toBe('Item 0: Feedback ID is empty');
	expect((await x.stats()).total).toBe(0);
});
