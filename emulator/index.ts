/**
 * The local X Customer Feedback API emulator: a strict, in-memory stand-in for X for everything in
 * docs/api-contract (shared/twitter-feedback-api.md), used by tests, benchmarks and the demo.
 */
import type { AddressInfo } from 'node:net';

import type { BusinessCredentials } from './accounts';
import { resolveOptions, type EmulatorOptions } from './options';
import { createEmulatorServer } from './server';
import { EmulatorState } from './state';

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
}

export async function startEmulator(options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
	const resolved = resolveOptions(options);
	const state = new EmulatorState(resolved);
	const server = createEmulatorServer(state);
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
		close() {
			closing ??= new Promise<void>((resolve, reject) => {
				server.close((err) => (err ? reject(err) : resolve()));
				server.closeAllConnections();
			});
			return closing;
		},
	};
}
