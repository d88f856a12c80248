import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getReport from './getReport.operation';
import * as send from './send.operation';
import * as skipSeen from './skipSeen.operation';

export { get, getMany, getReport, send, skipSeen };

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
				name: 'Get Report',
				value: 'getReport',
				description: 'CSAT, NPS and response rate for a period, with an optional CSV and HTML dashboard for managers',
				action: 'Get a feedback report',
			},
			{
				name: 'Send Request',
				value: 'send',
				description: 'Send a CSAT or NPS feedback card in a Direct Message',
				action: 'Send a feedback request',
			},
			{
				name: 'Skip Seen Parts',
				value: 'skipSeen',
				description: 'Pass on each score, comment or request once, however often the webhook or the polling trigger brings it',
				action: 'Skip seen feedback parts',
			},
		],
		default: 'send',
	},
	...send.description,
	...get.description,
	...getMany.description,
	...getReport.description,
	...skipSeen.description,
];
