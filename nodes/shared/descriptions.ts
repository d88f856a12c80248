/** UI fields several nodes show the same way. */
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

/** Which parts start the workflow: both triggers offer the same choice. */
export const eventsField: INodeProperties = {
	displayName: 'Events',
	name: 'events',
	type: 'multiOptions',
	options: [
		{ name: 'Score Submitted', value: 'score', description: 'A customer gave a score' },
		{ name: 'Comment Submitted', value: 'comment', description: 'A customer wrote a comment' },
		{ name: 'Request Sent', value: 'request', description: 'A feedback request was sent to a customer' },
	],
	default: ['score', 'comment'],
	required: true,
};

/** The triggers' "Include Raw Event" option. */
export const includeRawOption: INodeProperties = {
	displayName: 'Include Raw Event',
	name: 'includeRaw',
	type: 'boolean',
	default: false,
	description: 'Whether to add the feedback snapshot as X sent it, under "raw"',
};

/** The triggers' "Include Test Feedback" option. */
export const includeTestOption: INodeProperties = {
	displayName: 'Include Test Feedback',
	name: 'includeTest',
	type: 'boolean',
	default: false,
	description: 'Whether to include feedback sent with test mode on',
};
