/**
 * The API clock: what "now" is for event ages, rate-limit windows, 24-hour limits and created_at.
 * It follows real time unless a test sets, advances or freezes it. OAuth timestamps are checked
 * against the real wall clock instead, because clients sign with Date.now().
 */
export class ApiClock {
	private offsetMs = 0;
	private frozenAt: number | undefined;

	now(): number {
		return this.frozenAt ?? Date.now() + this.offsetMs;
	}

	/** Now in whole seconds (as epoch ms): X's classic dates have second resolution. */
	nowSec(): number {
		return floorToSecond(this.now());
	}

	set(ms: number): void {
		if (this.frozenAt !== undefined) this.frozenAt = ms;
		else this.offsetMs = ms - Date.now();
	}

	advance(ms: number): void {
		this.set(this.now() + ms);
	}

	freeze(frozen: boolean): void {
		if (frozen && this.frozenAt === undefined) this.frozenAt = this.now();
		if (!frozen && this.frozenAt !== undefined) {
			this.offsetMs = this.frozenAt - Date.now();
			this.frozenAt = undefined;
		}
	}

	reset(): void {
		this.offsetMs = 0;
		this.frozenAt = undefined;
	}

	describe(): { now: number; iso: string; frozen: boolean; offsetMs: number } {
		const now = this.now();
		return {
			now,
			iso: new Date(now).toISOString(),
			frozen: this.frozenAt !== undefined,
			offsetMs: now - Date.now(),
		};
	}
}

export function floorToSecond(ms: number): number {
	return Math.floor(ms / 1000) * 1000;
}
