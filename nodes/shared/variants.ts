/** X's question texts for `question_variant_id`; `<name>` is replaced by the display name. */
import type { FeedbackType } from './types';

const CSAT = [
	'What is your overall satisfaction with <name>?',
	'How satisfied are you with <name>?',
	'Overall, how satisfied were you with your recent <name> experience?',
	'How would you rate the overall experience with <name>?',
	'How would you rate your overall experience with <name>?',
	'How would you rate your experience so far with <name>?',
	'How would you rate your experience on Twitter with <name>?',
	'Were you satisfied with your recent experience with <name>?',
	'How well does <name> meet your expectations?',
	'How would you rate your guest experience with <name>?',
	'How would you rate your service experience with <name>?',
	'How would you rate your recent service experience with <name>?',
	'How would you rate the service you received from <name>?',
	'Were you satisfied with the result of your interaction with <name>?',
	'How would you rate the ability to resolve your issue with <name>?',
	'How would you rate the response time from <name>?',
	'How would you rate the speed of service from <name>?',
	'How would you rate the time to resolution with <name>?',
	'How would you rate the time to resolve your issue with <name>?',
	'How would you rate the speed of resolution with <name>?',
	"How would you rate the <name> advisor's expertise?",
	'How satisfied were you with the <name> agent who helped you?',
	'How satisfied were you with the <name> specialist who helped you?',
	'How satisfied were you with the <name> representative who helped you?',
	'How would you rate your recent banking experience with <name>?',
	'How would you rate the overall event experience at <name>?',
	'How would you rate your bill pay experience with <name>?',
	'How would you rate your purchase experience with <name>?',
	'How would you rate your shopping experience with <name>?',
	'How would you rate your delivery experience with <name>?',
	'How would you rate your rental experience with <name>?',
	'How would you rate your recent <name> store visit?',
	'How would you rate your recent <name> hotel stay?',
	'How would you rate your recent flight with <name>?',
	'How would you rate your recent ride with <name>?',
	'How would you rate your recent trip with <name>?',
	'How would you rate your recent visit to <name>?',
	'How would you rate your recent meal at <name>?',
];

const NPS = [
	'How likely are you to recommend <name> to a friend?',
	'How likely is it that you would recommend <name> to a friend?',
	'How likely is it that you would recommend <name> to a colleague?',
	'How likely is it that you would recommend <name> to a family member?',
	'How likely is it that you would recommend <name> to someone else?',
	'How likely is it that you would recommend <name> to a friend or colleague?',
	'How likely is it that you would shop at <name> in the future?',
	'How likely is it that you would recommend <name>?',
	'Would you recommend <name> to a friend or colleague?',
	'How likely are you to recommend your experience with <name> to a friend?',
];

export const QUESTION_VARIANTS: Record<FeedbackType, readonly string[]> = { csat: CSAT, nps: NPS };

export function questionText(type: FeedbackType, variantId: number, displayName?: string): string | undefined {
	const text = QUESTION_VARIANTS[type][variantId];
	return text === undefined ? undefined : text.replace('<name>', displayName?.trim() || '<name>');
}
