#!/usr/bin/env node
/**
 * npm run n8n — try the package by hand in a real n8n.
 *
 * Installs the pinned n8n into .n8n-e2e/ the first time (later runs reuse it), builds and packs
 * this package and installs the tarball the way n8n installs a community package into a user
 * folder that persists between runs (.n8n-e2e/home-dev: your owner account, credentials and
 * workflows stay), starts the X API emulator and n8n on 127.0.0.1, prints the editor URL and
 * what to type into the credential, and runs until Ctrl-C, which stops both.
 *
 * Options (environment): E2E_SKIP_BUILD=1 (use dist/ as it is), N8N_DEV_PORT (5678),
 * N8N_DEV_BROKER_PORT (5679), N8N_DEV_EMULATOR_PORT (8787), N8N_E2E_VERSION.
 * Flag: --fresh starts from an empty user folder (a new owner account).
 */
import { rmSync } from 'node:fs';
import path from 'node:path';

import {
	E2E_DIR,
	LOG_DIR,
	N8N_VERSION,
	ROOT,
	RUNTIME_LABEL,
	assertPortsFree,
	buildPackage,
	cleanupOnExit,
	ensureN8n,
	exampleFiles,
	installIntoUserFolder,
	log,
	packPackage,
	sleep,
	startEmulator,
	startN8n,
	step,
	stopAll,
	tail,
} from './lib.mjs';

const PORT = Number(process.env.N8N_DEV_PORT || 5678);
const BROKER_PORT = Number(process.env.N8N_DEV_BROKER_PORT || 5679);
const EMULATOR_PORT = Number(process.env.N8N_DEV_EMULATOR_PORT || 8787);
const USER_FOLDER = path.join(E2E_DIR, 'home-dev');

async function main() {
	cleanupOnExit();
	step(`${RUNTIME_LABEL} (installed the first time, reused after)`);
	await ensureN8n();

	step('Build and pack this package; install it as a community package');
	await buildPackage();
	const { tarball } = await packPackage();
	if (process.argv.includes('--fresh')) {
		log(`--fresh: emptying ${path.relative(ROOT, USER_FOLDER)}`);
		rmSync(USER_FOLDER, { recursive: true, force: true });
	}
	await installIntoUserFolder(USER_FOLDER, tarball);

	step('Start the emulator and n8n');
	await assertPortsFree({ n8n: PORT, 'n8n task broker': BROKER_PORT, emulator: EMULATOR_PORT });
	const emulator = await startEmulator({ port: EMULATOR_PORT, logFile: path.join(LOG_DIR, 'emulator-dev.log') });
	const n8nLog = path.join(LOG_DIR, 'n8n-dev.log');
	const n8n = await startN8n({ userFolder: USER_FOLDER, port: PORT, brokerPort: BROKER_PORT, logFile: n8nLog });
	const creds = await (await fetch(`${emulator.baseUrl}/_emulator/credentials`)).json();
	const examples = exampleFiles().map((f) => path.relative(ROOT, f));

	process.stdout.write(`
  n8n ${N8N_VERSION} with ${path.basename(tarball)} is running.

  Editor:    ${n8n.baseUrl}/        (first time: set up the owner account there)
  Emulator:  ${emulator.baseUrl}    (X API, OAuth 1.0a pages, control API at /_emulator/)

  Create the credential "X (Twitter) Customer Feedback OAuth1 API" with
    Consumer Key:     ${creds.consumerKey}
    Consumer Secret:  ${creds.consumerSecret}
    API Base URL:     ${emulator.baseUrl}
  then "Connect" (the emulator's page asks you to "Authorize app").
${examples.length ? `\n  Example workflows to import (Workflow menu > Import from File):\n${examples.map((e) => `    ${e}`).join('\n')}\n` : ''}
  Logs: ${path.relative(ROOT, n8nLog)}, ${path.relative(ROOT, path.join(LOG_DIR, 'emulator-dev.log'))}
  User folder (kept between runs; --fresh empties it): ${path.relative(ROOT, USER_FOLDER)}
  Ctrl-C stops n8n and the emulator.

`);

	// Runs until Ctrl-C (cleanupOnExit stops both) or until one of them dies.
	for (;;) {
		await sleep(1000);
		for (const [name, proc, file] of [
			['n8n', n8n.entry, n8nLog],
			['emulator', emulator.entry, path.join(LOG_DIR, 'emulator-dev.log')],
		]) {
			if (proc.exited) {
				log(`${name} exited (${proc.exitCode}); last lines of its log:\n${tail(file, 30)}`);
				await stopAll();
				process.exit(1);
			}
		}
	}
}

main().catch(async (err) => {
	process.stderr.write(`\n[n8n] failed: ${err?.stack ?? err}\n`);
	await stopAll();
	process.exit(1);
});
