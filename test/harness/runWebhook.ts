/**
 * Runs the webhook trigger through n8n-core's real WebhookContext, the way n8n 2.41 serves a
 * production webhook (packages/cli webhook-helpers.ts):
 * - n8n reads the body into `req.rawBody` (its own cap: N8N_PAYLOAD_SIZE_MAX, 16 MiB) and parses it
 *   into `req.body` when the call says application/json; JSON it cannot parse is answered 422
 *   "Failed to parse request body" by n8n itself, before the node runs;
 * - the node's webhook() then answers itself (noWebhookResponse), or returns items: with
 *   responseMode onReceived n8n starts the workflow and answers 200 {"message":"Workflow was started"},
 *   or returns a webhookResponse without items: 200 with that body, no execution;
 * - a webhook() that throws: 500 "Workflow Webhook Error: Workflow could not be started!" and a
 *   failed execution with the node's error.
 * `serve()` puts the same on a real HTTP port, for the emulator to call.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { WebhookContext } from 'n8n-core';
import {
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type IWebhookData,
	type IWorkflowBase,
} from 'n8n-workflow';

import { XCustomerFeedbackWebhookTrigger } from '../../nodes/XCustomerFeedbackWebhookTrigger/XCustomerFeedbackWebhookTrigger.node';
import { buildAdditionalData } from './additionalData';
import { CREDENTIAL_ID, type XTestCredentials } from './credentials';
import { TestNodeTypes, WEBHOOK_TRIGGER_TYPE } from './nodeTypes';

export { WEBHOOK_TRIGGER_TYPE };

export const WEBHOOK_TRIGGER_NAME = 'X Customer Feedback Webhook Trigger';

export interface WebhookCall {
	headers?: Record<string, string>;
	/** A string or Buffer is sent as is; anything else as JSON. */
	body?: unknown;
	/** Default application/json. */
	contentType?: string;
	/** Basic auth to send; default the harness's own; null sends none. */
	auth?: { user: string; password: string } | null;
}

export interface WebhookAnswer {
	status: number;
	body: unknown;
	headers: Record<string, string>;
	/** The items of the execution the call started (none when it started none). */
	items: INodeExecutionData[];
	/** What webhook() threw, if it did (n8n then records a failed execution). */
	error?: Error & { description?: string };
	/** Who answered: the node, or n8n before the node ran. */
	answeredBy: 'node' | 'n8n';
}

export interface LoggedLine {
	level: string;
	message: string;
	meta?: IDataObject;
}

const N8N_PAYLOAD_SIZE_MAX = 16 * 1024 * 1024;

class CapturedResponse {
	statusCode = 200;
	headersSent = false;
	headers: Record<string, string> = {};
	body = '';
	writeHead(status: number, headers?: Record<string, string>) {
		this.statusCode = status;
		for (const [k, v] of Object.entries(headers ?? {})) this.headers[k.toLowerCase()] = String(v);
		this.headersSent = true;
		return this;
	}
	setHeader(name: string, value: string) {
		this.headers[name.toLowerCase()] = value;
	}
	status(code: number) {
		this.statusCode = code;
		return this;
	}
	end(chunk?: string | Buffer) {
		if (chunk !== undefined) this.body += chunk.toString();
		this.headersSent = true;
		return this;
	}
}

const parseOrText = (text: string): unknown => {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
};

export class WebhookHarness {
	readonly node: INode;
	readonly logged: LoggedLine[] = [];
	readonly nodeType = new XCustomerFeedbackWebhookTrigger();

	constructor(
		private readonly opts: {
			parameters: INodeParameters;
			basicAuth: { user: string; password: string };
			/** The X credential, for "The Account of an X Credential". */
			xCredentials?: () => XTestCredentials;
		},
	) {
		this.node = {
			id: 'webhook-trigger',
			name: WEBHOOK_TRIGGER_NAME,
			type: WEBHOOK_TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			webhookId: '5b0f6b0e-2b7a-4f0e-9a43-5d8a9f3f2c11',
			parameters: opts.parameters,
			credentials: {
				httpBasicAuth: { id: 'basic', name: 'X webhook' },
				xCustomerFeedbackOAuth1Api: { id: CREDENTIAL_ID, name: 'X test' },
			},
		} as INode;
	}

	/** One call, with the body already read (as n8n's rawBodyReader leaves it). */
	async call(call: WebhookCall): Promise<WebhookAnswer> {
		const contentType = call.contentType ?? 'application/json';
		const raw = Buffer.isBuffer(call.body)
			? call.body
			: Buffer.from(typeof call.body === 'string' ? call.body : call.body === undefined ? '' : JSON.stringify(call.body));
		const headers: Record<string, string> = { 'content-type': contentType, 'content-length': String(raw.length), ...(call.headers ?? {}) };
		const auth = call.auth === undefined ? this.opts.basicAuth : call.auth;
		if (auth) headers.authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
		return await this.handle(headers, raw, '127.0.0.1');
	}

	/** What n8n does with a call to the production URL, from the body it read to the answer. */
	async handle(headers: Record<string, string | string[] | undefined>, raw: Buffer, remoteAddress: string): Promise<WebhookAnswer> {
		if (raw.length > N8N_PAYLOAD_SIZE_MAX) return { status: 413, body: { message: 'request entity too large' }, headers: {}, items: [], answeredBy: 'n8n' };
		const contentType = String(headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
		let body: unknown = {};
		if (raw.length > 0 && contentType === 'application/json') {
			try {
				body = JSON.parse(raw.toString('utf8'));
			} catch (error) {
				return { status: 422, body: { message: 'Failed to parse request body', hint: (error as Error).message }, headers: {}, items: [], answeredBy: 'n8n' };
			}
		} else if (raw.length > 0 && contentType === 'text/plain') body = raw.toString('utf8');
		const req = { method: 'POST', headers, body, rawBody: raw, params: {}, query: {}, ip: remoteAddress, socket: { remoteAddress } };
		const res = new CapturedResponse();
		const additionalData = buildAdditionalData(
			this.opts.xCredentials ?? (() => ({ baseUrl: 'http://127.0.0.1:1', consumerKey: 'k', consumerSecret: 's', accessToken: '1-t', accessTokenSecret: 'ts' })),
			{} as IWorkflowBase,
			'webhook',
			{ httpBasicAuth: () => ({ ...this.opts.basicAuth }) },
		);
		additionalData.httpRequest = req as never;
		additionalData.httpResponse = res as never;
		const workflow = new Workflow({
			id: 'webhook-workflow',
			name: 'webhook',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: new TestNodeTypes({ [WEBHOOK_TRIGGER_TYPE]: this.nodeType }),
			staticData: {},
			settings: {},
		});
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: this.node.name,
			path: `${this.node.webhookId}/x-feedback`,
			webhookDescription: this.nodeType.description.webhooks![0],
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
		};
		const ctx = new WebhookContext(workflow, this.node, additionalData, 'webhook', webhookData, [], null);
		// n8n's logger goes to n8n's log; here each line is kept for the tests to read.
		Object.defineProperty(ctx, 'logger', { value: this.logger() });
		try {
			const result = await this.nodeType.webhook.call(ctx);
			if (result.noWebhookResponse) {
				return { status: res.statusCode, body: parseOrText(res.body), headers: res.headers, items: [], answeredBy: 'node' };
			}
			if (result.workflowData) {
				return { status: 200, body: { message: 'Workflow was started' }, headers: {}, items: result.workflowData[0] ?? [], answeredBy: 'node' };
			}
			return { status: 200, body: result.webhookResponse ?? { message: 'Webhook call received' }, headers: {}, items: [], answeredBy: 'node' };
		} catch (error) {
			return {
				status: 500,
				body: { message: 'Workflow Webhook Error: Workflow could not be started!' },
				headers: {},
				items: [],
				error: error as WebhookAnswer['error'],
				answeredBy: 'n8n',
			};
		}
	}

	/**
	 * The production URL on a real port: `onStart` gets the items of each execution n8n would start,
	 * and `answer` may replace n8n's answer (to play a failing n8n: 503).
	 */
	async serve(onStart: (items: INodeExecutionData[], answer: WebhookAnswer) => void, answer?: () => number | undefined): Promise<{ url: string; close: () => Promise<void> }> {
		const server: Server = createServer((req: IncomingMessage, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const forced = answer?.();
				if (forced !== undefined) {
					res.writeHead(forced, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'n8n is unavailable' }));
					return;
				}
				void this.handle(req.headers as Record<string, string>, Buffer.concat(chunks), req.socket.remoteAddress ?? '').then((result) => {
					if (result.items.length > 0) onStart(result.items, result);
					res.writeHead(result.status, { 'content-type': 'application/json', ...result.headers }).end(JSON.stringify(result.body));
				});
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		return {
			url: `http://127.0.0.1:${port}/webhook/${this.node.webhookId}/x-feedback`,
			close: () =>
				new Promise<void>((resolve) => {
					server.close(() => resolve());
					server.closeAllConnections();
				}),
		};
	}

	private logger() {
		const line = (level: string) => (message: string, meta?: IDataObject) => void this.logged.push({ level, message, meta });
		return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
	}
}
