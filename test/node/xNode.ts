/**
 * The action node against an in-process emulator: start it, seed customers, run the node through
 * test/harness/runNode (n8n-core's WorkflowExecute and its OAuth1 signing), and read the emulator's
 * request stats and stored feedback through its control API.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { type AnyJson, control as controlOk } from '../../emulator/client';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../emulator/index';
import type { XTestCredentials } from '../harness/credentials';
import { deduplicationStore } from '../harness/memoryDeduplicator';
import { runNode, type NodeRunResult } from '../harness/runNode';
import { emulatorCredentials } from '../harness/examples';

export const PRIVACY_URL = 'https://acme.example/privacy';

export interface Customer {
	id: string;
	screenName: string;
	accessToken: string;
	accessTokenSecret: string;
}

export interface Stats {
	total: number;
	byEndpoint: Record<string, number>;
	byStatus: Record<string, number>;
}

export const ENDPOINT = {
	create: 'POST /1.1/feedback/create.json',
	show: 'GET /1.1/feedback/show/:id.json',
	events: 'GET /1.1/feedback/events.json',
	usersShow: 'GET /1.1/users/show.json',
	friendshipsShow: 'GET /1.1/friendships/show.json',
	dm: 'POST /1.1/direct_messages/events/new.json',
} as const;

export interface RunOptions {
	input?: IDataObject[];
	continueOnFail?: boolean;
	errorOutput?: boolean;
	staticData?: IDataObject;
	credentials?: Partial<XTestCredentials>;
}

export interface XNode {
	emu: RunningEmulator;
	credentials: XTestCredentials;
	run(parameters: INodeParameters, options?: RunOptions): Promise<NodeRunResult>;
	control<T = AnyJson>(method: string, path: string, body?: unknown): Promise<T>;
	addCustomers(...customers: CustomerSpec[]): Promise<Customer[]>;
	/** Resets state, clock, faults, stats and n8n's de-duplication store; the options apply on top of the start options. */
	reset(options?: Partial<EmulatorOptions>): Promise<void>;
	stats(): Promise<Stats>;
	faults(...faults: IDataObject[]): Promise<void>;
	/** Feedback as the emulator stores it (wire shape). */
	storedFeedback(toUserId?: string): Promise<IDataObject[]>;
	dms(recipientId?: string): Promise<IDataObject[]>;
	/** The path and query of every API request whose URL contains `part` while `run` runs, as the emulator saw them. */
	requestsTo(part: string, run: () => Promise<unknown>): Promise<string[]>;
	close(): Promise<void>;
}

export async function startXNode(options: Partial<EmulatorOptions> = {}): Promise<XNode> {
	const emu = await startEmulator({ minEventAgeMs: 0, ...options });
	const credentials: XTestCredentials = emulatorCredentials(emu);
	const control = <T = AnyJson>(method: string, path: string, body?: unknown): Promise<T> => controlOk<T>(emu.baseUrl, method, path, body);
	return {
		emu,
		credentials,
		run: (parameters, opts = {}) =>
			runNode({
				credentials: { ...credentials, ...opts.credentials },
				parameters,
				input: opts.input,
				continueOnFail: opts.continueOnFail,
				errorOutput: opts.errorOutput,
				staticData: opts.staticData,
			}),
		control,
		async addCustomers(...customers) {
			return (await control<{ customers: Customer[] }>('POST', 'customers', { customers })).customers;
		},
		async reset(patch = {}) {
			await control('POST', 'reset', { options: patch });
			deduplicationStore.clear();
		},
		// Read over HTTP: the emulator counts a request when its answer is finished, and a control
		// round trip comes after that.
		stats: () => control<Stats>('GET', 'stats'),
		async faults(...faults) {
			await control('POST', 'faults', { faults });
		},
		async storedFeedback(toUserId) {
			const query = toUserId ? `?to_user_id=${toUserId}` : '';
			return (await control<{ feedback: IDataObject[] }>('GET', `feedback${query}`)).feedback;
		},
		async dms(recipientId) {
			const query = recipientId ? `?recipient_id=${recipientId}` : '';
			return (await control<{ dms: IDataObject[] }>('GET', `dms${query}`)).dms;
		},
		async requestsTo(part, run) {
			const seen: string[] = [];
			const faults = emu.store.faults;
			const original = faults.take.bind(faults);
			faults.take = (method: string, url: string, isEventsPage: boolean) => {
				if (url.includes(part)) seen.push(url);
				return original(method, url, isEventsPage);
			};
			try {
				await run();
			} finally {
				faults.take = original;
			}
			return seen;
		},
		close: () => emu.close(),
	};
}

export type CustomerSpec = { screenName: string; canDm?: boolean; allowlisted?: boolean };

/**
 * One emulator and node for a test file: started before its tests and closed after them. With
 * `customers`, every test starts from a reset emulator holding those customers, handed to `each`.
 */
export function useXNode(
	keep: (x: XNode) => void,
	options: { start?: Partial<EmulatorOptions>; customers?: CustomerSpec[]; each?: (customers: Customer[]) => void } = {},
): void {
	let x: XNode;
	beforeAll(async () => {
		x = await startXNode(options.start);
		keep(x);
	});
	afterAll(async () => {
		await x.close();
	});
	const { customers, each } = options;
	if (customers) {
		beforeEach(async () => {
			await x.reset();
			const added = await x.addCustomers(...customers);
			each?.(added);
		});
	}
}

export const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
export const byUsername = (name: string) => ({ __rl: true, mode: 'username', value: name });

/** Parameters of a valid Feedback -> Send Request; `options` is merged into the Options collection. */
export function sendParams(recipient: IDataObject, extra: IDataObject = {}, options: IDataObject = {}): INodeParameters {
	return {
		resource: 'feedback',
		operation: 'send',
		recipient,
		feedbackType: 'csat',
		message: 'Thanks for talking to Acme Support. How did we do? Tap a score.',
		privacyUrl: PRIVACY_URL,
		...extra,
		options: { test: true, ...options },
	} as INodeParameters;
}

/** Count of requests to one endpoint (0 when none). */
export const count = (stats: Stats, endpoint: string) => stats.byEndpoint[endpoint] ?? 0;

/** Everything a run leaves behind that a person or another node could see. */
export function visibleText(result: NodeRunResult): string {
	const error = result.error;
	return JSON.stringify({
		items: result.items,
		error: error ? { message: error.message, description: error.description, context: error.context } : null,
		run: result.run.data,
	});
}
