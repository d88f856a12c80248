import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';

export { send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['directMessage'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				description: 'Send a Direct Message, optionally with buttons or quick replies',
				action: 'Send a direct message',
			},
		],
		default: 'send',
	},
	...send.description,
];
