/**
 * The emulator in a child process for the benchmarks, so its CPU and memory stay off the measured
 * client's event loop and RSS. Also records how many calls each rate-limit window admitted, which
 * the rate-budget scenario reads over IPC ({type: 'windows'}).
 *
 * Started by bench/emulatorChild.ts with fork(); options arrive as JSON in argv[2].
 */
import { startEmulator, type EmulatorOptions } from '../emulator/index';
import type { LimitRule, LimitState } from '../emulator/rateLimits';

export interface WindowUsage {
	key: string;
	/** End of the window on the API clock (epoch ms); identifies the window. */
	resetAt: number;
	/** Calls the window admitted. */
	used: number;
	limit: number;
	/** Calls refused (429) in this window. */
	refused: number;
	/** Real time of the first and last call in the window (epoch ms). */
	firstAt: number;
	lastAt: number;
}

export type ChildMessage =
	| { type: 'ready'; baseUrl: string; credentials: Record<string, string> }
	| { type: 'windows'; windows: WindowUsage[] }
	| { type: 'memory'; rssMb: number }
	| { type: 'cpu'; userMicros: number; systemMicros: number };

async function main(): Promise<void> {
	const options = JSON.parse(process.argv[2] ?? '{}') as Partial<EmulatorOptions>;
	const emu = await startEmulator(options);
	const windows = new Map<string, WindowUsage>();
	const limits = emu.store.limits;
	const take = limits.take.bind(limits);
	limits.take = (key: string, rule: LimitRule, windowMs: number, now: number): LimitState => {
		const state = take(key, rule, windowMs, now);
		const id = `${key}@${state.resetAt}`;
		const wall = Date.now();
		let w = windows.get(id);
		if (!w) {
			w = { key, resetAt: state.resetAt, used: 0, limit: rule.limit, refused: 0, firstAt: wall, lastAt: wall };
			windows.set(id, w);
		}
		if (state.allowed) w.used++;
		else w.refused++;
		w.lastAt = wall;
		return state;
	};
	process.on('message', (msg: { type: string }) => {
		if (msg.type === 'windows') {
			send({ type: 'windows', windows: [...windows.values()] });
			windows.clear();
		} else if (msg.type === 'memory') {
			send({ type: 'memory', rssMb: process.memoryUsage().rss / 2 ** 20 });
		} else if (msg.type === 'cpu') {
			const { user, system } = process.cpuUsage();
			send({ type: 'cpu', userMicros: user, systemMicros: system });
		} else if (msg.type === 'close') {
			void emu.close().then(() => process.exit(0));
		}
	});
	process.on('disconnect', () => process.exit(0));
	send({ type: 'ready', baseUrl: emu.baseUrl, credentials: { ...emu.credentials } });
}

function send(message: ChildMessage): void {
	process.send?.(message);
}

main().catch((err) => {
	console.error('[bench emulator]', err);
	process.exit(1);
});
