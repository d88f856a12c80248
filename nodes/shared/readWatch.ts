/**
 * One watch over every answer being read, instead of one per answer: a loop that sleeps in slices of
 * under a second (n8n-workflow's `sleep`: community nodes get no timers of their own) while any read
 * is in progress, and at each wake cuts every read that is past its time. A drain reads a
 * thousand answers in less time than a slice; a sleep per answer left a thousand timers and their
 * closures pending: the drain took 1.036 times as long, and as much more CPU (bench, drain).
 */

/** A read in progress, as the watch sees it. */
export interface WatchedRead {
	/** When this read is due to be cut if nothing arrives (epoch ms, on `now`'s clock). */
	dueAtMs(): number;
	/** Called at a wake past `dueAtMs`. */
	cut(): void;
	now: () => number;
}

export type Wait = (ms: number) => Promise<void>;

/** Not a multiple of any backoff, so tests that record backoffs can tell the watch apart. */
export const WATCH_SLICE_MS = 750;

const MEASURABLE_SLICE_MS = 20;

/** The reads each `wait` keeps watch over (one in n8n: its `sleep`; tests bring their own). */
const watches = new Map<Wait, Set<WatchedRead>>();

/** Watches `read` until `unwatch` is called; the loop ends once no read is left (within a slice). */
export function watchRead(wait: Wait, read: WatchedRead): () => void {
	const running = watches.get(wait);
	const reads = running ?? new Set<WatchedRead>();
	reads.add(read);
	if (!running) {
		watches.set(wait, reads);
		void keepWatch(wait, reads);
	}
	return () => void reads.delete(read);
}

async function keepWatch(wait: Wait, reads: Set<WatchedRead>): Promise<void> {
	try {
		while (reads.size > 0) {
			let slice = WATCH_SLICE_MS;
			// The reads' clock (one clock in n8n; a test may bring its own).
			let now = Date.now;
			for (const read of reads) {
				now = read.now;
				slice = Math.min(slice, read.dueAtMs() - read.now());
			}
			slice = Math.max(1, slice);
			const before = now();
			await wait(slice);
			for (const read of reads) if (read.now() > read.dueAtMs()) read.cut();
			// A wait that does not wait (a test's stand-in, a frozen clock) cannot keep watch. Only a slice
			// a clock can measure tells: a timer of a millisecond or two may read as none.
			if (slice >= MEASURABLE_SLICE_MS && now() - before < slice / 2) return;
		}
	} finally {
		if (watches.get(wait) === reads) watches.delete(wait);
	}
}
