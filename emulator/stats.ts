/** Request counters for tests and benchmarks: GET /_emulator/stats. */
export interface StatsSnapshot {
	total: number;
	byEndpoint: Record<string, number>;
	byStatus: Record<string, number>;
}

export class Stats {
	private total = 0;
	private byEndpoint: Record<string, number> = {};
	private byStatus: Record<string, number> = {};

	/** `outcome` is the HTTP status, or what happened instead ("timeout", "reset", "aborted"). */
	record(endpoint: string, outcome: number | string): void {
		this.total++;
		this.byEndpoint[endpoint] = (this.byEndpoint[endpoint] ?? 0) + 1;
		const key = String(outcome);
		this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
	}

	snapshot(): StatsSnapshot {
		return { total: this.total, byEndpoint: { ...this.byEndpoint }, byStatus: { ...this.byStatus } };
	}

	reset(): void {
		this.total = 0;
		this.byEndpoint = {};
		this.byStatus = {};
	}
}
