/**
 * X's feedback webhook, emulated: one URL registered for the app (X does it by hand "once upon API
 * whitelisting"), called with POST and the Basic auth credentials given, one event per call in the
 * shape of feedback/events, as soon as it happens. A call answered 5xx, or that fails on the
 * network, is tried again after `retryDelaysMs` [our choice: X documents no retries]; a 4xx is not.
 * Faults for the next calls: `drop` (never sent), `duplicate` (sent twice at once), `delay` (sent
 * `afterMs` late).
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import type { FeedbackEvent } from './eventLog';
import type { SnapshotMode } from './options';
import { eventWire } from './wire';

export interface WebhookRegistration {
	url: string;
	user?: string;
	password?: string;
	/** Waits before the 2nd, 3rd, ... attempt of a call answered 5xx or failed (default 1 s, 2 s, 4 s). */
	retryDelaysMs: number[];
	/** Give up on an attempt after this long (default 10 s). */
	timeoutMs: number;
}

export const WEBHOOK_FAULT_KINDS = ['drop', 'duplicate', 'delay'] as const;
export type WebhookFaultKind = (typeof WEBHOOK_FAULT_KINDS)[number];

export interface WebhookFault {
	kind: WebhookFaultKind;
	count: number;
	/** For `delay`: how late (ms, real time; default 5000). */
	afterMs?: number;
}

export interface WebhookDelivery {
	call: number;
	feedbackId: string;
	eventType: string;
	kind: FeedbackEvent['kind'];
	attempt: number;
	/** The receiver's status, or the network error. */
	status?: number;
	error?: string;
	fault?: WebhookFaultKind;
	/** Real time (epoch ms) the event happened and the attempt was answered. */
	eventAtMs: number;
	answeredAtMs: number;
}

type Json = Record<string, unknown>;

function parseRegistration(body: Json): WebhookRegistration {
	const { url, user, password, retryDelaysMs, timeoutMs } = body;
	if (typeof url !== 'string' || !/^https?:\/\/[^\s]+$/.test(url)) throw new Error('url must be an http(s) URL');
	if ((user === undefined) !== (password === undefined)) throw new Error('give both user and password, or neither');
	if (user !== undefined && (typeof user !== 'string' || user === '' || user.includes(':'))) throw new Error('user must be text without ":"');
	if (password !== undefined && (typeof password !== 'string' || password === '')) throw new Error('password must be text');
	const delays = retryDelaysMs ?? [1000, 2000, 4000];
	if (!Array.isArray(delays) || delays.length > 10 || delays.some((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > 3_600_000)) {
		throw new Error('retryDelaysMs must be up to 10 whole numbers of milliseconds (0 to 3600000)');
	}
	const timeout = timeoutMs ?? 10_000;
	if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1) throw new Error('timeoutMs must be a whole number of milliseconds');
	return { url, user: user as string | undefined, password: password as string | undefined, retryDelaysMs: delays as number[], timeoutMs: timeout };
}

export function parseWebhookFault(input: unknown): WebhookFault {
	if (!input || typeof input !== 'object') throw new Error('a fault must be an object {kind, count?, afterMs?}');
	const { kind, count = 1, afterMs } = input as Json;
	if (!WEBHOOK_FAULT_KINDS.includes(kind as WebhookFaultKind)) throw new Error(`kind must be one of ${WEBHOOK_FAULT_KINDS.join(', ')}`);
	if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) throw new Error('count must be a whole number from 1');
	if (afterMs !== undefined && (typeof afterMs !== 'number' || !Number.isInteger(afterMs) || afterMs < 0)) throw new Error('afterMs must be a whole number of milliseconds');
	return { kind: kind as WebhookFaultKind, count, ...(afterMs !== undefined ? { afterMs } : {}) };
}

export class WebhookSender {
	private registration?: WebhookRegistration;
	private faults: WebhookFault[] = [];
	private calls = 0;
	private inFlight = 0;
	private idleWaiters: Array<() => void> = [];
	readonly deliveries: WebhookDelivery[] = [];
	/** Called once per attempt answered (tests and benchmarks time the path). */
	onDelivery?: (delivery: WebhookDelivery) => void;

	constructor(private readonly snapshotMode: () => SnapshotMode) {}

	register(body: Json): Json {
		this.registration = parseRegistration(body);
		return this.describe();
	}

	unregister(): void {
		this.registration = undefined;
	}

	addFaults(faults: unknown): Json {
		if (!Array.isArray(faults)) throw new Error('faults must be an array of {kind, count?, afterMs?}');
		this.faults.push(...faults.map(parseWebhookFault));
		return this.describe();
	}

	clear(): void {
		this.registration = undefined;
		this.faults = [];
		this.deliveries.length = 0;
		this.calls = 0;
	}

	/** Never the password. The last 200 calls, or every one kept (up to 10,000) with `allDeliveries`. */
	describe(allDeliveries = false): Json {
		const r = this.registration;
		return {
			registered: r !== undefined,
			...(r ? { url: r.url, basicAuth: r.user !== undefined, retryDelaysMs: r.retryDelaysMs } : {}),
			faults: this.faults.map((f) => ({ ...f })),
			calls: this.calls,
			inFlight: this.inFlight,
			deliveries: allDeliveries ? [...this.deliveries] : this.deliveries.slice(-200),
		};
	}

	/** Resolves when no call is under way (retries included). */
	async idle(): Promise<void> {
		if (this.inFlight === 0) return;
		await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
	}

	/** An event happened: call the URL once the record is complete (after the current task). */
	notify(event: FeedbackEvent): void {
		const registration = this.registration;
		if (!registration) return;
		const eventAtMs = Date.now();
		this.begin();
		setImmediate(() => {
			const body = JSON.stringify(eventWire(event, this.snapshotMode()));
			const call = ++this.calls;
			const fault = this.takeFault();
			const base = { call, feedbackId: event.feedback.id, eventType: event.kind === 'created' ? 'feedback.created' : 'feedback.updated', kind: event.kind, eventAtMs };
			if (fault?.kind === 'drop') {
				this.record({ ...base, attempt: 0, fault: 'drop', answeredAtMs: Date.now() });
				this.end();
				return;
			}
			const start = () => {
				const copies = fault?.kind === 'duplicate' ? 2 : 1;
				for (let i = 0; i < copies; i++) {
					this.begin();
					void this.attempt(registration, body, base, 1, fault?.kind).finally(() => this.end());
				}
				this.end();
			};
			if (fault?.kind === 'delay') setTimeout(start, fault.afterMs ?? 5000);
			else start();
		});
	}

	private async attempt(r: WebhookRegistration, body: string, base: Omit<WebhookDelivery, 'attempt' | 'answeredAtMs'>, attempt: number, fault?: WebhookFaultKind): Promise<void> {
		const outcome = await post(r, body);
		this.record({ ...base, attempt, ...outcome, ...(fault ? { fault } : {}), answeredAtMs: Date.now() });
		const retry = outcome.error !== undefined || (outcome.status !== undefined && outcome.status >= 500);
		if (!retry || attempt > r.retryDelaysMs.length) return;
		await new Promise((resolve) => setTimeout(resolve, r.retryDelaysMs[attempt - 1]));
		if (this.registration !== r) return;
		await this.attempt(r, body, base, attempt + 1, fault);
	}

	private takeFault(): WebhookFault | undefined {
		const fault = this.faults[0];
		if (!fault) return undefined;
		if (--fault.count === 0) this.faults.shift();
		return { ...fault };
	}

	private record(delivery: WebhookDelivery): void {
		this.deliveries.push(delivery);
		if (this.deliveries.length > 10_000) this.deliveries.splice(0, 5_000);
		this.onDelivery?.(delivery);
	}

	private begin(): void {
		this.inFlight++;
	}

	private end(): void {
		if (--this.inFlight > 0) return;
		const waiters = this.idleWaiters;
		this.idleWaiters = [];
		for (const resolve of waiters) resolve();
	}
}

function post(r: WebhookRegistration, body: string): Promise<{ status?: number; error?: string }> {
	return new Promise((resolve) => {
		const url = new URL(r.url);
		const headers: Record<string, string> = {
			'content-type': 'application/json',
			'content-length': String(Buffer.byteLength(body)),
			'user-agent': 'x-feedback-emulator-webhook/1.0',
		};
		if (r.user !== undefined) headers.authorization = `Basic ${Buffer.from(`${r.user}:${r.password}`).toString('base64')}`;
		const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
		const req = send(url, { method: 'POST', headers, timeout: r.timeoutMs, agent: false }, (res) => {
			res.resume();
			res.on('end', () => resolve({ status: res.statusCode }));
			res.on('error', (err) => resolve({ error: err.message }));
		});
		req.on('timeout', () => req.destroy(new Error(`no answer within ${r.timeoutMs} ms`)));
		req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
		req.end(body);
	});
}
