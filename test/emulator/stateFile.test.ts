/**
 * The state file (`--state-file`, `npm run n8n`): a restart keeps the customers, the tokens issued
 * through the OAuth dance (a credential connected in n8n keeps working) and the feedback.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { type AnyJson, callControl, createSignedClient } from '../../emulator/client';
import { startEmulator } from '../../emulator/index';
import { PRIVACY_URL } from './emulatorHarness';

let dir: string;
beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'x-emulator-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const VERIFY = '/1.1/account/verify_credentials.json';

test('a restart with the same state file keeps issued tokens, customers, feedback and its events', async () => {
	const file = path.join(dir, 'state.json');
	const first = await startEmulator({ minEventAgeMs: 0, port: 0 }, { stateFile: file });
	expect(first.restored).toBe(false);
	const c = first.credentials;
	// A token issued by the dance, as n8n's "Connect" gets it.
	const rt = first.store.accounts.issueRequestToken('http://localhost/cb');
	const verifier = first.store.accounts.authorize(rt);
	const issued = first.store.accounts.exchange(rt, verifier);
	const [customer] = (await callControl<AnyJson>(first.baseUrl, 'POST', 'customers', { customers: [{ screenName: 'kept_customer' }] })).body.customers;
	const app = createSignedClient({ baseUrl: first.baseUrl, consumerKey: c.consumerKey, consumerSecret: c.consumerSecret, token: issued.token, tokenSecret: issued.secret });
	const created = await app.post('/1.1/feedback/create.json', { query: { type: 'nps', to_user_id: customer.id, message: 'How did we do?', privacy_url: PRIVACY_URL, external_id: 'case-1' } });
	expect(created.status).toBe(200);
	await callControl(first.baseUrl, 'POST', `feedback/${created.body.id}/respond`, { score: 3, text: 'Slow.' });
	await app.close();
	await first.close();

	const second = await startEmulator({ minEventAgeMs: 0, port: 0 }, { stateFile: file });
	try {
		expect(second.restored).toBe(true);
		const again = createSignedClient({ baseUrl: second.baseUrl, consumerKey: c.consumerKey, consumerSecret: c.consumerSecret, token: issued.token, tokenSecret: issued.secret });
		try {
			const me = await again.get(VERIFY);
			expect(me.status).toBe(200);
			const shown = await again.get(`/1.1/feedback/show/${created.body.id}.json`);
			expect(shown.body).toMatchObject({ external_id: 'case-1', to_user_id: customer.id, response: { score: { value: 3 }, text: { value: 'Slow.' } } });
			const events = await again.get('/1.1/feedback/events.json', { from_time: 0, to_time: Date.now() });
			expect(events.body.events.map((e: AnyJson) => e.event_type)).toEqual(['feedback.created', 'feedback.updated', 'feedback.updated']);
			// New ids go on from where they were: no clash with the restored ones.
			const [next] = (await callControl<AnyJson>(second.baseUrl, 'POST', 'customers', { customers: [{ screenName: 'new_one' }] })).body.customers;
			expect(BigInt(next.id)).toBeGreaterThan(BigInt(customer.id));
			const another = await again.post('/1.1/feedback/create.json', { query: { type: 'csat', to_user_id: next.id, message: 'Hi', privacy_url: PRIVACY_URL } });
			expect(BigInt(another.body.id)).toBeGreaterThan(BigInt(created.body.id));
		} finally {
			await again.close();
		}
	} finally {
		await second.close();
	}
});

test('without a state file a restart forgets the issued token (what the file is for)', async () => {
	const first = await startEmulator({ minEventAgeMs: 0, port: 0 });
	const rt = first.store.accounts.issueRequestToken('http://localhost/cb');
	const issued = first.store.accounts.exchange(rt, first.store.accounts.authorize(rt));
	await first.close();
	const second = await startEmulator({ minEventAgeMs: 0, port: 0 });
	try {
		expect(second.store.accounts.accessToken(issued.token)).toBeUndefined();
	} finally {
		await second.close();
	}
});

test('a state file that is not one stops the start with a message naming it', async () => {
	const file = path.join(dir, 'broken.json');
	writeFileSync(file, '{"nope": true}');
	await expect(startEmulator({ port: 0 }, { stateFile: file })).rejects.toThrow(`the state file ${file} is not an emulator state file`);
});

describe('the state file holds token secrets', () => {
	test('it is written 0600, also over a file that was readable by others', async () => {
		const file = path.join(dir, 'state.json');
		const emulator = await startEmulator({ minEventAgeMs: 0, port: 0 }, { stateFile: file });
		await emulator.close();
		expect(statSync(file).mode & 0o777).toBe(0o600);
		chmodSync(file, 0o644);
		const again = await startEmulator({ minEventAgeMs: 0, port: 0 }, { stateFile: file });
		await again.close();
		expect(statSync(file).mode & 0o777).toBe(0o600);
	});

	test('a link planted where the temporary file goes is never followed: the file it points at is untouched', async () => {
		const file = path.join(dir, 'state.json');
		const victim = path.join(dir, 'victim.txt');
		writeFileSync(victim, 'keep me');
		// The names the old code used (pid) and any the new one could: none may be followed.
		symlinkSync(victim, `${file}.${process.pid}.tmp`);
		const emulator = await startEmulator({ minEventAgeMs: 0, port: 0 }, { stateFile: file });
		await emulator.close();
		expect(readFileSync(victim, 'utf8')).toBe('keep me');
		expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);
		expect(readdirSync(dir).filter((f) => f.endsWith('.tmp') && f !== path.basename(`${file}.${process.pid}.tmp`))).toEqual([]);
	});
});
