/**
 * The headless half of the end-to-end test, through n8n's REST API: the package's types are loaded,
 * the credential connects through n8n's own OAuth 1.0a flow, and every workflow imports and runs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { assert } from './checks.mjs';
import { log, PACKAGE_NAME, ROOT } from './lib.mjs';
import { summarizeRun } from './n8nRest.mjs';

export const ACTION_TYPE = `${PACKAGE_NAME}.xCustomerFeedback`;
export const TRIGGER_TYPE = `${PACKAGE_NAME}.xCustomerFeedbackTrigger`;
export const CREDENTIAL_TYPE = 'xCustomerFeedbackOAuth1Api';
export const CREDENTIAL_DISPLAY_NAME = 'X (Twitter) Customer Feedback OAuth1 API';

export const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';
export const WEBHOOK = 'n8n-nodes-base.webhook';
/** Start nodes the test runs a workflow from; any other trigger (form, chat, ...) is imported only. */
const RUNNABLE_STARTS = new Set([MANUAL_TRIGGER, 'n8n-nodes-base.scheduleTrigger', TRIGGER_TYPE, WEBHOOK]);

// ---------------------------------------------------------------------------------------------
// The package is loaded

export async function fetchTypes(rest) {
	const [nodeTypes, credentialTypes] = await Promise.all([rest.nodeTypes(), rest.credentialTypes()]);
	return { nodeTypes, credentialTypes };
}

function latestOfType(nodeTypes, name) {
	const all = nodeTypes.filter((t) => t.name === name);
	return all.sort((a, b) => Math.max(...[b.version].flat()) - Math.max(...[a.version].flat()))[0];
}

export async function checkNodeType(rest, baseUrl, nodeTypes, name, { trigger }) {
	const t = latestOfType(nodeTypes, name);
	assert(t, `${name} is not among n8n's ${nodeTypes.length} node types (GET /types/nodes.json); see the n8n log for load errors`);
	if (trigger) {
		// A trigger-type node (it schedules its own polls, to learn how each execution ends), not n8n's poller.
		assert(!t.polling, `${name} is a polling node (polling=${t.polling}); it must be a trigger-type node`);
		assert(t.properties?.some((p) => p.name === 'pollTimes'), `${name} has no Poll Times parameter`);
		assert(t.group?.includes('trigger'), `${name} group is ${JSON.stringify(t.group)}, not trigger`);
	}
	assert(
		t.credentials?.some((c) => c.name === CREDENTIAL_TYPE),
		`${name} does not use the ${CREDENTIAL_TYPE} credential: ${JSON.stringify(t.credentials)}`,
	);
	const [full] = await rest.nodeTypeDetails([{ name, version: Math.max(...[t.version].flat()) }]);
	assert(full?.properties?.length > 0, `POST /rest/node-types gave no properties for ${name}`);
	const icons = await checkIcons(baseUrl, t, name);
	const codex = t.codex?.categories ? `codex categories ${t.codex.categories.join('/')}` : 'no codex (no categories in the nodes panel)';
	return `"${t.displayName}" v${t.version}, ${full.properties.length} properties, ${icons}, ${codex}`;
}

/** Every icon the editor would load (light and dark) answers 200 with an image. */
export async function checkIcons(baseUrl, type, what) {
	const urls = typeof type.iconUrl === 'string' ? [type.iconUrl] : Object.values(type.iconUrl ?? {});
	assert(urls.length > 0, `${what} has no iconUrl (icon ${JSON.stringify(type.icon)})`);
	for (const u of urls) {
		const res = await fetch(`${baseUrl}/${u.replace(/^\//, '')}`, { signal: AbortSignal.timeout(10_000) });
		const ctype = res.headers.get('content-type') ?? '';
		assert(res.ok && /image\//.test(ctype), `${what} icon ${u} answered ${res.status} ${ctype}`);
	}
	return `${urls.length} icon${urls.length === 1 ? '' : 's'} served`;
}

export function checkCredentialType(credentialTypes) {
	const c = credentialTypes.find((t) => t.name === CREDENTIAL_TYPE);
	assert(c, `${CREDENTIAL_TYPE} is not among n8n's ${credentialTypes.length} credential types (GET /types/credentials.json)`);
	assert(c.displayName === CREDENTIAL_DISPLAY_NAME, `display name is "${c.displayName}"`);
	assert(c.extends?.includes('oAuth1Api'), `does not extend oAuth1Api: ${JSON.stringify(c.extends)}`);
	const names = c.properties.map((p) => p.name);
	for (const p of ['baseUrl', 'requestTokenUrl', 'authUrl', 'accessTokenUrl', 'signatureMethod']) {
		assert(names.includes(p), `has no property ${p}: ${names.join(', ')}`);
	}
	return { credType: c, detail: `"${c.displayName}" extends ${c.extends.join(',')}; properties ${names.join(', ')}` };
}

// ---------------------------------------------------------------------------------------------
// The credential, connected through n8n's OAuth 1.0a flow over plain HTTP

/**
 * Creates the credential and runs the dance the browser would: n8n's /rest/oauth1-credential/auth
 * (n8n calls the emulator's request_token with the expression-derived URL), the emulator's
 * authorize page and its "Authorize app" form, then n8n's callback (n8n calls access_token).
 */
export async function createConnectedCredentialHeadless(rest, emulator, emulatorCreds, name) {
	const cred = await rest.createCredential({
		name,
		type: CREDENTIAL_TYPE,
		data: { baseUrl: emulator.baseUrl, consumerKey: emulatorCreds.consumerKey, consumerSecret: emulatorCreds.consumerSecret },
	});
	const authUrl = await rest.oauth1AuthUrl(cred.id);
	assert(
		typeof authUrl === 'string' && authUrl.startsWith(`${emulator.baseUrl}/oauth/authorize?oauth_token=`),
		`n8n's OAuth1 auth URL is ${JSON.stringify(authUrl)}, expected ${emulator.baseUrl}/oauth/authorize?oauth_token=...`,
	);
	const page = await fetch(authUrl, { signal: AbortSignal.timeout(10_000) });
	const html = await page.text();
	assert(page.ok && html.includes('Authorize app'), `the emulator's authorize page answered ${page.status}: ${html.slice(0, 200)}`);
	const token = new URL(authUrl).searchParams.get('oauth_token');
	const approve = await fetch(`${emulator.baseUrl}/oauth/authorize`, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ oauth_token: token, allow: '1' }).toString(),
		signal: AbortSignal.timeout(10_000),
	});
	const callback = approve.headers.get('location');
	assert(approve.status === 302 && callback, `approving answered ${approve.status} without a redirect`);
	assert(callback.startsWith(`${rest.baseUrl}/rest/oauth1-credential/callback`), `the emulator redirected to ${callback}`);
	const cb = await rest.raw('GET', callback);
	const cbHtml = await cb.text();
	assert(cb.ok && cbHtml.includes('Connection successful'), `n8n's OAuth1 callback answered ${cb.status}: ${stripHtml(cbHtml).slice(0, 400)}`);
	const stored = await rest.getCredential(cred.id, true);
	const tokenData = stored?.data?.oauthTokenData;
	assert(tokenData, `the credential has no oauthTokenData after the callback: ${JSON.stringify(stored?.data)}`);
	return { cred, stored, authUrl, callback };
}

export function stripHtml(html) {
	return html
		.replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/g, ' ')
		.replace(/<[^>]+>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
}

// ---------------------------------------------------------------------------------------------
// Workflows: every example imports, and those with a runnable start run to success

export function loadWorkflowFiles(files) {
	const out = [];
	for (const file of files) {
		const rel = path.relative(ROOT, file);
		let parsed;
		try {
			parsed = JSON.parse(readFileSync(file, 'utf8'));
		} catch (err) {
			out.push({ file: rel, error: `not valid JSON: ${err.message}` });
			continue;
		}
		const list = Array.isArray(parsed) ? parsed : [parsed];
		list.forEach((wf, i) => out.push({ file: list.length > 1 ? `${rel}[${i}]` : rel, workflow: wf }));
	}
	return out;
}

/** Problems that would stop the editor from opening a workflow: unknown node types or versions, dangling connections. */
export function validateWorkflow(wf, nodeTypes) {
	const problems = [];
	if (!wf || typeof wf !== 'object') return ['not a workflow object'];
	if (!Array.isArray(wf.nodes) || wf.nodes.length === 0) problems.push('has no nodes');
	if (!wf.connections || typeof wf.connections !== 'object') problems.push('has no connections object');
	const versions = new Map();
	for (const t of nodeTypes) {
		const set = versions.get(t.name) ?? new Set();
		for (const v of [t.version].flat()) set.add(Number(v));
		versions.set(t.name, set);
	}
	const names = new Set();
	for (const n of wf.nodes ?? []) {
		if (names.has(n.name)) problems.push(`two nodes are named "${n.name}"`);
		names.add(n.name);
		const known = versions.get(n.type);
		if (!known) problems.push(`node "${n.name}": unknown type ${n.type}`);
		else if (!known.has(Number(n.typeVersion ?? 1))) problems.push(`node "${n.name}": ${n.type} has no version ${n.typeVersion} (n8n has ${[...known].join(', ')})`);
	}
	for (const [from, outputs] of Object.entries(wf.connections ?? {})) {
		if (!names.has(from)) problems.push(`connection from unknown node "${from}"`);
		for (const list of Object.values(outputs ?? {}))
			for (const branch of list ?? [])
				for (const c of branch ?? []) if (!names.has(c.node)) problems.push(`connection to unknown node "${c.node}"`);
	}
	return problems;
}

/** Points every node's X credential at `cred`; lists the credential types the workflow needs beyond ours. */
export function bindCredentials(wf, cred) {
	const copy = structuredClone(wf);
	const others = new Set();
	for (const n of copy.nodes ?? []) {
		for (const key of Object.keys(n.credentials ?? {})) {
			if (key === CREDENTIAL_TYPE) n.credentials[key] = { id: cred.id, name: cred.name };
			else others.add(key);
		}
		// A node of ours without a credential would fail: give it the connected one.
		if ((n.type === ACTION_TYPE || n.type === TRIGGER_TYPE) && !n.credentials?.[CREDENTIAL_TYPE]) {
			n.credentials = { ...(n.credentials ?? {}), [CREDENTIAL_TYPE]: { id: cred.id, name: cred.name } };
		}
	}
	return { workflow: copy, otherCredentialTypes: [...others] };
}

export function startNodesOf(wf) {
	return (wf.nodes ?? []).filter((n) => RUNNABLE_STARTS.has(n.type) && !n.disabled);
}

function childrenOf(wf, name) {
	const out = [];
	for (const branch of Object.values(wf.connections?.[name] ?? {})) for (const list of branch ?? []) for (const c of list ?? []) out.push(c.node);
	return out;
}

/** Nodes reachable from `start` (itself included) with their depth. */
function reachable(wf, start) {
	const depth = new Map([[start, 0]]);
	const queue = [start];
	while (queue.length) {
		const name = queue.shift();
		for (const child of childrenOf(wf, name)) {
			if (depth.has(child)) continue;
			depth.set(child, depth.get(name) + 1);
			queue.push(child);
		}
	}
	return depth;
}

/**
 * How to run a workflow from `start` here: all of it, or — when some node needs another
 * service's credential (Slack, Google Sheets, SMTP, ...) that this machine cannot reach — up to
 * the deepest node before any such node ("Execute step" on that node in the editor).
 */
export function planRun(wf, start) {
	const byName = new Map((wf.nodes ?? []).map((n) => [n.name, n]));
	const depth = reachable(wf, start.name);
	const foreign = [...depth.keys()].filter((name) => {
		const n = byName.get(name);
		return n && !n.disabled && Object.keys(n.credentials ?? {}).some((k) => k !== CREDENTIAL_TYPE);
	});
	if (foreign.length === 0) return { start, destination: null, skipped: [] };
	const blocked = new Set();
	for (const f of foreign) for (const name of reachable(wf, f).keys()) blocked.add(name);
	const candidates = [...depth.entries()].filter(([name]) => !blocked.has(name)).sort((a, b) => b[1] - a[1]);
	const destination = candidates[0]?.[0] ?? start.name;
	const needs = [...new Set(foreign.flatMap((name) => Object.keys(byName.get(name).credentials ?? {}).filter((k) => k !== CREDENTIAL_TYPE)))];
	return { start, destination, skipped: [...blocked], needs };
}

/**
 * Sample request bodies for a webhook start, taken from the workflow's own sticky notes: every
 * line of a ```json block that parses as a JSON object (the examples document their payloads so).
 */
export function webhookSamples(wf) {
	const samples = [];
	for (const n of wf.nodes ?? []) {
		if (n.type !== 'n8n-nodes-base.stickyNote') continue;
		const content = String(n.parameters?.content ?? '');
		for (const block of content.matchAll(/```json\s*\n([\s\S]*?)```/g)) {
			const whole = block[1].trim();
			const tryParse = (t) => {
				try {
					const v = JSON.parse(t);
					return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
				} catch {
					return undefined;
				}
			};
			const one = tryParse(whole);
			if (one) samples.push(one);
			else for (const line of whole.split('\n')) {
				const v = tryParse(line.trim());
				if (v) samples.push(v);
			}
		}
	}
	return samples;
}

/**
 * A webhook start, as the editor's "Listen for test event" and a caller: POST /run registers
 * the test webhook, then the sample is POSTed to /webhook-test/<path>; answers the HTTP answer
 * and the execution that the call started.
 */
export async function runWebhookSample(rest, workflowId, start, body, { timeoutMs = 120_000 } = {}) {
	const before = new Set((await rest.listExecutions(workflowId)).map((e) => e.id));
	const started = await rest.runFromTrigger(workflowId, start.name);
	assert(started?.waitingForWebhook, `n8n did not wait for the test webhook: ${JSON.stringify(started)}`);
	const method = String(start.parameters?.httpMethod ?? 'GET').toUpperCase();
	const url = `${rest.baseUrl}/webhook-test/${String(start.parameters?.path ?? '').replace(/^\//, '')}`;
	const res = await fetch(url, {
		method,
		headers: { 'content-type': 'application/json' },
		body: method === 'GET' ? undefined : JSON.stringify(body),
		signal: AbortSignal.timeout(timeoutMs),
	});
	const answer = await res.text();
	assert(res.ok, `${method} ${url} answered ${res.status}: ${answer.slice(0, 300)}`);
	let id;
	const deadline = Date.now() + 30_000;
	while (!id && Date.now() < deadline) {
		id = (await rest.listExecutions(workflowId)).find((e) => !before.has(e.id))?.id;
		if (!id) await new Promise((r) => setTimeout(r, 300));
	}
	assert(id, 'no execution appeared for the webhook call');
	const execution = await rest.waitForExecution(id, { timeoutMs });
	return { executionId: id, status: execution.status, summary: summarizeRun(execution.data), answer: answer.slice(0, 400) };
}

/** The body POST /rest/workflows accepts: what an export holds, less ids and sharing. */
export function importBody(wf) {
	const { id: _id, versionId: _v, shared: _s, tags: _t, meta, active: _a, createdAt: _c, updatedAt: _u, ...rest } = wf;
	return { ...rest, active: false, settings: wf.settings ?? { executionOrder: 'v1' }, ...(meta ? { meta } : {}) };
}

export async function runWorkflowFrom(rest, workflowId, start, { destination = null, timeoutMs = 120_000 } = {}) {
	const started = destination ? await rest.runUpTo(workflowId, start.name, destination) : await rest.runFromTrigger(workflowId, start.name);
	if (started?.waitingForWebhook) throw new Error(`n8n waits for a webhook call to start "${start.name}"`);
	assert(started?.executionId, `n8n did not start an execution: ${JSON.stringify(started)}`);
	const execution = await rest.waitForExecution(started.executionId, { timeoutMs });
	const summary = summarizeRun(execution.data);
	return { executionId: started.executionId, status: execution.status, summary };
}

export function describeRun(run) {
	const parts = Object.entries(run.summary.nodes).map(([node, s]) => `${node}: ${s.error ? `ERROR ${s.error}` : `${s.items} item${s.items === 1 ? '' : 's'}`}`);
	return `execution ${run.executionId} ${run.status}; ${parts.join('; ')}${run.summary.error ? `; error: ${run.summary.error}` : ''}`;
}

export function logFirstItems(run) {
	for (const [node, s] of Object.entries(run.summary.nodes)) {
		if (s.firstItem) log(`    ${node} first item: ${JSON.stringify(s.firstItem).slice(0, 300)}`);
	}
}
