/**
 * Secrets stay secret: every operation of the action node and the trigger, on normal and failing
 * paths, with recognisable credential values: the emulator's own consumer secret and token secret
 * (fixed, recognisable strings), a token from the OAuth dance (a fresh random secret), and a wrong,
 * recognisable consumer secret (401/32). None of the secrets, no OAuth signature and no
 * Authorization header may appear in any output item (JSON and binary files), error (message,
 * description, context, cause, stack), the run data n8n stores, the trigger's static data, the
 * console, stdout/stderr or n8n's LoggerProxy.
 */
import { Logger as N8nLogger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { LoggerProxy, type IDataObject, type INodeParameters, type Logger } from 'n8n-workflow';

import { Outcomes } from './outcomes';
import { advance, EVENTS_PATH, FaultWorld, FULL, shortenClientTimeout, T0, useFakeDate, type ArmedAction } from './faultWorld';
import type { NodeRunResult } from '../harness/runNode';
import type { PollResult } from '../harness/runTrigger';

// GET retries back off through n8n-workflow's sleep: no waiting here.
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: async () => {} }));

const WRONG_SECRET = 'WrongConsumerSecret-SENTINEL-7f3a9c';
const AUTH_MARKERS = ['oauth_signature', 'OAuth oauth_', 'oauth_nonce'];

/** Everything reachable from `value` as text: own properties (also non-enumerable: stack, cause), buffers decoded. */
export function deepText(value: unknown, seen = new WeakSet<object>()): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value !== 'object') return typeof value === 'function' ? '' : String(value);
	if (seen.has(value)) return '';
	seen.add(value);
	if (Buffer.isBuffer(value)) return value.toString('utf8');
	const parts: string[] = [];
	for (const key of Object.getOwnPropertyNames(value)) {
		let v: unknown;
		try {
			v = (value as Record<string, unknown>)[key];
		} catch {
			continue;
		}
		parts.push(key, deepText(v, seen));
	}
	return parts.join(' ');
}

/** Binary data (base64 in the item) decoded, so a file's content is checked too. */
function itemsText(items: Array<{ json: IDataObject; binary?: Record<string, { data?: string }> }>): string {
	return items
		.map((i) => `${JSON.stringify(i.json)} ${Object.values(i.binary ?? {}).map((b) => Buffer.from(b.data ?? '', 'base64').toString('utf8')).join(' ')}`)
		.join('\n');
}

let w: FaultWorld;
const captured: string[] = [];
const outcomes = new Outcomes('secrets');
let secrets: string[] = [];
let feedbackId = '';
let customerId = '';
let closedId = '';

function startCapture(): () => void {
	const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) =>
		jest.spyOn(console, m).mockImplementation((...args: unknown[]) => {
			captured.push(args.map((a) => deepText(a)).join(' '));
		}),
	);
	const out = process.stdout.write.bind(process.stdout);
	const err = process.stderr.write.bind(process.stderr);
	process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
		captured.push(String(chunk));
		return out(chunk as string, ...(rest as []));
	}) as typeof process.stdout.write;
	process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
		captured.push(String(chunk));
		return err(chunk as string, ...(rest as []));
	}) as typeof process.stderr.write;
	return () => {
		for (const spy of spies) spy.mockRestore();
		process.stdout.write = out as typeof process.stdout.write;
		process.stderr.write = err as typeof process.stderr.write;
	};
}

/**
 * n8n's logging: LoggerProxy at every level, and n8n-core's own Logger (what `this.logger` and
 * n8n-core use; it writes through winston) with its winston logger swapped for a capturing one.
 * n8n-core's Logger takes LoggerProxy over when it is first created, so this runs before each test.
 */
function captureLoggerProxy(): void {
	const sink = {
		log: (level: string, message: string, meta?: object) => {
			captured.push(`${level} ${message} ${deepText(meta)}`);
		},
		child: () => sink,
	};
	(Container.get(N8nLogger) as unknown as { setInternalLogger(l: unknown): void }).setInternalLogger(sink);
	const log =
		(level: string) =>
		(message: string, meta?: object): void => {
			captured.push(`${level} ${message} ${deepText(meta)}`);
		};
	LoggerProxy.init({ error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') } as unknown as Logger);
}

let stopCapture: () => void;

beforeAll(async () => {
	useFakeDate();
	shortenClientTimeout(100);
	w = await FaultWorld.start();
	stopCapture = startCapture();
});
beforeEach(() => {
	captureLoggerProxy();
});
afterAll(async () => {
	stopCapture();
	outcomes.write();
	jest.useRealTimers();
	await w.close();
});

async function freshWorld(): Promise<void> {
	await w.reset({ maxPageSize: 20 });
	w.seed(40, 3);
	const [customer, closed] = await w.addCustomers({ screenName: 'ana_sousa', allowlisted: true }, { screenName: 'closed_dms', canDm: false });
	customerId = customer.id;
	closedId = closed.id;
	const sent = await w.run(sendParams(customerId));
	if (sent.error) throw sent.error;
	feedbackId = String(sent.items[0].json.feedbackId);
	advance(2000);
}

const FROM = new Date(T0 - 5 * 3_600_000).toISOString();

function sendParams(recipient: string, options: IDataObject = {}): INodeParameters {
	return {
		resource: 'feedback',
		operation: 'send',
		recipient: { __rl: true, mode: 'id', value: recipient },
		feedbackType: 'csat',
		message: 'How did we do?',
		privacyUrl: 'https://acme.example/privacy',
		options: { test: true, skipAskedWithinDays: 0, ...options },
	} as INodeParameters;
}

/** Every operation of the action node, each as a run. */
const OPERATIONS: Array<[string, () => INodeParameters]> = [
	['Feedback → Send Request (can_dm check, intro DM)', () => sendParams(customerId, { introMessage: 'Hi Ana' })],
	['Feedback → Send Request (cannot DM: skipped)', () => sendParams(closedId)],
	['Feedback → Get', () => ({ resource: 'feedback', operation: 'get', feedbackId })],
	['Feedback → Get Many', () => ({ resource: 'feedback', operation: 'getMany', from: FROM, returnAll: true, filters: { includeTest: true }, options: { minEventAgeHours: 0 } })],
	['Feedback → Get Report (CSV and dashboard)', () => ({ resource: 'feedback', operation: 'getReport', from: FROM, files: ['csv', 'dashboard'], options: { minEventAgeHours: 0, includeTest: true } })],
	['Direct Message → Send (buttons)', () => ({ resource: 'directMessage', operation: 'send', recipient: { __rl: true, mode: 'id', value: customerId }, text: 'Hello', buttons: { button: [{ label: 'Help', url: 'https://acme.example/help' }] } })],
	['User → Check Can DM', () => ({ resource: 'user', operation: 'checkCanDm', recipient: { __rl: true, mode: 'username', value: 'ana_sousa' } })],
	['User → Get', () => ({ resource: 'user', operation: 'get', recipient: { __rl: true, mode: 'id', value: customerId } })],
	['Account → Check Setup', () => ({ resource: 'account', operation: 'checkSetup', days: 30, otherUser: '@ana_sousa' })],
];

/** Failing paths: a fault on every request of the run, or a wrong credential (npm test: a subset). */
const ALL_FAILURES: Array<[string, { faults?: ArmedAction; credentials?: 'wrongSecret'; config?: IDataObject }]> = [
	['normal run', {}],
	['401/89 expired token', { faults: { faults: [{ kind: 'expiredToken', count: 50 }] } }],
	['401/32 wrong consumer secret', { credentials: 'wrongSecret' }],
	['401/135 stale timestamp', { faults: { faults: [{ kind: 'staleTimestamp', count: 50 }] } }],
	['503 ×50 (retries exhausted)', { faults: { faults: [{ kind: 'status', status: 503, count: 50 }] } }],
	['connection reset ×50', { faults: { faults: [{ kind: 'reset', count: 50 }] } }],
	['timeout ×50 (client gives up)', { faults: { faults: [{ kind: 'timeout', afterMs: 5000, count: 50 }] } }],
	['malformed ×50', { faults: { faults: [{ kind: 'malformed', count: 50 }] } }],
	['truncated ×50', { faults: { faults: [{ kind: 'truncated', count: 50 }] } }],
	['429/88', { faults: { faults: [{ kind: 'rateLimit', count: 50 }] } }],
	['403/87 app not allowlisted', { config: { appAllowlisted: false } }],
];
const QUICK = ['normal run', '401/89 expired token', '401/32 wrong consumer secret', 'connection reset ×50', 'truncated ×50'];
const FAILURES = FULL ? ALL_FAILURES : ALL_FAILURES.filter(([name]) => QUICK.includes(name));

function leaks(text: string): string[] {
	return [...secrets, ...AUTH_MARKERS].filter((s) => text.includes(s));
}

function runText(r: NodeRunResult): string {
	return [itemsText(r.items), deepText(r.error), deepText(r.run.data)].join('\n');
}

function pollText(r: PollResult, stored: unknown): string {
	return [itemsText(r.items), deepText(r.error), JSON.stringify(stored)].join('\n');
}

test('the detector finds a leaked secret (self-check)', () => {
	secrets = [w.emu.credentials.consumerSecret, w.emu.credentials.accessTokenSecret, WRONG_SECRET];
	expect(leaks(`Authorization: OAuth oauth_consumer_key="x", oauth_signature="y" ${w.emu.credentials.accessTokenSecret}`)).toEqual([
		w.emu.credentials.accessTokenSecret,
		'oauth_signature',
		'OAuth oauth_',
	]);
	expect(leaks(deepText(new Error('boom', { cause: { headers: { authorization: 'OAuth oauth_signature="z"' } } })))).toEqual(['oauth_signature', 'OAuth oauth_']);
});

test("the capture sees n8n's own log lines", async () => {
	await freshWorld();
	captureLoggerProxy();
	captured.length = 0;
	await w.run({ resource: 'feedback', operation: 'get', feedbackId });
	expect(captured.join('\n')).toContain('Workflow execution started');
});

describe.each([
	['the emulator business token (fixed, recognisable secrets)', false],
	['a token from the OAuth dance (fresh random secret)', true],
])('with %s', (_label, dance) => {
	beforeAll(async () => {
		await freshWorld();
		if (dance) await w.reconnect();
		secrets = [w.creds.consumerSecret, w.creds.accessTokenSecret, w.emu.credentials.accessTokenSecret, WRONG_SECRET];
	});

	describe.each(FAILURES)('%s', (_failure, how) => {
		test.each(OPERATIONS)('%s', async (_operation, params) => {
			captured.length = 0;
			if (how.faults) w.arm(0, how.faults, '/1.1/');
			if (how.config) await w.control('POST', 'config', how.config);
			const credentials = how.credentials === 'wrongSecret' ? { consumerSecret: WRONG_SECRET } : undefined;
			const texts: string[] = [];
			for (const continueOnFail of [false, true]) {
				texts.push(runText(await w.run(params(), { credentials, continueOnFail })));
			}
			await w.control('DELETE', 'faults');
			await w.control('POST', 'config', { appAllowlisted: true });
			const found = leaks([...texts, ...captured].join('\n'));
			outcomes.add({
				node: 'Action node: every operation',
				fault: 'normal and failing paths (expired token, wrong secret, clock, 5xx, reset, timeout, garbled, 429, 403)',
				userSees: found.length ? `**leaked: ${found.join(', ')}**` : 'no secret, signature or Authorization header anywhere',
				invariant: 'items (JSON and files), errors (message, description, context, cause, stack), run data, console, stdout/stderr, LoggerProxy',
				held: found.length === 0,
			});
			expect(found).toEqual([]);
		});
	});

	test.each(FAILURES.filter(([, how]) => !how.config))('trigger, %s: trigger and manual polls', async (_failure, how) => {
		captured.length = 0;
		const trigger = w.trigger({
			events: ['request', 'score', 'comment'],
			feedbackType: 'all',
			options: { minEventAgeHours: 0, includeTest: true, includeRaw: true, maxItems: 30, startFrom: FROM },
		});
		if (how.faults) w.arm(1, how.faults, EVENTS_PATH);
		const saved = w.creds;
		if (how.credentials === 'wrongSecret') w.creds = { ...w.creds, consumerSecret: WRONG_SECRET };
		const texts: string[] = [];
		for (let n = 0; n < 3; n++) texts.push(pollText(await trigger.poll(), trigger.stored));
		texts.push(pollText(await trigger.poll('manual'), trigger.stored));
		w.creds = saved;
		await w.control('DELETE', 'faults');
		const found = leaks([...texts, ...captured].join('\n'));
		outcomes.add({
			node: 'Trigger: polls (trigger and manual mode)',
			fault: 'normal and failing paths (expired token, wrong secret, clock, 5xx, reset, timeout, garbled, 429)',
			userSees: found.length ? `**leaked: ${found.join(', ')}**` : 'no secret, signature or Authorization header anywhere',
			invariant: 'items (with Include Raw Event), errors, saved static data, console, stdout/stderr, LoggerProxy',
			held: found.length === 0,
		});
		expect(found).toEqual([]);
	});
});
