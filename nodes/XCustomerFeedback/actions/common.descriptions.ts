/**
 * Fields several operations show. Each operation puts them in its own description (with its own
 * display options); the wording that differs (a listing's range or a report's period) is a parameter.
 */
import type { INodeProperties } from 'n8n-workflow';


/**
 * From and To of a time range of feedback events (read by helpers/eventListing.ts). `start` and
 * `end` begin the two descriptions; `placeholders` says in the empty fields what empty means.
 */
export function dateRangeFields(options: { start: string; end: string; endNote?: string; placeholders?: boolean }): INodeProperties[] {
	const { start, end, endNote, placeholders = false } = options;
	return [
		{
			displayName: 'From',
			name: 'from',
			type: 'dateTime',
			default: '',
			// What an empty field means, where n8n would show "Select date and time".
			...(placeholders ? { placeholder: 'Empty: 7 days before To' } : {}),
			description: `${start} Empty: 7 days before To. Without an offset the time is read in the workflow time zone.`,
		},
		{
			displayName: 'To',
			name: 'to',
			type: 'dateTime',
			default: '',
			...(placeholders ? { placeholder: 'Empty: 24 hours ago, the latest X serves' } : {}),
			description: `${end} X serves only events at least 24 hours old (see Minimum Event Age): empty means the latest time X serves (now minus that age), and a later time is an error that says the latest allowed time.${endNote ? ` ${endNote}` : ''}`,
		},
	];
}

export { minEventAgeOption } from '../../shared/minEventAge';

/** "Include Test Feedback": `verb` is what the operation does with feedback (include it in a listing, count it in a report). */
export function includeTestOption(verb: 'include' | 'count'): INodeProperties {
	return {
		displayName: 'Include Test Feedback',
		name: 'includeTest',
		type: 'boolean',
		default: false,
		description: `Whether to ${verb} feedback sent in Test Mode (test=true); left out unless turned on`,
	};
}

export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return a flat version (feedbackId, type, answered, score, scoredAt, comment, commentedAt, category, detractor, npsCategory, csatSatisfied, questionVariantId, externalId, recipientId, test, sentAt, updatedAt; times in ISO) instead of the raw X object',
};
