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
 * The emulator keeps its state (customers, the tokens "Connect" got, feedback) in the user folder
 * (emulator-state.json), so the credential stored in n8n keeps working across runs; --fresh empties
 * both. If the emulator stops (killed, crashed), it is started again with that state; n8n runs on.
 *
 * Options (environment): E2E_SKIP_BUILD=1 (use dist/ as it is), N8N_DEV_PORT (5678),
 * N8N_DEV_BROKER_PORT (5679), N8N_DEV_EMULATOR_PORT (8787), N8N_DEV_USER_FOLDER (.n8n-e2e/home-dev),
 * N8N_E2E_VERSION.
 * Flag: --fresh starts from an empty user folder (a new owner account).
 */
import { existsSync, rmSync } from 'node:fs';
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
	stopProcess,
	shuttingDown,
	tail,
} from './lib.mjs';

const PORT = Number(process.env.N8N_DEV_PORT || 5678);
const BROKER_PORT = Number(process.env.N8N_DEV_BROKER_PORT || 5679);
const EMULATOR_PORT = Number(process.env.N8N_DEV_EMULATOR_PORT || 8787);
const USER_FOLDER = process.env.N8N_DEV_USER_FOLDER ? path.resolve(process.env.N8N_DEV_USER_FOLDER) : path.join(E2E_DIR, 'home-dev');
const EMULATOR_STATE = path.join(USER_FOLDER, 'emulator-state.json');
const EMULATOR_LOG = path.join(LOG_DIR, 'emulator-dev.log');

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
	const keptState = existsSync(EMULATOR_STATE);
	let emulator = await startEmulator({ port: EMULATOR_PORT, logFile: EMULATOR_LOG, stateFile: EMULATOR_STATE });
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
  Logs: ${path.relative(ROOT, n8nLog)}, ${path.relative(ROOT, EMULATOR_LOG)}
  User folder (kept between runs; --fresh empties it): ${path.relative(ROOT, USER_FOLDER)}
  Emulator state (customers, connected tokens, feedback): ${path.relative(ROOT, EMULATOR_STATE)}${keptState ? ' (restored: a credential connected before still works)' : ' (new)'}
  Ctrl-C stops n8n and the emulator; if the emulator stops on its own, it is started again.

`);

	// Runs until Ctrl-C (cleanupOnExit stops both) or until n8n dies. The emulator is restarted
	// with its state file: n8n and its stored credential carry on.
	for (;;) {
		await sleep(1000);
		if (n8n.entry.exited) {
			log(`n8n exited (${n8n.entry.exitCode}); last lines of its log:\n${tail(n8nLog, 30)}`);
			await stopAll();
			process.exit(1);
		}
		if (emulator.entry.exited && !shuttingDown) {
			log(`the emulator exited (${emulator.entry.exitCode}); starting it again with ${path.relative(ROOT, EMULATOR_STATE)}`);
			await stopProcess(emulator.entry);
			try {
				emulator = await startEmulator({ port: EMULATOR_PORT, logFile: EMULATOR_LOG, stateFile: EMULATOR_STATE, append: true });
				log(`the emulator is back at ${emulator.baseUrl}`);
			} catch (err) {
				log(`could not start the emulator again (${err.message}); retrying in 5 s`);
				await sleep(5000);
			}
		}
	}
}

main().catch(async (err) => {
	process.stderr.write(`\n[n8n] failed: ${err?.stack ?? err}\n`);
	await stopAll();
	process.exit(1);
});
