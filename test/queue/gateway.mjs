/**
 * The reverse proxy most installs put in front of n8n, for test:queue's webhook scenario (w): the
 * emulator calls this address as X calls the registered URL, and it forwards each call to n8n. For a
 * chosen call it answers 5xx once instead, as a proxy does when n8n is briefly out of reach: `before`
 * answers the first attempt 503 without forwarding it (n8n never sees it), `after` answers 502 the
 * first attempt n8n took (n8n runs the call; X does not know and calls again). X's retry then goes
 * through.
 */
import { request as httpRequest, createServer } from 'node:http';

/**
 * Which call this is (`part`: `<feedbackId>:comment` for a comment's call, else `:score`) and the
 * parts its snapshot carries (a comment's call repeats the score).
 */
function readCall(body) {
	try {
		const feedback = JSON.parse(body)?.feedback ?? {};
		const id = String(feedback.id ?? '');
		const carries = ['score', 'text'].filter((k) => feedback.response?.[k]).map((k) => `${id}:${k === 'text' ? 'comment' : 'score'}`);
		return { part: `${id}:${feedback.response?.text ? 'comment' : 'score'}`, carries };
	} catch {
		return { part: undefined, carries: [] };
	}
}

export async function startGateway(port, target) {
	const calls = [];
	// part -> 'before' | 'after', each applied once.
	const faults = new Map();
	const applied = new Set();
	const take = (part, kind) => {
		if (faults.get(part) !== kind || applied.has(part)) return false;
		applied.add(part);
		return true;
	};
	const server = createServer((req, res) => {
		const chunks = [];
		req.on('data', (d) => chunks.push(d));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const { part, carries } = readCall(body.toString('utf8'));
			const call = { part, carries, atMs: Date.now() };
			calls.push(call);
			const answer = (status, headers, text) => {
				call.status = status;
				if (res.destroyed) return;
				res.writeHead(status, headers);
				res.end(text);
			};
			if (take(part, 'before')) {
				call.fault = 'before';
				return answer(503, { 'content-type': 'text/plain' }, 'n8n is not reachable (test:queue gateway)');
			}
			const forward = httpRequest(
				new URL(req.url, target),
				{ method: req.method, headers: { ...req.headers, host: new URL(target).host }, agent: false },
				(upstream) => {
					const back = [];
					upstream.on('data', (d) => back.push(d));
					upstream.on('end', () => {
						call.n8nStatus = upstream.statusCode;
						if (upstream.statusCode === 200 && take(part, 'after')) {
							call.fault = 'after';
							answer(502, { 'content-type': 'text/plain' }, 'the answer from n8n was lost (test:queue gateway)');
						} else answer(upstream.statusCode, { 'content-type': upstream.headers['content-type'] ?? 'application/json' }, Buffer.concat(back));
					});
				},
			);
			forward.on('error', (err) => {
				call.error = err.code ?? err.message;
				answer(502, { 'content-type': 'text/plain' }, `n8n: ${call.error}`);
			});
			forward.end(body);
		});
	});
	await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${port}`,
		/** Every call: { part, carries, fault, status (to X), n8nStatus (when forwarded), error, atMs }. */
		calls,
		/** Answer 5xx once for these calls (part -> 'before' | 'after'), forgetting earlier ones. */
		setFaults(entries) {
			faults.clear();
			applied.clear();
			for (const [part, kind] of entries) faults.set(part, kind);
		},
		close: () => {
			server.closeAllConnections?.();
			return new Promise((resolve) => server.close(resolve));
		},
	};
}
