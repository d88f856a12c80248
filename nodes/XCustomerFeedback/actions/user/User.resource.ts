import type { INodeProperties } from 'n8n-workflow';

import * as checkCanDm from './checkCanDm.operation';
import * as get from './get.operation';

export { checkCanDm, get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Check Can DM',
				value: 'checkCanDm',
				description: 'Whether this account can send the user Direct Messages, and so a feedback card',
				action: 'Check whether a user can receive direct messages',
			},
			{ name: 'Get', value: 'get', description: 'Get a user by ID or username', action: 'Get a user' },
		],
		default: 'checkCanDm',
	},
	...checkCanDm.description,
	...get.description,
];
