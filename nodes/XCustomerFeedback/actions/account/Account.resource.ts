import type { INodeProperties } from 'n8n-workflow';

import * as checkSetup from './checkSetup.operation';

export { checkSetup };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Check Setup',
				value: 'checkSetup',
				description: 'What X does for the connected account: credential, allowlisting, can_dm, rate limits and the event clock, in one item',
				action: 'Check the setup of the connected account',
			},
		],
		default: 'checkSetup',
	},
	...checkSetup.description,
];
