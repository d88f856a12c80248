/** UI fields both nodes show the same way. */
import type { INodeProperties } from 'n8n-workflow';

export const feedbackTypeFilter: INodeProperties = {
	displayName: 'Feedback Type',
	name: 'feedbackType',
	type: 'options',
	options: [
		{ name: 'All', value: 'all' },
		{ name: 'CSAT', value: 'csat' },
		{ name: 'NPS', value: 'nps' },
	],
	default: 'all',
};
