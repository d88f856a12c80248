/** The node's description: every operation the editor offers runs, and every field shows only where it belongs. */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as account from '../../nodes/XCustomerFeedback/actions/account/Account.resource';
import * as directMessage from '../../nodes/XCustomerFeedback/actions/directMessage/DirectMessage.resource';
import * as feedback from '../../nodes/XCustomerFeedback/actions/feedback/Feedback.resource';
import * as user from '../../nodes/XCustomerFeedback/actions/user/User.resource';
import { XCustomerFeedback } from '../../nodes/XCustomerFeedback/XCustomerFeedback.node';
import { startXNode } from './xNode';

const node = new XCustomerFeedback();
const modules: Record<string, Record<string, unknown>> = { account, directMessage, feedback, user };

const operationsOf = (resource: string): string[] => {
	const field = node.description.properties.find(
		(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
	) as INodeProperties;
	return (field.options as INodePropertyOptions[]).map((o) => String(o.value));
};

test('resources and operations', () => {
	const resource = node.description.properties.find((p) => p.name === 'resource')!;
	expect((resource.options as INodePropertyOptions[]).map((o) => o.value)).toEqual(['account', 'directMessage', 'feedback', 'user']);
	expect(resource.default).toBe('feedback');
	expect(operationsOf('feedback')).toEqual(['get', 'getMany', 'getReport', 'send', 'skipSeen']);
	expect(operationsOf('directMessage')).toEqual(['send']);
	expect(operationsOf('user')).toEqual(['checkCanDm', 'get']);
	expect(operationsOf('account')).toEqual(['checkSetup']);
	expect(node.description.usableAsTool).toBe(true);
});

test('every offered operation has an execute and a description', () => {
	for (const [resource, mod] of Object.entries(modules)) {
		for (const operation of operationsOf(resource)) {
			const op = mod[operation] as { execute?: unknown; description?: INodeProperties[] };
			expect(typeof op?.execute).toBe('function');
			for (const field of op.description ?? []) {
				expect(field.displayOptions?.show).toMatchObject({ resource: [resource], operation: [operation] });
			}
		}
	}
});

test('the question variant list is loaded by a registered method that depends on the type', () => {
	const send = feedback.send.description.find((p) => p.name === 'options')!;
	const variant = (send.options as INodeProperties[]).find((o) => o.name === 'questionVariantId')!;
	expect(variant.typeOptions?.loadOptionsMethod).toBe('getQuestionVariants');
	expect(variant.typeOptions?.loadOptionsDependsOn).toContain('feedbackType');
	expect(typeof node.methods.loadOptions.getQuestionVariants).toBe('function');
});

test('the documented defaults of Send Request', () => {
	const options = feedback.send.description.find((p) => p.name === 'options')!.options as INodeProperties[];
	const byName = Object.fromEntries(options.map((o) => [o.name, o.default]));
	expect(byName).toMatchObject({ checkCanDm: true, skipAskedWithinDays: 7, ifCannotDm: 'skip', test: false, questionVariantId: 0 });
	const message = feedback.send.description.find((p) => p.name === 'message')!;
	expect(message.required).toBe(true);
	expect(message.hint).toMatch(/web and third-party clients/i);
});

test('the fields of Get Report: names and defaults that workflows rely on', () => {
	const fields = Object.fromEntries(feedback.getReport.description.map((p) => [p.name, p]));
	expect(Object.keys(fields)).toEqual(['from', 'to', 'files', 'largeCsvNotice', 'options']);
	expect(fields.from).toMatchObject({ type: 'dateTime', default: '' });
	expect(fields.to).toMatchObject({ type: 'dateTime', default: '' });
	expect(fields.files).toMatchObject({ type: 'multiOptions', default: [] });
	expect(fields.files.options).toEqual([
		expect.objectContaining({ name: 'CSV (One Row per Request)', value: 'csv' }),
		expect.objectContaining({ name: 'HTML Dashboard', value: 'dashboard' }),
	]);
	// The large-CSV notice shows only once the CSV is chosen.
	expect(fields.files.hint).toBeUndefined();
	expect(fields.largeCsvNotice.displayName).toMatch(/large periods make large CSV files/i);
	expect(fields.largeCsvNotice.displayOptions?.show?.files).toEqual(['csv']);
	// An empty From/To says what it means in the field itself.
	expect(fields.from.placeholder).toBe('Empty: 7 days before To');
	expect(fields.to.placeholder).toBe('Empty: 24 hours ago, the latest X serves');
	const options = fields.options.options as INodeProperties[];
	expect(Object.fromEntries(options.map((o) => [o.name, [o.type, o.default]]))).toEqual({
		externalIdPrefixes: ['string', ''],
		externalIds: ['string', ''],
		groupBy: ['options', 'none'],
		includeTest: ['boolean', false],
		minEventAgeHours: ['number', 24],
		title: ['string', 'Customer feedback report'],
	});
	const groupBy = options.find((o) => o.name === 'groupBy')!;
	expect((groupBy.options as INodePropertyOptions[]).map((o) => o.value)).toEqual(['none', 'day', 'week']);
});

test('an operation that does not exist fails readably', async () => {
	const x = await startXNode();
	try {
		const { error } = await x.run({ resource: 'feedback', operation: 'archive' });
		expect(error?.message).toBe('Item 0: The operation "archive" of "feedback" is not supported');
		expect((await x.stats()).total).toBe(0);
	} finally {
		await x.close();
	}
});
