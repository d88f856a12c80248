import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { readRecipient, recipientField, resolveRecipient } from '../../helpers/recipient';

const properties: INodeProperties[] = [
	recipientField('The customer to check: whether this account can send them Direct Messages (and so a feedback card)'),
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['checkCanDm'] } }, properties);

/**
 * `canDm` is what X says in friendships/show (relationship.source.can_dm): true, false, or null when
 * X's answer does not say, with `canDmReason` saying why (null when X said). Send Request sends to an
 * unknown one and reads X's refusal.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const ref = readRecipient(this, itemIndex);
	const { userId, screenName, canDm, canDmReason } = await resolveRecipient(this, ref, itemIndex, true);
	return [{ json: { userId, screenName: screenName ?? null, canDm: canDm ?? null, canDmReason: canDmReason ?? null } }];
}
