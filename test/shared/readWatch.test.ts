/**
 * The watch over answers being read (readWatch.ts, through boundedBody.ts): one sleeping timer for
 * all reads in progress, a silent read cut within a slice of its idle time while others go on, and
 * no timer left once nothing is read, also when a read was cut while its stream hangs.
 */
import { readBounded, type BodyLimits } from '../../nodes/shared/boundedBody';
import { WATCH_SLICE_MS } from '../../nodes/shared/readWatch';

/** A stream the test feeds: `push` a chunk, `end` it, or leave it silent (its destroy does not end it, as axios' wrapper). */
function fedStream() {
	const queue: Buffer[] = [];
	let ended = false;
	let wake: (() => void) | undefined;
	const stream = {
		destroyed: false,
		destroy() {
			stream.destroyed = true;
		},
		async *[Symbol.asyncIterator]() {
			for (;;) {
				while (queue.length > 0) yield queue.shift()!;
				if (ended) return;
				await new Promise<void>((resolve) => (wake = resolve));
			}
		},
	};
	return {
		stream,
		push(text: string) {
			queue.push(Buffer.from(text));
			wake?.();
		},
		end() {
			ended = true;
			wake?.();
		},
	};
}

/** A real timer that counts how many of its sleeps are pending at once. */
function countedWait() {
	const counts = { pending: 0, mostPending: 0, total: 0 };
	const wait = async (ms: number) => {
		counts.pending++;
		counts.total++;
		counts.mostPending = Math.max(counts.mostPending, counts.pending);
		await new Promise((resolve) => setTimeout(resolve, ms));
		counts.pending--;
	};
	return { wait, counts };
}

const limits = (wait: BodyLimits['wait'], idleMs = 60_000): BodyLimits => ({ maxBytes: 1_000_000, deadlineMs: Date.now() + 60_000, idleMs, wait });
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a hundred answers read at once are watched by one timer, and none is left once they are read', async () => {
	const { wait, counts } = countedWait();
	const fed = Array.from({ length: 100 }, () => fedStream());
	const reads = fed.map((f) => readBounded(f.stream, limits(wait)));
	await settle(10);
	fed.forEach((f, i) => {
		f.push(`{"n":${i}}`);
		f.end();
	});
	const outcomes = await Promise.all(reads);
	expect(outcomes.map((o) => (o.kind === 'read' ? JSON.parse(o.body.toString()).n : o.kind))).toEqual(fed.map((_, i) => i));
	expect(counts.mostPending).toBe(1);
	await settle(WATCH_SLICE_MS + 100);
	expect(counts.pending).toBe(0);
	expect(counts.total).toBe(1);
});

test('a read that goes silent is cut within a slice of its idle time, while another keeps arriving and is read whole', async () => {
	const { wait, counts } = countedWait();
	const silent = fedStream();
	const busy = fedStream();
	const started = Date.now();
	const silentRead = readBounded(silent.stream, limits(wait, 300));
	const busyRead = readBounded(busy.stream, limits(wait, 300));
	silent.push('{"a":');
	// The busy one sends a chunk every 100 ms, within its idle time, for 1.2 s.
	const drip = setInterval(() => busy.push(' '), 100);
	const cutAfter = await silentRead.then(() => Date.now() - started);
	await settle(1_200 - (Date.now() - started));
	clearInterval(drip);
	busy.push('{"b":1}');
	busy.end();
	const silentOutcome = await silentRead;
	const busyOutcome = await busyRead;
	expect(silentOutcome.kind).toBe('tooSlow');
	expect(silent.stream.destroyed).toBe(true);
	expect(cutAfter).toBeGreaterThanOrEqual(300);
	expect(cutAfter).toBeLessThan(300 + WATCH_SLICE_MS + 200);
	expect(busyOutcome.kind).toBe('read');
	expect(counts.mostPending).toBe(1);
});

test('a read cut while its stream hangs leaves the watch, so the timer stops', async () => {
	const { wait, counts } = countedWait();
	const silent = fedStream();
	const outcome = await readBounded(silent.stream, limits(wait, 100));
	expect(outcome.kind).toBe('tooSlow');
	// The stream never ends (its read stays pending), yet nothing is watched any more.
	await settle(2 * WATCH_SLICE_MS + 100);
	const total = counts.total;
	await settle(WATCH_SLICE_MS + 100);
	expect(counts.pending).toBe(0);
	expect(counts.total).toBe(total);
});
