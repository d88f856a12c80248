/** A list of named checks: each passes or fails with a reason; a run goes on after a failure. */
import { log } from './lib.mjs';

export class Checks {
	constructor() {
		this.results = [];
	}

	/** `tags` say what a check shows for the results table (see results.mjs), e.g. ['trigger']. */
	async check(name, fn, tags = []) {
		if (Array.isArray(fn)) [fn, tags] = [tags, fn];
		const t0 = Date.now();
		try {
			const detail = await fn();
			const seconds = (Date.now() - t0) / 1000;
			this.results.push({ name, ok: true, detail, seconds, tags });
			log(`PASS ${name}${detail ? `: ${detail}` : ''} (${seconds.toFixed(1)}s)`);
			return true;
		} catch (err) {
			const seconds = (Date.now() - t0) / 1000;
			this.results.push({ name, ok: false, detail: err?.message ?? String(err), seconds, tags });
			log(`FAIL ${name}: ${err?.message ?? err} (${seconds.toFixed(1)}s)`);
			return false;
		}
	}

	skip(name, why, tags = []) {
		this.results.push({ name, ok: true, skipped: true, detail: why, seconds: 0, tags });
		log(`SKIP ${name}: ${why}`);
	}

	get failed() {
		return this.results.filter((r) => !r.ok);
	}

	summary() {
		const passed = this.results.filter((r) => r.ok && !r.skipped).length;
		const skipped = this.results.filter((r) => r.skipped).length;
		const lines = this.results.map((r) => `  ${r.skipped ? 'SKIP' : r.ok ? 'PASS' : 'FAIL'}  ${r.name}${r.detail ? ` — ${r.detail}` : ''}`);
		return { passed, failed: this.failed.length, skipped, lines };
	}
}

export function assert(cond, message) {
	if (!cond) throw new Error(message);
}
