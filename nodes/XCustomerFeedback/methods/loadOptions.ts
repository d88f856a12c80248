/** Options lists the editor loads while a user fills in the node. */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import type { FeedbackType } from '../../shared/types';
import { QUESTION_VARIANTS, questionText } from '../../shared/variants';

function variantOptions(type: FeedbackType, displayName: string | undefined): INodePropertyOptions[] {
	return QUESTION_VARIANTS[type].map((_, id) => ({
		name: `${id}: ${questionText(type, id, displayName) ?? ''}`,
		value: id,
		description: `Sent as question_variant_id ${id}`,
	}));
}

/** Both types' texts per id, for when the editor cannot know the type (it comes from an expression). */
function combinedOptions(displayName: string | undefined): INodePropertyOptions[] {
	return QUESTION_VARIANTS.csat.map((_, id) => {
		const nps = questionText('nps', id, displayName);
		const csat = questionText('csat', id, displayName) ?? '';
		return {
			name: `${id}: CSAT "${csat}"${nps ? ` / NPS "${nps}"` : ' (CSAT only)'}`,
			value: id,
			description: `Sent as question_variant_id ${id}`,
		};
	});
}

/**
 * The question texts X shows for the chosen type, with the display name filled in when one is set.
 * The variant is checked against the type again when the node runs.
 */
export async function getQuestionVariants(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const type = this.getCurrentNodeParameter('feedbackType') as unknown;
	const options = this.getCurrentNodeParameter('options') as { displayName?: unknown } | undefined;
	const raw = options?.displayName;
	const displayName = typeof raw === 'string' && raw.trim() !== '' && !raw.startsWith('=') ? raw : '[your account name]';
	if (type === 'csat' || type === 'nps') return variantOptions(type, displayName);
	return combinedOptions(displayName);
}
