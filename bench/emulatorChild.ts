/**
 * Parent side of bench/emulatorProcess.ts: forks the emulator, then drives it through its control
 * API (reset, bulk, customers, stats) and IPC (rate-window usage, its own memory).
 */
import { type AnyJson, control as callControlOk } from '../emulator/client';
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import type { EmulatorOptions } from '../emulator/index';
import type { ChildMessage, WindowUsage } from './emulatorProcess';

export interface Stats {
	total: number;
	byEndpoint: Record<string, number>;
	byStatus: Record<string, number>;
}

export interface BenchCredentials {
	consumerKey: string;
	consumerSecret: string;
	accessToken: string;
	accessTokenSecret: string;
	userId: string;
	screenName: string;
}

export interface EmulatorChild {
	baseUrl: string;
	credentials: BenchCredentials;
	pid: number;
	control<T = AnyJson>(method: string, path: string, body?: unknown): Promise<T>;
	reset(options?: Partial<EmulatorOptions>): Promise<void>;
	configure(options: Partial<EmulatorOptions>): Promise<void>;
	stats(): Promise<Stats>;
	resetStats(): Promise<void>;
	/** Rate-limit windows opened since the last call (then forgotten). */
	windows(): Promise<WindowUsage[]>;
	rssMb(): Promise<number>;
	/** CPU time the emulator process has used so far, in ms. */
	cpuMs(): Promise<number>;
	close(): Promise<void>;
}

export async function forkEmulator(options: Partial<EmulatorOptions>): Promise<EmulatorChild> {
	const child: ChildProcess = fork(join(__dirname, 'emulatorProcess.ts'), [JSON.stringify(options)], {
		execArgv: ['-r', 'ts-node/register/transpile-only'],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const waiters: Array<(m: ChildMessage) => boolean> = [];
	child.on('message', (m: ChildMessage) => {
		const i = waiters.findIndex((w) => w(m));
		if (i >= 0) waiters.splice(i, 1);
	});
	const next = <K extends ChildMessage['type']>(type: K): Promise<Extract<ChildMessage, { type: K }>> =>
		new Promise((resolve, reject) => {
			const onExit = (code: number | null) => reject(new Error(`the emulator process exited (${code})`));
			child.once('exit', onExit);
			waiters.push((m) => {
				if (m.type !== type) return false;
				child.off('exit', onExit);
				resolve(m as Extract<ChildMessage, { type: K }>);
				return true;
			});
		});
	const ready = await next('ready');
	const baseUrl = ready.baseUrl;

	const control = <T = AnyJson>(method: string, path: string, body?: unknown): Promise<T> => callControlOk<T>(baseUrl, method, path, body);

	return {
		baseUrl,
		credentials: ready.credentials as unknown as BenchCredentials,
		pid: child.pid!,
		control,
		async reset(opts = {}) {
			await control('POST', 'reset', { options: opts });
		},
		async configure(opts) {
			await control('POST', 'config', opts);
		},
		stats: () => control<Stats>('GET', 'stats'),
		async resetStats() {
			await control('POST', 'stats/reset');
		},
		async windows() {
			const reply = next('windows');
			child.send({ type: 'windows' });
			return (await reply).windows;
		},
		async rssMb() {
			const reply = next('memory');
			child.send({ type: 'memory' });
			return (await reply).rssMb;
		},
		async cpuMs() {
			const reply = next('cpu');
			child.send({ type: 'cpu' });
			const { userMicros, systemMicros } = await reply;
			return (userMicros + systemMicros) / 1000;
		},
		close() {
			return new Promise<void>((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.send({ type: 'close' });
				setTimeout(() => child.kill('SIGKILL'), 5000).unref();
			});
		},
	};
}
