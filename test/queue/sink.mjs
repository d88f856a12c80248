/**
 * The recording sink of test:queue: the workflow's HTTP Request node posts each item here. It keeps
 * every arrival (also duplicates) and can answer slowly (an execution then takes a known time) or
 * fail (a downstream node that fails).
 */
import { createServer } from 'node:http';

export async function startSink(port) {
	const records = [];
	// delayFor / failFor, when set, decide per arrival ({ eventId, deliveryAttempt }); else delayMs / failStatus for all.
	const mode = { delayMs: 0, failStatus: 0, delayFor: undefined, failFor: undefined };
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (d) => (body += d));
		req.on('end', () => {
			let json = {};
			try {
				json = JSON.parse(body || '{}');
			} catch {
				/* recorded as empty */
			}
			const record = { eventId: json.eventId, deliveryAttempt: json.deliveryAttempt, recovered: json.recovered, path: req.url, atMs: Date.now() };
			records.push(record);
			const status = (mode.failFor ? mode.failFor(record) : mode.failStatus) || 200;
			setTimeout(() => {
				if (res.destroyed) return;
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ ok: status === 200 }));
			}, mode.delayFor ? mode.delayFor(record) : mode.delayMs).unref();
		});
	});
	await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${port}/record`,
		records,
		mode,
		/** Arrivals for these eventIds (posted to `path` only, when given: the webhook scenario posts to its own). */
		of(ids, path) {
			const wanted = new Set(ids);
			return records.filter((r) => wanted.has(r.eventId) && (path === undefined || r.path === path));
		},
		/** Every arrival at `path`, whatever its eventId. */
		at(path) {
			return records.filter((r) => r.path === path);
		},
		close: () => {
			server.closeAllConnections?.();
			return new Promise((resolve) => server.close(resolve));
		},
	};
}

/** expected / delivered / duplicates / flagged re-deliveries for one scenario. */
export function tally(expectedIds, arrivals) {
	const seen = new Map();
	for (const r of arrivals) seen.set(r.eventId, (seen.get(r.eventId) ?? 0) + 1);
	const delivered = expectedIds.filter((id) => seen.has(id)).length;
	const duplicates = arrivals.length - seen.size;
	const flagged = arrivals.filter((r) => Number(r.deliveryAttempt) > 1).length;
	// A repeat that does not say so: a second arrival of an event with deliveryAttempt 1.
	const firstAttempts = new Map();
	for (const r of arrivals) if (!(Number(r.deliveryAttempt) > 1)) firstAttempts.set(r.eventId, (firstAttempts.get(r.eventId) ?? 0) + 1);
	const unflagged = [...firstAttempts.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
	return { expected: expectedIds.length, delivered, duplicates, flagged, unflagged };
}
