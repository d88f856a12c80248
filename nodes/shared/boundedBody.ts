/**
 * Reads an answer's body with two bounds n8n's HTTP helper does not give: a size cap and an overall
 * deadline. The helper's `timeout` only fires when the connection goes idle, so an X that sends one
 * byte every few seconds would otherwise hold a call (and a trigger's tick) for as long as it likes.
 * The deadline is checked as each chunk arrives, and a watch (n8n-workflow's `sleep`, in slices of
 * under a second, so nothing outlives the read by more) ends a connection that goes quiet: once the
 * answer's headers are in, n8n's `timeout` no longer applies.
 */
/** What is used of a Node.js readable stream (n8n allows community nodes no `stream` import). */
interface Readable {
	on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
	on(event: 'end' | 'close', listener: () => void): unknown;
	on(event: 'error', listener: (error: unknown) => void): unknown;
	removeAllListeners(event: string): unknown;
	destroy(error?: Error): unknown;
}

export type BodyOutcome =
	| { kind: 'read'; body: Buffer }
	| { kind: 'tooLarge'; bytes: number }
	| { kind: 'tooSlow'; bytes: number; ms: number }
	| { kind: 'failed'; error: unknown };

export interface BodyLimits {
	maxBytes: number;
	/** Epoch ms by which the whole body must have arrived. */
	deadlineMs: number;
	idleMs: number;
	now?: () => number;
	/** A timer to keep watch with; without one only arriving chunks are checked. */
	wait?: (ms: number) => Promise<void>;
}

/** Not a multiple of any backoff, so tests that record backoffs can tell the watch apart. */
export const WATCH_SLICE_MS = 750;

function isReadable(value: unknown): value is Readable {
	return typeof value === 'object' && value !== null && typeof (value as Readable).on === 'function' && typeof (value as Readable).destroy === 'function';
}

/** A body the helper already read (a test double, an older n8n) is only measured. */
export async function readBounded(body: unknown, limits: BodyLimits): Promise<BodyOutcome> {
	const now = limits.now ?? Date.now;
	const startedAt = now();
	if (!isReadable(body)) {
		const size = body === undefined || body === null ? 0 : Buffer.isBuffer(body) ? body.length : typeof body === 'string' ? Buffer.byteLength(body) : -1;
		if (size > limits.maxBytes) return { kind: 'tooLarge', bytes: size };
		if (size === -1) return { kind: 'read', body: Buffer.from(JSON.stringify(body) ?? '') };
		return { kind: 'read', body: Buffer.isBuffer(body) ? body : Buffer.from(body === undefined || body === null ? '' : String(body)) };
	}
	let resolve!: (outcome: BodyOutcome) => void;
	const outcome = new Promise<BodyOutcome>((settleWith) => (resolve = settleWith));
	// The watch below sleeps on for up to a slice after the answer is read, and keeps what its
	// closures share alive that long; a drain reads hundreds of pages in a slice. So they share no
	// page: the chunks and the stream are let go once settled (bench: heap kept after a drain
	// 56 -> 40 MiB, peak RSS growth 133 -> 101 MiB).
	let source: Readable | undefined = body;
	const chunks: Buffer[] = [];
	let bytes = 0;
	let settled = false;
	let lastDataAt = startedAt;
	const settle = (result: BodyOutcome) => {
		if (settled) return;
		settled = true;
		source?.removeAllListeners('data');
		if (result.kind !== 'read') source?.destroy();
		source = undefined;
		chunks.length = 0;
		resolve(result);
	};
	body.on('data', (chunk: Buffer | string) => {
		const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		bytes += buffer.length;
		if (bytes > limits.maxBytes) return settle({ kind: 'tooLarge', bytes });
		if (now() > limits.deadlineMs) return settle({ kind: 'tooSlow', bytes, ms: now() - startedAt });
		chunks.push(buffer);
		lastDataAt = now();
	});
	body.on('end', () => {
		if (now() > limits.deadlineMs) return settle({ kind: 'tooSlow', bytes, ms: now() - startedAt });
		settle({ kind: 'read', body: Buffer.concat(chunks, bytes) });
	});
	body.on('error', (error) => {
		if (/timed out|timeout/i.test(String((error as Error)?.message))) {
			return settle({ kind: 'tooSlow', bytes, ms: now() - startedAt });
		}
		settle({ kind: 'failed', error });
	});
	body.on('close', () => settle({ kind: 'failed', error: new Error('the connection closed before the answer ended') }));
	const { wait } = limits;
	if (wait) {
		const watch = async (): Promise<void> => {
			while (!settled) {
				const slice = Math.max(1, Math.min(WATCH_SLICE_MS, limits.deadlineMs - now(), lastDataAt + limits.idleMs - now()));
				const before = now();
				await wait(slice);
				if (settled) return;
				if (now() > limits.deadlineMs || now() - lastDataAt > limits.idleMs) {
					return settle({ kind: 'tooSlow', bytes, ms: now() - startedAt });
				}
				// A wait that does not wait (a test's stand-in, a frozen clock) cannot keep watch.
				if (now() - before < slice / 2) return;
			}
		};
		void watch();
	}
	return await outcome;
}
