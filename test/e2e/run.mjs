#!/usr/bin/env node
/**
 * npm run test:e2e — this package in a real n8n, headless, against the local X API emulator.
 *
 *  1. installs the pinned n8n (first run only; later runs reuse .n8n-e2e/),
 *  2. builds and packs this package and installs the tarball the way n8n installs a community
 *     package, into a fresh user folder (.n8n-e2e/home-test),
 *  3. starts the emulator and n8n on loopback,
 *  4. in headless Chromium: sets up the owner account,
 *  5. through n8n's REST API: the node and credential types are loaded (icons served), a credential
 *     connects through n8n's OAuth 1.0a flow, every examples/*.json (and test/e2e/fixtures/*.json)
 *     imports, and each one that starts from a Manual Trigger (or a Schedule Trigger or our poll
 *     trigger) runs to `success`,
 *  6. in headless Chromium: creates the credential in the UI, "Connect my account", approves on
 *     the emulator's page (popup), sees it connected, opens the node panels and a workflow,
 *     executes it and sees the output; screenshots go to test/e2e/screenshots/n8n-<version>/.
 *
 * The n8n version: `npm run test:e2e -- 1.123.81` (or N8N_E2E_VERSION); default 2.41.1.
 * Flags: --record (or E2E_RECORD=1) adds the run's row to test/e2e/results.md;
 * --update-docs-images (or E2E_UPDATE_DOCS_IMAGES=1) writes the screenshots to docs/images/
 * instead of the git-ignored test/e2e/screenshots/n8n-<version>/.
 * Options (environment): E2E_SKIP_BUILD=1 (use dist/ as is), E2E_BROWSER=0 (REST checks only),
 * E2E_KEEP=1 (leave n8n and the emulator running at the end, until Ctrl-C),
 * E2E_N8N_PORT (5690), E2E_EMULATOR_PORT (8790), E2E_BROKER_PORT (5691).
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

import { Checks, assert } from './checks.mjs';
import {
	E2E_DIR,
	LOG_DIR,
	N8N_VERSION,
	NODE_VERSION,
	ROOT,
	RUNTIME_LABEL,
	assertPortsFree,
	buildPackage,
	cleanupOnExit,
	elapsedSec,
	ensureN8n,
	exampleFiles,
	installIntoUserFolder,
	log,
	packPackage,
	startEmulator,
	startN8n,
	step,
	stopAll,
	tail,
	timed,
	timings,
} from './lib.mjs';
import {
	ACTION_TYPE,
	MANUAL_TRIGGER,
	TRIGGER_TYPE,
	WEBHOOK,
	planRun,
	runWebhookSample,
	webhookSamples,
	bindCredentials,
	checkCredentialType,
	checkNodeType,
	createConnectedCredentialHeadless,
	describeRun,
	fetchTypes,
	importBody,
	loadWorkflowFiles,
	logFirstItems,
	runWorkflowFrom,
	startNodesOf,
	validateWorkflow,
} from './headless.mjs';
import { N8nRest, summarizeRun } from './n8nRest.mjs';
import { randomBytes, randomUUID } from 'node:crypto';
import { RESULTS_FILE, recordRow, resultsRow } from './results.mjs';

const N8N_PORT = Number(process.env.E2E_N8N_PORT || 5690);
const BROKER_PORT = Number(process.env.E2E_BROKER_PORT || 5691);
const EMULATOR_PORT = Number(process.env.E2E_EMULATOR_PORT || 8790);
const BROWSER = process.env.E2E_BROWSER !== '0';
/** Add this run's row to test/e2e/results.md. */
const RECORD = process.env.E2E_RECORD === '1' || process.argv.includes('--record');
const USER_FOLDER = path.join(E2E_DIR, 'home-test');
/** n8n-workflow's CREDENTIAL_BLANKING_VALUE: "keep the stored value" in a credential sent back to n8n. */
const CREDENTIAL_BLANKING_VALUE = '__n8n_BLANK_VALUE_e5362baf-c777-4d57-a609-6eaf1f9e87f6';
const FIXTURES = path.join(ROOT, 'test', 'e2e', 'fixtures');

export const OWNER = {
	email: 'owner@example.com',
	firstName: 'Ada',
	lastName: 'Owner',
	password: 'E2e-password-1',
};

async function main() {
	cleanupOnExit();
	const checks = new Checks();
	let browser;

	step(`Install: ${RUNTIME_LABEL} (reused when present)`);
	await timed(`install (${RUNTIME_LABEL})`, () => ensureN8n());

	step('Build and pack this package; install the tarball as a community package');
	await buildPackage();
	const { tarball, files } = await timed('pack and install the package', async () => {
		const packed = await packPackage();
		rmSync(USER_FOLDER, { recursive: true, force: true });
		await installIntoUserFolder(USER_FOLDER, packed.tarball);
		return packed;
	});
	await checks.check('the packed tarball holds the files package.json lists', async () => {
		assert(!files.some((f) => f.startsWith('emulator/') || f.startsWith('test/')), 'the tarball ships test or emulator files');
		return `${files.length} files in ${path.basename(tarball)}`;
	});

	step('Start the emulator and n8n (loopback only)');
	await assertPortsFree({ n8n: N8N_PORT, 'n8n task broker': BROKER_PORT, emulator: EMULATOR_PORT });
	const emulator = await timed('start the emulator', () => startEmulator({ port: EMULATOR_PORT, logFile: path.join(LOG_DIR, 'emulator-test.log') }));
	const n8nLog = path.join(LOG_DIR, 'n8n-test.log');
	const n8n = await timed('start n8n (first start: migrations)', () =>
		startN8n({ userFolder: USER_FOLDER, port: N8N_PORT, brokerPort: BROKER_PORT, logFile: n8nLog }),
	);
	log(`n8n ${N8N_VERSION} is up at ${n8n.baseUrl}; emulator at ${emulator.baseUrl}`);
	const emulatorCreds = await (await fetch(`${emulator.baseUrl}/_emulator/credentials`)).json();

	const rest = new N8nRest(n8n.baseUrl);

	if (BROWSER) {
		step('Browser: owner account');
		const { Browser } = await import('./browser.mjs');
		browser = new Browser({ baseUrl: n8n.baseUrl, emulator, emulatorCreds, owner: OWNER, checks, rest });
		const launched = await timed('browser: launch', () =>
			checks.check('browser: launch headless Chromium', async () => {
				await browser.launch();
				return `${browser.browser.version()}`;
			}),
		);
		if (launched) await timed('browser: owner setup', () => checks.check('browser: set up the owner account', () => browser.setupOwner()));
		else browser = undefined;
	}

	step('REST: the package is loaded');
	await checks.check('owner account can log in over REST', async () => {
		const { created } = await rest.ensureOwner(OWNER);
		return created ? 'owner set up over REST (no browser)' : `logged in as ${OWNER.email}`;
	});
	const { nodeTypes, credentialTypes } = await fetchTypes(rest);
	await checks.check(`node type ${ACTION_TYPE} is loaded`, () => checkNodeType(rest, n8n.baseUrl, nodeTypes, ACTION_TYPE, { trigger: false }));
	await checks.check(`node type ${TRIGGER_TYPE} is loaded`, () => checkNodeType(rest, n8n.baseUrl, nodeTypes, TRIGGER_TYPE, { trigger: true }));
	await checks.check('credential type xCustomerFeedbackOAuth1Api is loaded', async () => {
		const { detail } = checkCredentialType(credentialTypes);
		return detail;
	});
	await checks.check('n8n logged no error loading the package', async () => {
		const text = tail(n8nLog, 100000);
		const bad = text
			.split('\n')
			.filter((l) => /x-customer-feedback|xCustomerFeedback/i.test(l) && /error|fail|warn|skip/i.test(l));
		assert(bad.length === 0, bad.slice(0, 5).join('\n'));
		return 'no error, warning or skip mentioning the package';
	});

	step('REST: the credential connects through n8n\'s OAuth 1.0a flow (no browser)');
	let cred;
	await checks.check('credential connects: n8n request_token -> emulator authorize -> n8n callback -> access_token', async () => {
		const r = await createConnectedCredentialHeadless(rest, emulator, emulatorCreds, 'X (Twitter) Customer Feedback account');
		cred = r.cred;
		return `credential ${cred.id}; n8n sent the user to ${r.authUrl.replace(/oauth_token=.*/, 'oauth_token=…')}`;
	});
	if (cred) {
		// The editor does not run this for OAuth credential types, but n8n's credential-test API
		// (POST /rest/credentials/test) does: it is the credential type's own `test` request.
		await checks.check("the credential type's `test` request (verify_credentials, signed by n8n) succeeds", async () => {
			const stored = await rest.getCredential(cred.id, true);
			// GET answers oauthTokenData as `true`; the blanking value makes n8n test with the stored token.
			const data = { ...stored.data, oauthTokenData: CREDENTIAL_BLANKING_VALUE };
			const result = await rest.testCredential({ id: cred.id, name: stored.name, type: stored.type, data });
			assert(result?.status === 'OK', `n8n says ${JSON.stringify(result)}`);
			return result.message;
		});
	}

	step('REST: workflows import and run');
	const examples = exampleFiles();
	if (examples.length === 0) log('examples/ holds no *.json yet: only the test fixtures are imported and run');
	const fixtures = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(FIXTURES, f)) : [];
	const imported = [];
	for (const entry of loadWorkflowFiles([...examples, ...fixtures])) {
		const label = entry.file;
		let created;
		const ok = await checks.check(`import ${label}`, async () => {
			assert(!entry.error, entry.error);
			const problems = validateWorkflow(entry.workflow, nodeTypes);
			assert(problems.length === 0, problems.join('; '));
			assert(cred, 'no connected credential to bind');
			const { workflow, otherCredentialTypes } = bindCredentials(entry.workflow, cred);
			created = await rest.createWorkflow(importBody(workflow));
			const back = await rest.getWorkflow(created.id);
			assert(back.nodes.length === workflow.nodes.length, `n8n kept ${back.nodes.length} of ${workflow.nodes.length} nodes`);
			imported.push({ label, id: created.id, name: created.name, workflow, otherCredentialTypes, isExample: !label.startsWith('test/') });
			return `workflow ${created.id} "${created.name}", ${workflow.nodes.length} nodes`;
		});
		if (!ok) continue;
		const item = imported[imported.length - 1];
		item.runs = [];
		const starts = startNodesOf(item.workflow);
		if (starts.length === 0) {
			checks.skip(`run ${label}`, 'no Manual, Schedule, Webhook or X feedback trigger to start from (imported only)');
			continue;
		}
		for (const start of starts) {
			const plan = planRun(item.workflow, start);
			if (start.type === WEBHOOK) {
				const samples = webhookSamples(item.workflow);
				if (plan.destination) {
					checks.skip(`run ${label} from "${start.name}"`, `a webhook run would reach nodes that need ${plan.needs.join(', ')}`);
					continue;
				}
				if (samples.length === 0) {
					checks.skip(`run ${label} from "${start.name}"`, 'no sample payload (a ```json block in a sticky note) to send to the webhook');
					continue;
				}
				for (const [i, sample] of samples.entries()) {
					await checks.check(`run ${label}: POST ${JSON.stringify(sample)} to the "${start.name}" test webhook`, runTags(item, start), async () => {
						const r = await runWebhookSample(rest, item.id, start, sample);
						item.runs.push({ ...r, start: start.name, destination: null });
						logFirstItems(r);
						assert(r.status === 'success', describeRun(r));
						let answer;
						try {
							answer = JSON.parse(r.answer);
						} catch {
							answer = undefined;
						}
						assert(!(answer && answer.status === 'failed'), `the workflow answered ${r.answer}`);
						return `answered ${r.answer}; ${describeRun(r)}`;
					});
				}
				continue;
			}
			const title = plan.destination
				? `run ${label} from "${start.name}" up to "${plan.destination}" (not run here: nodes that need ${plan.needs.join(', ')})`
				: `run ${label} from "${start.name}" to success`;
			await checks.check(title, runTags(item, start), async () => {
				const r = await runWorkflowFrom(rest, item.id, start, { destination: plan.destination });
				item.runs.push({ ...r, start: start.name, destination: plan.destination });
				logFirstItems(r);
				assert(r.status === 'success', describeRun(r));
				if (plan.destination) assert(r.summary.nodes[plan.destination], `"${plan.destination}" did not run: ${describeRun(r)}`);
				const branches = detractorBranches(item.workflow, r);
				return branches ? `${describeRun(r)}; ${branches}` : describeRun(r);
			});
		}
	}

	const realtime = imported.find((w) => w.label.endsWith('real-time-detractor-alert.json'));
	if (realtime && cred) {
		step('REST: the real-time detractor alert loop, in seconds');
		await checks.check(
			'run examples/real-time-detractor-alert.json with waits in seconds and a No Operation node for Slack: survey, wait, Get, the detractor reaches the alert',
			['send'],
			() => runRealtimeLoop(rest, emulator, cred, realtime.workflow),
		);
	}

	const viaWebhook = imported.find((w) => w.label.endsWith('real-time-detractor-alert-webhook.json'));
	if (viaWebhook && cred) {
		step("REST: X's webhook calls the active workflow's production URL");
		await checks.check(
			'examples/real-time-detractor-alert-webhook.json, active, with a No Operation node for Slack: the emulator calls its production URL with Basic auth when a customer scores; wrong auth is refused; the detractor reaches the alert once',
			[],
			() => runWebhookDelivery(rest, emulator, n8n.baseUrl, cred, viaWebhook.workflow),
		);
	}

	if (BROWSER && browser) {
		step('Browser: credential, "Connect my account", node panels, a workflow run');
		await timed('browser: UI flow', () => browser.uiFlow({ target: pickBrowserTarget(imported), imported }));
		await browser.close();
	}

	step('Result');
	const s = checks.summary();
	for (const line of s.lines) process.stdout.write(`${line}\n`);
	process.stdout.write('\nTimings:\n');
	for (const t of timings) process.stdout.write(`  ${t.seconds.toFixed(1).padStart(7)}s  ${t.name}\n`);
	process.stdout.write(`  ${elapsedSec().toFixed(1).padStart(7)}s  total\n\n`);
	const row = resultsRow({ n8nVersion: N8N_VERSION, nodeVersion: NODE_VERSION, results: checks.results, seconds: elapsedSec() });
	process.stdout.write(`Results row:\n${row}\n\n`);
	if (RECORD) {
		recordRow(row);
		log(`recorded in ${path.relative(ROOT, RESULTS_FILE)}`);
	}

	if (process.env.E2E_KEEP === '1') {
		log(`E2E_KEEP=1: n8n stays at ${n8n.baseUrl} (owner ${OWNER.email} / ${OWNER.password}); Ctrl-C to stop`);
		await new Promise(() => {});
	}
	await stopAll();
	process.stdout.write(`e2e: ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}\n`);
	process.exitCode = s.failed ? 1 : 0;
}

/**
 * The real-time alert example as real n8n runs it, its waits in seconds (a real Wait under 65 s
 * stays in-process) and Slack replaced by a No Operation node of the same name. A demo customer
 * who was not surveyed yet answers CSAT 1 as soon as the card exists; the loop must reach the alert.
 */
async function runRealtimeLoop(rest, emulator, cred, example) {
	const wf = structuredClone(example);
	wf.name = `${wf.name} (e2e: seconds, no Slack)`;
	for (const n of wf.nodes) {
		if (n.name === 'Wait before checking') n.parameters = { amount: '={{ [3, 3, 3, 3][$runIndex] ?? 3 }}', unit: 'seconds' };
		if (n.name === 'Rate limited: wait 15 min') n.parameters = { amount: 2, unit: 'seconds' };
		if (n.type === 'n8n-nodes-base.slack') {
			n.type = 'n8n-nodes-base.noOp';
			n.typeVersion = 1;
			n.parameters = {};
			delete n.credentials;
			delete n.webhookId;
		}
	}
	const { workflow } = bindCredentials(wf, cred);
	const created = await rest.createWorkflow(importBody(workflow));
	const control = async (method, p, body) => {
		const res = await fetch(`${emulator.baseUrl}/_emulator/${p}`, {
			method,
			headers: { 'content-type': 'application/json' },
			body: body ? JSON.stringify(body) : undefined,
		});
		const json = await res.json();
		assert(res.ok, `${method} /_emulator/${p}: ${JSON.stringify(json)}`);
		return json;
	};
	const { customers } = await control('GET', 'customers');
	const asked = new Set(((await control('GET', 'feedback')).feedback ?? []).map((f) => f.to_user_id));
	const customer = customers.find((c) => c.canDm && !asked.has(c.id)) ?? (await control('POST', 'customers', { customers: [{ screenName: 'rt_e2e' }] })).customers[0];
	const answering = (async () => {
		const deadline = Date.now() + 60_000;
		while (Date.now() < deadline) {
			const [card] = (await control('GET', `feedback?to_user_id=${customer.id}`)).feedback ?? [];
			if (card) return control('POST', `feedback/${card.id}/respond`, { score: 1, text: 'Nobody answered for two days.' });
			await new Promise((r) => setTimeout(r, 300));
		}
		throw new Error('the survey card never reached the emulator');
	})();
	const start = workflow.nodes.find((n) => n.type === WEBHOOK);
	const r = await runWebhookSample(rest, created.id, start, { caseId: 'case-e2e-realtime', userId: customer.id });
	await answering;
	logFirstItems(r);
	assert(r.status === 'success', describeRun(r));
	const alert = r.summary.nodes['Alert supervisors on Slack'];
	assert(alert?.items === 1, `the alert did not run: ${describeRun(r)}`);
	assert(alert.firstItem?.detractor === true && alert.firstItem?.externalId === 'case-e2e-realtime', `the alert got ${JSON.stringify(alert.firstItem)}`);
	assert(alert.firstItem?.rateLimit?.limit === 180, `Get gave no rate-limit headroom: ${JSON.stringify(alert.firstItem?.rateLimit)}`);
	return `@${customer.screenName} scored 1; "Alert supervisors on Slack" got it with case-e2e-realtime; feedback/show headroom ${alert.firstItem.rateLimit.remaining}/180`;
}

/**
 * The detractor examples' IF: each item must take the branch its `detractor` field names (true:
 * NPS 0-6 or CSAT 1-2), not merely reach the IF. Undefined when the run has no such IF.
 */
function detractorBranches(workflow, r) {
	const gate = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.if' && /detractor/i.test(n.name) && r.summary.nodes[n.name]);
	if (!gate) return undefined;
	const [yes = [], no = []] = r.summary.nodes[gate.name].outputs ?? [];
	assert(yes.length + no.length > 0, `no item reached "${gate.name}"`);
	const wrong = [...yes.filter((j) => j?.detractor !== true), ...no.filter((j) => j?.detractor === true)];
	assert(wrong.length === 0, `"${gate.name}" sent ${wrong.length} item(s) down the wrong branch: ${JSON.stringify(wrong.slice(0, 2))}`);
	return `"${gate.name}": ${yes.length} detractor(s) to the alert, ${no.length} not`;
}

/**
 * Issue 18 in real n8n: the webhook example, activated, called by the emulator as X calls a
 * registered URL (production URL, Basic auth), when a customer scores. Slack is a No Operation node.
 */
async function runWebhookDelivery(rest, emulator, baseUrl, cred, example) {
	const control = async (method, p, body) => {
		const res = await fetch(`${emulator.baseUrl}/_emulator/${p}`, { method, headers: { 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
		const json = await res.json();
		assert(res.ok, `${method} /_emulator/${p}: ${JSON.stringify(json)}`);
		return json;
	};
	const password = randomBytes(18).toString('base64url');
	const basic = await rest.createCredential({ name: 'X webhook Basic Auth (e2e)', type: 'httpBasicAuth', data: { user: 'x-e2e', password } });
	const wf = structuredClone(example);
	wf.name = `${wf.name} (e2e: active, no Slack)`;
	const webhookId = randomUUID();
	for (const n of wf.nodes) {
		if (n.type === 'n8n-nodes-base.slack') {
			Object.assign(n, { type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} });
			delete n.credentials;
			delete n.webhookId;
		}
		if (n.credentials?.httpBasicAuth) {
			n.credentials.httpBasicAuth = { id: basic.id, name: basic.name };
			n.webhookId = webhookId;
		}
	}
	const { workflow } = bindCredentials(wf, cred);
	const created = await rest.createWorkflow(importBody(workflow));
	try {
		await rest.call('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
	} catch {
		await rest.call('PATCH', `/rest/workflows/${created.id}`, { active: true, versionId: created.versionId }); // n8n 1.x
	}
	const url = `${baseUrl}/webhook/${webhookId}/x-feedback`;
	// A call without the password, as anyone on the Internet could make it: refused, nothing runs.
	// n8n takes a moment to register an activated webhook (404 until then).
	let anonymous;
	for (let i = 0; i < 60; i++) {
		anonymous = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		if (anonymous.status !== 404) break;
		await new Promise((r) => setTimeout(r, 500));
	}
	const active = (await rest.getWorkflow(created.id))?.active;
	assert(anonymous.status === 401, `a call without Basic auth got ${anonymous.status}, not 401 (workflow active: ${active}; ${url.replace(baseUrl, '')}): ${(await anonymous.text()).slice(0, 200)}`);
	const before = new Set(((await rest.call('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: created.id }))}`))?.results ?? []).map((e) => e.id));
	await control('POST', 'webhook', { url, user: 'x-e2e', password });
	try {
		const open = ((await control('GET', 'feedback')).feedback ?? []).find((f) => f.type === 'csat' && !f.response?.score);
		assert(open, 'no unanswered CSAT card in the emulator to answer');
		const answeredAt = Date.now();
		await control('POST', `feedback/${open.id}/respond`, { score: 1 });
		const deadline = Date.now() + 60_000;
		let ran;
		while (!ran && Date.now() < deadline) {
			const list = (await rest.call('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: created.id }))}`))?.results ?? [];
			ran = list.find((e) => !before.has(e.id) && !['new', 'running', 'waiting'].includes(e.status));
			if (!ran) await new Promise((r) => setTimeout(r, 500));
		}
		assert(ran, 'the workflow did not run within 60 s of the customer scoring');
		const execution = await rest.waitForExecution(ran.id);
		const summary = summarizeRun(execution.data);
		const alert = summary.nodes['Alert supervisors on Slack'];
		assert(execution.status === 'success', `the execution ended ${execution.status}: ${summary.error ?? ''}`);
		assert(alert?.items === 1 && alert.firstItem?.feedbackId === open.id && alert.firstItem?.detractor === true, `the alert got ${JSON.stringify(alert)}`);
		const seconds = ((Date.parse(execution.startedAt) - answeredAt) / 1000).toFixed(2);
		return `card ${open.id} scored 1: "Alert supervisors on Slack" got it once, via ${url.replace(baseUrl, '')}; a call without Basic auth got 401; the workflow started ${seconds} s after the answer`;
	} finally {
		await control('DELETE', 'webhook');
	}
}

/** What a run shows for the results table: the trigger delivering, a feedback card being sent. */
function runTags(item, start) {
	const tags = [];
	if (start.type === TRIGGER_TYPE) tags.push('trigger');
	if (item.workflow.nodes.some((n) => n.type === ACTION_TYPE && n.parameters?.operation === 'send' && (n.parameters?.resource ?? 'feedback') === 'feedback')) {
		tags.push('send');
	}
	return tags;
}

/**
 * What the browser opens and runs: an example that runs whole from a Manual Trigger; else an
 * example whose X (Twitter) Customer Feedback node ran from a Manual or Schedule trigger ("Execute
 * step" on that node in the editor); else a test fixture with a Manual Trigger.
 */
function pickBrowserTarget(imported) {
	const ok = (w, pred) => w.runs?.some((r) => r.status === 'success' && pred(r));
	const startType = (w, r) => w.workflow.nodes.find((n) => n.name === r.start)?.type;
	for (const pool of [imported.filter((w) => w.isExample), imported.filter((w) => !w.isExample)]) {
		const full = pool.find((w) => ok(w, (r) => !r.destination && startType(w, r) === MANUAL_TRIGGER));
		if (full) return { item: full, mode: 'workflow' };
		for (const w of pool) {
			const run = w.runs?.find((r) => r.status === 'success' && startType(w, r) !== WEBHOOK && startType(w, r) !== TRIGGER_TYPE);
			const action = run && w.workflow.nodes.find((n) => n.type === ACTION_TYPE && run.summary.nodes[n.name] && !run.summary.nodes[n.name].error);
			if (action) return { item: w, mode: run.destination ? 'step' : 'workflow', node: action.name };
		}
	}
	return undefined;
}

main().catch(async (err) => {
	process.stderr.write(`\n[e2e] aborted: ${err?.stack ?? err}\n`);
	await stopAll();
	process.exit(1);
});
