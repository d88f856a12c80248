import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { readRecipient, recipientField, resolveRecipient } from '../../helpers/recipient';

const properties: INodeProperties[] = [
	recipientField('The customer to check: whether this account can send them Direct Messages (and so a feedback card)'),
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['checkCanDm'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const ref = readRecipient(this, itemIndex);
	const { userId, screenName, user } = await resolveRecipient(this, ref, itemIndex, true);
	return [{ json: { userId, screenName, canDm: user?.can_dm === true } }];
}
