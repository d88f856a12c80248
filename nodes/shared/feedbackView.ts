/**
 * The flat, readable form of a feedback object that nodes output when "Simplify" is on: ISO times,
 * the score and comment lifted out of `response`, and the score's class (NPS category or CSAT
 * satisfied). Pure; tolerant of missing fields, because X may leave parts out.
 */
import { xDateToIso } from './dates';
import { isTestFeedback, readScore } from './feedbackRules';
import { csatCategory, csatSatisfied, isDetractor, npsCategory, type CsatCategory, type NpsCategory } from './scores';
import type { XFeedback } from './types';

export interface SimpleFeedback {
	feedbackId: string;
	type: string;
	answered: boolean;
	score: number | null;
	/** Why the score cannot be used as it stands (not a number, off its scale); null when it can. */
	scoreIssue: string | null;
	scoredAt: string | null;
	comment: string | null;
	commentedAt: string | null;
	/** The score's band: NPS promoter, passive or detractor; CSAT satisfied, neutral or dissatisfied; null until scored. */
	category: NpsCategory | CsatCategory | null;
	/** NPS 0-6 or CSAT 1-2 (what a detractor alert looks for); null until scored. */
	detractor: boolean | null;
	/** NPS only: promoter, passive or detractor; null until scored and for CSAT (every item has the key). */
	npsCategory: NpsCategory | null;
	/** CSAT only: a 4 or 5; null until scored and for NPS (every item has the key). */
	csatSatisfied: boolean | null;
	questionVariantId: number | null;
	externalId: string | null;
	recipientId: string | null;
	test: boolean;
	sentAt: string | null;
	updatedAt: string | null;
	[key: string]: unknown;
}

/** The variant X used: it sends the id as a string; absent means X's default, 0. */
export function variantIdOf(feedback: Pick<XFeedback, 'question_variant_id'>): number | null {
	const raw = feedback.question_variant_id as unknown;
	if (raw === undefined || raw === null || raw === '') return 0;
	const id = Number(raw);
	return Number.isInteger(id) ? id : null;
}

/** `withTimes` false: the four times are left null (the trigger reads only the two its items show). */
export function simplifyFeedback(feedback: XFeedback, withTimes = true): SimpleFeedback {
	const { score, issue } = readScore(feedback);
	const text = feedback.response?.text;
	const comment = text && typeof text.value === 'string' ? text.value : null;
	const type = String(feedback.type ?? '');
	// A score off its scale has no class: it is flagged in scoreIssue instead.
	const usable = score !== null && issue === null;
	const simple: SimpleFeedback = {
		feedbackId: String(feedback.id),
		type,
		answered: score !== null || issue !== null || comment !== null,
		score,
		scoreIssue: issue,
		scoredAt: withTimes && (score !== null || issue !== null) ? (xDateToIso(feedback.response?.score?.created_at) ?? null) : null,
		comment,
		commentedAt: withTimes && comment !== null ? (xDateToIso(text?.created_at) ?? null) : null,
		questionVariantId: variantIdOf(feedback),
		externalId: feedback.external_id ? String(feedback.external_id) : null,
		recipientId: feedback.to_user_id !== undefined && feedback.to_user_id !== null ? String(feedback.to_user_id) : null,
		test: isTestFeedback(feedback),
		sentAt: withTimes ? (xDateToIso(feedback.created_at) ?? null) : null,
		updatedAt: withTimes ? (xDateToIso(feedback.updated_at) ?? null) : null,
		category: !usable ? null : type === 'nps' ? npsCategory(score) : type === 'csat' ? csatCategory(score) : null,
		detractor: !usable || (type !== 'nps' && type !== 'csat') ? null : isDetractor(type, score),
		npsCategory: type === 'nps' && usable ? npsCategory(score) : null,
		csatSatisfied: type === 'csat' && usable ? csatSatisfied(score) : null,
	};
	return simple;
}
