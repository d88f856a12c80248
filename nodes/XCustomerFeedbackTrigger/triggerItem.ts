/** The item the trigger emits for one part: the simplified feedback, named for the part it reports. */
import type { IDataObject } from 'n8n-workflow';

import type { FeedbackPart } from '../shared/feedbackLog/parts';
import { simplifyFeedback } from '../shared/feedbackView';

// One event's snapshot often brings several parts (a request and its score): simplify it once.
const simplified = new WeakMap<FeedbackPart['feedback'], ReturnType<typeof simplifyFeedback>>();

/** `<feedbackId>:score|comment|request`, the same every time this part is delivered. */
export function eventIdOf(part: Pick<FeedbackPart, 'feedbackId' | 'kind'>): string {
	return `${part.feedbackId}:${part.kind}`;
}

export function triggerItem(part: FeedbackPart, includeRaw: boolean): IDataObject {
	const { feedback } = part;
	let simple = simplified.get(feedback);
	if (!simple) {
		simple = simplifyFeedback(feedback);
		simplified.set(feedback, simple);
	}
	const givenAt = { request: simple.sentAt, score: simple.scoredAt, comment: simple.commentedAt }[part.kind];
	const item: IDataObject = {
		// Stable across deliveries: a Sheet or database keyed on it skips a re-delivered item.
		eventId: eventIdOf(part),
		event: part.kind,
		feedbackId: part.feedbackId,
		type: simple.type,
		score: simple.score,
		scoreIssue: simple.scoreIssue,
		comment: simple.comment,
		submittedAt: givenAt ?? new Date(part.atMs).toISOString(),
		requestedAt: simple.sentAt,
		externalId: simple.externalId,
		recipientId: simple.recipientId,
		questionVariantId: simple.questionVariantId,
		test: simple.test,
		// Every item has the same keys, so a table or a sheet never shows "undefined": the class of
		// the score is null for the other type and before there is a score.
		category: simple.category,
		detractor: simple.detractor,
		npsCategory: simple.npsCategory,
		csatSatisfied: simple.csatSatisfied,
	};
	if (includeRaw) item.raw = JSON.parse(JSON.stringify(feedback)) as IDataObject;
	return item;
}
