import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { eventsField, feedbackTypeFilter, includeRawOption, includeTestOption } from '../shared/descriptions';
import { accountOf } from '../shared/account';
import { AnomalyLog } from '../shared/feedbackLog/anomalies';
import type { PartKind } from '../shared/feedbackLog/parts';
import { CREDENTIAL_TYPE } from '../shared/transport';
import { triggerItem } from '../shared/triggerItem';
import { basicAuthMatches, partsOf, readEvent, type PartFilter } from './webhookRequest';

const BASIC_AUTH = 'httpBasicAuth';
const NODE_LABEL = 'X Customer Feedback Webhook Trigger';

type Account = 'all' | 'credential' | 'ids';

/** The sending accounts whose feedback this node accepts; undefined: all of them. */
async function fromUserIdsOf(ctx: IWebhookFunctions): Promise<Set<string> | undefined> {
	const account = ctx.getNodeParameter('account', 'all') as Account;
	if (account === 'credential') {
		const userId = accountOf((await ctx.getCredentials(CREDENTIAL_TYPE)) as Record<string, unknown>);
		if (!userId) {
			throw new NodeOperationError(ctx.getNode(), 'Only Feedback Sent By: the X credential does not say which account it connects', {
				description: 'Open the X credential and click Connect (or Reconnect, "Switch account" in n8n 2.x) again, or choose "Accounts With These User IDs".',
			});
		}
		return new Set([userId]);
	}
	if (account === 'ids') {
		const raw = String(ctx.getNodeParameter('fromUserIds', '')).trim();
		const ids = raw.split(/[\s,]+/).filter((id) => id !== '');
		const bad = ids.find((id) => !/^\d{1,20}$/.test(id));
		if (ids.length === 0 || bad !== undefined) {
			throw new NodeOperationError(
				ctx.getNode(),
				bad === undefined ? 'From User IDs: give at least one X user ID' : `From User IDs: ${JSON.stringify(bad.slice(0, 40))} is not an X user ID (digits only)`,
			);
		}
		return new Set(ids);
	}
	return undefined;
}

export class XCustomerFeedbackWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'X (Twitter) Customer Feedback Webhook Trigger',
		name: 'xCustomerFeedbackWebhookTrigger',
		icon: { light: 'file:xCustomerFeedback.svg', dark: 'file:xCustomerFeedback.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "On " + $parameter["events"].join(", ") }}',
		description: 'Starts the workflow within seconds of each score and comment, from the webhook X calls',
		defaults: { name: 'X (Twitter) Customer Feedback Webhook Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: BASIC_AUTH, required: true },
			{ name: CREDENTIAL_TYPE, required: true, displayOptions: { show: { account: ['credential'] } } },
		],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'x-feedback' }],
		properties: [
			{
				displayName:
					'X registers one webhook URL for your app when it allowlists it: send X the Production URL above and the Basic Auth user and password (20+ random characters). X may call twice, and a comment\'s call repeats the score: put "X Customer Feedback → Skip Seen Parts" right after this node.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Only Feedback Sent By',
				name: 'account',
				type: 'options',
				options: [
					{ name: 'Any Allowlisted Account', value: 'all', description: 'Every @username X allowlisted for the app' },
					{ name: 'The Account of an X Credential', value: 'credential', description: 'The account the X credential connects' },
					{ name: 'Accounts With These User IDs', value: 'ids' },
				],
				default: 'all',
				description: "X calls the one URL for every account of the app; feedback sent by other accounts is answered 200 and ignored",
			},
			{
				displayName: 'From User IDs',
				name: 'fromUserIds',
				type: 'string',
				default: '',
				required: true,
				placeholder: '1212121212121, 3434343434',
				description: 'X user IDs of the sending accounts (from_user_id), separated by commas',
				displayOptions: { show: { account: ['ids'] } },
			},
			eventsField,
			feedbackTypeFilter,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					includeRawOption,
					includeTestOption,
				],
			},
		],
	};

	/**
	 * X offers no API to register a webhook: it registers the one URL per app by hand, when it
	 * allowlists the app. Activation therefore has nothing to create or delete at X.
	 */
	webhookMethods = {
		default: {
			checkExists: async (): Promise<boolean> => true,
			create: async (): Promise<boolean> => true,
			delete: async (): Promise<boolean> => true,
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject() as ReturnType<IWebhookFunctions['getRequestObject']> & { rawBody?: Buffer; readRawBody?: () => Promise<void> };
		const refuse = (status: number, reason: string): IWebhookResponseData => {
			// The caller's address helps tell X (its IP ranges) from a stranger; never the Authorization header.
			this.logger.warn(`${NODE_LABEL}: refused a call with ${status}: ${reason}`, {
				status,
				reason,
				remoteAddress: req.ip ?? req.socket?.remoteAddress,
				node: this.getNode().name,
			});
			const res = this.getResponseObject();
			const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
			if (status === 401) headers['www-authenticate'] = 'Basic realm="X Customer Feedback"';
			res.writeHead(status, headers);
			res.end(JSON.stringify({ error: reason }));
			return { noWebhookResponse: true };
		};

		const basic = await this.getCredentials<{ user?: string; password?: string }>(BASIC_AUTH);
		if (!basic.user || !basic.password) {
			throw new NodeOperationError(this.getNode(), 'Basic Auth credential: both the user and the password must be set', {
				description: 'X sends the user and password you gave it with every call. Choose a password of 20 or more random characters.',
			});
		}
		if (!basicAuthMatches(this.getHeaderData().authorization, basic.user, basic.password)) {
			return refuse(401, this.getHeaderData().authorization ? 'wrong Basic auth credentials' : 'no Basic auth credentials');
		}

		if (req.rawBody === undefined && typeof req.readRawBody === 'function') await req.readRawBody();
		const read = readEvent(req.rawBody, req.body);
		if ('status' in read) return refuse(read.status, read.reason);

		const options = this.getNodeParameter('options', {}) as IDataObject;
		const filter: PartFilter = {
			events: this.getNodeParameter('events', ['score', 'comment']) as PartKind[],
			feedbackType: this.getNodeParameter('feedbackType', 'all') as PartFilter['feedbackType'],
			includeTest: options.includeTest === true,
			fromUserIds: await fromUserIdsOf(this),
		};
		if (filter.events.length === 0) throw new NodeOperationError(this.getNode(), 'Events: choose at least one event to trigger on');
		const anomalies = new AnomalyLog();
		anomalies.onAnomaly = (anomaly) => this.logger.warn(`${NODE_LABEL}: a part X sent cannot be used`, { ...anomaly });
		const parts = partsOf(read.event, filter, anomalies);
		if (parts.length === 0) return { webhookResponse: { received: true, items: 0 } };
		const includeRaw = options.includeRaw === true;
		return { workflowData: [parts.map((part) => ({ json: triggerItem(part, includeRaw) }))] };
	}
}
