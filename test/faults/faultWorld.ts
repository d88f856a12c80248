/**
 * The fault suite's world: an in-process emulator under a faked Date (the API clock and OAuth checks
 * follow it), a backlog from bulk seeding, the trigger through TriggerHarness and the action node
 * through runNode, with a credential the test can swap (reconnect) mid-run.
 *
 * Faults can be armed to start at the Nth matching request, so they land in the middle of a poll or
 * a listing, not only at its first request. Each test file mocks n8n-workflow's `sleep` so GET
 * retries cost no time.
 *
 * The transport's request timeout is 30 s and no option reaches it. `shortenClientTimeout` adds an
 * axios request interceptor (n8n-core sends through axios' default instance) that caps every
 * timeout at CLIENT_TIMEOUT_MS, so the emulator's `timeout` fault meets a client that gives up after
 * 300 ms through exactly the code path it would take after 30 s.
 */
import { deduplicationStore } from '../harness/memoryDeduplicator';
import { type AnyJson, control } from '../../emulator/client';
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import axios from 'axios';
import OAuth from 'oauth-1.0a';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { createSignedClient } from '../../emulator/client';
import { startEmulator, type FaultSpec, type RunningEmulator } from '../../emulator/index';
import { XCustomerFeedbackTrigger } from '../../nodes/XCustomerFeedbackTrigger/XCustomerFeedbackTrigger.node';
import type { XTestCredentials } from '../harness/credentials';
import { runNode, type NodeRunResult } from '../harness/runNode';
import { TriggerHarness } from '../harness/runTrigger';
import { T0, useFakeDate } from '../trigger/triggerWorld';
import type { Outcomes } from './outcomes';

export { advance, T0, useFakeDate } from '../trigger/triggerWorld';

export const EVENTS_PATH = '/1.1/feedback/events.json';
export const CREATE_PATH = '/1.1/feedback/create.json';
export const USERS_SHOW_PATH = '/1.1/users/show.json';
/** Where Send Request's can_dm check reads X (relationship.source.can_dm). */
export const FRIENDSHIPS_SHOW_PATH = '/1.1/friendships/show.json';
export const ENDPOINT = {
	events: `GET ${EVENTS_PATH}`,
	create: `POST ${CREATE_PATH}`,
	usersShow: `GET ${USERS_SHOW_PATH}`,
	friendshipsShow: `GET ${FRIENDSHIPS_SHOW_PATH}`,
} as const;

/** How many cases: `FAULT_CASES=full` (npm run test:faults) runs every position; the default is a smaller set for npm test. */
export const FULL = process.env.FAULT_CASES === 'full';

export const CLIENT_TIMEOUT_MS = 300;

let interceptor: number | undefined;
export function shortenClientTimeout(ms = CLIENT_TIMEOUT_MS): void {
	if (interceptor !== undefined) return;
	interceptor = axios.interceptors.request.use((config) => {
		if (!config.timeout || config.timeout > ms) config.timeout = ms;
		return config;
	});
}

/**
 * n8n-core's own logger prints every node error to the console (winston, console transport); the
 * fault suite makes hundreds on purpose. The secrets test captures it instead of silencing it.
 */
export function quietN8nLogger(): void {
	(Container.get(Logger) as unknown as { internalLogger: { silent: boolean } }).internalLogger.silent = true;
}

export type PartKey = string;

/** Something that happens when the Nth matching request reaches the emulator (before it is answered). */
export type ArmedAction = { faults: Array<Partial<FaultSpec> & { kind: FaultSpec['kind'] }> } | { run: () => void };

interface Arm {
	after: number;
	seen: number;
	method?: string;
	path: string;
	action: ArmedAction;
	fired: boolean;
	/** Requests to the path in the current poll or run before this one fired. */
	firedAtInRun?: number;
}

export class FaultWorld {
	creds: XTestCredentials;
	private arms: Arm[] = [];
	/** Events requests since `startRun()`: tells whether a fault hit the first page of a poll. */
	requestsInRun = 0;

	private constructor(readonly emu: RunningEmulator) {
		const c = emu.credentials;
		this.creds = {
			baseUrl: emu.baseUrl,
			consumerKey: c.consumerKey,
			consumerSecret: c.consumerSecret,
			accessToken: c.accessToken,
			accessTokenSecret: c.accessTokenSecret,
		};
		const faults = emu.store.faults;
		const take = faults.take.bind(faults);
		faults.take = (method: string, url: string, isEventsPage: boolean) => {
			if (url.startsWith(EVENTS_PATH)) this.requestsInRun++;
			for (const arm of this.arms) {
				if (arm.fired || (arm.method && arm.method !== method) || !url.startsWith(arm.path)) continue;
				if (arm.seen++ === arm.after) {
					arm.fired = true;
					arm.firedAtInRun = this.requestsInRun - 1;
					if ('run' in arm.action) arm.action.run();
					else faults.add(arm.action.faults.map((f) => ({ count: 1, ...f }) as FaultSpec));
				}
			}
			return take(method, url, isEventsPage);
		};
	}

	static async start(): Promise<FaultWorld> {
		return new FaultWorld(await startEmulator({ minEventAgeMs: 0 }));
	}

	get baseUrl(): string {
		return this.emu.baseUrl;
	}

	async control<T = AnyJson>(method: string, path: string, body?: unknown): Promise<T> {
		return await control<T>(this.emu.baseUrl, method, path, body);
	}

	/** Back to T0 and a clean emulator (the business's own token again); arms are dropped. */
	async reset(options: Record<string, unknown> = {}): Promise<void> {
		jest.setSystemTime(T0);
		this.arms = [];
		this.requestsInRun = 0;
		deduplicationStore.clear();
		const c = this.emu.credentials;
		this.creds = { ...this.creds, accessToken: c.accessToken, accessTokenSecret: c.accessTokenSecret, consumerSecret: c.consumerSecret };
		await this.control('POST', 'reset', { options: { minEventAgeMs: 0, ...options } });
	}

	/**
	 * Bulk-seeds `feedback` requests over the `spanMs` before now (4 hours: about 2 events each,
	 * as most answers would come later) and returns every part a consumer must see once:
	 * `${id}:request|score|comment`.
	 */
	seed(feedback: number, seed: number, spanMs = 4 * 3_600_000, customers = 40): Set<PartKey> {
		this.emu.store.bulk({ customers, feedback, spanMs, seed });
		return this.parts();
	}

	parts(): Set<PartKey> {
		const parts = new Set<PartKey>();
		for (const f of this.emu.store.feedback.records.values()) {
			parts.add(`${f.id}:request`);
			if (f.score) parts.add(`${f.id}:score`);
			if (f.comment) parts.add(`${f.id}:comment`);
		}
		return parts;
	}

	/** From the `after`+1-th request to `path` on (0: the very next one), do `action`. */
	arm(after: number, action: ArmedAction, path = EVENTS_PATH, method?: string): Arm {
		const arm: Arm = { after, seen: 0, path, method, action, fired: false };
		this.arms.push(arm);
		return arm;
	}

	/** Faults the emulator applied so far (its last 100). */
	applied(): number {
		return this.emu.store.faults.describe().applied.length;
	}

	pendingFaults(): number {
		return this.emu.store.faults.describe().faults.length;
	}

	stats(): { total: number; byEndpoint: Record<string, number>; byStatus: Record<string, number> } {
		return this.emu.store.stats.snapshot();
	}

	trigger(parameters: INodeParameters): TriggerHarness {
		return new TriggerHarness({ credentials: () => this.creds, parameters, nodeType: new XCustomerFeedbackTrigger() });
	}

	run(
		parameters: INodeParameters,
		options: { input?: IDataObject[]; continueOnFail?: boolean; credentials?: Partial<XTestCredentials>; staticData?: IDataObject } = {},
	): Promise<NodeRunResult> {
		return runNode({
			credentials: { ...this.creds, ...options.credentials },
			parameters,
			input: options.input,
			continueOnFail: options.continueOnFail,
			staticData: options.staticData,
		});
	}

	async addCustomers(...customers: Array<{ screenName: string; canDm?: boolean; allowlisted?: boolean }>): Promise<Array<{ id: string; screenName: string }>> {
		return (await this.control<{ customers: Array<{ id: string; screenName: string }> }>('POST', 'customers', { customers })).customers;
	}

	/** Creates stored for a recipient (or all). */
	creates(toUserId?: string): number {
		let n = 0;
		for (const f of this.emu.store.feedback.records.values()) if (!toUserId || f.toUserId === toUserId) n++;
		return n;
	}

	/**
	 * "Connect my account" again: the OAuth 1.0a dance as n8n runs it (request_token, the authorize
	 * page's Authorize app button, access_token); the credential gets the new token.
	 */
	async reconnect(): Promise<{ token: string; secret: string }> {
		const app = createSignedClient({ baseUrl: this.baseUrl, consumerKey: this.creds.consumerKey, consumerSecret: this.creds.consumerSecret });
		try {
			const rt = new URLSearchParams((await app.post('/oauth/request_token', { oauthParams: { oauth_callback: 'http://localhost:5678/rest/oauth1-credential/callback' } })).text);
			const requestToken = rt.get('oauth_token')!;
			const approve = await fetch(`${this.baseUrl}/oauth/authorize`, {
				method: 'POST',
				redirect: 'manual',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ oauth_token: requestToken, allow: '1' }).toString(),
			});
			const verifier = new URL(String(approve.headers.get('location'))).searchParams.get('oauth_verifier')!;
			const at = await app.post('/oauth/access_token', { token: { key: requestToken, secret: rt.get('oauth_token_secret')! }, form: { oauth_verifier: verifier } });
			if (at.status !== 200) throw new Error(`access_token answered ${at.status}: ${at.text}`);
			const fields = new URLSearchParams(at.text);
			const token = fields.get('oauth_token')!;
			const secret = fields.get('oauth_token_secret')!;
			this.creds = { ...this.creds, accessToken: token, accessTokenSecret: secret };
			return { token, secret };
		} finally {
			await app.close();
		}
	}

	close(): Promise<void> {
		return this.emu.close();
	}
}

let skewedClock: jest.SpyInstance | undefined;

/**
 * This machine's clock runs `skewSec` ahead for OAuth signatures only (what n8n-core's oauth-1.0a
 * signs with), while X (the emulator) keeps the true time: a real clock skew, not an injected 401.
 */
export function skewSigningClock(skewSec: number): void {
	restoreSigningClock();
	skewedClock = jest.spyOn(OAuth.prototype, 'getTimeStamp').mockImplementation(() => Math.floor(Date.now() / 1000) + skewSec);
}

/** Signs with the right time again (the user synchronised the clock); after each test in any case. */
export function restoreSigningClock(): void {
	skewedClock?.mockRestore();
	skewedClock = undefined;
}

/**
 * The world of a fault test file: a faked Date, a short client timeout and a quiet n8n logger, one
 * FaultWorld for the file; the signing clock is restored after each test, and the file's outcome
 * table is written at the end.
 */
export function useFaultWorld(keep: (w: FaultWorld) => void, outcomes: Outcomes): void {
	let w: FaultWorld;
	beforeAll(async () => {
		useFakeDate();
		shortenClientTimeout();
		quietN8nLogger();
		w = await FaultWorld.start();
		keep(w);
	});
	afterEach(restoreSigningClock);
	afterAll(async () => {
		outcomes.write();
		jest.useRealTimers();
		await w.close();
	});
}

export const keysOf = (items: Array<{ json: IDataObject }>): PartKey[] => items.map((i) => `${String(i.json.feedbackId)}:${String(i.json.event)}`);

/** Missing, repeated and unexpected keys of `emitted` against `expected`. */
export function onceCheck(emitted: PartKey[], expected: Set<PartKey>): { missing: PartKey[]; repeated: PartKey[]; unexpected: PartKey[] } {
	const seen = new Set<PartKey>();
	const repeated: PartKey[] = [];
	const unexpected: PartKey[] = [];
	for (const key of emitted) {
		if (seen.has(key)) repeated.push(key);
		seen.add(key);
		if (!expected.has(key)) unexpected.push(key);
	}
	return { missing: [...expected].filter((k) => !seen.has(k)), repeated, unexpected };
}
