/**
 * The whole real-time path: a customer answers in the emulator, the emulator calls the registered
 * URL as X would (Basic auth, one event per call, faults), the webhook trigger runs in n8n-core's
 * WebhookContext behind that URL, Skip Seen Parts passes each part once, and the polling trigger
 * (Recover Webhook Misses) brings back what a lost call did not deliver.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { deduplicationStore } from '../harness/memoryDeduplicator';
import { runNode } from '../harness/runNode';
import { WebhookHarness, type WebhookAnswer } from '../harness/runWebhook';
import { resetWorld, startWorld, triggerParams, type World } from '../trigger/triggerWorld';

const AUTH = { user: 'x-feedback', password: 'u8#Vd2!qLm7@Zr4$Tn6w' };

let world: World;
beforeAll(async () => {
	world = await startWorld();
});
afterAll(async () => {
	await world.h.close();
});

interface Started {
	items: INodeExecutionData[];
	answer: WebhookAnswer;
	atMs: number;
}

async function listen(answer?: () => number | undefined) {
	const harness = new WebhookHarness({ parameters: { events: ['score', 'comment'] } as never, basicAuth: AUTH });
	const started: Started[] = [];
	const server = await harness.serve((items, result) => started.push({ items, answer: result, atMs: performance.now() }), answer);
	return { harness, started, server };
}

const credentials = () => ({
	baseUrl: world.h.emu.baseUrl,
	consumerKey: world.h.emu.credentials.consumerKey,
	consumerSecret: world.h.emu.credentials.consumerSecret,
	accessToken: world.h.emu.credentials.accessToken,
	accessTokenSecret: world.h.emu.credentials.accessTokenSecret,
});

async function skipSeen(items: IDataObject[]): Promise<IDataObject[]> {
	const result = await runNode({ credentials: credentials(), parameters: { resource: 'feedback', operation: 'skipSeen', skipSeenOptions: { settleMs: 30 } as never }, input: items });
	if (result.error) throw result.error;
	return result.items.map((i) => i.json);
}

const ids = (started: Started[]) => started.flatMap((s) => s.items.map((i) => i.json.eventId as string));

let close: (() => Promise<void>) | undefined;
beforeEach(async () => {
	await resetWorld(world, {});
	deduplicationStore.clear();
});
afterEach(async () => {
	await world.h.emu.store.webhooks.idle();
	await close?.();
	close = undefined;
});

test("an answer starts the workflow through X's webhook in well under a second, with the polling trigger's very items", async () => {
	const { started, server } = await listen();
	close = server.close;
	const reg = await world.h.control('POST', 'webhook', { url: server.url, ...AUTH });
	expect(reg.status).toBe(200);
	expect(JSON.stringify(reg.body)).not.toContain(AUTH.password);

	const poller = world.trigger(triggerParams());
	await poller.poll();
	const id = await world.send(world.customers[0], 'nps', { external_id: 'CASE-7' });
	const answeredAt = performance.now();
	world.h.emu.store.respond(id, { score: 2 });
	await world.h.emu.store.webhooks.idle();
	expect(ids(started)).toEqual([`${id}:score`]);
	expect(started[0].atMs - answeredAt).toBeLessThan(1000);
	expect(started[0].answer.status).toBe(200);

	await new Promise((resolve) => setTimeout(resolve, 1100));
	const polled = await poller.poll();
	expect(polled.items.map((i) => i.json)).toEqual(started[0].items.map((i) => i.json));
});

test('faults: a dropped call is recovered by the polling trigger, a doubled call and a repeated part pass once, a delayed call comes late', async () => {
	const { started, server } = await listen();
	close = server.close;
	await world.h.control('POST', 'webhook', { url: server.url, ...AUTH });
	const poller = world.trigger(triggerParams({ recoverWebhookMisses: true }));
	await poller.poll();
	const passed: IDataObject[] = [];
	const a = await world.send(world.customers[0], 'csat');
	const b = await world.send(world.customers[1], 'csat');

	// a's score: its call is dropped.
	await world.h.control('POST', 'webhook/faults', { faults: [{ kind: 'drop' }] });
	world.h.emu.store.respond(a, { score: 1 });
	await world.h.emu.store.webhooks.idle();
	expect(started).toHaveLength(0);

	// b's score: sent twice at once; both executions reach Skip Seen Parts together.
	await world.h.control('POST', 'webhook/faults', { faults: [{ kind: 'duplicate' }] });
	world.h.emu.store.respond(b, { score: 5 });
	await world.h.emu.store.webhooks.idle();
	expect(ids(started)).toEqual([`${b}:score`, `${b}:score`]);
	const twice = await Promise.all(started.map(async (s) => await skipSeen(s.items.map((i) => i.json))));
	passed.push(...twice.flat());

	// b's comment, delayed: its snapshot repeats the score.
	await world.h.control('POST', 'webhook/faults', { faults: [{ kind: 'delay', afterMs: 300 }] });
	const before = started.length;
	world.h.emu.store.respond(b, { text: 'Fast, thanks' });
	await new Promise((resolve) => setTimeout(resolve, 100));
	expect(started).toHaveLength(before);
	await world.h.emu.store.webhooks.idle();
	expect(ids(started.slice(before))).toEqual([`${b}:score`, `${b}:comment`]);
	passed.push(...(await skipSeen(started[before].items.map((i) => i.json))));

	// The recovery poll (24 h later at X; Minimum Event Age 0 here) brings every part; only a's score is new.
	await new Promise((resolve) => setTimeout(resolve, 1100));
	const polled = await poller.poll();
	expect(polled.items.map((i) => i.json.eventId).sort()).toEqual([`${a}:score`, `${b}:comment`, `${b}:score`].sort());
	passed.push(...(await skipSeen(polled.items.map((i) => i.json))));

	expect(passed.map((p) => [p.eventId, p.recovered])).toEqual([
		[`${b}:score`, false],
		[`${b}:comment`, false],
		[`${a}:score`, true],
	]);
});

test('a call answered 5xx is tried again and starts the workflow once; a wrong password gets 401 and is not retried', async () => {
	let failures = 2;
	const { started, server } = await listen(() => (failures-- > 0 ? 503 : undefined));
	close = server.close;
	const id = await world.send(world.customers[0], 'nps');
	await world.h.control('POST', 'webhook', { url: server.url, ...AUTH, retryDelaysMs: [50, 50, 50] });
	world.h.emu.store.respond(id, { score: 10 });
	await world.h.emu.store.webhooks.idle();
	expect(ids(started)).toEqual([`${id}:score`]);
	const webhook = (await world.h.control('GET', 'webhook')).body;
	expect(webhook.deliveries.map((d: IDataObject) => [d.attempt, d.status])).toEqual([
		[1, 503],
		[2, 503],
		[3, 200],
	]);

	await world.h.control('POST', 'webhook', { url: server.url, user: AUTH.user, password: 'not-the-password-at-all', retryDelaysMs: [50] });
	world.h.emu.store.respond(id, { text: 'Great' });
	await world.h.emu.store.webhooks.idle();
	expect(ids(started)).toEqual([`${id}:score`]);
	const after = (await world.h.control('GET', 'webhook')).body;
	expect(after.deliveries.slice(-1).map((d: IDataObject) => [d.attempt, d.status])).toEqual([[1, 401]]);
});

test('the control API shows the last 200 calls, or every call kept with deliveries=all', async () => {
	const id = await world.send(world.customers[0], 'csat');
	await world.h.control('POST', 'webhook', { url: 'http://127.0.0.1:1/never-called', ...AUTH });
	await world.h.control('POST', 'webhook/faults', { faults: [{ kind: 'drop', count: 205 }] });
	for (let i = 0; i < 205; i++) world.h.emu.store.touch(id);
	await world.h.emu.store.webhooks.idle();
	const last = (await world.h.control('GET', 'webhook')).body;
	const all = (await world.h.control('GET', 'webhook?deliveries=all')).body;
	expect(last.deliveries).toHaveLength(200);
	expect(all.deliveries).toHaveLength(205);
	expect(all.deliveries.map((d: IDataObject) => d.call)).toEqual(Array.from({ length: 205 }, (_, i) => i + 1));
});

test('the control API checks a registration and a fault, naming the field', async () => {
	expect((await world.h.control('POST', 'webhook', { url: 'ftp://x' })).body).toEqual({ error: 'url must be an http(s) URL' });
	expect((await world.h.control('POST', 'webhook', { url: 'http://127.0.0.1:1/x', user: 'u' })).body).toEqual({ error: 'give both user and password, or neither' });
	expect((await world.h.control('POST', 'webhook/faults', { faults: [{ kind: 'explode' }] })).body).toEqual({ error: 'kind must be one of drop, duplicate, delay' });
});
