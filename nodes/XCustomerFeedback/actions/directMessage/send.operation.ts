/** Send: a plain Direct Message, optionally with URL buttons or quick replies. A POST: never retried. */
import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { sendDirectMessage, type DirectMessageInput } from '../../../shared/api';
import { MAX_BUTTONS, MAX_LABEL, MAX_METADATA, MAX_OPTION_DESCRIPTION, MAX_QUICK_REPLIES, MAX_TEXT } from '../../../shared/xLimits';
import { inputError, maxLength, optionalTextField, requiredText, textParam, webUrl } from '../../helpers/fieldChecks';
import { readRecipient, recipientField, resolveRecipient } from '../../helpers/recipient';

const properties: INodeProperties[] = [
	recipientField('Who gets the message, by user ID or @username (a username is looked up to find the ID)'),
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: 'The message, up to 10,000 characters',
	},
	{
		displayName: 'Buttons',
		name: 'buttons',
		type: 'fixedCollection',
		placeholder: 'Add Button',
		typeOptions: { multipleValues: true, maxAllowedFields: MAX_BUTTONS },
		default: {},
		description: 'Up to 3 buttons under the message, each opening a web page',
		options: [
			{
				displayName: 'Button',
				name: 'button',
				values: [
					{ displayName: 'Label', name: 'label', type: 'string', default: '', description: 'Up to 36 characters' },
					{ displayName: 'URL', name: 'url', type: 'string', default: '', placeholder: 'e.g. https://example.com/help', description: 'An https:// address' },
				],
			},
		],
	},
	{
		displayName: 'Quick Replies',
		name: 'quickReplies',
		type: 'fixedCollection',
		placeholder: 'Add Quick Reply',
		typeOptions: { multipleValues: true, maxAllowedFields: MAX_QUICK_REPLIES },
		default: {},
		description: 'Up to 20 options the customer can tap to answer',
		options: [
			{
				displayName: 'Option',
				name: 'option',
				values: [
					{ displayName: 'Label', name: 'label', type: 'string', default: '', description: 'Up to 36 characters' },
					{ displayName: 'Description', name: 'description', type: 'string', default: '', description: 'Up to 72 characters, shown under the label. If one option has a description, every option must (X\'s rule).' },
					{
						displayName: 'Metadata',
						name: 'metadata',
						type: 'string',
						default: '',
						description: 'Up to 1,000 characters, returned with the reply (not shown to the customer)',
					},
				],
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['directMessage'], operation: ['send'] } }, properties);

function entries(ctx: IExecuteFunctions, name: string, key: string, itemIndex: number): IDataObject[] {
	const value = ctx.getNodeParameter(name, itemIndex, {}) as IDataObject | undefined;
	const list = value?.[key];
	return Array.isArray(list) ? (list as IDataObject[]) : [];
}

function readButtons(ctx: IExecuteFunctions, itemIndex: number): DirectMessageInput['buttons'] {
	const buttons = entries(ctx, 'buttons', 'button', itemIndex);
	if (buttons.length > MAX_BUTTONS) {
		throw inputError(ctx, itemIndex, 'Buttons', `has ${buttons.length} buttons; X allows at most ${MAX_BUTTONS}`);
	}
	return buttons.map((button, i) => {
		const field = `Buttons (button ${i + 1})`;
		const label = optionalTextField(ctx, itemIndex, `${field} Label`, button.label) ?? '';
		if (label.trim() === '') throw inputError(ctx, itemIndex, `${field} Label`, 'is empty');
		maxLength(ctx, itemIndex, `${field} Label`, label, MAX_LABEL);
		const url = webUrl(ctx, itemIndex, `${field} URL`, optionalTextField(ctx, itemIndex, `${field} URL`, button.url) ?? '', true);
		return { label, url };
	});
}

function readQuickReplies(ctx: IExecuteFunctions, itemIndex: number): DirectMessageInput['quickReplyOptions'] {
	const options = entries(ctx, 'quickReplies', 'option', itemIndex);
	if (options.length > MAX_QUICK_REPLIES) {
		throw inputError(ctx, itemIndex, 'Quick Replies', `has ${options.length} options; X allows at most ${MAX_QUICK_REPLIES}`);
	}
	const labels = new Set<string>();
	const replies = options.map((option, i) => {
		const field = `Quick Replies (option ${i + 1})`;
		const label = optionalTextField(ctx, itemIndex, `${field} Label`, option.label) ?? '';
		if (label.trim() === '') throw inputError(ctx, itemIndex, `${field} Label`, 'is empty');
		maxLength(ctx, itemIndex, `${field} Label`, label, MAX_LABEL);
		if (labels.has(label)) throw inputError(ctx, itemIndex, `${field} Label`, `"${label}" is used twice; each option needs its own label`);
		labels.add(label);
		const reply: { label: string; description?: string; metadata?: string } = { label };
		const description = optionalTextField(ctx, itemIndex, `${field} Description`, option.description);
		if (description !== undefined) reply.description = maxLength(ctx, itemIndex, `${field} Description`, description, MAX_OPTION_DESCRIPTION);
		const metadata = optionalTextField(ctx, itemIndex, `${field} Metadata`, option.metadata, 'id');
		if (metadata !== undefined) reply.metadata = maxLength(ctx, itemIndex, `${field} Metadata`, metadata, MAX_METADATA);
		return reply;
	});
	// X: a description is optional, but "all options must have this property defined if property is
	// present in any option" (Direct Messages, quick reply options).
	const described = replies.findIndex((reply) => reply.description !== undefined);
	const bare = replies.findIndex((reply) => reply.description === undefined);
	if (described !== -1 && bare !== -1) {
		throw inputError(
			ctx,
			itemIndex,
			`Quick Replies (option ${bare + 1}) Description`,
			`is empty, but option ${described + 1} has one; X requires a description on every option once one has it`,
			'Give every quick reply option a description, or none.',
		);
	}
	return replies;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const ref = readRecipient(this, itemIndex);
	const text = requiredText(this, itemIndex, 'Text', textParam(this, 'text', itemIndex, 'Text'), MAX_TEXT);
	const buttons = readButtons(this, itemIndex);
	const quickReplyOptions = readQuickReplies(this, itemIndex);

	const recipient = await resolveRecipient(this, ref, itemIndex, false);
	const dm = await sendDirectMessage(this, { recipientId: recipient.userId, text, buttons, quickReplyOptions }, itemIndex);
	const sentMs = Number(dm.event?.created_timestamp);
	return [
		{
			json: {
				dmId: String(dm.event?.id ?? ''),
				recipientId: recipient.userId,
				...(recipient.screenName ? { recipientScreenName: recipient.screenName } : {}),
				sentAt: new Date(Number.isFinite(sentMs) && sentMs > 0 ? sentMs : Date.now()).toISOString(),
				text,
			},
		},
	];
}
