/**
 * A small client for n8n's own REST API (/rest/..., the one the editor uses), with the auth cookie
 * and the browser-id header the editor sends. Written against n8n 2.41; every call is bounded.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

import { N8N_DIR, N8N_MAJOR } from './lib.mjs';

const BROWSER_ID = 'n8n-e2e-headless-client';

export class N8nRest {
	constructor(baseUrl) {
		this.baseUrl = baseUrl.replace(/\/+$/, '');
		this.cookie = '';
	}

	async raw(method, urlPath, { body, form, headers = {}, redirect = 'follow', timeoutMs = 60_000 } = {}) {
		const url = urlPath.startsWith('http') ? urlPath : `${this.baseUrl}${urlPath}`;
		const init = {
			method,
			redirect,
			headers: { 'browser-id': BROWSER_ID, ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
			signal: AbortSignal.timeout(timeoutMs),
		};
		if (body !== undefined) {
			init.body = JSON.stringify(body);
			init.headers['content-type'] = 'application/json';
		} else if (form !== undefined) {
			init.body = new URLSearchParams(form).toString();
			init.headers['content-type'] = 'application/x-www-form-urlencoded';
		}
		const res = await fetch(url, init);
		const setCookie = res.headers.getSetCookie?.() ?? [];
		for (const c of setCookie) {
			const m = /^n8n-auth=([^;]*)/.exec(c);
			if (m) this.cookie = `n8n-auth=${m[1]}`;
		}
		return res;
	}

	/** A JSON call; answers n8n's `data`, throws with the status and body otherwise. */
	async call(method, urlPath, body, opts = {}) {
		const res = await this.raw(method, urlPath, { body, ...opts });
		const text = await res.text();
		let json;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = undefined;
		}
		if (!res.ok) {
			const err = new Error(`${method} ${urlPath} answered ${res.status}: ${text.slice(0, 600)}`);
			err.status = res.status;
			err.body = json ?? text;
			throw err;
		}
		return json && typeof json === 'object' && 'data' in json ? json.data : json;
	}

	async settings() {
		return this.call('GET', '/rest/settings');
	}

	async setupOwner(owner) {
		return this.call('POST', '/rest/owner/setup', owner);
	}

	async login(owner) {
		return this.call('POST', '/rest/login', { emailOrLdapLoginId: owner.email, password: owner.password });
	}

	/** Owner set up already (by the browser or an earlier run)? Log in; else set it up. */
	async ensureOwner(owner) {
		const s = await this.settings();
		if (s.userManagement?.showSetupOnFirstLoad) return { created: true, user: await this.setupOwner(owner) };
		return { created: false, user: await this.login(owner) };
	}

	nodeTypes() {
		return this.call('GET', '/types/nodes.json');
	}

	credentialTypes() {
		return this.call('GET', '/types/credentials.json');
	}

	/** Full descriptions, as the editor loads them when a node is opened. */
	nodeTypeDetails(nodeInfos) {
		return this.call('POST', '/rest/node-types', { nodeInfos });
	}

	listCredentials() {
		return this.call('GET', '/rest/credentials');
	}

	getCredential(id, includeData = true) {
		return this.call('GET', `/rest/credentials/${id}${includeData ? '?includeData=true' : ''}`);
	}

	createCredential({ name, type, data }) {
		return this.call('POST', '/rest/credentials', { name, type, data });
	}

	deleteCredential(id) {
		return this.call('DELETE', `/rest/credentials/${id}`);
	}

	/** What the credential modal's "Retry"/save runs: the type's `test` request, signed by n8n. */
	testCredential(credential) {
		return this.call('POST', '/rest/credentials/test', { credentials: credential });
	}

	oauth1AuthUrl(credentialId) {
		return this.call('GET', `/rest/oauth1-credential/auth?id=${encodeURIComponent(credentialId)}`);
	}

	createWorkflow(workflow) {
		return this.call('POST', '/rest/workflows', workflow);
	}

	listWorkflows() {
		return this.call('GET', '/rest/workflows');
	}

	getWorkflow(id) {
		return this.call('GET', `/rest/workflows/${id}`);
	}

	deleteWorkflow(id) {
		return this.call('DELETE', `/rest/workflows/${id}`);
	}

	/**
	 * The body of POST /rest/workflows/:id/run. n8n 1.x wants the workflow itself in it
	 * (`workflowData`, as its editor sends); 2.x reads the saved workflow.
	 */
	async runBody(workflowId, body) {
		if (N8N_MAJOR >= 2) return body;
		const { id, name, nodes, connections, settings, pinData, staticData } = await this.getWorkflow(workflowId);
		return { workflowData: { id, name, nodes, connections, settings, pinData: pinData ?? {}, staticData }, ...body };
	}

	/** A manual run from a trigger, as the editor's "Execute workflow" does; answers {executionId}. */
	async runFromTrigger(workflowId, triggerName) {
		return this.call('POST', `/rest/workflows/${workflowId}/run`, await this.runBody(workflowId, { triggerToStartFrom: { name: triggerName } }));
	}

	/** Executions of one workflow, newest first (ids only and status). */
	async listExecutions(workflowId) {
		const data = await this.call('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=50`);
		return (data?.results ?? data ?? []).map((e) => ({ id: String(e.id), status: e.status }));
	}

	/** A manual run up to (and including) `destination`, as "Execute step" on that node does. */
	async runUpTo(workflowId, triggerName, destination) {
		const body = { triggerToStartFrom: { name: triggerName }, destinationNode: { nodeName: destination, mode: 'inclusive' } };
		return this.call('POST', `/rest/workflows/${workflowId}/run`, await this.runBody(workflowId, body));
	}

	getExecution(id) {
		return this.call('GET', `/rest/executions/${id}`);
	}

	/** Waits until an execution has finished; answers it with `data` parsed (n8n stores it with flatted). */
	async waitForExecution(id, { timeoutMs = 120_000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		let last;
		while (Date.now() < deadline) {
			last = await this.getExecution(id);
			if (last && !['new', 'running', 'waiting', 'unknown'].includes(last.status) && (last.finished || last.stoppedAt)) break;
			await new Promise((r) => setTimeout(r, 500));
		}
		if (!last || ['new', 'running', 'unknown'].includes(last.status)) {
			throw new Error(`execution ${id} did not finish within ${timeoutMs / 1000}s (status ${last?.status})`);
		}
		// n8n 1.x can mark an execution finished a moment before its data is saved: read it again.
		for (let i = 0; i < 20 && Object.keys(parseFlatted(last.data)?.resultData?.runData ?? {}).length === 0; i++) {
			await new Promise((r) => setTimeout(r, 500));
			last = await this.getExecution(id);
		}
		return { ...last, data: parseFlatted(last.data) };
	}
}

let flatted;
/** n8n stores execution data with flatted; use n8n's own copy to read it. */
export function parseFlatted(text) {
	if (typeof text !== 'string') return text;
	if (!flatted) {
		const require = createRequire(path.join(N8N_DIR, 'node_modules', 'n8n', 'package.json'));
		flatted = require('flatted');
	}
	return flatted.parse(text);
}

/** Per node: {items, error} of the last run of each node, from an execution's parsed data. */
export function summarizeRun(executionData) {
	const runData = executionData?.resultData?.runData ?? {};
	const out = {};
	for (const [node, runs] of Object.entries(runData)) {
		const lastRun = runs[runs.length - 1] ?? {};
		const items = (lastRun.data?.main ?? []).flat().filter(Boolean);
		out[node] = {
			items: items.length,
			// Per output (an IF's true and false branches): the items' JSON, to check which way each went.
			outputs: (lastRun.data?.main ?? []).map((branch) => (branch ?? []).map((i) => i?.json)),
			firstItem: items[0]?.json,
			error: lastRun.error ? `${lastRun.error.message}${lastRun.error.description ? ` (${lastRun.error.description})` : ''}` : undefined,
			status: lastRun.executionStatus,
		};
	}
	return {
		nodes: out,
		error: executionData?.resultData?.error
			? `${executionData.resultData.error.message}${executionData.resultData.error.description ? ` (${executionData.resultData.error.description})` : ''}`
			: undefined,
		lastNodeExecuted: executionData?.resultData?.lastNodeExecuted,
	};
}
