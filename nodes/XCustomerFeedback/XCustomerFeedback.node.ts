import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { router } from './actions/router';
import * as user from './actions/user/User.resource';

export class XCustomerFeedback implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'X (Twitter) Customer Feedback',
		name: 'xCustomerFeedback',
		icon: { light: 'file:xCustomerFeedback.svg', dark: 'file:xCustomerFeedback.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Send CSAT and NPS feedback cards in X Direct Messages and read the answers',
		defaults: { name: 'X Customer Feedback' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'xCustomerFeedbackOAuth1Api', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'User', value: 'user' }],
				default: 'user',
			},
			...user.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
