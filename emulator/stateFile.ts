/**
 * The emulator's state file: customers, the access tokens it issued (so a credential connected in
 * n8n keeps working after a restart), feedback, its events and the DMs. `npm run n8n` passes one by
 * default (.n8n-e2e/emulator-dev-state.json); the CLI takes `--state-file <path>`. Written after
 * every request that may change something (debounced) and when the emulator stops.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, constants, existsSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';

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
	// It holds access token secrets: only the owner may read it. Written beside and renamed, so a crash
	// mid-write never leaves half a file; the temporary name is random and opened with O_EXCL, so a
	// link planted at that name is refused instead of followed.
	const tmp = `${file}.${randomBytes(8).toString('hex')}.tmp`;
	const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
	try {
		writeSync(fd, JSON.stringify(data));
	} catch (error) {
		closeSync(fd);
		unlinkSync(tmp);
		throw error;
	}
	closeSync(fd);
	renameSync(tmp, file);
	// A file that existed with wider rights keeps them through rename on some systems: set them again.
	chmodSync(file, 0o600);
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
