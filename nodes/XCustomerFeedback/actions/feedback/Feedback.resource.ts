import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as send from './send.operation';

// Get Report (`getReport`) plugs in here: import './getReport.operation', add it to the export
// below, add its option to the list and spread its description.
export { get, getMany, send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['feedback'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get one feedback request and its answer so far',
				action: 'Get a feedback request',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List feedback events (requests sent, answers received) in a time range',
				action: 'Get many feedback events',
			},
			{
				name: 'Send Request',
				value: 'send',
				description: 'Send a CSAT or NPS feedback card in a Direct Message',
				action: 'Send a feedback request',
			},
		],
		default: 'send',
	},
	...send.description,
	...get.description,
	...getMany.description,
];
