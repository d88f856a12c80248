/**
 * The control API is a local tool, not a web service: a web page the user visits must not be able to
 * drive it (a cross-site form or text/plain POST, or DNS rebinding through a foreign Host header),
 * and an oversized body gets a 413 answer instead of a reset connection.
 */
import { request } from 'node:http';

import { startHarness, type Harness } from './emulatorHarness';

let h: Harness;
beforeAll(async () => {
	h = await startHarness();
});
afterAll(() => h.close());

function raw(method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<{ status: number; text: string }> {
	const url = new URL(`${h.emu.baseUrl}${path}`);
	return new Promise((resolve, reject) => {
		const req = request({ host: url.hostname, port: url.port, path: url.pathname, method, headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
		});
		req.on('error', reject);
		if (body !== undefined) req.write(body);
		req.end();
	});
}

const bulk = JSON.stringify({ customers: 5, feedback: 50, spanMs: 3_600_000, seed: 1 });

test('a cross-site text/plain POST is refused (415) and changes nothing', async () => {
	const before = h.emu.store.feedback.records.size;
	const res = await raw('POST', '/_emulator/bulk', { 'content-type': 'text/plain' }, bulk);
	expect(res.status).toBe(415);
	expect(res.text).toMatch(/application\/json/);
	expect(h.emu.store.feedback.records.size).toBe(before);
});

test('a form POST without a body is refused too', async () => {
	const res = await raw('POST', '/_emulator/reset', { 'content-type': 'application/x-www-form-urlencoded' });
	expect(res.status).toBe(415);
});

test('a foreign Host header (DNS rebinding) is refused (403)', async () => {
	const before = h.emu.store.feedback.records.size;
	const res = await raw('POST', '/_emulator/bulk', { 'content-type': 'application/json', host: 'evil.example:80' }, bulk);
	expect(res.status).toBe(403);
	expect(h.emu.store.feedback.records.size).toBe(before);
	expect((await raw('GET', '/_emulator/health', { host: 'evil.example' })).status).toBe(403);
});

test('loopback Host headers and JSON bodies still work', async () => {
	for (const host of ['127.0.0.1', `127.0.0.1:${new URL(h.emu.baseUrl).port}`, 'localhost:1234', '[::1]:80']) {
		expect((await raw('GET', '/_emulator/health', { host })).status).toBe(200);
	}
	expect((await raw('POST', '/_emulator/bulk', { 'content-type': 'application/json; charset=utf-8' }, bulk)).status).toBe(200);
});

test('an oversized body is answered 413, not a reset connection', async () => {
	const res = await raw('POST', '/_emulator/bulk', { 'content-type': 'application/json' }, Buffer.alloc(2 * 1024 * 1024, 32));
	expect(res.status).toBe(413);
});
