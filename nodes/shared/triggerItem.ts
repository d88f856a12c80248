/** The item both triggers emit for one part (polling and webhook): the simplified feedback, named for the part it reports. */
import type { IDataObject } from 'n8n-workflow';

import { xDateToIso } from './dates';
import { givenAtField, partGivenAt, type FeedbackPart } from './feedbackLog/parts';
import { simplifyFeedback } from './feedbackView';

// One event's snapshot often brings several parts (a request and its score), and they come one
// after the other: the last snapshot simplified is kept. (A WeakMap of every snapshot in a poll cost
// more in garbage collection than it saved.)
let lastFeedback: FeedbackPart['feedback'] | undefined;
let lastSimple: ReturnType<typeof simplifyFeedback> | undefined;
let lastSentAt: string | null = null;

/** `<feedbackId>:score|comment|request`, the same every time this part is delivered. */
export function eventIdOf(part: Pick<FeedbackPart, 'feedbackId' | 'kind'>): string {
	return `${part.feedbackId}:${part.kind}`;
}

/** The fields of every item, in the order the saved ledger writes them; `raw` last, only when included. */
export const ITEM_FIELDS = [
	'eventId',
	'event',
	'feedbackId',
	'type',
	'score',
	'scoreIssue',
	'comment',
	'submittedAt',
	'requestedAt',
	'externalId',
	'recipientId',
	'questionVariantId',
	'test',
	'category',
	'detractor',
	'npsCategory',
	'csatSatisfied',
	'deliveryAttempt',
	'recovered',
	'raw',
] as const;

/** An item as built: every field of ITEM_FIELDS but `raw` (the compiler holds the literal below to the list). */
type ItemFields = Record<Exclude<(typeof ITEM_FIELDS)[number], 'raw'>, IDataObject[string]>;

/** `recovered`: read from feedback/events to make up for webhook calls that never arrived. */
export function triggerItem(part: FeedbackPart, includeRaw: boolean, recovered = false): IDataObject {
	const { feedback } = part;
	if (feedback !== lastFeedback || !lastSimple) {
		// An item shows two times, when the part was given and when the request was sent: only those
		// are read (simplifying reads four; bench, drain).
		lastSimple = simplifyFeedback(feedback, false);
		lastSentAt = xDateToIso(feedback.created_at) ?? null;
		lastFeedback = feedback;
	}
	const simple = lastSimple;
	// A part given when the request was sent (the request itself) has that date: read once.
	const givenAt = givenAtField(part.kind) === 'sentAt' ? (lastSentAt ?? undefined) : xDateToIso(partGivenAt(feedback, part.kind));
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
		requestedAt: lastSentAt,
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
		// Set again for each delivery. Here so that every item is built with all its keys at once: a key
		// added later costs each of a thousand items a second allocation.
		deliveryAttempt: 1,
		recovered,
	} satisfies ItemFields;
	if (includeRaw) item.raw = JSON.parse(JSON.stringify(feedback)) as IDataObject;
	return item;
}
