/** Get: one feedback request and its answer so far (feedback/show). */
import { updateDisplayOptions, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { showFeedback } from '../../../shared/api';
import { simplifyFeedback } from '../../../shared/feedbackView';
import { booleanValue, inputError, textParam } from '../../helpers/fieldChecks';
import { simplifyField } from '../common.descriptions';

const properties: INodeProperties[] = [
	{
		displayName: 'Feedback ID',
		name: 'feedbackId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 1467916383744811008',
		description: 'The ID X gave the feedback request (the feedbackId that Send Request outputs)',
	},
	simplifyField,
];

export const description = updateDisplayOptions({ show: { resource: ['feedback'], operation: ['get'] } }, properties);

export function readFeedbackId(ctx: IExecuteFunctions, itemIndex: number): string {
	const id = textParam(ctx, 'feedbackId', itemIndex, 'Feedback ID', 'id').trim();
	if (id === '') throw inputError(ctx, itemIndex, 'Feedback ID', 'is empty', 'Fill in Feedback ID.');
	if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
		throw inputError(ctx, itemIndex, 'Feedback ID', `"${id}" is not a feedback ID (letters, digits, _ or -)`, 'Fix the Feedback ID field.');
	}
	return id;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = readFeedbackId(this, itemIndex);
	const simplify = booleanValue(this, itemIndex, 'Simplify', this.getNodeParameter('simplify', itemIndex, true), true);
	const { body: feedback, rateLimit } = await showFeedback(this, id, itemIndex);
	const json = (simplify ? simplifyFeedback(feedback) : { ...feedback }) as IDataObject;
	// A polling loop (see the "Real-time detractor alert" example) reads this to slow down before X answers 429.
	json.rateLimit = rateLimit
		? { limit: rateLimit.limit, remaining: rateLimit.remaining, resetAt: new Date(rateLimit.resetAt * 1000).toISOString() }
		: null;
	return [{ json }];
}
