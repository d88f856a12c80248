/**
 * Send Request: one CSAT or NPS card to one customer, in a Direct Message. Everything is checked
 * before the first request; then, in order: the asked-recently memory, the recipient lookup
 * (friendships/show tells can_dm and resolves a username), the optional introductory DM, and
 * feedback/create. feedback/create is a POST and is never retried (the transport guarantees it).
 * X's refusals about this one customer are read by what they mean, whatever code X used
 * (errors.ts `refusal`): asked recently, or not reachable by DM; an unknown can_dm is sent to.
 */
import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE, createFeedback, sendDirectMessage, xErrorInfo, type UserRef } from '../../../shared/api';
import { parseXDateMs } from '../../../shared/dates';
import { isTestFeedback } from '../../../shared/feedbackRules';
import { variantIdOf } from '../../../shared/feedbackView';
import type { FeedbackType, XFeedback } from '../../../shared/types';
import { QUESTION_VARIANTS, questionText } from '../../../shared/variants';
import { MAX_DISPLAY_NAME, MAX_EXTERNAL_ID, MAX_TEXT } from '../../../shared/xLimits';
import {
	booleanValue,
	inputError,
	maxLength,
	oneOf,
	optionalText,
	optionalTextField,
	optionsParam,
	requiredText,
	textParam,
	webUrl,
	wholeNumber,
} from '../../helpers/fieldChecks';
import { readRecipient, recipientField, resolveRecipient, type ResolvedRecipient } from '../../helpers/recipient';
import { claimRecipient, RecipientClaim, type ClaimOutcome, type StoreProblem } from '../../helpers/askedMemory';
import { DEFAULT_SKIP_DAYS, MAX_REMEMBERED, MAX_SKIP_DAYS, X_REQUESTS_PER_DAY } from '../../helpers/askedRecently';
import { StepFailure } from '../../helpers/stepFailure';

const properties: INodeProperties[] = [
	recipientField('The customer to ask, by user ID or @username (a username is looked up to find the ID)'),
	{
		displayName: 'Type',
		name: 'feedbackType',
		type: 'options',
		options: [
			{
				name: 'CSAT',
				value: 'csat',
				description: 'Customer satisfaction: a score from 1 to 5 and an optional comment',
			},
			{
				name: 'NPS',
				value: 'nps',
				description: 'Net Promoter Score: how likely the customer is to recommend you, 0 to 10, and an optional comment',
			},
		],
		default: 'csat',
		required: true,
		description: 'The kind of survey card',
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. Thanks for contacting us! How did we do? Tap a score below.',
		description: 'The Direct Message text that carries the card, up to 10,000 characters',
		hint: 'Cards show only in the X iOS and Android apps. Web and third-party clients show just this text, so it must read well on its own.',
	},
	{
		displayName: 'Privacy Policy URL',
		name: 'privacyUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://example.com/privacy',
		description: "Your business's privacy policy; X links it from the card",
	},
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '',
		placeholder: 'e.g. case-12345',
		description:
			'Your own reference for this request, such as the help-desk case or conversation ID (up to 256 characters). It comes back with the score and comment, so an alert or report can point to the case.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Check Can DM First',
				name: 'checkCanDm',
				type: 'boolean',
				default: true,
				description:
					'Whether to look the customer up first (friendships/show, where X reports can_dm) and not send when X says they cannot receive Direct Messages from this account. When X does not say, the card is sent and a refusal from X is read the same way. On unless turned off here.',
			},
			{
				displayName: 'Display Name',
				name: 'displayName',
				type: 'string',
				default: '',
				description: 'Up to 20 characters. Replaces the account name in the question text only.',
			},
			{
				displayName: 'If Customer Cannot Receive DMs',
				name: 'ifCannotDm',
				type: 'options',
				options: [
					{
						name: 'Skip',
						value: 'skip',
						description: 'Output an item with status "skipped" and reason "cannot_dm"',
					},
					{ name: 'Error', value: 'error', description: 'Fail the item' },
				],
				default: 'skip',
				description: 'What to do when the customer cannot receive Direct Messages from this account: found by "Check Can DM First", or refused by X when nothing had been sent yet',
			},
			{
				displayName: 'Introductory DM',
				name: 'introMessage',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description:
					'A separate Direct Message sent just before the card (up to 10,000 characters). Leave empty to send only the card. If the card then fails, the output says that this DM was sent.',
			},
			{
				displayName: 'Question Variant Name or ID',
				name: 'questionVariantId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getQuestionVariants', loadOptionsDependsOn: ['feedbackType', 'options.displayName'] },
				default: 0,
				description:
					'The question the card asks. CSAT has variants 0 to 37, NPS 0 to 9. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Skip Customers Asked Within (Days)',
				name: 'skipAskedWithinDays',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: MAX_SKIP_DAYS },
				default: DEFAULT_SKIP_DAYS,
				description: `X asks businesses not to survey the same customer more than about once a week. The node remembers whom it asked (in n8n's de-duplication store, by user ID and UTC day, also in manual runs) and outputs status "skipped" with reason "asked_recently" for anyone it asked today (UTC) or on one of this many days before: cards to a customer are at least this many days apart, and at most one day more. 7 unless set here; 0 turns it off; at most ${MAX_SKIP_DAYS}, all the store can hold at X's ${X_REQUESTS_PER_DAY.toLocaleString('en-US')} requests a day. X itself refuses a second request within 24 hours, which also reads "asked_recently".`,
			},
			{
				displayName: 'Test Mode',
				name: 'test',
				type: 'boolean',
				default: false,
				description: 'Whether to mark the feedback as a test (test=true): X leaves it out of analytics, and listings skip it unless asked. Use it for all testing.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['feedback'], operation: ['send'] } }, properties);

interface SendInput {
	recipient: UserRef;
	type: FeedbackType;
	message: string;
	privacyUrl: string;
	externalId?: string;
	questionVariantId?: number;
	displayName?: string;
	test: boolean;
	checkCanDm: boolean;
	skipDays: number;
	ifCannotDm: 'skip' | 'error';
	introMessage?: string;
}

/** Every field, checked; throws naming the field and the item before anything is sent. */
function readInput(ctx: IExecuteFunctions, itemIndex: number): SendInput {
	const recipient = readRecipient(ctx, itemIndex);
	const type = oneOf(ctx, itemIndex, 'Type', ctx.getNodeParameter('feedbackType', itemIndex), ['csat', 'nps'] as const);
	const message = requiredText(ctx, itemIndex, 'Message', textParam(ctx, 'message', itemIndex, 'Message'), MAX_TEXT);
	const privacyUrl = webUrl(ctx, itemIndex, 'Privacy Policy URL', textParam(ctx, 'privacyUrl', itemIndex, 'Privacy Policy URL'));
	const options = optionsParam(ctx, itemIndex);

	const externalId = optionalTextField(ctx, itemIndex, 'External ID', ctx.getNodeParameter('externalId', itemIndex, ''), 'id');
	if (externalId !== undefined) maxLength(ctx, itemIndex, 'External ID', externalId, MAX_EXTERNAL_ID);
	const displayName = optionalTextField(ctx, itemIndex, 'Display Name', options.displayName);
	if (displayName !== undefined) maxLength(ctx, itemIndex, 'Display Name', displayName, MAX_DISPLAY_NAME);
	const maxVariant = QUESTION_VARIANTS[type].length - 1;
	const questionVariantId =
		options.questionVariantId === undefined || options.questionVariantId === ''
			? undefined
			: wholeNumber(ctx, itemIndex, `Question Variant (${type.toUpperCase()})`, options.questionVariantId, 0, maxVariant);
	const introMessage = optionalTextField(ctx, itemIndex, 'Introductory DM', options.introMessage);
	if (introMessage !== undefined) maxLength(ctx, itemIndex, 'Introductory DM', introMessage, MAX_TEXT);
	const skipField = 'Skip Customers Asked Within (Days)';
	const skipAsked = options.skipAskedWithinDays;
	const skipNumber = typeof skipAsked === 'string' && skipAsked.trim() !== '' ? Number(skipAsked.trim()) : skipAsked;
	if (typeof skipNumber === 'number' && Number.isInteger(skipNumber) && skipNumber > MAX_SKIP_DAYS) {
		throw inputError(
			ctx,
			itemIndex,
			skipField,
			`must be a whole number from 0 to ${MAX_SKIP_DAYS}, not ${skipNumber}`,
			`n8n's de-duplication store keeps ${MAX_REMEMBERED.toLocaleString('en-US')} entries for this node and X lets an account send ${X_REQUESTS_PER_DAY.toLocaleString('en-US')} requests a day: a longer window would forget customers still inside it.`,
		);
	}
	const skipDays = skipAsked === undefined || skipAsked === '' ? DEFAULT_SKIP_DAYS : wholeNumber(ctx, itemIndex, skipField, skipAsked, 0, MAX_SKIP_DAYS);
	return {
		recipient,
		type,
		message,
		privacyUrl,
		externalId,
		questionVariantId,
		displayName,
		test: booleanValue(ctx, itemIndex, 'Test Mode', options.test, false),
		checkCanDm: booleanValue(ctx, itemIndex, 'Check Can DM First', options.checkCanDm, true),
		skipDays,
		ifCannotDm: oneOf(ctx, itemIndex, 'If Customer Cannot Receive DMs', options.ifCannotDm ?? 'skip', ['skip', 'error'] as const),
		introMessage: introMessage !== undefined && introMessage.trim() !== '' ? introMessage : undefined,
	};
}

/**
 * Whom the question names when Display Name is empty: X puts the sending account there. The node
 * knows that account by the @username X returned when the credential connected (n8n keeps it with
 * the token); without it, a neutral "us" (no extra API call just to name the account).
 */
async function accountLabel(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	try {
		const credentials = await ctx.getCredentials(CREDENTIAL_TYPE, itemIndex);
		const screenName = (credentials.oauthTokenData as IDataObject | undefined)?.screen_name;
		if (typeof screenName === 'string' && /^\w{1,15}$/.test(screenName)) return `@${screenName}`;
	} catch {
		// The card is sent; naming the account is not worth failing the item for.
	}
	return 'us';
}

function who(recipient: ResolvedRecipient): string {
	return recipient.screenName ? `@${recipient.screenName} (user ID ${recipient.userId})` : `user ID ${recipient.userId}`;
}

function recipientFields(recipient: ResolvedRecipient): IDataObject {
	return { recipientId: recipient.userId, ...(recipient.screenName ? { recipientScreenName: recipient.screenName } : {}) };
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const input = readInput(this, itemIndex);
	const base = { type: input.type, externalId: input.externalId ?? null, test: input.test };

	const askedRecently = (userId: string, askedOn: string | null, refusedBy: 'node' | 'x'): INodeExecutionData[] => [
		{ json: { status: 'skipped', reason: 'asked_recently', refusedBy, lastAskedOn: askedOn, recipientId: userId, ...base } },
	];

	// What the store failed at while the node went on: logged, never in place of X's own error.
	const storeProblem: StoreProblem = (what, problem) =>
		this.logger.warn(`Send Request (item ${itemIndex}): n8n's de-duplication store failed ${what}: ${problem}`);
	const claimFor = async (userId: string) => await claimRecipient(this, itemIndex, userId, input.skipDays, Date.now(), storeProblem);

	// A known ID can be checked against the memory before any request.
	let claim: RecipientClaim | undefined;
	if ('userId' in input.recipient) {
		const checked = await claimFor(input.recipient.userId);
		if (!(checked instanceof RecipientClaim)) return askedRecently(input.recipient.userId, checked.askedOn, 'node');
		claim = checked;
	}
	// The claim is settled here alone, once, whatever ends the item: it goes back unless it was found
	// true on the way (a card went out, may have, or X says the customer was asked recently).
	let outcome: ClaimOutcome = 'giveBack';
	try {
		const recipient = await resolveRecipient(this, input.recipient, itemIndex, input.checkCanDm);
		if (!claim) {
			const checked = await claimFor(recipient.userId);
			if (!(checked instanceof RecipientClaim)) {
				return askedRecently(recipient.userId, checked.askedOn, 'node').map((item) => ({ json: { ...item.json, ...recipientFields(recipient) } }));
			}
			claim = checked;
		}

		const cannotDm = (refusedBy: 'node' | 'x'): INodeExecutionData[] => [
			{ json: { status: 'skipped', reason: 'cannot_dm', refusedBy, ...recipientFields(recipient), ...base } },
		];

		if (input.checkCanDm && recipient.canDm === false) {
			if (input.ifCannotDm === 'error') {
				throw new NodeOperationError(
					this.getNode(),
					`${who(recipient)} cannot receive Direct Messages from this account (can_dm is false); nothing was sent`,
					{
						itemIndex,
						description:
							'The customer does not accept Direct Messages from this account, so a feedback card cannot reach them. Set "If Customer Cannot Receive DMs" to Skip to output a skipped item instead.',
					},
				);
			}
			return cannotDm('node');
		}

		// A failed step is passed on as it failed; the router words the item's error from it.
		let introDmId: string | undefined;
		if (input.introMessage !== undefined) {
			const intro = await sendDirectMessage(this, { recipientId: recipient.userId, text: input.introMessage }, itemIndex).catch(
				(error: unknown) => new StepFailure(error, 'the introductory DM failed, so no feedback card was sent'),
			);
			if (intro instanceof StepFailure) {
				// X refused the DM (can_dm was false or unknown): nothing reached the customer, and no card
				// request follows, so nothing is left half sent.
				if (xErrorInfo(intro.failure).refusal === 'cannot_dm' && input.ifCannotDm === 'skip') return cannotDm('x');
				throw intro;
			}
			introDmId = String(intro.event?.id ?? '');
		}

		const card = {
			type: input.type,
			toUserId: recipient.userId,
			message: input.message,
			privacyUrl: input.privacyUrl,
			externalId: input.externalId,
			questionVariantId: input.questionVariantId,
			displayName: input.displayName,
			test: input.test,
			recipientLabel: who(recipient),
		};
		const created = await createFeedback(this, card, itemIndex).then(
			(feedback: XFeedback) => ({ feedback }),
			(error: unknown) => ({ error }),
		);
		if ('error' in created) {
			const { error } = created;
			const info = xErrorInfo(error);
			// X's own rule: the customer was asked in the last 24 hours (by this node or anyone else), said
			// with 403/185 or with a 429 while the window still has calls: the claim is true. X may have
			// sent the card although its answer was lost: the claim stays, so running the workflow again
			// does not survey them twice. Else no card went out: the claim goes back (the memory holds
			// cards and X's asked-recently refusals, so it fits X's 1,000 a day).
			if (info.refusal === 'asked_recently' || info.outcomeUnknown) outcome = 'keep';
			// Without an introductory DM nothing reached the customer: a skip.
			if (info.refusal === 'asked_recently' && introDmId === undefined) {
				return askedRecently(recipient.userId, null, 'x').map((item) => ({ json: { ...item.json, ...recipientFields(recipient) } }));
			}
			// X refused the DM that carries the card (can_dm was false or unknown): nothing was sent.
			if (info.refusal === 'cannot_dm' && introDmId === undefined && input.ifCannotDm === 'skip') return cannotDm('x');
			if (introDmId === undefined) throw error;
			throw new StepFailure(error, `the introductory DM was sent (id ${introDmId}) but the feedback card failed`, {
				status: 'failed',
				reason: 'card_failed',
				introDmId,
				...recipientFields(recipient),
				...base,
			});
		}
		const { feedback } = created;
		outcome = 'keep';

		const nowMs = Date.now();

		const variantId = variantIdOf(feedback) ?? input.questionVariantId ?? 0;
		const sentMs = parseXDateMs(feedback.created_at);
		const displayName = optionalText(feedback.display_name) ?? input.displayName ?? (await accountLabel(this, itemIndex));
		return [
			{
				json: {
					status: 'sent',
					feedbackId: String(feedback.id),
					dmId: feedback.dm_id !== undefined && feedback.dm_id !== null ? String(feedback.dm_id) : null,
					...recipientFields(recipient),
					type: input.type,
					questionVariantId: variantId,
					questionText: questionText(input.type, variantId, displayName) ?? null,
					externalId: optionalText(feedback.external_id) ?? input.externalId ?? null,
					test: feedback.test === undefined ? input.test : isTestFeedback(feedback),
					sentAt: new Date(Number.isNaN(sentMs) ? nowMs : sentMs).toISOString(),
					...(introDmId !== undefined ? { introDmId } : {}),
				},
			},
		];
	} finally {
		await claim?.settle(outcome);
	}
}
