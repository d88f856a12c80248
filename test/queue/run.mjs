/**
 * npm run test:queue: the package in n8n's queue mode, as an operator runs it: PostgreSQL, Redis,
 * one main and two workers (concurrency 5) sharing a user folder with the packed package, the
 * emulator (events served at once) and a recording sink. A workflow "trigger -> HTTP Request to the
 * sink" meets workers and mains that stop, die and come back; Example 1 (survey after a
 * conversation closes) takes 50 webhooks at once, twice; the real-time webhook example takes X's
 * calls for a burst of answers, some dropped, doubled, delayed or answered 5xx, behind a gateway
 * (w). Each scenario states what it expects; the
 * run prints expected / delivered / duplicates / flagged re-deliveries and each expectation met or
 * not, writes .n8n-queue/results.json (git-ignored), exits 1 when an expectation falls short (a wait
 * that times out is a shortfall), and stops everything it started, by process id. Only `--record`
 * (on a full run) rewrites the tracked record: test/queue/results.json and the BENCHMARKS.md section.
 *
 *   npm run test:queue                      every scenario (about 30 minutes on 2 cores)
 *   npm run test:queue -- --only g          some scenarios (comma-separated keys, see ALL below)
 *   npm run test:queue -- --record          a full run that also rewrites the tracked record
 *
 * Opt-in, like test:e2e. Ports: QUEUE_* variables below, all on 127.0.0.1.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
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
import { startGateway } from './gateway.mjs';
import { startSink, tally } from './sink.mjs';

const env = process.env;
const PORTS = {
	postgres: Number(env.QUEUE_PG_PORT ?? 5440),
	redis: Number(env.QUEUE_REDIS_PORT ?? 6390),
	main: Number(env.QUEUE_N8N_PORT ?? 5740),
	mainBroker: Number(env.QUEUE_BROKER_PORT ?? 5741),
	emulator: Number(env.QUEUE_EMULATOR_PORT ?? 8840),
	sink: Number(env.QUEUE_SINK_PORT ?? 8841),
	gateway: Number(env.QUEUE_GATEWAY_PORT ?? 8842),
};
const WORKER_BROKERS = [PORTS.mainBroker + 1, PORTS.mainBroker + 2, PORTS.mainBroker + 3];
const DIR = path.join(ROOT, '.n8n-queue');
const USER_FOLDER = path.join(DIR, 'n8n');
const BARE_FOLDER = path.join(DIR, 'n8n-without-package');
const LOGS = path.join(DIR, 'logs');
/** Every run's results (git-ignored); the tracked record changes only with --record. */
const RUN_RESULTS = path.join(DIR, 'results.json');
const RECORD = path.join(ROOT, 'test', 'queue', 'results.json');
const OWNER = { email: 'queue@example.com', firstName: 'Queue', lastName: 'Test', password: 'Queue-test-1' };
const ENCRYPTION_KEY = randomBytes(24).toString('hex');
const TRIGGER = 'New scores and comments';

/** Every scenario, in the order a full run takes them. */
const ALL = ['a', 'h', 'c', 'd', 'b', 'e', 'f', 'j', 'k', 'overlap', 'bare', 'g', 'w'];

function parseArgs(argv) {
	const args = { only: undefined, record: false };
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--record') args.record = true;
		else if (a === '--only') args.only = argv[++i];
		else if (a.startsWith('--only=')) args.only = a.slice('--only='.length);
		else throw new Error(`unknown argument ${a} (use --only a,g and/or --record)`);
	}
	const keys = (args.only ?? env.QUEUE_SCENARIOS ?? ALL.join(',')).split(',').map((k) => k.trim()).filter(Boolean);
	const unknown = keys.filter((k) => !ALL.includes(k));
	if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${ALL.join(', ')}`);
	if (args.record && ALL.some((k) => !keys.includes(k))) throw new Error('--record needs a full run (no --only): the tracked record shows every scenario');
	return { keys, record: args.record };
}
const ARGS = parseArgs(process.argv.slice(2));

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
		// n8n's default is 2 connections per process; (w)'s burst waits on main's.
		...(env.QUEUE_PG_POOL_SIZE ? { DB_POSTGRESDB_POOL_SIZE: env.QUEUE_PG_POOL_SIZE } : {}),
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

/** The business sends `customer` a feedback request, as its own workflows would; returns the feedback id. */
async function requestFeedback(customer, type = 'csat', sign = signer()) {
	const params = { type, to_user_id: customer.id, message: 'How did we do?', privacy_url: 'https://acme.example/privacy', test: 'false' };
	// RFC 3986 encoding, as OAuth signs it (URLSearchParams would send spaces as "+").
	const rfc3986 = (v) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	const url = `${emulator.baseUrl}/1.1/feedback/create.json?${Object.entries(params).map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&')}`;
	const res = await fetch(url, { method: 'POST', headers: { authorization: sign('POST', url) } });
	if (!res.ok) throw new Error(`feedback/create answered ${res.status}: ${await res.text()}`);
	return (await res.json()).id;
}

let nextCustomer = 0;
/** `n` requests sent and scored; every other one also commented. Returns the eventIds a consumer must get. */
async function answered(n, { comments = true, type = 'csat' } = {}) {
	const sign = signer();
	const ids = [];
	for (let i = 0; i < n; i++) {
		const id = await requestFeedback(customers[nextCustomer++ % customers.length], type, sign);
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
/** The reverse proxy X's webhook calls go through in (w). */
let gateway;
let rest;
/** The trigger workflows (CSAT to the sink, NPS to the sink one item per 3 s). */
const workflowIds = [];
const results = [];

function sinkWorkflow(name, credentialId, feedbackType, batchInterval, { events = ['score', 'comment'], redeliverFailed = 0 } = {}) {
	return {
		name,
		nodes: [
			{
				id: 'a1', name: TRIGGER, type: 'n8n-nodes-x-customer-feedback.xCustomerFeedbackTrigger', typeVersion: 1, position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'custom', cronExpression: '*/5 * * * * *' }] }, events, feedbackType, options: { minEventAgeHours: 0, maxDeliveryAttempts: 3, ...(redeliverFailed ? { redeliverFailed } : {}) } },
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

/**
 * Waits until every expected event arrived (or `until` holds) and nothing more came for `quietMs`.
 * At `timeoutMs` it gives up and says so (`timedOut`): a scenario that times out falls short.
 */
async function settle(ids, { timeoutMs = 180_000, quietMs = 20_000, until, path: sinkPath } = {}) {
	const deadline = Date.now() + timeoutMs;
	let count = -1;
	let stableSince = Date.now();
	while (Date.now() < deadline) {
		const arrivals = sink.of(ids, sinkPath);
		if (arrivals.length !== count) {
			count = arrivals.length;
			stableSince = Date.now();
		}
		const t = tally(ids, arrivals);
		const done = until ? until(t) : t.delivered === t.expected;
		if (done && Date.now() - stableSince >= quietMs) return { ...t, timedOut: false };
		await sleep(1000);
	}
	log(`settle: timed out after ${timeoutMs / 1000} s`);
	return { ...tally(ids, sink.of(ids, sinkPath)), timedOut: true };
}

/** The checks every delivery scenario makes: no loss, no repeat that does not say so, no wait that ran out. */
const noLoss = (t) => [
	['delivered === expected', t.delivered === t.expected],
	['unflagged duplicates === 0', t.unflagged === 0],
	['settled before the time limit', t.timedOut !== true],
];

/** Records a scenario: its measures, its expectations (label, met) and whether all were met. */
function record(key, name, t, checks, note = '') {
	const failed = checks.filter(([, ok]) => !ok).map(([label]) => label);
	const { timedOut: _t, ...measures } = t;
	const row = { key, scenario: name, ...measures, expectations: checks.map(([label]) => label), failed, passed: failed.length === 0, note };
	results.push(row);
	log(
		`${row.passed ? 'PASS' : 'FAIL'} (${key}) ${name}: expected ${t.expected}, delivered ${t.delivered}, duplicates ${t.duplicates} (flagged ${t.flagged}, unflagged ${t.unflagged})${note ? `; ${note}` : ''}${failed.length ? `\n    FALLS SHORT OF: ${failed.join('; ')}` : ''}`,
	);
	return row;
}

/** A scenario that threw: recorded as failed with the error, and the run goes on. */
function recordError(key, error) {
	results.push({ key, scenario: key, expectations: ['the scenario runs to its end'], failed: [`the scenario runs to its end (${error.message.split('\n')[0]})`], passed: false, note: '' });
	log(`FAIL (${key}): ${error.stack ?? error}`);
}

const sqlText = (v) => `'${String(v).replace(/'/g, "''")}'`;

/** Ids of a workflow's executions (since `sinceId`) with this status whose data holds `match`: read from PostgreSQL. */
function executionIds(workflowId, { status = 'error', match, sinceId = 0 } = {}) {
	const where = [`e."workflowId" = ${sqlText(workflowId)}`, `e.id > ${Number(sinceId)}`];
	if (status) where.push(`e.status = ${sqlText(status)}`);
	if (match) where.push(`d.data LIKE ${sqlText(`%${match}%`)}`);
	return psql(procs.pg, `SELECT e.id FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id WHERE ${where.join(' AND ')} ORDER BY e.id`)
		.trim()
		.split('\n')
		.filter(Boolean)
		.map(Number);
}

/** Executions of a workflow (the CSAT one unless named) that have not ended (queued or running). */
const unfinished = (workflowId = workflowIds[0]) => Number(psql(procs.pg, `SELECT COUNT(*) FROM execution_entity WHERE "workflowId" = ${sqlText(workflowId)} AND status IN ('new', 'running')`).trim());

const lastExecutionId = () => Number(psql(procs.pg, 'SELECT COALESCE(MAX(id), 0) FROM execution_entity').trim());

/** How often the current main's log says n8n skipped an emit whose de-duplication key it had. */
const dedupSkips = () => (readFileSync(path.join(LOGS, `main-${mainStarts}.log`), 'utf8').match(/duplicate deduplication key/g) ?? []).length;

async function restartMainHard() {
	killHard(procs.main);
	await stopProcess(procs.main, 1000);
	await startMain();
	await rest.login(OWNER);
}

function startBareWorker() {
	mkdirSync(BARE_FOLDER, { recursive: true });
	procs.bare = startProcess('n8n worker without the package', NODE24, [N8N_BIN, 'worker', '--concurrency=5'], {
		cwd: BARE_FOLDER,
		env: queueEnv(BARE_FOLDER, WORKER_BROKERS[2]),
		logFile: path.join(LOGS, `worker-bare-${Date.now()}.log`),
	});
}

async function scenarioA() {
	step('(a) 10 requests answered, 2 workers');
	sink.mode.delayMs = 50;
	const ids = await answered(10);
	const t = await settle(ids);
	record('a', '10 requests answered, 2 workers', t, [...noLoss(t), ['duplicates === 0', t.duplicates === 0]]);
}

async function scenarioH() {
	step('(h) a downstream node fails');
	const since = lastExecutionId();
	sink.mode.failStatus = 500;
	const ids = await answered(3, { comments: false });
	const t = await settle(ids, { quietMs: 30_000, timeoutMs: 120_000 });
	sink.mode.failStatus = 0;
	const failed = executionIds(workflowIds[0], { match: '500', sinceId: since });
	record('h', 'a downstream node fails (HTTP Request gets 500)', t, [
		['every event reached the failing node once (delivered === expected, duplicates === 0)', t.delivered === t.expected && t.duplicates === 0],
		['the execution failed in n8n (>= 1 failed execution)', failed.length >= 1],
		['not re-delivered (Re-Deliver Failed Executions 0): flagged === 0', t.flagged === 0],
		['settled before the time limit', !t.timedOut],
	], `the sink answered 500: ${failed.length} failed execution(s) in n8n (its usual error handling)`);
}

async function scenarioC() {
	step('(c) worker SIGKILLed while its execution runs, after the sink has every item');
	await stopProcess(procs.workers[1]);
	// The sink keeps first attempts waiting for its answer: the execution is still running when its worker dies.
	sink.mode.delayFor = (r) => (Number(r.deliveryAttempt) > 1 ? 50 : 600_000);
	const ids = await answered(10);
	await waitFor('every item at the sink', () => new Set(sink.of(ids).map((r) => r.eventId)).size === ids.length, { timeoutMs: 180_000 });
	const running = unfinished();
	killHard(procs.workers[0]);
	await stopProcess(procs.workers[0], 1000);
	sink.mode.delayFor = undefined;
	log(`worker 1 killed with ${running} execution(s) running, every item at the sink; starting worker 2 (n8n notices the stalled job while a worker runs)`);
	await startWorker(1);
	const t = await settle(ids, { timeoutMs: 420_000, quietMs: 20_000, until: (x) => x.delivered === x.expected && x.flagged >= x.expected });
	await startWorker(0);
	record('c', 'worker SIGKILLed while its execution runs (the sink had every item)', t, [
		...noLoss(t),
		['the execution had not ended at the kill (>= 1 queued or running)', running >= 1],
		['every event sent again, flagged (flagged >= expected)', t.flagged >= t.expected],
	], `${running} execution(s) queued or running at the kill; ${t.flagged ? `${t.flagged} items sent again, flagged (n8n gave up on the stalled job)` : 'nothing was sent again'}`);
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
	record('d', 'worker SIGKILLed mid-execution (1 item per 3 s)', t, [
		...noLoss(t),
		['killed mid-execution (0 < items at the kill < expected)', beforeKill > 0 && beforeKill < ids.length],
		['the lost batch sent again, flagged (flagged > 0)', t.flagged > 0],
	], `${beforeKill} items had arrived when the worker was killed; n8n gave up on the stalled job (${stalled} in main's log); ${t.flagged ? `${t.flagged} items sent again, flagged` : 'nothing was sent again'}`);
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
	record('b', 'both workers stopped, then one started', t, [
		...noLoss(t),
		['nothing arrived while no worker ran', whileStopped === 0],
		['duplicates === 0 (the jobs waited in Redis)', t.duplicates === 0],
	], `${whileStopped} arrived while no worker ran`);
}

async function scenarioE() {
	step('(e) main stopped, answers given meanwhile, restarted');
	await stopProcess(procs.main, 60_000);
	const ids = await answered(10);
	await startMain();
	await rest.login(OWNER);
	const t = await settle(ids);
	record('e', 'main stopped, answers given meanwhile, restarted', t, noLoss(t));
}

async function scenarioF() {
	step('(f) main SIGKILLed while its batch runs on a worker, restarted');
	// First attempts wait 20 s for the sink's answer: the batch is in flight when main dies.
	sink.mode.delayFor = (r) => (Number(r.deliveryAttempt) > 1 ? 50 : 20_000);
	const since = lastExecutionId();
	const ids = await answered(10);
	await waitFor('every item at the sink', () => new Set(sink.of(ids).map((r) => r.eventId)).size === ids.length, { timeoutMs: 180_000 });
	const running = unfinished();
	await restartMainHard();
	const t = await settle(ids, { timeoutMs: 300_000, quietMs: 30_000, until: (x) => x.delivered === x.expected && x.flagged >= x.expected });
	sink.mode.delayFor = undefined;
	const skipped = dedupSkips();
	const finished = executionIds(workflowIds[0], { status: 'success', sinceId: since }).length;
	record('f', 'main SIGKILLed while its batch ran on a worker, restarted', t, [
		...noLoss(t),
		['the batch was in flight at the kill (>= 1 execution queued or running)', running >= 1],
		['the restarted main sent what was in flight again, flagged (flagged >= expected)', t.flagged >= t.expected],
		['n8n skipped no re-send (new key): 0 "duplicate deduplication key"', skipped === 0],
	], `${running} execution(s) queued or running at the kill; ${finished} successful executions since (the worker finished what was in flight); ${t.flagged ? `the restarted main sent ${t.flagged} items again, flagged, under new keys` : 'the restarted main sent nothing again'}; n8n logged ${skipped} "duplicate deduplication key"`);
}

async function scenarioJ() {
	step('(j) main SIGKILLed during the back-off after lost executions, restarted');
	await stopProcess(procs.workers[0]);
	await stopProcess(procs.workers[1]);
	startBareWorker();
	const since = lastExecutionId();
	const lost = () => executionIds(workflowIds[0], { match: 'Unrecognized node type', sinceId: since }).length;
	const ids = await answered(3, { comments: false });
	// Attempt 1 lost: sent again at once. Attempt 2 lost: the next one waits 15 s (the back-off). Kill main in it.
	await waitFor('two lost attempts', () => lost() >= 2, { timeoutMs: 240_000, intervalMs: 500 });
	const lostAtKill = lost();
	killHard(procs.main);
	await stopProcess(procs.main, 1000);
	await stopProcess(procs.bare);
	await startWorker(0);
	await startWorker(1);
	await startMain();
	await rest.login(OWNER);
	const t = await settle(ids, { timeoutMs: 240_000, quietMs: 20_000 });
	const reports = executionIds(workflowIds[0], { match: 'could not be delivered', sinceId: since }).length;
	record('j', 'main SIGKILLed during the back-off after two lost executions, restarted', t, [
		...noLoss(t),
		['killed during the back-off (exactly 2 lost attempts at the kill)', lostAtKill === 2],
		['delivered as a flagged re-delivery (flagged === arrivals)', t.flagged === t.delivered + t.duplicates],
		['no give-up reported', reports === 0],
	], `${lostAtKill} attempts lost ("Unrecognized node type" on a worker without the package) when main was killed; ${t.delivered ? `delivered after the restart, attempt ${Math.max(...sink.of(ids).map((r) => Number(r.deliveryAttempt) || 1))}` : 'nothing delivered after the restart'}`);
}

async function scenarioK(credentialId) {
	step('(k) a failed execution to re-deliver (Re-Deliver Failed Executions 1), main SIGKILLed before the re-delivery');
	const created = await rest.createWorkflow(sinkWorkflow('Queue: requests, re-deliver failed', credentialId, 'all', 0, { events: ['request'], redeliverFailed: 1 }));
	await rest.call('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
	await sleep(6000);
	try {
		const since = lastExecutionId();
		// First attempts of request events fail at the sink (500): the execution fails in its own node;
		// the trigger sends it again after 15 s. Main dies in those 15 s.
		sink.mode.failFor = (r) => (String(r.eventId).endsWith(':request') && !(Number(r.deliveryAttempt) > 1) ? 500 : 0);
		const ids = (await answered(3, { comments: false })).map((id) => id.replace(/:score$/, ':request'));
		await waitFor('the failed execution', () => executionIds(created.id, { match: '500', sinceId: since }).length >= 1 && new Set(sink.of(ids).map((r) => r.eventId)).size === ids.length, { timeoutMs: 180_000, intervalMs: 500 });
		const failedAtKill = executionIds(created.id, { match: '500', sinceId: since }).length;
		const redeliveredAtKill = sink.of(ids).filter((r) => Number(r.deliveryAttempt) > 1).length;
		await restartMainHard();
		const t = await settle(ids, { timeoutMs: 240_000, quietMs: 20_000, until: (x) => x.flagged >= x.expected });
		const redelivered = new Set(sink.of(ids).filter((r) => Number(r.deliveryAttempt) > 1).map((r) => r.eventId)).size;
		record('k', 'a failed execution to re-deliver (Re-Deliver Failed Executions 1), main SIGKILLed before the re-delivery', t, [
			['killed before the re-delivery (none re-delivered at the kill)', redeliveredAtKill === 0 && failedAtKill >= 1],
			['every event re-delivered after the restart (a flagged attempt of each)', redelivered === ids.length],
			['unflagged duplicates === 0', t.unflagged === 0],
			['settled before the time limit', !t.timedOut],
		], `first attempts failed at the sink (500, ${failedAtKill} failed execution(s)); main killed with ${redeliveredAtKill} re-delivered; ${redelivered} of ${ids.length} events re-delivered after the restart`);
	} finally {
		sink.mode.failFor = undefined;
		await rest.call('POST', `/rest/workflows/${created.id}/deactivate`).catch((e) => log(`could not deactivate (k)'s workflow: ${e.message}`));
	}
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
	const t = await settle(ids);
	sink.mode.delayMs = 50;
	record('overlap', `${ids.length} events from 30+ requests over 2 minutes, overlapping executions`, t, [...noLoss(t), ['duplicates === 0', t.duplicates === 0]]);
}

async function scenarioBare() {
	step('(bare) a worker without the package');
	await stopProcess(procs.workers[0]);
	await stopProcess(procs.workers[1]);
	startBareWorker();
	const since = lastExecutionId();
	const ids = await answered(3, { comments: false });
	const reportsNow = () => executionIds(workflowIds[0], { match: 'could not be delivered', sinceId: since });
	const loud = await waitFor('the trigger to give up loudly', () => (reportsNow().length > 0 ? reportsNow() : false), { timeoutMs: 360_000, intervalMs: 5000 }).catch(() => []);
	await sleep(5000);
	// The trigger's reports quote n8n's last error too: counted apart from the attempts.
	const reports = reportsNow().length;
	const attempts = executionIds(workflowIds[0], { match: 'Unrecognized node type: n8n-nodes-x-customer-feedback', sinceId: since }).length - reports;
	await stopProcess(procs.bare);
	await startWorker(0);
	await startWorker(1);
	await sleep(20_000);
	const t = tally(ids, sink.of(ids));
	record('bare', 'a worker without the package', t, [
		['the trigger gave up loudly (>= 1 failed execution naming the events)', loud.length > 0],
		['3 attempts per batch given up (Max Delivery Attempts 3)', reports > 0 && attempts === 3 * reports],
		['nothing at the sink, also once workers with the package run', t.delivered === 0 && t.duplicates === 0],
	], `${attempts} executions failed with "Unrecognized node type"; the trigger saved ${reports} failed execution(s) naming the undeliverable events (Error Workflow)`);
}

async function scenarioG() {
	step('(g) 50 Survey-after-close webhooks at once, for 50 customers X would survey again, then the same 50 again');
	const wf = JSON.parse(readFileSync(path.join(ROOT, 'examples', 'survey-after-conversation-closes.json'), 'utf8'));
	const credId = (await rest.listCredentials())[0].id;
	for (const node of wf.nodes) if (node.credentials?.xCustomerFeedbackOAuth1Api) node.credentials.xCustomerFeedbackOAuth1Api.id = credId;
	const created = await rest.createWorkflow({ name: 'Queue: survey after close', nodes: wf.nodes, connections: wf.connections, settings: wf.settings ?? { executionOrder: 'v1' } });
	await rest.call('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
	// Allowlisted: X's own one-card-per-24-hours rule does not refuse them, so only the node's memory can.
	const fresh = (await control('POST', 'customers', { customers: Array.from({ length: 50 }, (_, i) => ({ screenName: `queue_wave_${i}`, canDm: true, allowlisted: true })) })).customers;
	const webhookPath = wf.nodes.find((n) => n.type === 'n8n-nodes-base.webhook').parameters.path;
	const wave = async (tag) =>
		Promise.all(
			fresh.map(async (c, i) => {
				const res = await fetch(`http://127.0.0.1:${PORTS.main}/webhook/${webhookPath}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ caseId: `${tag}-${i}`, userId: c.id }),
					signal: AbortSignal.timeout(300_000),
				}).catch((e) => ({ ok: false, status: e.name }));
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
	// The store keeps md5/base64 hashes of "<user ID>@<UTC day>" (nodes/XCustomerFeedback/helpers/askedRecently.ts,
	// askedKey: the ID without leading zeros): a customer is remembered if today's key is in one of the workflow's rows.
	const stored = new Set(
		psql(procs.pg, `SELECT value FROM processed_data WHERE "workflowId" = ${sqlText(created.id)}`)
			.trim()
			.split('\n')
			.filter(Boolean)
			.flatMap((row) => JSON.parse(row).data ?? []),
	);
	const today = new Date().toISOString().slice(0, 10);
	const canonical = (id) => (/^\d+$/.test(id) ? id.replace(/^0+(?=\d)/, '') : id);
	const sentFirst = fresh.filter((_, i) => first[i]?.status === 'sent');
	const kept = sentFirst.filter((c) => stored.has(createHash('md5').update(`${canonical(c.id)}@${today}`).digest('base64'))).length;
	const statsMid = await control('GET', 'stats');
	const second = await wave('second');
	const statsAfter = await control('GET', 'stats');
	const feedback = (await control('GET', 'feedback')).feedback;
	const perCustomer = new Map();
	for (const f of feedback) perCustomer.set(f.to_user_id, (perCustomer.get(f.to_user_id) ?? 0) + 1);
	const surveyedTwice = fresh.filter((c) => (perCustomer.get(c.id) ?? 0) > 1).length;
	const creates = (s) => s.byEndpoint['POST /1.1/feedback/create.json'] ?? 0;
	const g = {
		customers: fresh.length,
		firstWave: countBy(first),
		secondWave: countBy(second),
		claimsMade: sentFirst.length,
		claimsKept: kept,
		claimsLost: sentFirst.length - kept,
		storeEntriesAfterFirstWave: stored.size,
		createCallsFirstWave: creates(statsMid) - creates(statsBefore),
		createCallsSecondWave: creates(statsAfter) - creates(statsMid),
		customersSurveyedTwice: surveyedTwice,
	};
	log(`(g) ${JSON.stringify(g)}`);
	const checks = [
		['first wave: every customer sent a card', sentFirst.length === fresh.length],
		['>= 99 in 100 claims kept in the store after the burst', kept >= Math.ceil(0.99 * fresh.length)],
		['customers surveyed twice === 0', surveyedTwice === 0],
		['second wave: no create call reached X (the node refused each itself)', g.createCallsSecondWave === 0],
	];
	const failed = checks.filter(([, ok]) => !ok).map(([label]) => label);
	results.push({ key: 'g', scenario: '50 Survey-after-close webhooks at once, then the same 50 again', ...g, expectations: checks.map(([l]) => l), failed, passed: failed.length === 0, note: '' });
	log(`${failed.length ? 'FAIL' : 'PASS'} (g): ${kept} of ${sentFirst.length} claims kept, ${surveyedTwice} customers surveyed twice${failed.length ? `\n    FALLS SHORT OF: ${failed.join('; ')}` : ''}`);
	return g;
}

const countBy = (answers) => answers.reduce((m, a) => ({ ...m, [`${a.status}${a.reason ? `/${a.reason}` : ''}`]: (m[`${a.status}${a.reason ? `/${a.reason}` : ''}`] ?? 0) + 1 }), {});

// ---------------------------------------------------------------------------------------------
// (w) X's webhook: the real-time example (Webhook Trigger and the recovering polling trigger ->
// Skip Seen Parts) in queue mode, a burst of answers with faults on the calls

const PACKAGE = 'n8n-nodes-x-customer-feedback';
const W_ANSWERS = 40;
/** Reconciliation reads events this old (X serves them after 24 h): longer than any webhook path below (a 6 s delay, a retry, the queue of a burst). */
const W_MIN_AGE_HOURS = 0.02;
const W_DELAY_MS = 6000;
const W_USER = 'x-queue';
/** A feedback id X never issued: the body of the bad requests, and of one good call with the right credentials. */
const W_PROBE_ID = '990000000000000001';
/**
 * The fault on each webhook call of the burst, by answer index and the part the call brings: the
 * emulator's (drop, duplicate: both copies at once, delay) and the gateway's (before: 503 without
 * forwarding; after: n8n ran it, X got 502). Both calls of 0-2 and the comment's call of 3-4 are
 * dropped: 8 parts that only reconciliation can bring. The score's call of 5-6 is dropped but the
 * comment's call repeats the score: the webhook still brings it. The comment's calls of 11-14 repeat
 * the score twice at once; the scores of 15-17 come 6 s late, after their comment's call.
 */
const W_FAULTS = [
	['drop', 'score', [0, 1, 2, 5, 6]],
	['drop', 'comment', [0, 1, 2, 3, 4]],
	['duplicate', 'score', [7, 8, 9, 10]],
	['duplicate', 'comment', [11, 12, 13, 14]],
	['delay', 'score', [15, 16, 17]],
	['delay', 'comment', [18, 19]],
	['before', 'score', [20]],
	['before', 'comment', [21]],
	['after', 'score', [22]],
	['after', 'comment', [23]],
];
const wFaultOf = (i, part) => W_FAULTS.find(([, p, at]) => p === part && at.includes(i))?.[0];
/** A part no call brings: its own call dropped, and for a score the comment's call too. */
const wLost = (i, part) => wFaultOf(i, part) === 'drop' && (part === 'comment' || wFaultOf(i, 'comment') === 'drop');

/** The value at quantile q of sorted values (nearest rank, as bench/webhookLatency.ts). */
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
function spread(ms) {
	const s = ms.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
	const sec = (v) => +(v / 1000).toFixed(2);
	return s.length ? { n: s.length, medianS: sec(quantile(s, 0.5)), p95S: sec(quantile(s, 0.95)), maxS: sec(s[s.length - 1]) } : { n: 0 };
}

/** The real-time example as the scenario runs it: both triggers score and comment, reconciliation every 5 s, Slack's branch replaced by the sink. */
function webhookWorkflow(credentialId, basicAuth, webhookId) {
	const example = JSON.parse(readFileSync(path.join(ROOT, 'examples', 'real-time-detractor-alert-webhook.json'), 'utf8'));
	const hook = example.nodes.find((n) => n.type === `${PACKAGE}.xCustomerFeedbackWebhookTrigger`);
	const recover = example.nodes.find((n) => n.type === `${PACKAGE}.xCustomerFeedbackTrigger`);
	const skip = example.nodes.find((n) => n.type === `${PACKAGE}.xCustomerFeedback` && n.parameters.operation === 'skipSeen');
	if (!hook || !recover?.parameters.options?.recoverWebhookMisses || !skip) throw new Error('the webhook example no longer has its two triggers and Skip Seen Parts');
	hook.parameters.events = ['score', 'comment'];
	hook.credentials = { httpBasicAuth: { id: basicAuth.id, name: basicAuth.name } };
	hook.webhookId = webhookId;
	recover.parameters.events = ['score', 'comment'];
	recover.parameters.pollTimes = { item: [{ mode: 'custom', cronExpression: '*/5 * * * * *' }] };
	recover.parameters.options = { ...recover.parameters.options, minEventAgeHours: W_MIN_AGE_HOURS };
	recover.credentials = { xCustomerFeedbackOAuth1Api: { id: credentialId, name: 'X (queue test)' } };
	const toSink = {
		id: 'w-sink', name: 'Record at the sink', type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, position: [520, 200],
		parameters: { method: 'POST', url: `${sink.url}/w`, sendBody: true, specifyBody: 'json', jsonBody: '={{ JSON.stringify($json) }}', options: {} },
	};
	const to = (node) => ({ main: [[{ node, type: 'main', index: 0 }]] });
	return {
		name: 'Queue: X webhook, real-time example',
		nodes: [hook, recover, skip, toSink],
		connections: { [hook.name]: to(skip.name), [recover.name]: to(skip.name), [skip.name]: to(toSink.name) },
		settings: example.settings ?? { executionOrder: 'v1' },
	};
}

/** The workflow's executions with their times (epoch ms: created by main, started and stopped on a worker) and saved data (text), from PostgreSQL. */
function executionsWithData(workflowId) {
	const ms = (column) => `(extract(epoch from e."${column}") * 1000)::bigint`;
	return psql(
		procs.pg,
		`SELECT json_build_object('id', e.id, 'mode', e.mode, 'status', e.status, 'createdAt', ${ms('createdAt')}, 'startedAt', ${ms('startedAt')}, 'stoppedAt', ${ms('stoppedAt')}, 'data', d.data) FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = ${sqlText(workflowId)} ORDER BY e.id`,
	)
		.trim()
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line));
}

async function scenarioW(credentialId) {
	step("(w) X's webhook: 40 answers at once (score and comment), calls dropped, sent twice, delayed, answered 5xx; bad requests; reconciliation");
	const password = randomBytes(18).toString('base64url');
	const basic = await rest.createCredential({ name: 'X webhook Basic Auth (queue test)', type: 'httpBasicAuth', data: { user: W_USER, password } });
	const webhookId = randomUUID();
	const created = await rest.createWorkflow(webhookWorkflow(credentialId, basic, webhookId));
	await rest.call('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
	const hookPath = `/webhook/${webhookId}/x-feedback`;
	const n8nUrl = `http://127.0.0.1:${PORTS.main}${hookPath}`;
	const sinkPath = new URL(`${sink.url}/w`).pathname;
	const executionCount = () => Number(psql(procs.pg, `SELECT COUNT(*) FROM execution_entity WHERE "workflowId" = ${sqlText(created.id)}`).trim());
	const post = (body, headers = {}) =>
		fetch(n8nUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(30_000) }).then(
			(res) => res.status,
			(e) => e.name,
		);
	const basicHeader = (user, secret) => ({ authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}` });
	sink.mode.delayMs = 50;
	// The other scenarios' pollers would take these CSAT parts too: paused, so (w) measures its workflow alone.
	const paused = [];
	for (const id of workflowIds) {
		await rest.call('POST', `/rest/workflows/${id}/deactivate`);
		paused.push(id);
	}
	try {
		// n8n takes a moment to register an activated webhook (404 until then).
		await waitFor('the webhook to be registered', async () => (await post('{}')) !== 404, { timeoutMs: 60_000, intervalMs: 1000 });

		// 40 customers, one CSAT request each, sent before the webhook is registered: the burst is the answers.
		const fresh = (await control('POST', 'customers', { customers: Array.from({ length: W_ANSWERS }, (_, i) => ({ screenName: `queue_hook_${i}`, canDm: true, allowlisted: true })) })).customers;
		const sign = signer();
		const feedbackIds = [];
		for (const c of fresh) feedbackIds.push(await requestFeedback(c, 'csat', sign));
		const ids = feedbackIds.flatMap((id) => [`${id}:score`, `${id}:comment`]);

		// Bad requests, each with a body that would otherwise emit a score (the probe's), straight to n8n.
		const card = await control('GET', `feedback/${feedbackIds[0]}`);
		const probe = { event_type: 'feedback.updated', created_at: card.created_at, feedback: { ...card, id: W_PROBE_ID, response: { score: { value: 1, created_at: card.created_at } } } };
		const good = basicHeader(W_USER, password);
		const probeText = JSON.stringify(probe);
		const executionsBeforeBad = executionCount();
		const bad = {
			noAuth: { expected: 401, status: await post(probeText) },
			wrongAuth: { expected: 401, status: await post(probeText, basicHeader(W_USER, `${password}x`)) },
			// Declared as JSON, as X declares it: n8n's body parser answers 422 before the node runs (README).
			badJson: { expected: 422, status: await post(probeText.slice(0, Math.floor(probeText.length / 2)), good) },
			// Not declared as JSON: n8n leaves the body to the node, which answers 400.
			badJsonAsText: { expected: 400, status: await post(probeText.slice(0, Math.floor(probeText.length / 2)), { ...good, 'content-type': 'text/plain' }) },
			wrongShape: { expected: 400, status: await post(JSON.stringify({ event: probe }), good) },
			oversized: { expected: 413, status: await post(JSON.stringify({ ...probe, feedback: { ...probe.feedback, text: 'x'.repeat(600 * 1024) } }), good) },
		};
		await sleep(8000);
		const badExecutions = executionCount() - executionsBeforeBad;
		const badArrivals = sink.at(sinkPath).length;
		// The same body with the right credentials: the one call here that must emit.
		const probeStatus = await post(probeText, good);
		const probeArrived = await waitFor('the probe at the sink', () => sink.at(sinkPath).some((r) => r.eventId === `${W_PROBE_ID}:score`), { timeoutMs: 60_000 }).catch(() => false);
		log(`(w) bad requests: ${Object.entries(bad).map(([k, v]) => `${k} ${v.status}`).join(', ')}; ${badExecutions} executions, ${badArrivals} items at the sink; the same body with the right credentials: ${probeStatus}, ${probeArrived ? 'at the sink' : 'NOT at the sink'}`);

		// The burst: X calls the gateway in front of n8n. Each answer is its own call; a fault is set just before the answer it is for.
		await control('POST', 'webhook', { url: `${gateway.baseUrl}${hookPath}`, user: W_USER, password });
		gateway.setFaults(W_FAULTS.filter(([kind]) => kind === 'before' || kind === 'after').flatMap(([kind, part, at]) => at.map((i) => [`${feedbackIds[i]}:${part}`, kind])));
		const gatewayCallsBefore = gateway.calls.length;
		const loadAtBurst = loadavg().map((l) => +l.toFixed(2));
		const burstStart = Date.now();
		for (const part of ['score', 'comment']) {
			for (let i = 0; i < W_ANSWERS; i++) {
				const fault = wFaultOf(i, part);
				if (fault === 'drop' || fault === 'duplicate' || fault === 'delay') {
					await control('POST', 'webhook/faults', { faults: [{ kind: fault, count: 1, ...(fault === 'delay' ? { afterMs: W_DELAY_MS } : {}) }] });
				}
				await control('POST', `feedback/${feedbackIds[i]}/respond`, part === 'score' ? { score: 1 + (i % 5) } : { text: `Comment ${i}` });
			}
		}
		const burstEnd = Date.now();
		log(`(w) ${W_ANSWERS * 2} answers given in ${((burstEnd - burstStart) / 1000).toFixed(2)} s; reconciliation reads them once they are ${W_MIN_AGE_HOURS * 3600} s old`);

		// Done when every part arrived, reconciliation has read past the burst, and nothing ran or came for 20 s.
		const reconciledAfter = burstEnd + W_MIN_AGE_HOURS * 3_600_000 + 15_000;
		const t = await settle(ids, { path: sinkPath, timeoutMs: 420_000, quietMs: 20_000, until: (x) => x.delivered === x.expected && Date.now() >= reconciledAfter && unfinished(created.id) === 0 });

		// What happened, from the sink, the emulator's record of its calls, the gateway and PostgreSQL.
		const arrivals = sink.of(ids, sinkPath);
		const strays = sink.at(sinkPath).filter((r) => !ids.includes(r.eventId) && r.eventId !== `${W_PROBE_ID}:score`);
		const partKey = (i, part) => `${feedbackIds[i]}:${part}`;
		const wanted = new Set(feedbackIds);
		const deliveries = (await control('GET', 'webhook?deliveries=all')).deliveries.filter((d) => wanted.has(d.feedbackId) && d.kind !== 'created');
		const callsOf = (key) => deliveries.filter((d) => `${d.feedbackId}:${d.kind === 'text' ? 'comment' : 'score'}` === key);
		const gatewayCalls = gateway.calls.slice(gatewayCallsBefore);
		const atGateway = (key) => gatewayCalls.filter((c) => c.part === key);
		// n8n took the call (its answer, whatever the gateway told X): the execution is queued.
		const accepted = (c) => c.n8nStatus === 200;

		// The planned faults happened (else the scenario would pass without testing them).
		const offPlan = [];
		const faultCount = {};
		for (let i = 0; i < W_ANSWERS; i++) {
			for (const part of ['score', 'comment']) {
				const fault = wFaultOf(i, part);
				if (!fault) continue;
				const key = partKey(i, part);
				const made = callsOf(key);
				const seen = atGateway(key);
				const happened = {
					drop: () => made.length === 1 && made[0].fault === 'drop' && seen.length === 0,
					// Both copies made at once, and n8n took both (more when X timed out waiting and called again).
					duplicate: () => made.filter((d) => d.fault === 'duplicate' && d.attempt === 1).length === 2 && seen.filter(accepted).length >= 2,
					delay: () => made.length > 0 && seen.length > 0 && seen[0].atMs - made[0].eventAtMs >= W_DELAY_MS && seen.some(accepted),
					before: () => seen[0]?.fault === 'before' && seen[0].status === 503 && seen[0].n8nStatus === undefined && seen.some(accepted),
					// n8n took it, X got 502 and called again, and n8n took it again.
					after: () => seen.some((c) => c.fault === 'after' && c.status === 502 && accepted(c)) && seen.filter(accepted).length >= 2,
				}[fault]();
				if (happened) faultCount[fault] = (faultCount[fault] ?? 0) + 1;
				else offPlan.push(`${key} (${fault}): X ${JSON.stringify(made.map((d) => [d.attempt, d.status ?? d.error ?? d.fault]))}, gateway ${JSON.stringify(seen.map((c) => [c.status, c.n8nStatus]))}`);
			}
		}
		const plannedFaults = W_FAULTS.reduce((m, [kind, , at]) => ({ ...m, [kind]: (m[kind] ?? 0) + at.length }), {});

		// A part reached n8n when n8n took a call carrying it; the others only reconciliation can bring.
		const reachedN8n = new Set(gatewayCalls.filter(accepted).flatMap((c) => c.carries));
		const unreached = ids.filter((id) => !reachedN8n.has(id));
		const plannedLost = [];
		for (let i = 0; i < W_ANSWERS; i++) for (const part of ['score', 'comment']) if (wLost(i, part)) plannedLost.push(partKey(i, part));
		const recovered = new Set(arrivals.filter((r) => r.recovered === true).map((r) => r.eventId));
		const markedWrong = arrivals.filter((r) => (reachedN8n.has(r.eventId) ? r.recovered !== false : r.recovered !== true));
		// n8n's own answers (besides the gateway's faults) and calls X gave up waiting for.
		const n8nAnswers = gatewayCalls.filter((c) => c.fault !== 'before').reduce((m, c) => ({ ...m, [c.n8nStatus ?? c.error]: (m[c.n8nStatus ?? c.error] ?? 0) + 1 }), {});
		const xTimeouts = deliveries.filter((d) => d.error).length;

		// Latency: from the emulator recording the answer to the first execution that brought the part, and to the sink.
		const answeredAt = (id) => callsOf(id)[0]?.eventAtMs ?? NaN;
		const executions = executionsWithData(created.id);
		const webhookRuns = executions.filter((e) => e.mode === 'webhook' && e.data);
		const firstRun = (id) => webhookRuns.filter((e) => e.data.includes(`"${id}"`)).sort((a, b) => Number(a.startedAt) - Number(b.startedAt))[0];
		const firstArrival = (id) => Math.min(...arrivals.filter((r) => r.eventId === id).map((r) => r.atMs));
		// Parts whose own call was not held back on purpose (dropped, delayed, answered 5xx by the gateway).
		const promptParts = ids.filter((id) => {
			const i = feedbackIds.indexOf(id.split(':')[0]);
			return !['drop', 'delay', 'before', 'after'].includes(wFaultOf(i, id.split(':')[1]));
		});
		const latency = {
			// Main took the call and queued the execution; a worker started it; the item reached the sink.
			toExecutionCreated: spread(promptParts.map((id) => Number(firstRun(id)?.createdAt ?? NaN) - answeredAt(id))),
			toExecutionStart: spread(promptParts.map((id) => Number(firstRun(id)?.startedAt ?? NaN) - answeredAt(id))),
			toSink: spread(promptParts.map((id) => firstArrival(id) - answeredAt(id))),
			recoveredToSink: spread([...recovered].map((id) => firstArrival(id) - answeredAt(id))),
			webhookExecutionRun: spread(webhookRuns.map((e) => Number(e.stoppedAt) - Number(e.startedAt))),
		};
		const runs = { webhook: executions.filter((e) => e.mode === 'webhook').length, trigger: executions.filter((e) => e.mode === 'trigger').length, failed: executions.filter((e) => e.status === 'error').length };

		const badOk = Object.values(bad).every((b) => b.status === b.expected);
		const measures = {
			...t,
			parts: ids.length,
			faults: faultCount,
			lostToDrops: plannedLost.length,
			neverReachedN8n: unreached.length,
			recovered: recovered.size,
			n8nAnswers,
			xTimeouts,
			pgPoolSize: env.QUEUE_PG_POOL_SIZE ? Number(env.QUEUE_PG_POOL_SIZE) : "n8n's default (2)",
			// The machine's load average (1, 5, 15 min) at the burst: n8n's answers and the latency depend on it.
			loadAverage: loadAtBurst,
			badRequests: Object.fromEntries(Object.entries(bad).map(([k, v]) => [k, v.status])),
			executions: runs,
			latency,
		};
		log(`(w) ${JSON.stringify({ ...measures, offPlan: offPlan.slice(0, 5), markedWrong: markedWrong.slice(0, 5) })}`);
		const lat = latency.toExecutionStart;
		const n8nRefused = gatewayCalls.filter((c) => c.n8nStatus !== undefined && c.n8nStatus !== 200).length;
		record('w', `X's webhook, ${W_ANSWERS} answers at once (score and comment): calls dropped, sent twice, delayed, answered 5xx; bad requests`, measures, [
			['every part at the sink (delivered === expected)', t.delivered === t.expected],
			['no part twice and nothing else at the sink (duplicates === 0)', t.duplicates === 0 && strays.length === 0],
			[`the planned faults happened: ${Object.entries(plannedFaults).map(([k, n]) => `${n} ${k}`).join(', ')}`, offPlan.length === 0],
			[`the ${plannedLost.length} parts whose calls were dropped reached n8n by no call`, plannedLost.every((id) => !reachedN8n.has(id))],
			['every part that reached n8n by no call came through reconciliation marked recovered, every other part from the webhook not marked', markedWrong.length === 0 && recovered.size === unreached.length],
			['bad requests answered: no auth 401, wrong auth 401, bad JSON 422 (n8n) or 400 (sent as text), wrong shape 400, oversized 413', badOk],
			['bad requests emitted nothing (no execution, nothing at the sink)', badExecutions === 0 && badArrivals === 0],
			['the same body with the right credentials: 200 and its item at the sink', probeStatus === 200 && probeArrived],
			['no failed execution', runs.failed === 0],
			['settled before the time limit', !t.timedOut],
		], `${faultCount.drop ?? 0} calls dropped, ${faultCount.duplicate ?? 0} sent twice at once, ${faultCount.delay ?? 0} delayed ${W_DELAY_MS / 1000} s, ${(faultCount.before ?? 0) + (faultCount.after ?? 0)} answered 5xx by the gateway and retried (${faultCount.after ?? 0} after n8n ran them); n8n itself refused ${n8nRefused} calls (${JSON.stringify(n8nAnswers)}), X timed out on ${xTimeouts}; ${unreached.length} parts reached n8n by no call, ${recovered.size} recovered; ${runs.webhook} webhook and ${runs.trigger} reconciliation executions; answer to execution start median ${lat.medianS} s, p95 ${lat.p95S} s (${lat.n} parts), to the sink median ${latency.toSink.medianS} s, p95 ${latency.toSink.p95S} s (load average ${loadAtBurst[0]} at the burst)${offPlan.length ? `; off plan: ${offPlan.slice(0, 3).join('; ')}` : ''}${strays.length ? `; ${strays.length} stray item(s) at the sink` : ''}`);
	} finally {
		await control('DELETE', 'webhook', {}).catch((e) => log(`could not unregister the webhook: ${e.message}`));
		await rest.call('POST', `/rest/workflows/${created.id}/deactivate`).catch((e) => log(`could not deactivate (w)'s workflow: ${e.message}`));
		for (const id of paused) {
			await rest
				.getWorkflow(id)
				.then((wf) => rest.call('POST', `/rest/workflows/${id}/activate`, { versionId: wf.versionId }))
				.catch((e) => log(`could not activate workflow ${id} again: ${e.message}`));
		}
	}
}

// ---------------------------------------------------------------------------------------------

function table(rows) {
	const lines = ['| scenario | expected | delivered | duplicates | flagged re-deliveries | unflagged duplicates | expectations | met |', '|---|---|---|---|---|---|---|---|'];
	for (const r of rows) {
		if (r.key === 'g') continue;
		const cell = (v) => (v === undefined ? 'n/a' : v);
		lines.push(`| (${r.key}) ${r.scenario}${r.note ? ` (${r.note})` : ''} | ${cell(r.expected)} | ${cell(r.delivered)} | ${cell(r.duplicates)} | ${cell(r.flagged)} | ${cell(r.unflagged)} | ${r.expectations.join('; ')} | ${r.passed ? 'yes' : `**no**: ${r.failed.join('; ')}`} |`);
	}
	return lines.join('\n');
}

/** (w)'s figures in words: what X's webhook took in queue mode, and how long an answer took to reach the workflow. */
function webhookParagraph(w) {
	if (!w.latency) return `(w) X's webhook in queue mode: **the scenario did not run to its end: ${w.failed.join('; ')}**`;
	const l = w.latency;
	const fig = (x) => (x.n ? `median **${x.medianS} s**, p95 **${x.p95S} s** (max ${x.maxS} s, ${x.n} parts)` : 'n/a');
	return [
		`(w) X's webhook in queue mode: the real-time example (Webhook Trigger and the polling trigger with Recover Webhook Misses, both into Skip Seen Parts) with the sink in place of Slack, active; the emulator calls its production URL (Basic auth) through a gateway as X calls a registered URL. ${W_ANSWERS} customers score, then comment, within a second (${w.parts} parts).`,
		`Faults that happened: ${JSON.stringify(w.faults)} (drop: never sent; duplicate: sent twice at once; delay: ${W_DELAY_MS / 1000} s late; before: the gateway answered 503 without forwarding; after: n8n ran it, the gateway answered 502; X tried again after 1, 2, 4 s).`,
		`n8n's answers to the calls forwarded: ${JSON.stringify(w.n8nAnswers)} (PostgreSQL connections per n8n process: ${w.pgPoolSize}; load average at the burst ${w.loadAverage?.join(' ')} on ${cpus().length} cores); X gave up waiting on ${w.xTimeouts}. Parts at the sink: ${w.delivered} of ${w.expected}, duplicates ${w.duplicates}; ${w.neverReachedN8n} parts reached n8n by no call and ${w.recovered} came through reconciliation marked recovered (Minimum Event Age ${W_MIN_AGE_HOURS} h here, 24 h at X). Bad requests: ${JSON.stringify(w.badRequests)}. Executions: ${JSON.stringify(w.executions)}.`,
		`From the emulator recording an answer (parts whose call was not held back on purpose) to the execution created by main: ${fig(l.toExecutionCreated)}; to its start on a worker: ${fig(l.toExecutionStart)}; to the sink (after Skip Seen Parts' 1 s): ${fig(l.toSink)}. Recovered parts to the sink: ${fig(l.recoveredToSink)}. A webhook execution ran ${fig(l.webhookExecutionRun).replace('parts', 'executions')}.`,
		w.passed ? 'Expectations met.' : `**Not met: ${w.failed.join('; ')}**`,
	].join(' ');
}

function writeBenchmarks(rows, g, meta) {
	const file = path.join(ROOT, 'BENCHMARKS.md');
	const start = '<!-- test:queue start -->';
	const end = '<!-- test:queue end -->';
	const gRow = rows.find((r) => r.key === 'g');
	const wRow = rows.find((r) => r.key === 'w');
	const section = [
		start,
		'## Queue mode (npm run test:queue)',
		'',
		`n8n ${meta.n8n} in queue mode: PostgreSQL 15 and Redis from Debian, one main and two workers (concurrency 5) sharing a user folder with the packed package, the emulator serving events at once, a workflow "trigger -> HTTP Request to a recording sink". Run of ${meta.date}, ${meta.minutes} minutes, recorded with \`npm run test:queue -- --record\`; ${meta.passed ? 'every expectation met' : `**expectations not met: ${meta.failedScenarios.join(', ')}**`}. Each scenario states its expectations and the run exits 1 when one falls short. There is no "before" column: the package before confirmed delivery cannot be measured in the same run, and a number from another day is not a measurement of this code.`,
		'',
		table(rows),
		'',
		'Delivered: distinct events that reached the sink. Duplicates: arrivals beyond the first of an event. Flagged re-deliveries: arrivals with `deliveryAttempt` 2 or more (a batch n8n lost, or one in flight when main restarted, sent again under a new de-duplication key; expected after a kill or restart). Unflagged duplicates: a second arrival with `deliveryAttempt` 1 (must be 0).',
		'',
		g
			? `(g) 50 Survey-after-close webhooks at once for 50 customers X would survey again (allowlisted: X's 24-hour rule does not refuse them, so only the node's memory can), then the same 50 again. First wave: ${JSON.stringify(g.firstWave)}. Claims kept in n8n's de-duplication store after the burst: ${g.claimsKept} of ${g.claimsMade}. Second wave: ${JSON.stringify(g.secondWave)}; create calls that reached X: ${g.createCallsSecondWave}. Customers surveyed twice: ${g.customersSurveyedTwice}. ${gRow?.passed ? 'Expectations met.' : `**Not met: ${gRow?.failed.join('; ')}**`}`
			: '',
		...(wRow ? ['', webhookParagraph(wRow)] : []),
		end,
	].join('\n');
	let text = readFileSync(file, 'utf8');
	text = text.includes(start) ? text.replace(new RegExp(`${start}[\\s\\S]*${end}`), section) : `${text.trimEnd()}\n\n${section}\n`;
	writeFileSync(file, text);
}

async function main() {
	cleanupOnExit();
	const t0 = Date.now();
	await assertPortsFree({ postgres: PORTS.postgres, redis: PORTS.redis, 'n8n main': PORTS.main, emulator: PORTS.emulator, sink: PORTS.sink, gateway: PORTS.gateway });
	step(`install and build (scenarios: ${ARGS.keys.join(', ')}${ARGS.record ? '; --record' : ''})`);
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
	gateway = await startGateway(PORTS.gateway, `http://127.0.0.1:${PORTS.main}`);

	step('n8n: main (runs the PostgreSQL migrations) and two workers');
	await startMain();
	await startWorker(0);
	await startWorker(1);
	rest = new N8nRest(`http://127.0.0.1:${PORTS.main}`);
	await rest.ensureOwner(OWNER);
	const { cred } = await createConnectedCredentialHeadless(rest, emulator, business, 'X (queue test)');
	// (g) and (w) bring their own workflows.
	const needsSinkWorkflows = ARGS.keys.some((k) => k !== 'g' && k !== 'w');
	// CSAT events: every delivery scenario but (d). NPS events: (d), one item every 3 seconds.
	for (const [name, feedbackType, batchInterval] of needsSinkWorkflows
		? [
				['Queue: trigger to sink', 'csat', 0],
				['Queue: trigger to sink, 1 item per 3 s', 'nps', 3000],
			]
		: []) {
		const created = await rest.createWorkflow(sinkWorkflow(name, cred.id, feedbackType, batchInterval));
		await rest.call('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
		workflowIds.push(created.id);
	}
	await sleep(6000);

	const scenarios = { a: scenarioA, h: scenarioH, c: scenarioC, d: scenarioD, b: scenarioB, e: scenarioE, f: scenarioF, j: scenarioJ, k: () => scenarioK(cred.id), overlap: scenarioOverlap, bare: scenarioBare, w: () => scenarioW(cred.id) };
	let g = null;
	for (const key of ARGS.keys) {
		try {
			if (key === 'g') g = await scenarioG();
			else await scenarios[key]();
		} catch (error) {
			recordError(key, error);
			// Leave n8n as the next scenario expects it: a main and two workers, a sink that answers at once.
			Object.assign(sink.mode, { delayMs: 50, failStatus: 0, delayFor: undefined, failFor: undefined });
			if (procs.bare && !procs.bare.exited) await stopProcess(procs.bare);
			if (!procs.main || procs.main.exited) await startMain().then(() => rest.login(OWNER)).catch((e) => log(`restart of main failed: ${e.message}`));
			for (const i of [0, 1]) if (!procs.workers[i] || procs.workers[i].exited) await startWorker(i).catch((e) => log(`restart of worker ${i + 1} failed: ${e.message}`));
		}
	}

	const failedScenarios = results.filter((r) => !r.passed).map((r) => r.key);
	const meta = { n8n: '2.41.1', date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', minutes: ((Date.now() - t0) / 60_000).toFixed(0), scenarios: ARGS.keys, passed: failedScenarios.length === 0, failedScenarios };
	step('results');
	console.log(table(results));
	if (g) console.log(`\n(g) ${JSON.stringify(g)}`);
	for (const r of results) console.log(`${r.passed ? 'PASS' : 'FAIL'} (${r.key})${r.passed ? '' : `: ${r.failed.join('; ')}`}`);
	const json = `${JSON.stringify({ ...meta, scenarios: results, concurrentSend: g }, null, 2)}\n`;
	writeFileSync(RUN_RESULTS, json);
	log(`wrote ${path.relative(ROOT, RUN_RESULTS)}`);
	if (ARGS.record) {
		writeFileSync(RECORD, json);
		writeBenchmarks(results, g, meta);
		log(`--record: wrote ${path.relative(ROOT, RECORD)} and the test:queue section of BENCHMARKS.md`);
	}
	if (failedScenarios.length) {
		console.error(`\ntest:queue: expectations not met in ${failedScenarios.join(', ')}`);
		process.exitCode = 1;
	}
}

main()
	.catch((error) => {
		console.error(error);
		process.exitCode = 1;
	})
	.finally(async () => {
		await sink?.close();
		await gateway?.close();
		await stopAll();
		await stopPostgres(procs.pg);
	});
