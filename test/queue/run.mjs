/**
 * npm run test:queue: the package in n8n's queue mode, as an operator runs it: PostgreSQL, Redis,
 * one main and two workers (concurrency 5) sharing a user folder with the packed package, the
 * emulator (events served at once) and a recording sink. A workflow "trigger -> HTTP Request to the
 * sink" meets workers and mains that stop, die and come back; Example 1 (survey after a
 * conversation closes) takes 50 webhooks at once, twice. Prints expected / delivered / duplicates /
 * flagged re-deliveries, writes test/queue/results.json and the section of BENCHMARKS.md, and stops
 * everything it started, by process id.
 *
 * Opt-in, like test:e2e (about 20 minutes). Ports: QUEUE_* variables below, all on 127.0.0.1.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import OAuth from 'oauth-1.0a';
import { createHmac } from 'node:crypto';

import {
	N8N_BIN,
	NODE24,
	ROOT,
	buildPackage,
	cleanupOnExit,
	ensureN8n,
	ensureNode24,
	ensureResolutionShim,
	installIntoUserFolder,
	log,
	n8nEnv,
	packPackage,
	sleep,
	startEmulator,
	startProcess,
	step,
	stopAll,
	stopProcess,
	waitFor,
	assertPortsFree,
	httpOk,
	tail,
} from '../e2e/lib.mjs';
import { createConnectedCredentialHeadless } from '../e2e/headless.mjs';
import { N8nRest } from '../e2e/n8nRest.mjs';
import { ensureServicesInstalled, psql, startPostgres, startRedis, stopPostgres } from './services.mjs';
import { startSink, tally } from './sink.mjs';

const env = process.env;
const PORTS = {
	postgres: Number(env.QUEUE_PG_PORT ?? 5440),
	redis: Number(env.QUEUE_REDIS_PORT ?? 6390),
	main: Number(env.QUEUE_N8N_PORT ?? 5740),
	mainBroker: Number(env.QUEUE_BROKER_PORT ?? 5741),
	emulator: Number(env.QUEUE_EMULATOR_PORT ?? 8840),
	sink: Number(env.QUEUE_SINK_PORT ?? 8841),
};
const WORKER_BROKERS = [PORTS.mainBroker + 1, PORTS.mainBroker + 2, PORTS.mainBroker + 3];
const DIR = path.join(ROOT, '.n8n-queue');
const USER_FOLDER = path.join(DIR, 'n8n');
const BARE_FOLDER = path.join(DIR, 'n8n-without-package');
const LOGS = path.join(DIR, 'logs');
const RESULTS = path.join(ROOT, 'test', 'queue', 'results.json');
const OWNER = { email: 'queue@example.com', firstName: 'Queue', lastName: 'Test', password: 'Queue-test-1' };
const ENCRYPTION_KEY = randomBytes(24).toString('hex');
const TRIGGER = 'New scores and comments';

/** The table of the issue, measured on the package before confirmed delivery (n8n 2.41.1, same set-up). */
const BEFORE = {
	a: { expected: 15, delivered: 15, duplicates: 0 },
	b: { expected: 15, delivered: 15, duplicates: 0 },
	c: { expected: 15, delivered: 15, duplicates: 0 },
	d: { expected: 15, delivered: 4, duplicates: 0 },
	e: { expected: 15, delivered: 15, duplicates: 0 },
	f: { expected: 15, delivered: 15, duplicates: 0 },
	overlap: { expected: 45, delivered: 45, duplicates: 0 },
	bare: { expected: 3, delivered: 0, duplicates: 0 },
};

// ---------------------------------------------------------------------------------------------
// n8n processes

function queueEnv(userFolder, brokerPort) {
	return {
		...n8nEnv({ userFolder, port: PORTS.main, brokerPort }),
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(PORTS.redis),
		QUEUE_HEALTH_CHECK_ACTIVE: 'false',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(PORTS.postgres),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'postgres',
		DB_POSTGRESDB_PASSWORD: '',
	};
}

const procs = { main: undefined, workers: [undefined, undefined], bare: undefined };
let mainStarts = 0;

async function startMain() {
	mainStarts++;
	const logFile = path.join(LOGS, `main-${mainStarts}.log`);
	procs.main = startProcess('n8n main', NODE24, [N8N_BIN, 'start'], { cwd: USER_FOLDER, env: queueEnv(USER_FOLDER, PORTS.mainBroker), logFile });
	const baseUrl = `http://127.0.0.1:${PORTS.main}`;
	await waitFor('n8n main to be ready', async () => {
		if (procs.main.exited) throw Object.assign(new Error(`n8n main exited:\n${tail(logFile)}`), { fatal: true });
		return (await httpOk(`${baseUrl}/healthz/readiness`).catch(() => false)) && httpOk(`${baseUrl}/rest/settings`);
	}, { timeoutMs: 240_000, intervalMs: 1000, onTimeout: () => tail(logFile) });
}

const workerStarts = [0, 0];
async function startWorker(i) {
	workerStarts[i]++;
	const logFile = path.join(LOGS, `worker${i + 1}-${workerStarts[i]}.log`);
	procs.workers[i] = startProcess(`n8n worker ${i + 1}`, NODE24, [N8N_BIN, 'worker', '--concurrency=5'], { cwd: USER_FOLDER, env: queueEnv(USER_FOLDER, WORKER_BROKERS[i]), logFile });
	await waitFor(`worker ${i + 1} to be ready`, () => {
		if (procs.workers[i].exited) throw Object.assign(new Error(`worker ${i + 1} exited:\n${tail(logFile)}`), { fatal: true });
		return existsSync(logFile) && /n8n worker is now ready/i.test(readFileSync(logFile, 'utf8'));
	}, { timeoutMs: 120_000, intervalMs: 500, onTimeout: () => tail(logFile) });
}

function killHard(entry) {
	try {
		process.kill(-entry.child.pid, 'SIGKILL');
	} catch {
		/* gone */
	}
}

// ---------------------------------------------------------------------------------------------
// X's side: the business sends feedback requests, customers answer (emulator control API)

let emulator;
let business;
let customers = [];

function signer() {
	const oauth = new OAuth({
		consumer: { key: business.consumerKey, secret: business.consumerSecret },
		signature_method: 'HMAC-SHA1',
		hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
	});
	return (method, url) => oauth.toHeader(oauth.authorize({ url, method }, { key: business.accessToken, secret: business.accessTokenSecret })).Authorization;
}

async function control(method, p, body) {
	const res = await fetch(`${emulator.baseUrl}/_emulator/${p}`, {
		method,
		headers: body ? { 'content-type': 'application/json' } : {},
		body: body ? JSON.stringify(body) : undefined,
	});
	if (!res.ok) throw new Error(`emulator ${method} ${p}: ${res.status} ${await res.text()}`);
	return res.json();
}

let nextCustomer = 0;
/** `n` requests sent and scored; every other one also commented. Returns the eventIds a consumer must get. */
async function answered(n, { comments = true, type = 'csat' } = {}) {
	const sign = signer();
	const ids = [];
	for (let i = 0; i < n; i++) {
		const customer = customers[nextCustomer++ % customers.length];
		const params = { type, to_user_id: customer.id, message: 'How did we do?', privacy_url: 'https://acme.example/privacy', test: 'false' };
		// RFC 3986 encoding, as OAuth signs it (URLSearchParams would send spaces as "+").
		const rfc3986 = (v) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
		const url = `${emulator.baseUrl}/1.1/feedback/create.json?${Object.entries(params).map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&')}`;
		const res = await fetch(url, { method: 'POST', headers: { authorization: sign('POST', url) } });
		if (!res.ok) throw new Error(`feedback/create answered ${res.status}: ${await res.text()}`);
		const { id } = await res.json();
		await control('POST', `feedback/${id}/respond`, { score: 1 + (i % 5) });
		ids.push(`${id}:score`);
		if (comments && i % 2 === 0) {
			await control('POST', `feedback/${id}/respond`, { text: `Comment ${i}` });
			ids.push(`${id}:comment`);
		}
	}
	return ids;
}

// ---------------------------------------------------------------------------------------------
// Scenarios

let sink;
let rest;
/** The trigger workflows; their failed executions are searched for the loud errors. */
const workflowIds = [];
const results = [];

function sinkWorkflow(name, credentialId, feedbackType, batchInterval) {
	return {
		name,
		nodes: [
			{
				id: 'a1', name: TRIGGER, type: 'n8n-nodes-x-customer-feedback.xCustomerFeedbackTrigger', typeVersion: 1, position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'custom', cronExpression: '*/5 * * * * *' }] }, events: ['score', 'comment'], feedbackType, options: { minEventAgeHours: 0, maxDeliveryAttempts: 3 } },
				credentials: { xCustomerFeedbackOAuth1Api: { id: credentialId, name: 'X (queue test)' } },
			},
			{
				id: 'a2', name: 'Record at the sink', type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, position: [240, 0],
				parameters: { method: 'POST', url: sink.url, sendBody: true, specifyBody: 'json', jsonBody: '={{ JSON.stringify($json) }}', options: batchInterval ? { batching: { batch: { batchSize: 1, batchInterval } } } : {} },
			},
		],
		connections: { [TRIGGER]: { main: [[{ node: 'Record at the sink', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** Waits until every expected event arrived and nothing more came for `quietMs`, or `timeoutMs`. */
async function settle(ids, { timeoutMs = 180_000, quietMs = 20_000, until } = {}) {
	const deadline = Date.now() + timeoutMs;
	let count = -1;
	let stableSince = Date.now();
	while (Date.now() < deadline) {
		const arrivals = sink.of(ids);
		if (arrivals.length !== count) {
			count = arrivals.length;
			stableSince = Date.now();
		}
		const t = tally(ids, arrivals);
		const done = until ? until(t) : t.delivered === t.expected;
		if (done && Date.now() - stableSince >= quietMs) break;
		await sleep(1000);
	}
	return tally(ids, sink.of(ids));
}

function record(key, name, t, note = '') {
	const row = { key, scenario: name, ...t, before: BEFORE[key] ?? null, note };
	results.push(row);
	log(`${name}: expected ${t.expected}, delivered ${t.delivered}, duplicates ${t.duplicates} (flagged ${t.flagged}, unflagged ${t.unflagged})${note ? `; ${note}` : ''}`);
	return row;
}

async function errorExecutions(match) {
	const found = [];
	for (const workflowId of workflowIds) {
		const list = await rest.call('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId, status: ['error'] }))}&limit=100`);
		for (const e of list?.results ?? []) {
			const full = await rest.getExecution(e.id);
			if (String(full?.data ?? '').includes(match)) found.push(e.id);
		}
	}
	return found;
}

async function scenarioA() {
	step('(a) 10 requests answered, 2 workers');
	sink.mode.delayMs = 50;
	const ids = await answered(10);
	record('a', '10 requests answered, 2 workers', await settle(ids));
}

async function scenarioH() {
	step('(h) a downstream node fails');
	sink.mode.failStatus = 500;
	const ids = await answered(3, { comments: false });
	const t = await settle(ids, { until: (x) => x.delivered >= 1, quietMs: 30_000, timeoutMs: 120_000 });
	sink.mode.failStatus = 0;
	const failed = await errorExecutions('500');
	record('h', 'a downstream node fails (HTTP Request gets 500)', t, `the sink answered 500, the execution failed: ${failed.length} failed execution(s) in n8n (its usual error handling), not re-delivered (default)`);
}

async function scenarioC() {
	step('(c) worker SIGKILLed after the items were sent');
	const ids = await answered(10);
	await settle(ids, { quietMs: 3000 });
	killHard(procs.workers[0]);
	await stopProcess(procs.workers[0], 1000);
	const t = await settle(ids, { quietMs: 20_000 });
	await startWorker(0);
	record('c', 'worker SIGKILLed after the items were sent', t);
}

async function scenarioD() {
	step('(d) worker SIGKILLed mid-execution (1 item per 3 s)');
	await stopProcess(procs.workers[1]);
	// NPS events go to the second workflow, whose HTTP Request sends one item every 3 seconds.
	const ids = await answered(10, { type: 'nps' });
	await waitFor('4 items at the sink', () => sink.of(ids).length >= 4, { timeoutMs: 180_000 });
	killHard(procs.workers[0]);
	await stopProcess(procs.workers[0], 1000);
	const beforeKill = sink.of(ids).length;
	log(`worker 1 killed after ${beforeKill} items; starting worker 2 (n8n notices the stalled job while a worker runs)`);
	await startWorker(1);
	const t = await settle(ids, { timeoutMs: 420_000, quietMs: 30_000, until: (x) => x.delivered === x.expected && x.flagged > 0 });
	await startWorker(0);
	const stalled = (readFileSync(path.join(LOGS, `main-${mainStarts}.log`), 'utf8').match(/job stalled more than maxStalledCount/g) ?? []).length;
	record('d', 'worker SIGKILLed mid-execution (1 item per 3 s)', t, `${beforeKill} items had arrived when the worker was killed; n8n gave up on the stalled job (${stalled}), the trigger sent the batch again`);
}

async function scenarioB() {
	step('(b) both workers stopped, then one started');
	await stopProcess(procs.workers[0]);
	await stopProcess(procs.workers[1]);
	const ids = await answered(10);
	await sleep(30_000);
	const whileStopped = sink.of(ids).length;
	await startWorker(0);
	const t = await settle(ids);
	await startWorker(1);
	record('b', 'both workers stopped, then one started', t, `${whileStopped} arrived while no worker ran`);
}

async function scenarioE() {
	step('(e) main stopped, answers given meanwhile, restarted');
	await stopProcess(procs.main, 60_000);
	const ids = await answered(10);
	await startMain();
	await rest.login(OWNER);
	record('e', 'main stopped, answers given meanwhile, restarted', await settle(ids));
}

async function scenarioF() {
	step('(f) main SIGKILLed mid-poll (batch in flight), restarted');
	sink.mode.delayMs = 1000;
	const ids = await answered(10);
	await waitFor('the first item at the sink', () => sink.of(ids).length >= 1, { timeoutMs: 120_000 });
	killHard(procs.main);
	await stopProcess(procs.main, 1000);
	await startMain();
	await rest.login(OWNER);
	const t = await settle(ids, { quietMs: 40_000 });
	sink.mode.delayMs = 50;
	const skipped = (readFileSync(path.join(LOGS, `main-${mainStarts}.log`), 'utf8').match(/Scheduled execution skipped: duplicate deduplication key/g) ?? []).length;
	record('f', 'main SIGKILLed while its batch ran, restarted', t, `the restarted main sent what was in flight again, flagged, under a new key; n8n logged ${skipped} "execution skipped: duplicate deduplication key"`);
}

async function scenarioOverlap() {
	step('(overlap) 30 requests over 2 minutes, overlapping executions');
	sink.mode.delayMs = 1000;
	const ids = [];
	for (let i = 0; i < 30; i++) {
		ids.push(...(await answered(1, { comments: false })));
		if (i % 2 === 0) ids.push(...(await answered(1)).filter((id) => id.endsWith(':comment')));
		await sleep(4000);
	}
	sink.mode.delayMs = 50;
	record('overlap', `${ids.length} events from 30+ requests over 2 minutes, overlapping executions`, await settle(ids));
}

async function scenarioBare() {
	step('(i) a worker without the package');
	await stopProcess(procs.workers[0]);
	await stopProcess(procs.workers[1]);
	mkdirSync(BARE_FOLDER, { recursive: true });
	procs.bare = startProcess('n8n worker without the package', NODE24, [N8N_BIN, 'worker', '--concurrency=5'], {
		cwd: BARE_FOLDER,
		env: queueEnv(BARE_FOLDER, WORKER_BROKERS[2]),
		logFile: path.join(LOGS, 'worker-bare.log'),
	});
	const ids = await answered(3, { comments: false });
	const loud = await waitFor('the trigger to give up loudly', async () => {
		const found = await errorExecutions('could not be delivered');
		return found.length > 0 ? found : false;
	}, { timeoutMs: 360_000, intervalMs: 5000 }).catch(() => []);
	const attempts = await errorExecutions('Unrecognized node type: n8n-nodes-x-customer-feedback');
	const reports = await errorExecutions('could not be delivered');
	await stopProcess(procs.bare);
	await startWorker(0);
	await startWorker(1);
	const t = tally(ids, sink.of(ids));
	// The trigger's own reports quote n8n's last error too: count them apart from the attempts.
	record('bare', 'a worker without the package', t, `${attempts.length - reports.length} executions failed with "Unrecognized node type" (3 attempts per batch); ${loud.length ? `then the trigger saved ${reports.length} failed execution(s) naming the undeliverable events (Error Workflow)` : 'NO loud error seen'}`);
}

async function scenarioG() {
	step('(g) 50 Survey-after-close webhooks at once, for 50 customers, then the same 50 again');
	const wf = JSON.parse(readFileSync(path.join(ROOT, 'examples', 'survey-after-conversation-closes.json'), 'utf8'));
	const credId = (await rest.listCredentials())[0].id;
	for (const node of wf.nodes) if (node.credentials?.xCustomerFeedbackOAuth1Api) node.credentials.xCustomerFeedbackOAuth1Api.id = credId;
	const created = await rest.createWorkflow({ name: 'Queue: survey after close', nodes: wf.nodes, connections: wf.connections, settings: wf.settings ?? { executionOrder: 'v1' } });
	await rest.call('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
	const fresh = (await control('POST', 'customers', { customers: Array.from({ length: 50 }, (_, i) => ({ screenName: `queue_wave_${i}`, canDm: true, allowlisted: false })) })).customers;
	const webhookPath = wf.nodes.find((n) => n.type === 'n8n-nodes-base.webhook').parameters.path;
	const wave = async (tag) =>
		Promise.all(
			fresh.map(async (c, i) => {
				const res = await fetch(`http://127.0.0.1:${PORTS.main}/webhook/${webhookPath}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ caseId: `${tag}-${i}`, userId: c.id }),
					signal: AbortSignal.timeout(120_000),
				});
				return res.ok ? await res.json() : { status: `http ${res.status}` };
			}),
		);
	// n8n takes a moment to register an activated webhook: probe with an unknown customer (nothing is sent).
	await waitFor('the webhook to be registered', async () => {
		const res = await fetch(`http://127.0.0.1:${PORTS.main}/webhook/${webhookPath}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ caseId: 'probe', username: '@nobody_probe' }),
		});
		return res.status !== 404;
	}, { timeoutMs: 60_000, intervalMs: 1000 });
	const statsBefore = await control('GET', 'stats');
	const first = await wave('first');
	// The store keeps md5/base64 hashes of "<user id>@<UTC day>" (nodes/XCustomerFeedback/helpers/askedRecently.ts): a customer is
	// remembered if today's key of theirs is in one of the workflow's rows (one per Send node).
	const stored = new Set(
		psql(procs.pg, `SELECT value FROM processed_data WHERE "workflowId" = '${created.id}'`)
			.trim()
			.split('\n')
			.filter(Boolean)
			.flatMap((row) => JSON.parse(row).data ?? []),
	);
	const today = new Date().toISOString().slice(0, 10);
	const remembered = fresh.filter((c) => stored.has(createHash('md5').update(`${c.id}@${today}`).digest('base64'))).length;
	const statsMid = await control('GET', 'stats');
	const second = await wave('second');
	const statsAfter = await control('GET', 'stats');
	const feedback = (await control('GET', 'feedback')).feedback;
	const perCustomer = new Map();
	for (const f of feedback) perCustomer.set(f.to_user_id ?? f.recipient_id, (perCustomer.get(f.to_user_id ?? f.recipient_id) ?? 0) + 1);
	const surveyedTwice = fresh.filter((c) => (perCustomer.get(c.id) ?? 0) > 1).length;
	const creates = (s) => s.byEndpoint['POST /1.1/feedback/create.json'] ?? 0;
	const g = {
		firstWave: countBy(first),
		secondWave: countBy(second),
		customersRememberedAfterFirstWave: remembered,
		entriesLostToConcurrency: fresh.length - remembered,
		storeEntriesAfterFirstWave: stored.size,
		createCallsFirstWave: creates(statsMid) - creates(statsBefore),
		createCallsSecondWave: creates(statsAfter) - creates(statsMid),
		customersSurveyedTwice: surveyedTwice,
	};
	log(`(g) ${JSON.stringify(g)}`);
	return g;
}

const countBy = (answers) => answers.reduce((m, a) => ({ ...m, [`${a.status}${a.reason ? `/${a.reason}` : ''}`]: (m[`${a.status}${a.reason ? `/${a.reason}` : ''}`] ?? 0) + 1 }), {});

// ---------------------------------------------------------------------------------------------

function table(rows) {
	const lines = [
		'| scenario | expected | delivered | duplicates | flagged re-deliveries | unflagged duplicates | before: delivered / duplicates |',
		'|---|---|---|---|---|---|---|',
	];
	for (const r of rows) {
		const before = r.before ? `${r.before.delivered} / ${r.before.duplicates}` : 'n/a';
		lines.push(`| ${r.scenario}${r.note ? ` (${r.note})` : ''} | ${r.expected} | ${r.delivered} | ${r.duplicates} | ${r.flagged} | ${r.unflagged} | ${before} |`);
	}
	return lines.join('\n');
}

function writeBenchmarks(rows, g, meta) {
	const file = path.join(ROOT, 'BENCHMARKS.md');
	const start = '<!-- test:queue start -->';
	const end = '<!-- test:queue end -->';
	const section = [
		start,
		'## Queue mode (npm run test:queue)',
		'',
		`n8n ${meta.n8n} in queue mode: PostgreSQL 15 and Redis from Debian, one main and two workers (concurrency 5) sharing a user folder with the packed package, the emulator serving events at once, a workflow "trigger -> HTTP Request to a recording sink". Run of ${meta.date}, ${meta.minutes} minutes. "Before" is the issue's table (the package before confirmed delivery, same set-up).`,
		'',
		table(rows),
		'',
		'Delivered: distinct events that reached the sink. Duplicates: arrivals beyond the first of an event. Flagged re-deliveries: arrivals with `deliveryAttempt` 2 or more (every item of an execution n8n lost, sent again; only those that had passed the sink before the loss are duplicates). Unflagged duplicates: a second arrival with `deliveryAttempt` 1 (must be 0).',
		'',
		`(g) 50 Survey-after-close webhooks at once for 50 customers, then the same 50 again. First wave: ${JSON.stringify(g.firstWave)}. The de-duplication store then remembered ${g.customersRememberedAfterFirstWave} of the 50 customers: ${g.entriesLostToConcurrency} entries were lost to executions writing at the same moment (the store holds ${g.storeEntriesAfterFirstWave} hashes: past-day keys whose removal was lost the same way stay behind, harmless). Second wave: ${JSON.stringify(g.secondWave)}; ${g.createCallsSecondWave} of them reached X, which refused each (one request per customer per 24 hours). Customers surveyed twice: ${g.customersSurveyedTwice}.`,
		end,
	].join('\n');
	let text = readFileSync(file, 'utf8');
	text = text.includes(start) ? text.replace(new RegExp(`${start}[\\s\\S]*${end}`), section) : `${text.trimEnd()}\n\n${section}\n`;
	writeFileSync(file, text);
}

async function main() {
	cleanupOnExit();
	const t0 = Date.now();
	await assertPortsFree({ postgres: PORTS.postgres, redis: PORTS.redis, 'n8n main': PORTS.main, emulator: PORTS.emulator, sink: PORTS.sink });
	step('install and build');
	log(await ensureServicesInstalled());
	await ensureNode24();
	await ensureN8n();
	ensureResolutionShim();
	await buildPackage();
	const { tarball } = await packPackage();
	rmSync(DIR, { recursive: true, force: true });
	mkdirSync(LOGS, { recursive: true });
	await installIntoUserFolder(USER_FOLDER, tarball);

	step('services');
	procs.pg = await startPostgres(path.join(DIR, 'pg'), PORTS.postgres);
	await startRedis(PORTS.redis, path.join(LOGS, 'redis.log'));
	emulator = await startEmulator({ port: PORTS.emulator, logFile: path.join(LOGS, 'emulator.log'), seed: 'none' });
	business = await control('GET', 'credentials');
	customers = (await control('POST', 'customers', { customers: Array.from({ length: 20 }, (_, i) => ({ screenName: `queue_${i}`, canDm: true, allowlisted: true })) })).customers;
	sink = await startSink(PORTS.sink);

	step('n8n: main (runs the PostgreSQL migrations) and two workers');
	await startMain();
	await startWorker(0);
	await startWorker(1);
	rest = new N8nRest(`http://127.0.0.1:${PORTS.main}`);
	await rest.ensureOwner(OWNER);
	const { cred } = await createConnectedCredentialHeadless(rest, emulator, business, 'X (queue test)');
	// CSAT events: every scenario but (d). NPS events: (d), one item every 3 seconds.
	for (const [name, feedbackType, batchInterval] of [
		['Queue: trigger to sink', 'csat', 0],
		['Queue: trigger to sink, 1 item per 3 s', 'nps', 3000],
	]) {
		const created = await rest.createWorkflow(sinkWorkflow(name, cred.id, feedbackType, batchInterval));
		await rest.call('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
		workflowIds.push(created.id);
	}
	await sleep(6000);

	const only = (env.QUEUE_SCENARIOS ?? 'a,h,c,d,b,e,f,overlap,bare,g').split(',');
	const scenarios = { a: scenarioA, h: scenarioH, c: scenarioC, d: scenarioD, b: scenarioB, e: scenarioE, f: scenarioF, overlap: scenarioOverlap, bare: scenarioBare };
	let g = null;
	for (const key of only) {
		if (key === 'g') g = await scenarioG();
		else await scenarios[key]();
	}

	const meta = { n8n: '2.41.1', date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', minutes: ((Date.now() - t0) / 60_000).toFixed(0) };
	step('results');
	console.log(table(results));
	if (g) console.log(`\n(g) ${JSON.stringify(g)}`);
	writeFileSync(RESULTS, `${JSON.stringify({ ...meta, scenarios: results, concurrentSend: g }, null, 2)}\n`);
	if (g && only.length >= 9) writeBenchmarks(results, g ?? {}, meta);
	log(`wrote ${path.relative(ROOT, RESULTS)}${g ? ' and the test:queue section of BENCHMARKS.md' : ''}`);
}

main()
	.catch((error) => {
		console.error(error);
		process.exitCode = 1;
	})
	.finally(async () => {
		await sink?.close();
		await stopAll();
		await stopPostgres(procs.pg);
	});
