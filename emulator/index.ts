/**
 * The local X Customer Feedback API emulator: a strict, in-memory stand-in for X for everything in
 * docs/x-api.md, used by tests, benchmarks and the demo.
 */
import type { AddressInfo } from 'node:net';

import type { BusinessCredentials } from './accounts';
import { resolveOptions, type EmulatorOptions } from './options';
import { createEmulatorServer } from './server';
import { EmulatorState } from './state';
import { debouncedSaver, loadState } from './stateFile';

export type { BusinessCredentials, CustomerInput, UserRecord } from './accounts';
export type { EmulatorOptions, RuntimeConfig, SnapshotMode } from './options';
export type { FaultKind, FaultSpec } from './faults';
export type { FeedbackRecord } from './feedbackStore';
export { DEFAULT_OPTIONS } from './options';
export { EmulatorState } from './state';

export interface RunningEmulator {
	/** e.g. http://127.0.0.1:8787 (no trailing slash); the API is under /1.1, the control API under /_emulator. */
	baseUrl: string;
	port: number;
	close(): Promise<void>;
	/** Direct access to the emulator's state, for in-process tests and the demo. */
	store: EmulatorState;
	credentials: BusinessCredentials;
	/** Whether the state came from the state file (false: a new one, seeded as the options say). */
	restored: boolean;
}

export interface PersistenceOptions {
	/** Keep customers, issued tokens and feedback in this file across restarts (see stateFile.ts). */
	stateFile?: string;
}

export async function startEmulator(options: Partial<EmulatorOptions> = {}, persistence: PersistenceOptions = {}): Promise<RunningEmulator> {
	const resolved = resolveOptions(options);
	const state = new EmulatorState(resolved);
	const restored = persistence.stateFile ? loadState(state, persistence.stateFile) : false;
	const saver = persistence.stateFile ? debouncedSaver(state, persistence.stateFile) : undefined;
	const server = createEmulatorServer(state);
	if (saver) {
		saver.flush();
		// Every request that may change state (all but GET) schedules a save once answered.
		server.on('request', (req, res) => {
			if (req.method !== 'GET' && req.method !== 'HEAD') res.once('finish', () => saver.schedule());
		});
	}
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(resolved.port, resolved.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port } = server.address() as AddressInfo;
	const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
	state.baseUrl = `http://${host}:${port}`;
	let closing: Promise<void> | undefined;
	return {
		baseUrl: state.baseUrl,
		port,
		store: state,
		credentials: { ...state.credentials },
		restored,
		close() {
			saver?.flush();
			closing ??= new Promise<void>((resolve, reject) => {
				server.close((err) => (err ? reject(err) : resolve()));
				server.closeAllConnections();
			});
			return closing;
		},
	};
}
