/**
 * Skip Seen Parts through n8n-core's WorkflowExecute and n8n's de-duplication store (in memory, with
 * n8n's unlocked read-then-write, so concurrent executions lose each other's writes as in n8n).
 */
import type { IDataObject } from 'n8n-workflow';

import { deduplicationStore } from '../../harness/memoryDeduplicator';
import { runNode } from '../../harness/runNode';

const CREDENTIALS = { baseUrl: 'http://127.0.0.1:1', consumerKey: 'k', consumerSecret: 's', accessToken: '1-t', accessTokenSecret: 'ts' };

const part = (eventId: string, extra: IDataObject = {}): IDataObject => ({ eventId, event: eventId.split(':')[1], feedbackId: eventId.split(':')[0], recovered: false, ...extra });

async function skipSeen(input: IDataObject[], options: IDataObject = { settleMs: 30 }) {
	const result = await runNode({ credentials: CREDENTIALS, parameters: { resource: 'feedback', operation: 'skipSeen', skipSeenOptions: options as never }, input });
	if (result.error) throw result.error;
	return result.items.map((i) => i.json.eventId as string);
}

beforeEach(() => deduplicationStore.clear());

test('each part goes on once: again later, or twice in one batch, it is dropped; items pass unchanged', async () => {
	const first = await runNode({
		credentials: CREDENTIALS,
		parameters: { resource: 'feedback', operation: 'skipSeen', skipSeenOptions: { settleMs: 30 } },
		input: [part('11:score', { score: 3 }), part('11:comment'), part('11:score')],
	});
	expect(first.items.map((i) => i.json)).toEqual([part('11:score', { score: 3 }), part('11:comment')]);
	expect(first.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	// X calls again for the comment: its snapshot repeats the score.
	expect(await skipSeen([part('11:score'), part('11:comment')])).toEqual([]);
	expect(await skipSeen([part('12:score'), part('11:score')])).toEqual(['12:score']);
});

test('concurrent executions carrying the same part: exactly one passes it on, and no other part is lost', async () => {
	for (let trial = 0; trial < 5; trial++) {
		deduplicationStore.clear();
		// Warm the row (its creation is the one moment two writers collide on its key in n8n).
		await skipSeen([part('0:request')]);
		// Eight executions at once: X sent the same score twice, and six other parts arrive meanwhile.
		const calls = [
			[part('21:score')],
			[part('21:score')],
			[part('22:score'), part('21:score')],
			[part('23:score')],
			[part('24:comment')],
			[part('25:score')],
			[part('26:score')],
			[part('21:score'), part('27:comment')],
		];
		const outputs = await Promise.all(calls.map(async (input) => await skipSeen(input)));
		const passed = outputs.flat().sort();
		expect(passed).toEqual(['21:score', '22:score', '23:score', '24:comment', '25:score', '26:score', '27:comment']);
	}
});

test("n8n's store alone (no settle and verify) lets a concurrent duplicate through: why the claim is checked", async () => {
	await deduplicationStore.checkProcessedAndRecord(['0:request'], 'node', { workflow: { id: 'test-workflow', active: true }, node: { id: 'x' } as never }, { mode: 'entries' });
	const context = { workflow: { id: 'test-workflow', active: true }, node: { id: 'x' } as never };
	const both = await Promise.all([1, 2].map(() => deduplicationStore.checkProcessedAndRecord(['21:score'], 'node', context, { mode: 'entries' })));
	expect(both.map((r) => r.new)).toEqual([['21:score'], ['21:score']]);
});

test('the recovery run after 24 h: only the parts the webhook did not deliver go on, marked recovered', async () => {
	// The webhook delivered 31's score and 32's score; the call for 31's comment was lost.
	expect(await skipSeen([part('31:score')])).toEqual(['31:score']);
	expect(await skipSeen([part('32:score')])).toEqual(['32:score']);
	const recovered = await runNode({
		credentials: CREDENTIALS,
		parameters: { resource: 'feedback', operation: 'skipSeen', skipSeenOptions: { settleMs: 30 } },
		input: [part('31:score', { recovered: true }), part('31:comment', { recovered: true }), part('32:score', { recovered: true })],
	});
	expect(recovered.items.map((i) => [i.json.eventId, i.json.recovered])).toEqual([['31:comment', true]]);
});

test('an item without a part id fails the node, naming the item and the field', async () => {
	const result = await runNode({
		credentials: CREDENTIALS,
		parameters: { resource: 'feedback', operation: 'skipSeen' },
		input: [part('41:score'), { event: 'score' }],
	});
	expect(result.error?.message).toBe('Item 1: eventId is missing');
	const odd = await runNode({
		credentials: CREDENTIALS,
		parameters: { resource: 'feedback', operation: 'skipSeen' },
		input: [{ eventId: '41:scored' }],
	});
	expect(odd.error?.message).toBe('Item 0: eventId is not a part\'s id: "41:scored"');
});

test('a store whose first write collides is asked again once', async () => {
	const spy = jest.spyOn(deduplicationStore, 'checkProcessedAndRecord').mockRejectedValueOnce(new Error('duplicate key value violates unique constraint'));
	try {
		expect(await skipSeen([part('51:score')])).toEqual(['51:score']);
	} finally {
		spy.mockRestore();
	}
});

test('a store that keeps failing fails the node, saying nothing was passed on', async () => {
	const spy = jest.spyOn(deduplicationStore, 'checkProcessedAndRecord').mockRejectedValue(new Error('connection terminated'));
	try {
		const result = await runNode({ credentials: CREDENTIALS, parameters: { resource: 'feedback', operation: 'skipSeen' }, input: [part('61:score')] });
		expect(result.items).toEqual([]);
		expect(result.error?.message).toBe("Skip Seen Parts could not use n8n's de-duplication store: connection terminated");
		expect(result.error?.description).toMatch(/^Nothing was passed on/);
	} finally {
		spy.mockRestore();
	}
});
