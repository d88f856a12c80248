/** Direct Message -> Send, through n8n-core against the emulator. */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { ENDPOINT, byId, byUsername, count, useXNode, type Customer, type XNode } from '../xNode';

let x: XNode;
let alice: Customer;
let closed: Customer;

useXNode((node) => (x = node), {
	customers: [{ screenName: 'alice' }, { screenName: 'closed_dms', canDm: false }],
	each: (customers) => ([alice, closed] = customers),
});

const dmParams = (recipient: IDataObject, extra: IDataObject = {}): INodeParameters =>
	({ resource: 'directMessage', operation: 'send', recipient, text: 'Your replacement ships today.', ...extra }) as INodeParameters;

type StoredDm = { id: string; created_timestamp: string; message_create: { target: { recipient_id: string }; message_data: IDataObject } };

test('a text DM by user ID: no lookup, one POST, the documented output', async () => {
	const { items, error } = await x.run(dmParams(byId(alice.id)));
	expect(error).toBeUndefined();
	const [dm] = (await x.dms(alice.id)) as StoredDm[];
	expect(items.map((i) => i.json)).toEqual([
		{
			dmId: dm.id,
			recipientId: alice.id,
			sentAt: new Date(Number(dm.created_timestamp)).toISOString(),
			text: 'Your replacement ships today.',
		},
	]);
	expect(dm.message_create.message_data).toEqual({ text: 'Your replacement ships today.' });
	const stats = await x.stats();
	expect(stats.total).toBe(1);
	expect(count(stats, ENDPOINT.dm)).toBe(1);
});

test('by @username: resolved to the user ID', async () => {
	const { items } = await x.run(dmParams(byUsername('@Alice')));
	expect(items[0].json).toMatchObject({ recipientId: alice.id, recipientScreenName: 'alice' });
	expect(await x.dms(alice.id)).toHaveLength(1);
	expect(count(await x.stats(), ENDPOINT.usersShow)).toBe(1);
});

test('buttons go out as web_url call-to-actions', async () => {
	await x.run(
		dmParams(byId(alice.id), {
			buttons: {
				button: [
					{ label: 'Track order', url: 'https://acme.example/track/1' },
					{ label: 'Help centre', url: 'https://acme.example/help' },
				],
			},
		}),
	);
	const [dm] = (await x.dms(alice.id)) as StoredDm[];
	expect(dm.message_create.message_data.ctas).toEqual([
		{ type: 'web_url', label: 'Track order', url: 'https://acme.example/track/1' },
		{ type: 'web_url', label: 'Help centre', url: 'https://acme.example/help' },
	]);
});

test('quick replies go out as options, with description and metadata when given', async () => {
	await x.run(
		dmParams(byId(alice.id), {
			quickReplies: {
				option: [
					{ label: 'Yes', description: 'It arrived', metadata: 'arrived' },
					{ label: 'No', description: 'Still waiting', metadata: '' },
					{ label: 'Maybe', description: 'Not sure' },
				],
			},
		}),
	);
	const [dm] = (await x.dms(alice.id)) as StoredDm[];
	expect(dm.message_create.message_data.quick_reply).toEqual({
		type: 'options',
		options: [
			{ label: 'Yes', description: 'It arrived', metadata: 'arrived' },
			{ label: 'No', description: 'Still waiting' },
			{ label: 'Maybe', description: 'Not sure' },
		],
	});
});

test('button and quick reply fields take expressions', async () => {
	const { error } = await x.run(
		dmParams(byId(alice.id), {
			buttons: { button: [{ label: '={{ $json.label }}', url: '={{ $json.url }}' }] },
		}),
		{ input: [{ label: 'Order 42', url: 'https://acme.example/orders/42' }] },
	);
	expect(error).toBeUndefined();
	const [dm] = (await x.dms(alice.id)) as StoredDm[];
	expect(dm.message_create.message_data.ctas).toEqual([{ type: 'web_url', label: 'Order 42', url: 'https://acme.example/orders/42' }]);
});

test('20 quick replies are allowed', async () => {
	const option = Array.from({ length: 20 }, (_, i) => ({ label: `Option ${i + 1}` }));
	const { error } = await x.run(dmParams(byId(alice.id), { quickReplies: { option } }));
	expect(error).toBeUndefined();
	const [dm] = (await x.dms(alice.id)) as StoredDm[];
	expect((dm.message_create.message_data.quick_reply as { options: unknown[] }).options).toHaveLength(20);
});

test('a customer who does not accept DMs: X says 349, in plain words', async () => {
	const { error } = await x.run(dmParams(byId(closed.id)));
	expect(error?.message).toBe('Item 0: You cannot send Direct Messages to this user');
	expect(error?.httpCode).toBe('403');
	expect(count(await x.stats(), ENDPOINT.dm)).toBe(1);
});

describe('invalid input: nothing is sent, the error names the field and the item', () => {
	const long = (n: number) => 'y'.repeat(n);
	const button = (label: string, url: string) => ({ label, url });
	const cases: Array<[string, IDataObject, string]> = [
		['empty text', { text: '={{ "" }}' }, 'Item 0: Text is empty'],
		['long text', { text: long(10_001) }, 'Item 0: Text is 10,001 characters long; X allows at most 10,000'],
		['button without label', { buttons: { button: [button('', 'https://acme.example')] } }, 'Item 0: Buttons (button 1) Label is empty'],
		[
			'button with http URL',
			{ buttons: { button: [button('Ok', 'https://acme.example'), button('Docs', 'http://acme.example/docs')] } },
			'Item 0: Buttons (button 2) URL "http://acme.example/docs" is not an https:// URL',
		],
		[
			'long button label',
			{ buttons: { button: [button(long(37), 'https://acme.example')] } },
			'Item 0: Buttons (button 1) Label is 37 characters long; X allows at most 36',
		],
		[
			'quick reply without label',
			{ quickReplies: { option: [{ label: 'A' }, { label: ' ' }] } },
			'Item 0: Quick Replies (option 2) Label is empty',
		],
		[
			'duplicate quick reply labels',
			{ quickReplies: { option: [{ label: 'Same' }, { label: 'Same' }] } },
			'Item 0: Quick Replies (option 2) Label "Same" is used twice; each option needs its own label',
		],
		[
			'long quick reply description',
			{ quickReplies: { option: [{ label: 'A', description: long(73) }] } },
			'Item 0: Quick Replies (option 1) Description is 73 characters long; X allows at most 72',
		],
		[
			// X: all options must have a description if any has one.
			'a quick reply description on one option but not on another',
			{ quickReplies: { option: [{ label: 'A' }, { label: 'B', description: 'Bee' }, { label: 'C', description: ' ' }] } },
			'Item 0: Quick Replies (option 1) Description is empty, but option 2 has one; X requires a description on every option once one has it',
		],
		[
			'long quick reply metadata',
			{ quickReplies: { option: [{ label: 'A', metadata: long(1001) }] } },
			'Item 0: Quick Replies (option 1) Metadata is 1,001 characters long; X allows at most 1,000',
		],
		['bad recipient', { recipient: byId('={{ "@alice" }}') }, 'Item 0: Recipient "@alice" is not an X user ID (digits only)'],
	];

	test.each(cases)('%s', async (_name, extra, message) => {
		const { error } = await x.run(dmParams(byId(alice.id), extra));
		expect(error?.message).toBe(message);
		expect(error?.context?.itemIndex).toBe(0);
		expect((await x.stats()).total).toBe(0);
	});

	// n8n enforces the counts itself (maxAllowedFields) before the node runs.
	test('more than 3 buttons or 20 quick replies are refused by n8n before the node runs', async () => {
		const four = [1, 2, 3, 4].map((i) => button(`B${i}`, 'https://acme.example'));
		await expect(x.run(dmParams(byId(alice.id), { buttons: { button: four } }))).rejects.toThrow('At most 3 fields are allowed');
		const many = Array.from({ length: 21 }, (_, i) => ({ label: `O${i}` }));
		await expect(x.run(dmParams(byId(alice.id), { quickReplies: { option: many } }))).rejects.toThrow('At most 20 fields are allowed');
		expect((await x.stats()).total).toBe(0);
	});

	test('the item number is the failing item', async () => {
		const { items, error } = await x.run(dmParams(byId(alice.id), { text: '={{ $json.text }}' }), {
			input: [{ text: 'First' }, { text: 'Second' }, { text: '' }],
			continueOnFail: true,
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.text ?? i.json.error)).toEqual(['First', 'Second', 'Item 2: Text is empty']);
		expect(await x.dms(alice.id)).toHaveLength(2);
	});
});
