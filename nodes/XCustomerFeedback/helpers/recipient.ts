/** The recipient field every operation shares: a user ID or an @username, resolved to an ID. */
import type { IExecuteFunctions, INodeProperties, INodeParameterResourceLocator } from 'n8n-workflow';

import { exactUserId, showUser, type UserRef } from '../../shared/api';
import type { XUser } from '../../shared/types';
import { checkedText, inputError } from './fieldChecks';

export function recipientField(description: string): INodeProperties {
	return {
		displayName: 'Recipient',
		name: 'recipient',
		type: 'resourceLocator',
		default: { mode: 'id', value: '' },
		required: true,
		description,
		modes: [
			{
				// n8n labels a mode named "id" "By ID" whatever it is called here.
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 1234567890',
				// Empty passes: n8n already reports an empty required field, once.
				validation: [{ type: 'regex', properties: { regex: '^(\\d{1,20})?$', errorMessage: 'A user ID is digits only' } }],
			},
			{
				// n8n's mode select is narrow (about "From List" wide): "By Username" showed as "By Useri", "Username" as "Usernan" (n8n 2.41.1); X calls an @name a handle.
				displayName: 'Handle',
				name: 'username',
				type: 'string',
				placeholder: 'e.g. @customer',
				validation: [
					{ type: 'regex', properties: { regex: '^(@?\\w{1,15})?$', errorMessage: 'A username is 1 to 15 letters, digits or _' } },
				],
			},
		],
	};
}

/** Reads and checks the recipient without calling X. */
export function readRecipient(ctx: IExecuteFunctions, itemIndex: number): UserRef {
	const locator = ctx.getNodeParameter('recipient', itemIndex) as INodeParameterResourceLocator | string;
	const isLocator = typeof locator === 'object' && locator !== null && !Array.isArray(locator);
	const mode = isLocator ? locator.mode : 'id';
	const raw = checkedText(ctx, itemIndex, 'Recipient', isLocator ? locator.value : locator, 'id').trim();
	if (raw === '') {
		throw inputError(ctx, itemIndex, 'Recipient', 'is empty', "Fill in the customer's user ID, or choose \"Handle\" and give their @username.");
	}
	if (mode === 'username') {
		const screenName = raw.replace(/^@/, '');
		if (!/^\w{1,15}$/.test(screenName)) {
			throw inputError(ctx, itemIndex, 'Recipient', `"${raw}" is not an X username (1 to 15 letters, digits or _)`, 'Fix the Recipient field.');
		}
		return { screenName };
	}
	if (!/^\d{1,20}$/.test(raw)) {
		throw inputError(ctx, itemIndex, 'Recipient', `"${raw}" is not an X user ID (digits only)`, 'Fix the Recipient field, or choose "Handle" for an @username.');
	}
	return { userId: raw };
}

export interface ResolvedRecipient {
	userId: string;
	screenName?: string;
	/** Known when the user was looked up. */
	user?: XUser;
}

/** The recipient's ID; a username is looked up (which also tells can_dm). */
export async function resolveRecipient(
	ctx: IExecuteFunctions,
	ref: UserRef,
	itemIndex: number,
	lookUp: boolean,
): Promise<ResolvedRecipient> {
	if ('userId' in ref && !lookUp) return { userId: ref.userId };
	const user = await showUser(ctx, ref, itemIndex);
	return { userId: exactUserId(user), screenName: user.screen_name, user };
}
