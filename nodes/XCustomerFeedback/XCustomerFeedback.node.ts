import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as account from './actions/account/Account.resource';
import * as directMessage from './actions/directMessage/DirectMessage.resource';
import * as feedback from './actions/feedback/Feedback.resource';
import { router } from './actions/router';
import { subtitleOf } from './actions/subtitle';
import * as user from './actions/user/User.resource';
import { getQuestionVariants } from './methods/loadOptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Account', value: 'account' },
			{ name: 'Direct Message', value: 'directMessage' },
			{ name: 'Feedback', value: 'feedback' },
			{ name: 'User', value: 'user' },
		],
		default: 'feedback',
	},
	...feedback.description,
	...directMessage.description,
	...user.description,
	...account.description,
];

export class XCustomerFeedback implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'X (Twitter) Customer Feedback',
		name: 'xCustomerFeedback',
		icon: { light: 'file:xCustomerFeedback.svg', dark: 'file:xCustomerFeedback.dark.svg' },
		group: ['output'],
		version: 1,
		// The operation's and resource's names, not their internal values, read from the options below.
		subtitle: subtitleOf(properties),
		// The node picker shows one description for this node and the trigger: it fits both.
		description: 'Send CSAT and NPS feedback cards in X Direct Messages, and act on every score and comment customers give',
		defaults: { name: 'X Customer Feedback' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Skip Seen Parts talks to n8n's store only, not to X.
		credentials: [{ name: 'xCustomerFeedbackOAuth1Api', required: true, displayOptions: { hide: { operation: ['skipSeen'] } } }],
		properties,
	};

	methods = {
		loadOptions: { getQuestionVariants },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
