/**
 * Runs a task of bench/memoryProbe.ts in a fresh process and returns its peak RSS growth.
 *
 * The probe runs as plain JavaScript compiled into bench/out/ (git-ignored): under ts-node the
 * TypeScript compiler's garbage leaves the process with committed memory to spare, and a task's
 * RSS growth would read as zero. If compiling fails, the probe runs under ts-node and says so.
 */
import { fork, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { ProbeResult, ProbeTask } from './memoryProbe';

const ROOT = join(__dirname, '..');
const OUT = join(__dirname, 'out', 'probe');
let compiled: boolean | undefined;

function compileProbe(): boolean {
	if (compiled !== undefined) return compiled;
	// Type errors do not matter here (`npm run typecheck` covers them); only the emitted JavaScript does.
	spawnSync(
		process.execPath,
		[
			join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
			join(__dirname, 'memoryProbe.ts'),
			...['--outDir', OUT, '--rootDir', ROOT, '--module', 'commonjs', '--target', 'es2022', '--moduleResolution', 'node', '--strict'],
			...['--useUnknownInCatchVariables', 'false', '--esModuleInterop', '--skipLibCheck', '--resolveJsonModule', '--types', 'node', '--sourceMap', 'false'],
		],
		{ cwd: ROOT, stdio: 'pipe' },
	);
	compiled = existsSync(join(OUT, 'bench', 'memoryProbe.js'));
	return compiled;
}

export function probeMemory(task: ProbeTask): Promise<ProbeResult & { compiled: boolean }> {
	const plain = compileProbe();
	return new Promise((resolve, reject) => {
		const child = plain
			? fork(join(OUT, 'bench', 'memoryProbe.js'), [JSON.stringify(task)], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
			: fork(join(__dirname, 'memoryProbe.ts'), [JSON.stringify(task)], {
					execArgv: ['-r', 'ts-node/register/transpile-only'],
					stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
				});
		let result: ProbeResult | undefined;
		child.on('message', (m: ProbeResult) => (result = m));
		child.on('error', reject);
		child.on('exit', (code) => (result ? resolve({ ...result, compiled: plain }) : reject(new Error(`the memory probe (${task.task}) exited with ${code}`))));
	});
}
