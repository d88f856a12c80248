import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { exactUserId, showUser } from '../../../shared/api';
import { readRecipient, recipientField } from '../../helpers/recipient';

const properties: INodeProperties[] = [recipientField('The user to get')];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const user = await showUser(this, readRecipient(this, itemIndex), itemIndex);
	// The ID as text (id_str): X's numeric id is rounded past 2^53 and would name another user.
	return [{ json: { ...user, id: exactUserId(user) } as IDataObject }];
}
