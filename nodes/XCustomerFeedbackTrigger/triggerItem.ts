/** The item the trigger emits for one part: stable, simplified names. */
import type { IDataObject } from 'n8n-workflow';

import { xDateToIso } from '../shared/dates';
import type { FeedbackPart } from '../shared/feedbackLog/parts';
import { csatSatisfied, npsCategory } from '../shared/scores';

const EVENT_NAMES = { request: 'request', score: 'score', comment: 'comment' } as const;

export function triggerItem(part: FeedbackPart, includeRaw: boolean): IDataObject {
	const feedback = part.feedback;
	const score = feedback.response?.score?.value;
	const comment = feedback.response?.text?.value;
	const givenAt = { request: feedback.created_at, score: feedback.response?.score?.created_at, comment: feedback.response?.text?.created_at }[part.kind];
	const variant = Number(feedback.question_variant_id);
	const item: IDataObject = {
		event: EVENT_NAMES[part.kind],
		feedbackId: part.feedbackId,
		type: feedback.type,
		score: typeof score === 'number' ? score : null,
		comment: typeof comment === 'string' ? comment : null,
		submittedAt: xDateToIso(givenAt) ?? new Date(part.atMs).toISOString(),
		requestedAt: xDateToIso(feedback.created_at) ?? null,
		externalId: feedback.external_id ?? null,
		recipientId: feedback.to_user_id ?? null,
		questionVariantId: Number.isFinite(variant) ? variant : null,
		test: feedback.test === true,
	};
	if (typeof score === 'number') {
		if (feedback.type === 'csat') item.csatSatisfied = csatSatisfied(score);
		if (feedback.type === 'nps') item.npsCategory = npsCategory(score);
	}
	if (includeRaw) item.raw = JSON.parse(JSON.stringify(feedback)) as IDataObject;
	return item;
}
