/**
 * Stand-ins for the n8n-nodes-base node types the example workflows use. n8n-nodes-base is not a
 * dependency of this package, so these take their place when an example runs through n8n-core.
 * They keep the real type names, versions and the parameter names and types the examples set:
 * - triggers (Webhook, Schedule Trigger, Manual Trigger) emit their input; a run gives them
 *   pinned data, which is how n8n starts a workflow from a trigger's output;
 * - IF is the real IF v2: it reads its `conditions` filter with extractValue, so n8n-workflow's own
 *   filter logic decides, and routes items to output 0 (true) or 1 (false);
 * - Slack, Google Sheets, Send Email and Respond to Webhook send nothing: they pass items through
 *   and record what they received, with their parameters resolved for each item;
 * - Wait records how long the real node would wait and hands that to the run's `onWait` (a
 *   simulated clock moves on), then passes its items on: no time passes for real;
 * - Sticky Note is inert.
 */
import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

export const BASE = 'n8n-nodes-base';

export const STAND_IN = {
	webhook: `${BASE}.webhook`,
	respondToWebhook: `${BASE}.respondToWebhook`,
	if: `${BASE}.if`,
	slack: `${BASE}.slack`,
	googleSheets: `${BASE}.googleSheets`,
	scheduleTrigger: `${BASE}.scheduleTrigger`,
	manualTrigger: `${BASE}.manualTrigger`,
	emailSend: `${BASE}.emailSend`,
	stickyNote: `${BASE}.stickyNote`,
	wait: `${BASE}.wait`,
	stopAndError: `${BASE}.stopAndError`,
} as const;

/** What one pass-through stand-in was given in one run. */
export interface Received {
	node: string;
	type: string;
	/** The items as they arrived (json and the names and sizes of their binary properties). */
	items: Array<{ json: IDataObject; binary?: Record<string, BinarySummary> }>;
	/** The node's parameters resolved for each item, expressions evaluated. */
	parameters: IDataObject[];
}

export interface BinarySummary {
	fileName?: string;
	mimeType: string;
	bytes: number;
}

/** Collects what the stand-ins received during one run. */
export class StandInLog {
	readonly received: Received[] = [];
	/** Called by the Wait stand-in with the wait in ms (the run's simulated clock moves on). */
	onWait?: (ms: number, node: string) => Promise<void> | void;

	/** Everything the named node received (all its runs). */
	of(nodeName: string): Received[] {
		return this.received.filter((r) => r.node === nodeName);
	}
}

function summarizeBinary(item: INodeExecutionData): Record<string, BinarySummary> | undefined {
	if (!item.binary) return undefined;
	const out: Record<string, BinarySummary> = {};
	for (const [key, data] of Object.entries(item.binary)) {
		out[key] = { fileName: data.fileName, mimeType: data.mimeType, bytes: Buffer.from(data.data, 'base64').length };
	}
	return out;
}

/** Every parameter the node has, resolved for one item (notices skipped). */
function resolvedParameters(ctx: IExecuteFunctions, properties: INodeProperties[], itemIndex: number): IDataObject {
	const params = ctx.getNode().parameters;
	const out: IDataObject = {};
	for (const name of Object.keys(params)) {
		const property = properties.find((p) => p.name === name);
		if (!property || property.type === 'notice') continue;
		out[name] = ctx.getNodeParameter(name, itemIndex) as IDataObject;
	}
	return out;
}

interface PassThroughSpec {
	description: Omit<INodeTypeDescription, 'inputs' | 'outputs' | 'group' | 'description'> & { description?: string };
	/** Extra values to record per item, read the way the real node reads them. */
	extras?: (ctx: IExecuteFunctions, itemIndex: number, item: INodeExecutionData) => IDataObject;
}

/** A node that sends nothing: records its input and resolved parameters, passes the items on. */
function passThrough(type: string, spec: PassThroughSpec, log: StandInLog): INodeType {
	const description: INodeTypeDescription = {
		group: ['output'],
		description: `Stand-in for ${type}: records what it receives, sends nothing`,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		...spec.description,
	} as INodeTypeDescription;
	return {
		description,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const items = this.getInputData();
			const parameters = items.map((item, i) => ({
				...resolvedParameters(this, description.properties, i),
				...(spec.extras ? spec.extras(this, i, item) : {}),
			}));
			log.received.push({
				node: this.getNode().name,
				type,
				items: items.map((item) => ({
					json: JSON.parse(JSON.stringify(item.json)) as IDataObject,
					...(item.binary ? { binary: summarizeBinary(item) } : {}),
				})),
				parameters,
			});
			return [items.map((item, i) => ({ ...item, pairedItem: { item: i } }))];
		},
	};
}

/** A trigger that emits its input: with pinned data (how a run starts here) it never executes. */
function trigger(description: Omit<INodeTypeDescription, 'inputs' | 'outputs' | 'group' | 'description'>): INodeType {
	return {
		description: {
			group: ['trigger'],
			description: 'Stand-in trigger: emits the data the run starts with',
			inputs: [],
			outputs: [NodeConnectionTypes.Main],
			...description,
		} as INodeTypeDescription,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return [this.getInputData()];
		},
	};
}

const collection = (name: string, displayName: string, options: INodeProperties[]): INodeProperties => ({
	displayName,
	name,
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options,
});

/** IF v2 as n8n-nodes-base declares and runs it (packages/nodes-base/nodes/If/V2/IfV2.node.ts). */
class IfV2StandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'If',
		name: 'if',
		group: ['transform'],
		version: [2, 2.1, 2.2, 2.3],
		description: 'Route items to different branches (true/false)',
		defaults: { name: 'If', color: '#408000' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['true', 'false'],
		properties: [
			{
				displayName: 'Conditions',
				name: 'conditions',
				placeholder: 'Add Condition',
				type: 'filter',
				default: {},
				typeOptions: {
					filter: {
						caseSensitive: '={{!$parameter.options.ignoreCase}}',
						typeValidation: '={{ ($nodeVersion < 2.1 ? $parameter.options.looseTypeValidation :  $parameter.looseTypeValidation) ? "loose" : "strict" }}',
						version: '={{ $nodeVersion >= 2.3 ? 3 : $nodeVersion >= 2.2 ? 2 : 1 }}',
					},
				},
			},
			{
				displayName: 'Convert types where required',
				name: 'looseTypeValidation',
				type: 'boolean',
				default: false,
				displayOptions: { show: { '@version': [{ _cnd: { gte: 2.1 } }] } },
			},
			collection('options', 'Options', [
				{ displayName: 'Ignore Case', name: 'ignoreCase', type: 'boolean', default: true },
				{
					displayName: 'Convert types where required',
					name: 'looseTypeValidation',
					type: 'boolean',
					default: true,
					displayOptions: { show: { '@version': [{ _cnd: { lt: 2.1 } }] } },
				},
			]),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const trueItems: INodeExecutionData[] = [];
		const falseItems: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const item = items[itemIndex];
			let pass: boolean;
			try {
				pass = this.getNodeParameter('conditions', itemIndex, false, { extractValue: true }) as boolean;
			} catch (error) {
				if (this.continueOnFail()) {
					falseItems.push(item);
					continue;
				}
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			}
			if (item.pairedItem === undefined) item.pairedItem = { item: itemIndex };
			(pass ? trueItems : falseItems).push(item);
		}
		return [trueItems, falseItems];
	}
}

class StickyNoteStandIn implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sticky Note',
		name: 'stickyNote',
		group: ['input'],
		version: 1,
		description: 'Make your workflow easier to understand',
		defaults: { name: 'Sticky Note', color: '#FFD233' },
		inputs: [],
		outputs: [],
		properties: [
			{ displayName: 'Content', name: 'content', type: 'string', default: '' },
			{ displayName: 'Height', name: 'height', type: 'number', required: true, default: 160 },
			{ displayName: 'Width', name: 'width', type: 'number', required: true, default: 240 },
			{ displayName: 'Color', name: 'color', type: 'number', required: true, default: 1 },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[]];
	}
}

const UNIT_MS: Record<string, number> = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/**
 * Wait (v1.1, "After Time Interval"): like the real node, it waits once for all its items, for the
 * time its parameters give for the first item; it records that and hands it to `log.onWait`.
 */
function waitStandIn(log: StandInLog): INodeType {
	const description = {
		displayName: 'Wait',
		name: 'wait',
		group: ['organization'],
		version: [1, 1.1],
		description: 'Stand-in for Wait: records the wait and moves the simulated clock on',
		defaults: { name: 'Wait' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [],
		properties: [
			{
				displayName: 'Resume',
				name: 'resume',
				type: 'options',
				options: [{ name: 'After Time Interval', value: 'timeInterval' }],
				default: 'timeInterval',
			},
			{ displayName: 'Wait Amount', name: 'amount', type: 'number', typeOptions: { minValue: 0, numberPrecision: 2 }, default: 5 },
			{
				displayName: 'Wait Unit',
				name: 'unit',
				type: 'options',
				options: Object.keys(UNIT_MS).map((u) => ({ name: u, value: u })),
				default: 'seconds',
			},
		],
	} as INodeTypeDescription;
	return {
		description,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const items = this.getInputData();
			const amount = Number(this.getNodeParameter('amount', 0));
			const unit = String(this.getNodeParameter('unit', 0));
			if (!Number.isFinite(amount) || amount < 0 || !(unit in UNIT_MS)) {
				throw new NodeOperationError(this.getNode(), `Wait: "${amount} ${unit}" is not a time interval`);
			}
			const waitMs = amount * UNIT_MS[unit];
			const name = this.getNode().name;
			log.received.push({
				node: name,
				type: STAND_IN.wait,
				items: items.map((item) => ({ json: JSON.parse(JSON.stringify(item.json)) as IDataObject })),
				parameters: [{ amount, unit, waitMs }],
			});
			await log.onWait?.(waitMs, name);
			return [items.map((item, i) => ({ ...item, pairedItem: { item: i } }))];
		},
	};
}

/** Stop and Error: fails the run with its message, as the real node does. */
class StopAndErrorStandIn implements INodeType {
	description = {
		displayName: 'Stop and Error',
		name: 'stopAndError',
		group: ['input'],
		version: 1,
		description: 'Stand-in for Stop and Error: throws its message',
		defaults: { name: 'Stop and Error' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [],
		properties: [
			{
				displayName: 'Error Type',
				name: 'errorType',
				type: 'options',
				options: [{ name: 'Error Message', value: 'errorMessage' }],
				default: 'errorMessage',
			},
			{ displayName: 'Error Message', name: 'errorMessage', type: 'string', default: '' },
		],
	} as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		throw new NodeOperationError(this.getNode(), String(this.getNodeParameter('errorMessage', 0)));
	}
}

const httpMethods = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'].map((m) => ({ name: m, value: m }));

/** The stand-ins by node type name; pass-through ones record into `log`. */
export function standInNodeTypes(log: StandInLog): Record<string, INodeType> {
	return {
		[STAND_IN.wait]: waitStandIn(log),
		[STAND_IN.stopAndError]: new StopAndErrorStandIn(),
		[STAND_IN.webhook]: trigger({
			displayName: 'Webhook',
			name: 'webhook',
			version: [1, 1.1, 2, 2.1],
			defaults: { name: 'Webhook' },
			properties: [
				{ displayName: 'HTTP Method', name: 'httpMethod', type: 'options', options: httpMethods, default: 'GET' },
				{ displayName: 'Path', name: 'path', type: 'string', default: '' },
				{
					displayName: 'Authentication',
					name: 'authentication',
					type: 'options',
					options: ['basicAuth', 'headerAuth', 'jwtAuth', 'none'].map((v) => ({ name: v, value: v })),
					default: 'none',
				},
				{
					displayName: 'Respond',
					name: 'responseMode',
					type: 'options',
					options: ['onReceived', 'lastNode', 'responseNode', 'streaming'].map((v) => ({ name: v, value: v })),
					default: 'onReceived',
				},
				collection('options', 'Options', [
					{ displayName: 'Raw Body', name: 'rawBody', type: 'boolean', default: false },
					{ displayName: 'Ignore Bots', name: 'ignoreBots', type: 'boolean', default: false },
					{ displayName: 'IP(s) Allowlist', name: 'ipWhitelist', type: 'string', default: '' },
				]),
			],
		}),
		[STAND_IN.scheduleTrigger]: trigger({
			displayName: 'Schedule Trigger',
			name: 'scheduleTrigger',
			version: [1, 1.1, 1.2, 1.3, 1.4],
			defaults: { name: 'Schedule Trigger' },
			properties: [
				{
					displayName: 'Trigger Rules',
					name: 'rule',
					type: 'fixedCollection',
					typeOptions: { multipleValues: true },
					default: { interval: [{ field: 'days' }] },
					options: [
						{
							name: 'interval',
							displayName: 'Trigger Interval',
							values: [
								{
									displayName: 'Trigger Interval',
									name: 'field',
									type: 'options',
									default: 'days',
									options: ['seconds', 'minutes', 'hours', 'days', 'weeks', 'months', 'cronExpression'].map((v) => ({ name: v, value: v })),
								},
								{ displayName: 'Weeks Between Triggers', name: 'weeksInterval', type: 'number', default: 1, displayOptions: { show: { field: ['weeks'] } } },
								{
									displayName: 'Trigger on Weekdays',
									name: 'triggerAtDay',
									type: 'multiOptions',
									default: [0],
									options: [1, 2, 3, 4, 5, 6, 0].map((v) => ({ name: String(v), value: v })),
									displayOptions: { show: { field: ['weeks'] } },
								},
								{
									displayName: 'Trigger at Hour',
									name: 'triggerAtHour',
									type: 'options',
									default: 0,
									options: Array.from({ length: 24 }, (_, h) => ({ name: String(h), value: h })),
									displayOptions: { show: { field: ['days', 'weeks', 'months'] } },
								},
								{
									displayName: 'Trigger at Minute',
									name: 'triggerAtMinute',
									type: 'number',
									default: 0,
									displayOptions: { show: { field: ['hours', 'days', 'weeks', 'months'] } },
								},
							],
						},
					],
				},
			],
		}),
		[STAND_IN.manualTrigger]: trigger({
			displayName: 'Manual Trigger',
			name: 'manualTrigger',
			version: 1,
			defaults: { name: "When clicking 'Execute workflow'" },
			properties: [],
		}),
		[STAND_IN.if]: new IfV2StandIn(),
		[STAND_IN.stickyNote]: new StickyNoteStandIn(),
		[STAND_IN.respondToWebhook]: passThrough(
			STAND_IN.respondToWebhook,
			{
				description: {
					displayName: 'Respond to Webhook',
					name: 'respondToWebhook',
					version: [1, 1.1, 1.2, 1.3, 1.4, 1.5],
					defaults: { name: 'Respond to Webhook' },
					properties: [
						{
							displayName: 'Respond With',
							name: 'respondWith',
							type: 'options',
							options: ['allIncomingItems', 'binary', 'firstIncomingItem', 'json', 'jwt', 'noData', 'redirect', 'text'].map((v) => ({ name: v, value: v })),
							default: 'firstIncomingItem',
						},
						{
							displayName: 'Response Body',
							name: 'responseBody',
							type: 'json',
							default: '{\n  "myField": "value"\n}',
							displayOptions: { show: { respondWith: ['json'] } },
						},
						collection('options', 'Options', [
							{ displayName: 'Response Code', name: 'responseCode', type: 'number', default: 200 },
						]),
					],
				},
			},
			log,
		),
		[STAND_IN.slack]: passThrough(
			STAND_IN.slack,
			{
				description: {
					displayName: 'Slack',
					name: 'slack',
					version: [2, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6, 2.7],
					defaults: { name: 'Slack' },
					credentials: [
						{ name: 'slackApi', required: true, displayOptions: { show: { authentication: ['accessToken'] } } },
						{ name: 'slackOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
					],
					properties: [
						{
							displayName: 'Authentication',
							name: 'authentication',
							type: 'options',
							options: [
								{ name: 'Access Token', value: 'accessToken' },
								{ name: 'OAuth2', value: 'oAuth2' },
							],
							default: 'accessToken',
						},
						{
							displayName: 'Resource',
							name: 'resource',
							type: 'options',
							options: ['channel', 'file', 'message', 'reaction', 'star', 'user', 'userGroup'].map((v) => ({ name: v, value: v })),
							default: 'message',
						},
						{
							displayName: 'Operation',
							name: 'operation',
							type: 'options',
							options: ['post', 'update', 'delete'].map((v) => ({ name: v, value: v })),
							default: 'post',
						},
						{
							displayName: 'Send Message To',
							name: 'select',
							type: 'options',
							options: [
								{ name: 'Channel', value: 'channel' },
								{ name: 'User', value: 'user' },
							],
							default: '',
						},
						{
							displayName: 'Channel',
							name: 'channelId',
							type: 'resourceLocator',
							default: { mode: 'list', value: '' },
							modes: [
								{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'getChannels' } },
								{ displayName: 'By ID', name: 'id', type: 'string' },
								{ displayName: 'By Name', name: 'name', type: 'string' },
								{ displayName: 'By URL', name: 'url', type: 'string' },
							],
							displayOptions: { show: { select: ['channel'] } },
						},
						{
							displayName: 'Message Type',
							name: 'messageType',
							type: 'options',
							options: ['text', 'block', 'attachment'].map((v) => ({ name: v, value: v })),
							default: 'text',
						},
						{ displayName: 'Message Text', name: 'text', type: 'string', default: '', displayOptions: { show: { messageType: ['text'] } } },
						collection('otherOptions', 'Options', [
							{ displayName: 'Include Link to Workflow', name: 'includeLinkToWorkflow', type: 'boolean', default: true },
							{ displayName: 'Use Markdown?', name: 'mrkdwn', type: 'boolean', default: true },
							{ displayName: 'Unfurl Links', name: 'unfurl_links', type: 'boolean', default: false },
						]),
					],
				},
			},
			log,
		),
		[STAND_IN.googleSheets]: passThrough(
			STAND_IN.googleSheets,
			{
				description: {
					displayName: 'Google Sheets',
					name: 'googleSheets',
					version: [3, 4, 4.1, 4.2, 4.3, 4.4, 4.5, 4.6, 4.7],
					defaults: { name: 'Google Sheets' },
					credentials: [
						{ name: 'googleApi', required: true, displayOptions: { show: { authentication: ['serviceAccount'] } } },
						{ name: 'googleSheetsOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
					],
					properties: [
						{
							displayName: 'Authentication',
							name: 'authentication',
							type: 'options',
							options: [
								{ name: 'Service Account', value: 'serviceAccount' },
								{ name: 'OAuth2 (recommended)', value: 'oAuth2' },
							],
							default: 'oAuth2',
						},
						{
							displayName: 'Resource',
							name: 'resource',
							type: 'options',
							options: [
								{ name: 'Document', value: 'spreadsheet' },
								{ name: 'Sheet Within Document', value: 'sheet' },
							],
							default: 'sheet',
						},
						{
							displayName: 'Operation',
							name: 'operation',
							type: 'options',
							options: ['appendOrUpdate', 'append', 'clear', 'create', 'remove', 'delete', 'read', 'update'].map((v) => ({ name: v, value: v })),
							default: 'read',
						},
						{
							displayName: 'Document',
							name: 'documentId',
							type: 'resourceLocator',
							default: { mode: 'list', value: '' },
							modes: [
								{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'spreadSheetsSearch' } },
								{ displayName: 'By URL', name: 'url', type: 'string' },
								{ displayName: 'By ID', name: 'id', type: 'string' },
							],
						},
						{
							displayName: 'Sheet',
							name: 'sheetName',
							type: 'resourceLocator',
							default: { mode: 'list', value: '' },
							modes: [
								{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'sheetsSearch' } },
								{ displayName: 'By URL', name: 'url', type: 'string' },
								{ displayName: 'By ID', name: 'id', type: 'string' },
								{ displayName: 'By Name', name: 'name', type: 'string' },
							],
						},
						{
							displayName: 'Columns',
							name: 'columns',
							type: 'resourceMapper',
							noDataExpression: true,
							default: { mappingMode: 'defineBelow', value: null },
							required: true,
							typeOptions: {
								loadOptionsDependsOn: ['sheetName.value'],
								resourceMapper: {
									resourceMapperMethod: 'getMappingColumns',
									mode: 'add',
									fieldWords: { singular: 'column', plural: 'columns' },
									addAllFields: true,
									multiKeyMatch: false,
								},
							},
							displayOptions: { show: { operation: ['append', 'appendOrUpdate'] } },
						},
						collection('options', 'Options', [
							{
								displayName: 'Cell Format',
								name: 'cellFormat',
								type: 'options',
								options: [
									{ name: "Let Google Sheets format", value: 'USER_ENTERED' },
									{ name: "Let n8n format", value: 'RAW' },
								],
								default: 'USER_ENTERED',
							},
							{ displayName: 'Use Append', name: 'useAppend', type: 'boolean', default: false },
						]),
					],
				},
				// Read the way the real append reads its row: the mapped values per item.
				extras: (ctx, i) => ({ row: ctx.getNodeParameter('columns.value', i, {}) as IDataObject }),
			},
			log,
		),
		[STAND_IN.emailSend]: passThrough(
			STAND_IN.emailSend,
			{
				description: {
					displayName: 'Send Email',
					name: 'emailSend',
					version: [2, 2.1],
					defaults: { name: 'Send Email' },
					credentials: [{ name: 'smtp', required: true }],
					properties: [
						{ displayName: 'Resource', name: 'resource', type: 'hidden', default: 'email' },
						{
							displayName: 'Operation',
							name: 'operation',
							type: 'options',
							options: [
								{ name: 'Send', value: 'send' },
								{ name: 'Send and Wait for Response', value: 'sendAndWait' },
							],
							default: 'send',
						},
						{ displayName: 'From Email', name: 'fromEmail', type: 'string', default: '', required: true },
						{ displayName: 'To Email', name: 'toEmail', type: 'string', default: '', required: true },
						{ displayName: 'Subject', name: 'subject', type: 'string', default: '' },
						{
							displayName: 'Email Format',
							name: 'emailFormat',
							type: 'options',
							options: ['text', 'html', 'both'].map((v) => ({ name: v, value: v })),
							default: 'html',
						},
						{ displayName: 'Text', name: 'text', type: 'string', default: '', displayOptions: { show: { emailFormat: ['text', 'both'] } } },
						{ displayName: 'HTML', name: 'html', type: 'string', default: '', displayOptions: { show: { emailFormat: ['html', 'both'] } } },
						collection('options', 'Options', [
							{ displayName: 'Append n8n Attribution', name: 'appendAttribution', type: 'boolean', default: true },
							{ displayName: 'Attachments (Inline)', name: 'attachments', type: 'string', default: '' },
							{ displayName: 'Attachments (File)', name: 'fileAttachments', type: 'string', default: '' },
							{ displayName: 'CC Email', name: 'ccEmail', type: 'string', default: '' },
							{ displayName: 'BCC Email', name: 'bccEmail', type: 'string', default: '' },
							{ displayName: 'Reply To', name: 'replyTo', type: 'string', default: '' },
						]),
					],
				},
				// The real node attaches each named binary property the item has; record which those are.
				extras: (ctx, i, item) => {
					const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
					const names = String(options.fileAttachments ?? '')
						.split(',')
						.map((s) => s.trim())
						.filter(Boolean);
					return { attached: names.filter((name) => item.binary?.[name] !== undefined) };
				},
			},
			log,
		),
	};
}

/** Every stand-in type name, for checks that an example uses only known node types. */
export const STAND_IN_TYPES: readonly string[] = Object.values(STAND_IN);
