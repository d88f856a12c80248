/**
 * The emulator's state file: customers, the access tokens it issued (so a credential connected in
 * n8n keeps working after a restart), feedback, its events and the DMs. `npm run n8n` passes one by
 * default (.n8n-e2e/emulator-dev-state.json); the CLI takes `--state-file <path>`. Written after
 * every request that may change something (debounced) and when the emulator stops.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

import type { AccountsDump } from './accounts';
import type { FeedbackDump } from './feedbackStore';
import type { EmulatorState } from './state';

const VERSION = 1;

interface StateFile {
	version: number;
	savedAt: string;
	accounts: AccountsDump;
	feedback: FeedbackDump;
}

export function saveState(state: EmulatorState, file: string): void {
	const data: StateFile = { version: VERSION, savedAt: new Date().toISOString(), accounts: state.accounts.dump(), feedback: state.feedback.dump() };
	// Written beside and renamed: a crash mid-write never leaves half a file.
	const tmp = `${file}.${process.pid}.tmp`;
	writeFileSync(tmp, JSON.stringify(data));
	renameSync(tmp, file);
}

/** Loads the file into `state` when it exists; answers whether it did. Throws naming the file when it cannot be read. */
export function loadState(state: EmulatorState, file: string): boolean {
	if (!existsSync(file)) return false;
	let data: StateFile;
	try {
		data = JSON.parse(readFileSync(file, 'utf8')) as StateFile;
	} catch (err) {
		throw new Error(`the state file ${file} is not JSON (${(err as Error).message}): move it away to start afresh`);
	}
	if (data?.version !== VERSION || !data.accounts || !data.feedback) {
		throw new Error(`the state file ${file} is not an emulator state file (version ${VERSION}): move it away to start afresh`);
	}
	state.accounts.load(data.accounts, state.clock.nowSec());
	state.feedback.load(data.feedback);
	return true;
}

/** Saves `delayMs` after the last call, so a burst of requests writes the file once. */
export function debouncedSaver(state: EmulatorState, file: string, delayMs = 250): { schedule(): void; flush(): void } {
	let timer: NodeJS.Timeout | undefined;
	const flush = () => {
		if (timer) clearTimeout(timer);
		timer = undefined;
		saveState(state, file);
	};
	return {
		schedule() {
			if (timer) clearTimeout(timer);
			timer = setTimeout(flush, delayMs);
			timer.unref();
		},
		flush,
	};
}
