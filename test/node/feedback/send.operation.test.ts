/** Feedback -> Send Request, through n8n-core against the emulator. */
import type { IDataObject, INode } from 'n8n-workflow';

import { askedKey, dayOf } from '../../../nodes/XCustomerFeedback/helpers/askedRecently';
import { MemoryDeduplicator, deduplicationStore } from '../../harness/memoryDeduplicator';
import { KEEP_TIMING } from '../../../nodes/XCustomerFeedback/helpers/askedMemory';
import { ENDPOINT, PRIVACY_URL, byId, byUsername, count, sendParams, useXNode, type Customer, type XNode } from '../xNode';

const DAY = 24 * 60 * 60 * 1000;

let x: XNode;
let alice: Customer;
let bob: Customer;
let closed: Customer;

useXNode((node) => (x = node), {
	customers: [{ screenName: 'alice' }, { screenName: 'bob' }, { screenName: 'closed_dms', canDm: false }],
	each: (customers) => ([alice, bob, closed] = customers),
});

const STORE_CONTEXT = { workflow: { id: 'test-workflow', active: false }, node: { id: 'x' } as INode };
const STORE_OPTIONS = { mode: 'entries', maxEntries: 10_000 } as const;

describe('sent', () => {
	test('by user ID: checks can_dm (friendships/show), creates the card, outputs the sent item', async () => {
		const before = Date.now();
		const { items, error } = await x.run(
			sendParams(byId(alice.id), { externalId: 'case-42' }, { questionVariantId: 1, displayName: 'Acme' }),
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		const [stored] = await x.storedFeedback(alice.id);
		const json = items[0].json;
		expect(json).toEqual({
			status: 'sent',
			feedbackId: stored.id,
			dmId: stored.dm_id,
			recipientId: alice.id,
			recipientScreenName: 'alice',
			type: 'csat',
			questionVariantId: 1,
			questionText: 'How satisfied are you with Acme?',
			externalId: 'case-42',
			test: true,
			sentAt: expect.any(String),
		});
		const sentMs = Date.parse(json.sentAt as string);
		expect(sentMs).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
		expect(sentMs).toBeLessThanOrEqual(Date.now());
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(stored).toMatchObject({
			type: 'csat',
			to_user_id: alice.id,
			privacy_url: PRIVACY_URL,
			external_id: 'case-42',
			question_variant_id: '1',
			display_name: 'Acme',
			test: true,
			text: 'Thanks for talking to Acme Support. How did we do? Tap a score.',
		});
		const stats = await x.stats();
		expect(count(stats, ENDPOINT.friendshipsShow)).toBe(1);
		expect(count(stats, ENDPOINT.create)).toBe(1);
		expect(stats.total).toBe(2);
	});

	test('by @username: the username is resolved to the user ID', async () => {
		const { items, error } = await x.run(sendParams(byUsername('@bob')));
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'sent', recipientId: bob.id, recipientScreenName: 'bob' });
		expect(await x.storedFeedback(bob.id)).toHaveLength(1);
		expect(await x.storedFeedback(alice.id)).toHaveLength(0);
	});

	test('a username is resolved even with Check Can DM First off', async () => {
		const { items } = await x.run(sendParams(byUsername('alice'), {}, { checkCanDm: false }));
		expect(items[0].json).toMatchObject({ status: 'sent', recipientId: alice.id });
		expect(count(await x.stats(), ENDPOINT.usersShow)).toBe(1);
	});

	test('Check Can DM First off with a user ID: no lookup, only the create call', async () => {
		const { items } = await x.run(sendParams(byId(alice.id), {}, { checkCanDm: false }));
		expect(items[0].json).toMatchObject({ status: 'sent', recipientId: alice.id });
		expect(items[0].json).not.toHaveProperty('recipientScreenName');
		const stats = await x.stats();
		expect(count(stats, ENDPOINT.usersShow)).toBe(0);
		expect(stats.total).toBe(1);
	});

	test('Test Mode passes test=true; off sends test=false', async () => {
		await x.run(sendParams(byId(alice.id), {}, { test: true }));
		await x.run(sendParams(byId(bob.id), {}, { test: false }));
		const [onAlice] = await x.storedFeedback(alice.id);
		const [onBob] = await x.storedFeedback(bob.id);
		expect(onAlice.test).toBe(true);
		expect(onBob.test).toBe(false);
	});

	test('NPS with a question variant: the output carries the real question text', async () => {
		const { items } = await x.run(
			sendParams(byId(alice.id), { feedbackType: 'nps' }, { questionVariantId: 8, displayName: 'Acme Air' }),
		);
		expect(items[0].json).toMatchObject({
			type: 'nps',
			questionVariantId: 8,
			questionText: 'Would you recommend Acme Air to a friend or colleague?',
		});
		const [stored] = await x.storedFeedback(alice.id);
		expect(stored).toMatchObject({ type: 'nps', question_variant_id: '8', display_name: 'Acme Air' });
	});

	test("without a variant X uses 0; without a display name the question names the connected account's @username", async () => {
		const { items } = await x.run(sendParams(byId(alice.id)));
		expect(items[0].json).toMatchObject({
			questionVariantId: 0,
			questionText: `What is your overall satisfaction with @${x.emu.credentials.screenName}?`,
			externalId: null,
		});
	});

	test('without a display name or a known @username the question says "us", never a literal <name>', async () => {
		const { items } = await x.run(sendParams(byId(alice.id)), { credentials: { screenName: undefined } });
		expect(items[0].json.questionText).toBe('What is your overall satisfaction with us?');
	});

	test('every field takes expressions from the input item', async () => {
		const { items, error } = await x.run(
			{
				resource: 'feedback',
				operation: 'send',
				recipient: { __rl: true, mode: 'id', value: '={{ $json.customerId }}' },
				feedbackType: '={{ $json.kind }}',
				message: '=Hi {{ $json.name }}, how did we do?',
				privacyUrl: '={{ $json.privacy }}',
				externalId: '={{ $json.caseId }}',
				options: {
					questionVariantId: '={{ $json.variant }}',
					test: '={{ true }}',
				},
			},
			{ input: [{ customerId: alice.id, kind: 'nps', name: 'Alice', privacy: PRIVACY_URL, caseId: 7, variant: '2' }] },
		);
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'sent', type: 'nps', externalId: '7', questionVariantId: 2, test: true });
		const [stored] = await x.storedFeedback(alice.id);
		expect(stored).toMatchObject({ text: 'Hi Alice, how did we do?', external_id: '7', question_variant_id: '2', type: 'nps' });
	});
});

describe('can_dm', () => {
	test('false: skipped item, no create call, no DM', async () => {
		const { items, error } = await x.run(sendParams(byId(closed.id), { externalId: 'c-1' }));
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json)).toEqual([
			{
				status: 'skipped',
				reason: 'cannot_dm',
				refusedBy: 'node',
				recipientId: closed.id,
				recipientScreenName: 'closed_dms',
				type: 'csat',
				externalId: 'c-1',
				test: true,
			},
		]);
		const stats = await x.stats();
		expect(count(stats, ENDPOINT.create)).toBe(0);
		expect(count(stats, ENDPOINT.dm)).toBe(0);
		expect(count(stats, ENDPOINT.friendshipsShow)).toBe(1);
		expect(await x.dms(closed.id)).toHaveLength(0);
	});

	test('false with "If Customer Cannot Receive DMs" = Error: the item fails, nothing is sent', async () => {
		const { items, error } = await x.run(sendParams(byUsername('closed_dms'), {}, { ifCannotDm: 'error' }));
		expect(items).toHaveLength(0);
		expect(error?.message).toBe(
			`Item 0: @closed_dms (user ID ${closed.id}) cannot receive Direct Messages from this account (can_dm is false); nothing was sent`,
		);
		expect(count(await x.stats(), ENDPOINT.create)).toBe(0);
	});

	test('false with an introductory DM: neither the DM nor the card goes out', async () => {
		await x.run(sendParams(byId(closed.id), {}, { introMessage: 'Hello!' }));
		const stats = await x.stats();
		expect(count(stats, ENDPOINT.dm)).toBe(0);
		expect(count(stats, ENDPOINT.create)).toBe(0);
	});
});

describe('can_dm unknown: X leaves it out (emulator canDmField: false); unknown is not false', () => {
	const entries = () => deduplicationStore.entries('test-workflow', 'x');
	beforeEach(() => x.control('POST', 'config', { canDmField: false }));

	test('a customer who accepts DMs: no pre-skip, the card is sent', async () => {
		const { items, error } = await x.run(sendParams(byId(alice.id)));
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'sent', recipientId: alice.id });
		expect(count(await x.stats(), ENDPOINT.create)).toBe(1);
	});

	test("a customer who does not: X's refusal (403/349) reads skipped, cannot_dm, refused by X; nothing sent, nothing remembered", async () => {
		const { items, error } = await x.run(sendParams(byId(closed.id), { externalId: 'c-2' }));
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json)).toEqual([
			{ status: 'skipped', reason: 'cannot_dm', refusedBy: 'x', recipientId: closed.id, recipientScreenName: 'closed_dms', type: 'csat', externalId: 'c-2', test: true },
		]);
		const stats = await x.stats();
		expect(count(stats, ENDPOINT.create)).toBe(1);
		expect(await x.storedFeedback(closed.id)).toHaveLength(0);
		expect(await x.dms(closed.id)).toHaveLength(0);
		expect(entries()).toBe(0);
	});

	test('with an introductory DM: X refuses the DM, so no card request follows (nothing half sent), skipped, nothing remembered', async () => {
		const { items, error } = await x.run(sendParams(byId(closed.id), {}, { introMessage: 'Hello!' }));
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'skipped', reason: 'cannot_dm', refusedBy: 'x' });
		const stats = await x.stats();
		expect(count(stats, ENDPOINT.dm)).toBe(1);
		expect(count(stats, ENDPOINT.create)).toBe(0);
		expect(await x.storedFeedback(closed.id)).toHaveLength(0);
		expect(entries()).toBe(0);
	});

	test('with "If Customer Cannot Receive DMs" = Error: the item fails with X\'s refusal', async () => {
		const { items, error } = await x.run(sendParams(byId(closed.id), {}, { ifCannotDm: 'error' }));
		expect(items).toHaveLength(0);
		expect(error?.message).toBe('Item 0: You cannot send Direct Messages to this user');
		expect(entries()).toBe(0);
	});

	test("X's other DM refusal, 403/150 (not following), reads the same: skipped, cannot_dm", async () => {
		await x.faults({ kind: 'status', status: 403, code: 150, message: 'You cannot send messages to users who are not following you.', path: '/feedback/create' });
		const { items, error } = await x.run(sendParams(byId(alice.id)));
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ status: 'skipped', reason: 'cannot_dm', refusedBy: 'x', recipientId: alice.id });
		expect(entries()).toBe(0);
	});
});

describe("X's per-recipient limit said as 429/88 while the window has calls left (emulator perRecipientRefusal: rateLimit)", () => {
	const entries = () => deduplicationStore.entries('test-workflow', 'x');
	beforeEach(() => x.control('POST', 'config', { perRecipientRefusal: 'rateLimit' }));

	test('reads skipped, asked_recently, refused by X, and the claim is kept: the next run skips without asking X', async () => {
		await x.run(sendParams(byId(alice.id), {}, { skipAskedWithinDays: 0 }));
		expect(entries()).toBe(0);
		const again = await x.run(sendParams(byId(alice.id)));
		expect(again.error).toBeUndefined();
		expect(again.items[0].json).toEqual({
			status: 'skipped',
			reason: 'asked_recently',
			refusedBy: 'x',
			lastAskedOn: null,
			recipientId: alice.id,
			recipientScreenName: 'alice',
			type: 'csat',
			externalId: null,
			test: true,
		});
		expect(entries()).toBe(1);
		await x.control('POST', 'stats/reset');
		const third = await x.run(sendParams(byId(alice.id)));
		expect(third.items[0].json).toMatchObject({ status: 'skipped', reason: 'asked_recently', refusedBy: 'node' });
		expect(count(await x.stats(), ENDPOINT.create)).toBe(0);
	});

	test('a 429 with no calls left in the window stays a rate-limit error, and nothing is remembered', async () => {
		await x.faults({ kind: 'rateLimit', path: '/feedback/create', resetAfterMs: 60_000 });
		const { items, error } = await x.run(sendParams(byId(bob.id)));
		expect(items).toHaveLength(0);
		expect(error?.message).toMatch(/^Item 0: X rate limit reached for POST \/1\.1\/feedback\/create\.json: try again after \d\d:\d\d UTC/);
		expect(entries()).toBe(0);
	});

	test("an X code the node does not know is reported with X's code and X's text", async () => {
		await x.faults({ kind: 'status', status: 403, code: 4242, message: 'Feedback paused for this account.', path: '/feedback/create' });
		const { error } = await x.run(sendParams(byId(bob.id)));
		expect(error?.message).toBe('Item 0: X refused POST /1.1/feedback/create.json (X code 4242): Feedback paused for this account.');
		expect(entries()).toBe(0);
	});
});

describe('asked recently (n8n\'s de-duplication store; these runs are manual runs)', () => {
	/** What the node finds in the store: `userId` asked `daysAgo` days ago. */
	const remember = (userId: string, daysAgo: number) =>
		deduplicationStore.checkProcessedAndRecord([askedKey(userId, dayOf(Date.now() - daysAgo * DAY))], 'node', STORE_CONTEXT, STORE_OPTIONS);
	const entries = () => deduplicationStore.entries('test-workflow', 'x');

	test('a second run skips the customer without asking X anything', async () => {
		const first = await x.run(sendParams(byId(alice.id)));
		expect(first.items[0].json.status).toBe('sent');
		expect(entries()).toBe(1);

		const second = await x.run(sendParams(byId(alice.id)));
		expect(second.items.map((i) => i.json)).toEqual([
			{
				status: 'skipped',
				reason: 'asked_recently',
				refusedBy: 'node',
				lastAskedOn: dayOf(Date.now()),
				recipientId: alice.id,
				type: 'csat',
				externalId: null,
				test: true,
			},
		]);
		const stats = await x.stats();
		expect(count(stats, ENDPOINT.create)).toBe(1);
		// The second run knew the ID and asked X nothing.
		expect(stats.total).toBe(2);
	});

	test('by username: skipped after the lookup, with the screen name', async () => {
		await x.run(sendParams(byId(alice.id)));
		const second = await x.run(sendParams(byUsername('alice')));
		expect(second.items[0].json).toMatchObject({
			status: 'skipped',
			reason: 'asked_recently',
			recipientId: alice.id,
			recipientScreenName: 'alice',
		});
		expect(count(await x.stats(), ENDPOINT.create)).toBe(1);
	});

	test('two items for the same customer in one run: the second is skipped', async () => {
		const { items } = await x.run(
			sendParams({ __rl: true, mode: 'id', value: '={{ $json.id }}' }),
			{ input: [{ id: alice.id }, { id: alice.id }, { id: bob.id }] },
		);
		expect(items.map((i) => [i.json.status, i.json.recipientId, i.pairedItem])).toEqual([
			['sent', alice.id, { item: 0 }],
			['skipped', alice.id, { item: 1 }],
			['sent', bob.id, { item: 2 }],
		]);
		expect(count(await x.stats(), ENDPOINT.create)).toBe(2);
	});

	test('a claim that collides with another execution creating the store row is asked again, and the survey goes out', async () => {
		// n8n keeps the node's entries in one row: executions creating it at once collide on its key (test:queue (g)).
		const collision = new Error('duplicate key value violates unique constraint "PK_ca04b9d8dc72de268fe07a65773"');
		const spy = jest.spyOn(deduplicationStore, 'checkProcessedAndRecord').mockRejectedValueOnce(collision);
		try {
			const { items } = await x.run(sendParams(byId(alice.id)));
			expect(items[0].json.status).toBe('sent');
			expect(entries()).toBe(1);
			// The claim, asked again, and the read-back of the card's claim at the end of the run.
			expect(spy).toHaveBeenCalledTimes(3);
		} finally {
			spy.mockRestore();
		}
	});

	test('a store that fails twice fails the item, and nothing is sent', async () => {
		const spy = jest.spyOn(deduplicationStore, 'checkProcessedAndRecord').mockRejectedValue(new Error('connection terminated'));
		try {
			const { items } = await x.run(sendParams(byId(alice.id)), { continueOnFail: true });
			expect(items[0].json.error).toMatch(/^Item 0: could not check whom this node asked recently in n8n's de-duplication store: connection terminated/);
			expect(count(await x.stats(), ENDPOINT.create)).toBe(0);
		} finally {
			spy.mockRestore();
		}
	});

	test('an entry older than the window does not skip', async () => {
		await remember(alice.id, 8);
		const { items } = await x.run(sendParams(byId(alice.id)));
		expect(items[0].json.status).toBe('sent');
	});

	test('the window is the option, in UTC days: 3 days skips a customer asked 2 days ago but not one asked 4 days ago', async () => {
		await remember(alice.id, 2);
		await remember(bob.id, 4);
		const { items } = await x.run(sendParams({ __rl: true, mode: 'id', value: '={{ $json.id }}' }, {}, { skipAskedWithinDays: 3 }), {
			input: [{ id: alice.id }, { id: bob.id }],
		});
		expect(items.map((i) => [i.json.status, i.json.lastAskedOn])).toEqual([
			['skipped', dayOf(Date.now() - 2 * DAY)],
			['sent', undefined],
		]);
	});

	test('0 days turns the check off and leaves the store alone', async () => {
		await remember(alice.id, 0);
		const { items } = await x.run(sendParams(byId(alice.id), {}, { skipAskedWithinDays: 0 }));
		expect(items[0].json.status).toBe('sent');
		expect(entries()).toBe(1);
	});

	test('the memory is bounded: the store keeps at most the newest 10,000 entries of this node', async () => {
		await deduplicationStore.checkProcessedAndRecord(
			Array.from({ length: 10_000 }, (_, i) => askedKey(`8${String(i).padStart(5, '0')}`, dayOf(Date.now() - DAY))),
			'node',
			STORE_CONTEXT,
			STORE_OPTIONS,
		);
		const { items } = await x.run(sendParams(byId(alice.id)));
		expect(items[0].json.status).toBe('sent');
		// A claim records the window's 8 day keys and a probe at once and gives 8 back: the store trims
		// to 10,000 first, so the 9 oldest entries made room.
		expect(entries()).toBe(10_000 - 8);
		// The newest are kept, the oldest went.
		expect((await remember('809999', 1)).processed).toHaveLength(1);
		expect((await remember('800000', 1)).new).toHaveLength(1);
		expect((await x.run(sendParams(byId(alice.id)))).items[0].json.status).toBe('skipped');
	});

	test('a skipped or failed request is not remembered; one whose outcome is unknown is', async () => {
		await x.run(sendParams(byId(closed.id)));
		await x.faults({ kind: 'status', status: 503, path: '/feedback/create' });
		await x.run(sendParams(byId(bob.id)), { continueOnFail: true });
		expect(entries()).toBe(0);
		await x.faults({ kind: 'truncated', path: '/feedback/create' });
		await x.run(sendParams(byId(alice.id)), { continueOnFail: true });
		expect(entries()).toBe(1);
	});

	describe('every way an item ends settles its claim once: given back when nothing reached the customer, else kept and read back', () => {
		const off = { skipAskedWithinDays: 0 };
		const cases: Array<[string, () => Promise<void>, () => ReturnType<typeof sendParams>, 0 | 1]> = [
			['the recipient lookup fails', () => x.faults({ kind: 'expiredToken', path: '/friendships/show' }), () => sendParams(byId(bob.id)), 1],
			['can_dm is false: skipped', async () => {}, () => sendParams(byId(closed.id)), 1],
			['can_dm is false: an error', async () => {}, () => sendParams(byId(closed.id), {}, { ifCannotDm: 'error' }), 1],
			['the introductory DM fails', () => x.faults({ kind: 'status', status: 503, path: '/direct_messages/' }), () => sendParams(byId(bob.id), {}, { introMessage: 'Hi' }), 1],
			['X refuses the DM that carries the card', () => x.control('POST', 'config', { canDmField: false }), () => sendParams(byId(closed.id)), 1],
			['feedback/create fails', () => x.faults({ kind: 'status', status: 503, path: '/feedback/create' }), () => sendParams(byId(bob.id)), 1],
			['the card is sent', async () => {}, () => sendParams(byId(bob.id)), 0],
			['X answers garbled after creating the card', () => x.faults({ kind: 'truncated', path: '/feedback/create' }), () => sendParams(byId(bob.id)), 0],
			['X says the customer was asked within 24 hours', async () => void (await x.run(sendParams(byId(alice.id), {}, off))), () => sendParams(byId(alice.id)), 0],
			[
				'X says so after the introductory DM went out',
				async () => void (await x.run(sendParams(byId(alice.id), {}, off))),
				() => sendParams(byId(alice.id), {}, { introMessage: 'Hi' }),
				0,
			],
		];

		test.each(cases)('%s', async (_name, arrange, params, givenBack) => {
			await arrange();
			const removals = jest.spyOn(deduplicationStore, 'removeProcessed');
			const checks = jest.spyOn(deduplicationStore, 'checkProcessedAndRecord');
			try {
				const run = await x.run(params(), { continueOnFail: true });
				const userId = String(run.items[0].json.recipientId ?? (params().recipient as { value: string }).value);
				const today = askedKey(userId, dayOf(Date.now()));
				const withToday = (calls: unknown[][]) => calls.filter(([keys]) => (keys as string[]).includes(today)).length;
				// The check itself holds today's key too; a read-back holds nothing else.
				const readBacks = checks.mock.calls.filter(([keys]) => keys.length === 1 && keys[0] === today).length;
				expect([withToday(removals.mock.calls), readBacks]).toEqual([givenBack, 1 - givenBack]);
				expect(withToday(checks.mock.calls)).toBe(2 - givenBack);
			} finally {
				removals.mockRestore();
				checks.mockRestore();
			}
		});
	});

	describe('concurrent executions (the store reads and writes a row without a lock)', () => {
		const timing = { ...KEEP_TIMING };
		beforeEach(() => {
			// Each store call waits 0-8 ms between its read and its write: concurrent calls lose each other's writes.
			deduplicationStore.setLag(() => Math.floor(Math.random() * 9));
			Object.assign(KEEP_TIMING, { settleMs: 150, jitterMs: 50 });
		});
		afterEach(() => {
			deduplicationStore.setLag(undefined);
			Object.assign(KEEP_TIMING, timing);
		});

		test('every claim survives a burst: each card is read back after a pause and recorded again when another execution\'s write erased it; a second burst sends nothing', async () => {
			// Allowlisted: X's own 24-hour rule would not refuse a second card, so only the node's memory can.
			const many = await x.addCustomers(...Array.from({ length: 16 }, (_, i) => ({ screenName: `busy_${i}`, allowlisted: true })));
			const wave = () => Promise.all(many.map((c) => x.run(sendParams(byId(c.id)))));
			const first = await wave();
			expect(first.map((r) => r.items[0]?.json.status)).toEqual(many.map(() => 'sent'));
			expect(entries()).toBe(many.length);
			const second = await wave();
			expect(second.map((r) => [r.items[0]?.json.status, r.items[0]?.json.refusedBy])).toEqual(many.map(() => ['skipped', 'node']));
			for (const c of many) expect(await x.storedFeedback(c.id)).toHaveLength(1);
		});

		test('the read-back gives up after its rounds when the entry keeps vanishing, logs it, and the item stays sent', async () => {
			const spy = jest.spyOn(deduplicationStore, 'checkProcessedAndRecord');
			const real = spy.getMockImplementation();
			let calls = 0;
			spy.mockImplementation(async (items, scope, contextData, options) => {
				calls++;
				// The claim is made; every read-back finds the entry gone (as if erased each time).
				if (calls > 1) await deduplicationStore.removeProcessed(items, scope, contextData, options);
				return await (real ?? MemoryDeduplicator.prototype.checkProcessedAndRecord).call(deduplicationStore, items, scope, contextData, options);
			});
			try {
				const { items } = await x.run(sendParams(byId(alice.id)));
				expect(items[0].json.status).toBe('sent');
				expect(calls).toBe(1 + KEEP_TIMING.rounds);
			} finally {
				spy.mockRestore();
			}
		});
	});
});

describe('the per-recipient 24-hour limit of X', () => {
	test('reads as asked_recently when the node did not remember (memory off or lost), and passes once 24 hours are over', async () => {
		const off = { skipAskedWithinDays: 0 };
		await x.run(sendParams(byId(alice.id), {}, off));
		const again = await x.run(sendParams(byId(alice.id), {}, off));
		expect(again.error).toBeUndefined();
		expect(again.items[0].json).toEqual({
			status: 'skipped',
			reason: 'asked_recently',
			refusedBy: 'x',
			lastAskedOn: null,
			recipientId: alice.id,
			recipientScreenName: 'alice',
			type: 'csat',
			externalId: null,
			test: true,
		});

		await x.control('POST', 'clock', { advanceMs: DAY + 1000 });
		const later = await x.run(sendParams(byId(alice.id), {}, off));
		expect(later.items[0].json.status).toBe('sent');
		expect(await x.storedFeedback(alice.id)).toHaveLength(2);
	});

	test('after an introductory DM went out, the refusal is an error that says so', async () => {
		const off = { skipAskedWithinDays: 0 };
		await x.run(sendParams(byId(alice.id), {}, off));
		const again = await x.run(sendParams(byId(alice.id), {}, { ...off, introMessage: 'Hi' }));
		expect(again.error?.message).toMatch(/^Item 0: the introductory DM was sent \(id \d+\) but the feedback card failed: @alice .+ was already sent a feedback request in the last 24 hours/);
	});
});

describe('introductory DM', () => {
	test('is sent before the card, and its id is in the output', async () => {
		const { items, error } = await x.run(sendParams(byId(alice.id), {}, { introMessage: 'Hi Alice, one quick question from Acme.' }));
		expect(error).toBeUndefined();
		const dms = await x.dms(alice.id);
		expect(dms).toHaveLength(2);
		const [intro, card] = dms as Array<{ id: string; message_create: { message_data: { text: string } }; feedback_id?: string }>;
		expect(intro.message_create.message_data.text).toBe('Hi Alice, one quick question from Acme.');
		expect(intro.feedback_id).toBeUndefined();
		expect(card.feedback_id).toBe(items[0].json.feedbackId);
		expect(items[0].json).toMatchObject({ status: 'sent', introDmId: intro.id, dmId: card.id });
		expect(BigInt(intro.id) < BigInt(card.id)).toBe(true);
	});

	test('sent, then the card failed: the error says exactly that, never "sent"', async () => {
		await x.faults({ kind: 'status', status: 503, path: '/feedback/create' });
		const { items, error } = await x.run(sendParams(byId(alice.id), {}, { introMessage: 'Hello!' }));
		const [intro] = await x.dms(alice.id);
		expect(items).toHaveLength(0);
		expect(error?.message).toBe(
			`Item 0: the introductory DM was sent (id ${intro.id}) but the feedback card failed: X is over capacity: try again later`,
		);
		const stats = await x.stats();
		expect(count(stats, ENDPOINT.dm)).toBe(1);
		expect(count(stats, ENDPOINT.create)).toBe(1);
	});

	test('sent, then the card failed, with continueOnFail: a "failed" item with the DM id', async () => {
		await x.faults({ kind: 'status', status: 403, code: 220, path: '/feedback/create' });
		const { items, error } = await x.run(sendParams(byId(alice.id), { externalId: 'e-9' }, { introMessage: 'Hello!' }), {
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		const [intro] = await x.dms(alice.id);
		expect(items).toHaveLength(1);
		expect(items[0].json).toEqual({
			status: 'failed',
			reason: 'card_failed',
			introDmId: intro.id,
			recipientId: alice.id,
			recipientScreenName: 'alice',
			type: 'csat',
			externalId: 'e-9',
			test: true,
			error: `Item 0: the introductory DM was sent (id ${intro.id}) but the feedback card failed: This account is not allowlisted for customer feedback cards`,
			description: expect.stringContaining('allowlist'),
		});
		expect(JSON.stringify(items[0].json)).not.toMatch(/"sent"/);
	});

	test('the introductory DM failed: no card is attempted and the error says so', async () => {
		await x.faults({ kind: 'status', status: 503, path: '/direct_messages/' });
		const { error } = await x.run(sendParams(byId(alice.id), {}, { introMessage: 'Hello!' }));
		expect(error?.message).toBe(
			'Item 0: the introductory DM failed, so no feedback card was sent: X is over capacity: try again later',
		);
		const stats = await x.stats();
		expect(count(stats, ENDPOINT.dm)).toBe(1);
		expect(count(stats, ENDPOINT.create)).toBe(0);
	});
});

describe('POSTs are never retried', () => {
	test('feedback/create answered 503: one attempt, the error is passed on', async () => {
		await x.faults({ kind: 'status', status: 503, count: 5, path: '/feedback/create' });
		const { error } = await x.run(sendParams(byId(alice.id)));
		expect(error?.message).toBe('Item 0: X is over capacity: try again later');
		expect(count(await x.stats(), ENDPOINT.create)).toBe(1);
	});

	test('feedback/create with a dropped connection: one attempt, the error warns it may have arrived', async () => {
		await x.faults({ kind: 'reset', path: '/feedback/create' });
		const { error } = await x.run(sendParams(byId(alice.id)));
		expect(error?.description).toContain('check whether it reached the customer');
		expect(error?.context?.x).toMatchObject({ transient: false, outcomeUnknown: true, httpCode: 0 });
		expect((await x.stats()).byEndpoint[ENDPOINT.create]).toBe(1);
	});
});

describe('invalid input: nothing is sent and the error names the field and the item', () => {
	const long = (n: number) => 'x'.repeat(n);
	const cases: Array<[string, () => IDataObject, RegExp]> = [
		['type', () => sendParams(byId(alice.id), { feedbackType: 'CSAT' }), /^Item 0: Type must be one of "csat", "nps", not "CSAT"$/],
		// A fixed bad recipient is caught by the editor's own field check; an expression reaches the node.
		['recipient ID', () => sendParams(byId('={{ "12ab" }}')), /^Item 0: Recipient "12ab" is not an X user ID/],
		['recipient username', () => sendParams(byUsername('={{ "no spaces here" }}')), /^Item 0: Recipient "no spaces here" is not an X username/],
		['empty recipient', () => sendParams(byId('={{ "" }}')), /^Item 0: Recipient is empty$/],
		['privacy URL scheme', () => sendParams(byId(alice.id), { privacyUrl: 'ftp://acme.example/privacy' }), /^Item 0: Privacy Policy URL "ftp:\/\/acme.example\/privacy" is not an http:\/\/ or https:\/\/ URL$/],
		['privacy URL text', () => sendParams(byId(alice.id), { privacyUrl: 'acme privacy' }), /^Item 0: Privacy Policy URL "acme privacy" is not/],
		['privacy URL empty', () => sendParams(byId(alice.id), { privacyUrl: '={{ "" }}' }), /^Item 0: Privacy Policy URL is empty$/],
		['message empty', () => sendParams(byId(alice.id), { message: '   ' }), /^Item 0: Message is empty$/],
		['message too long', () => sendParams(byId(alice.id), { message: long(10_001) }), /^Item 0: Message is 10,001 characters long; X allows at most 10,000$/],
		['external ID', () => sendParams(byId(alice.id), { externalId: long(257) }), /^Item 0: External ID is 257 characters long; X allows at most 256$/],
		['display name', () => sendParams(byId(alice.id), {}, { displayName: long(21) }), /^Item 0: Display Name is 21 characters long; X allows at most 20$/],
		['CSAT variant', () => sendParams(byId(alice.id), {}, { questionVariantId: 38 }), /^Item 0: Question Variant \(CSAT\) must be a whole number from 0 to 37, not 38$/],
		['NPS variant', () => sendParams(byId(alice.id), { feedbackType: 'nps' }, { questionVariantId: 10 }), /^Item 0: Question Variant \(NPS\) must be a whole number from 0 to 9, not 10$/],
		['variant not a number', () => sendParams(byId(alice.id), {}, { questionVariantId: 'two' }), /^Item 0: Question Variant \(CSAT\) must be a whole number/],
		['intro DM', () => sendParams(byId(alice.id), {}, { introMessage: long(10_001) }), /^Item 0: Introductory DM is 10,001 characters long; X allows at most 10,000$/],
		['skip days', () => sendParams(byId(alice.id), {}, { skipAskedWithinDays: -1 }), /^Item 0: Skip Customers Asked Within \(Days\) must be a whole number from 0 to 8, not -1$/],
		['if cannot DM', () => sendParams(byId(alice.id), {}, { ifCannotDm: 'ignore' }), /^Item 0: If Customer Cannot Receive DMs must be one of "skip", "error"/],
	];

	test.each(cases)('%s', async (_name, params, message) => {
		const { items, error } = await x.run(params() as never);
		expect(items).toHaveLength(0);
		expect(error?.message).toMatch(message);
		expect(error?.description).toContain('Nothing was sent to X for item 0');
		expect(error?.context?.itemIndex).toBe(0);
		expect((await x.stats()).total).toBe(0);
	});

	test('length counts characters as X does: an emoji is one', async () => {
		const { error } = await x.run(sendParams(byId(alice.id), { message: '👍'.repeat(10_001) }));
		expect(error?.message).toBe('Item 0: Message is 10,001 characters long; X allows at most 10,000');
		expect((await x.stats()).total).toBe(0);
	});

	test('a message of exactly 10,000 characters is sent', async () => {
		const { items, error } = await x.run(sendParams(byId(alice.id), { message: 'x'.repeat(10_000) }));
		expect(error).toBeUndefined();
		expect(items[0].json.status).toBe('sent');
		const [stored] = await x.storedFeedback(alice.id);
		expect((stored.text as string).length).toBe(10_000);
	});

	test('a fixed invalid recipient is refused by n8n before the node runs', async () => {
		await expect(x.run(sendParams(byId('12ab')))).rejects.toThrow('A user ID is digits only');
		expect((await x.stats()).total).toBe(0);
	});

	test('with continueOnFail the bad item gets an error item and the good ones are sent', async () => {
		const { items, error } = await x.run(sendParams({ __rl: true, mode: 'id', value: '={{ $json.id }}' }, { message: '={{ $json.message }}' }), {
			continueOnFail: true,
			input: [
				{ id: alice.id, message: 'How did we do?' },
				{ id: bob.id, message: '' },
			],
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(items[0].json.status).toBe('sent');
		expect(items[1]).toEqual({
			json: { error: 'Item 1: Message is empty', description: 'Fill in Message. Nothing was sent to X for item 1.' },
			pairedItem: { item: 1 },
		});
		expect(await x.storedFeedback(bob.id)).toHaveLength(0);
		expect(count(await x.stats(), ENDPOINT.create)).toBe(1);
	});
});

describe('asked-recently memory: one customer, one window, and store failures that never suppress or hide', () => {
	test('"0042" and "42" are one customer: the memory keys on the user ID, not the text typed', async () => {
		const first = await x.run(sendParams(byId(alice.id), {}, { checkCanDm: false }));
		expect(first.items[0].json.status).toBe('sent');
		const again = await x.run(sendParams(byId(`0${alice.id}`), {}, { checkCanDm: false }));
		expect(again.items[0]?.json).toMatchObject({ status: 'skipped', reason: 'asked_recently', refusedBy: 'node' });
		expect(await x.storedFeedback()).toHaveLength(1);
	});

	test('a window the store cannot hold at X\'s 1,000 requests a day is refused, naming the field; nothing is sent', async () => {
		const { error } = await x.run(sendParams(byId(alice.id), {}, { skipAskedWithinDays: 9 }));
		expect(error?.message).toBe('Item 0: Skip Customers Asked Within (Days) must be a whole number from 0 to 8, not 9');
		expect(error?.description).toContain('10,000 entries');
		expect(count(await x.stats(), ENDPOINT.create)).toBe(0);
	});

	test('the store commits the record, then the call fails: the customer still gets the card (once), and is remembered', async () => {
		const real = deduplicationStore.checkProcessedAndRecord.bind(deduplicationStore);
		const spy = jest.spyOn(deduplicationStore, 'checkProcessedAndRecord').mockImplementationOnce(async (...args) => {
			await real(...args);
			throw new Error('Connection terminated unexpectedly');
		});
		try {
			const { items } = await x.run(sendParams(byId(alice.id)));
			expect(items[0].json.status).toBe('sent');
			expect(await x.storedFeedback(alice.id)).toHaveLength(1);
		} finally {
			spy.mockRestore();
		}
		expect((await x.run(sendParams(byId(alice.id)))).items[0].json).toMatchObject({ status: 'skipped', refusedBy: 'node' });
	});

	test("X's error stays the item's error when the store fails to give the claim back; a store that fails once (deadlock) is asked again, and the customer is not suppressed", async () => {
		await x.faults({ kind: 'status', status: 503, path: '/feedback/create' });
		let spy = jest.spyOn(deduplicationStore, 'removeProcessed');
		try {
			// Every give-back fails: X's 503 is still what the item says.
			spy.mockRejectedValue(new Error('deadlock detected'));
			const failed = await x.run(sendParams(byId(bob.id)), { continueOnFail: true });
			expect(String(failed.items[0].json.error)).not.toContain('deadlock');
			expect(String(failed.items[0].json.error)).toContain('X is over capacity');
			// A deadlock that passes: the claim goes back on the second try.
			spy.mockRestore();
			spy = jest.spyOn(deduplicationStore, 'removeProcessed').mockRejectedValueOnce(new Error('deadlock detected'));
			await x.faults({ kind: 'status', status: 503, path: '/feedback/create' });
			const once = await x.run(sendParams(byId(alice.id)), { continueOnFail: true });
			expect(String(once.items[0].json.error)).toContain('X is over capacity');
		} finally {
			spy.mockRestore();
		}
		const again = await x.run(sendParams(byId(alice.id)));
		expect(again.items[0].json.status).toBe('sent');
	});

	describe('around UTC midnight', () => {
		afterEach(() => jest.useRealTimers());
		const at = (iso: string) => jest.setSystemTime(Date.parse(iso));

		test('7 days means 7 × 24 hours: a card at 23:59:59.999 blocks the next one until 7 days later, not 6 days and 1 ms', async () => {
			jest.useFakeTimers({ doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
			at('2026-03-01T23:59:59.999Z');
			expect((await x.run(sendParams(byId(alice.id)))).items[0].json.status).toBe('sent');
			at('2026-03-08T00:00:00.000Z'); // 6 days and 1 ms later
			expect((await x.run(sendParams(byId(alice.id)))).items[0].json).toMatchObject({ status: 'skipped', refusedBy: 'node' });
			at('2026-03-08T23:59:59.998Z'); // 6 days, 23 h 59 min 59.999 s later
			expect((await x.run(sendParams(byId(alice.id)))).items[0].json).toMatchObject({ status: 'skipped', refusedBy: 'node' });
			at('2026-03-09T01:00:00.000Z'); // more than 7 days later
			expect((await x.run(sendParams(byId(alice.id)))).items[0].json.status).toBe('sent');
		});
	});
});
