/** Small measuring tools for the benchmarks: medians, a timer, a forced GC, the machine. */
import { cpus, totalmem } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export function median(values: number[]): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function round(value: number, digits = 2): number {
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}

export const now = (): number => Number(process.hrtime.bigint()) / 1e6;

let gcFn: (() => void) | undefined;
/** A full GC, so RSS baselines do not carry garbage from the previous run. */
export function collectGarbage(): void {
	if (!gcFn) {
		const g = (globalThis as { gc?: () => void }).gc;
		if (g) gcFn = g;
		else {
			setFlagsFromString('--expose-gc');
			gcFn = runInNewContext('gc') as () => void;
		}
	}
	gcFn();
	gcFn();
}

export interface Machine {
	cores: number;
	cpuModel: string;
	node: string;
	totalMemoryGb: number;
	platform: string;
}

export function machine(): Machine {
	const list = cpus();
	return {
		cores: list.length,
		cpuModel: list[0]?.model?.trim() ?? 'unknown',
		node: process.version,
		totalMemoryGb: round(totalmem() / 2 ** 30, 1),
		platform: `${process.platform} ${process.arch}`,
	};
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
