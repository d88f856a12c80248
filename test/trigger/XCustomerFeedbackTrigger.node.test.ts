/** What the trigger does for its users, case by case, through a real PollContext and the emulator. */
import { DEFAULT_TOLERANCE, REPEAT_SLACK_MS } from '../../nodes/shared/feedbackLog/announcements';
import { TRIGGER_NAME } from '../harness/runTrigger';
import { advance, pollUntilCaughtUp, resetWorld, T0, triggerParams, useWorld, type World } from './triggerWorld';

let world: World;
useWorld((w) => (world = w), { resetEachTest: true });

const keys = (items: Array<{ json: Record<string, unknown> }>) => items.map((i) => `${i.json.feedbackId}:${i.json.event}`);

test('a score and a later comment come out as two items with stable fields', async () => {
	const trigger = world.trigger();
	await trigger.poll();
	advance(1000);
	const nps = await world.send(world.customers[0], 'nps', { external_id: 'CASE-1', question_variant_id: '3' });
	advance(60_000);
	world.h.emu.store.respond(nps, { score: 4 });
	advance(3_600_000);
	world.h.emu.store.respond(nps, { text: 'Took three days.' });
	advance(2000);

	const { items } = await trigger.poll();
	expect(items.map((i) => i.json)).toEqual([
		expect.objectContaining({
			event: 'score',
			feedbackId: nps,
			type: 'nps',
			score: 4,
			comment: null,
			npsCategory: 'detractor',
			externalId: 'CASE-1',
			recipientId: world.customers[0].id,
			questionVariantId: 3,
			test: false,
			submittedAt: new Date(T0 + 61_000).toISOString(),
			requestedAt: new Date(T0 + 1000).toISOString(),
		}),
		expect.objectContaining({
			event: 'comment',
			feedbackId: nps,
			score: 4,
			comment: 'Took three days.',
			submittedAt: new Date(T0 + 3_661_000).toISOString(),
		}),
	]);
	expect(items[0].json).not.toHaveProperty('raw');
	advance(5000);
	expect((await trigger.poll()).items).toEqual([]);
});

test('CSAT scores say whether the customer was satisfied; Raw adds the snapshot', async () => {
	const trigger = world.trigger(triggerParams({ includeRaw: true }));
	await trigger.poll();
	advance(1000);
	const a = await world.send(world.customers[0], 'csat');
	const b = await world.send(world.customers[1], 'csat');
	world.h.emu.store.respond(a, { score: 4 });
	world.h.emu.store.respond(b, { score: 3 });
	advance(2000);
	const { items } = await trigger.poll();
	expect(items.map((i) => [i.json.feedbackId, i.json.csatSatisfied])).toEqual([
		[a, true],
		[b, false],
	]);
	expect(items[0].json.raw).toEqual(expect.objectContaining({ id: a, type: 'csat' }));
});

test('filters: feedback type, test feedback left out unless asked, request events on request', async () => {
	const only = world.trigger({ ...triggerParams(), feedbackType: 'nps' });
	const all = world.trigger({ ...triggerParams({ includeTest: true }), events: ['request', 'score'] });
	await only.poll();
	await all.poll();
	advance(1000);
	const csat = await world.send(world.customers[0], 'csat');
	const nps = await world.send(world.customers[1], 'nps');
	const testNps = await world.send(world.customers[2], 'nps', { test: 'true' });
	for (const id of [csat, nps, testNps]) world.h.emu.store.respond(id, { score: 5 });
	advance(2000);
	expect(keys((await only.poll()).items)).toEqual([`${nps}:score`]);
	expect(keys((await all.poll()).items).sort()).toEqual(
		[`${csat}:request`, `${nps}:request`, `${testNps}:request`, `${csat}:score`, `${nps}:score`, `${testNps}:score`].sort(),
	);
});

test('without Start From, history before activation stays out; with it, it comes in once', async () => {
	const before = await world.send(world.customers[0], 'csat');
	world.h.emu.store.respond(before, { score: 2 });
	advance(10_000);
	const fresh = world.trigger();
	const backfill = world.trigger(triggerParams({ startFrom: new Date(T0 - 60_000).toISOString() }));
	expect((await fresh.poll()).items).toEqual([]);
	expect(keys((await backfill.poll()).items)).toEqual([`${before}:score`]);
	advance(5000);
	expect((await fresh.poll()).items).toEqual([]);
	expect((await backfill.poll()).items).toEqual([]);
});

test('manual runs show recent items and leave the saved state alone', async () => {
	const trigger = world.trigger();
	await trigger.poll();
	const saved = JSON.stringify(trigger.stored);
	advance(1000);
	const id = await world.send(world.customers[0], 'nps');
	world.h.emu.store.respond(id, { score: 10 });
	advance(2000);
	const manual = await trigger.poll('manual');
	expect(keys(manual.items)).toEqual([`${id}:score`]);
	expect(JSON.stringify(trigger.stored)).toBe(saved);
	// The active workflow still gets the item, once.
	expect(keys((await trigger.poll()).items)).toEqual([`${id}:score`]);
});

test('a manual run with nothing to show says so', async () => {
	const trigger = world.trigger();
	const { error } = await trigger.poll('manual');
	expect(error?.message).toBe('No matching feedback events in the last 7 days X serves');
});

test('a revoked token fails loudly, and after reconnecting nothing is lost or repeated', async () => {
	const trigger = world.trigger();
	await trigger.poll();
	advance(1000);
	const id = await world.send(world.customers[0], 'csat');
	world.h.emu.store.respond(id, { score: 1 });
	advance(2000);
	await world.h.control('POST', 'faults', { faults: [{ kind: 'expiredToken', count: 1, path: '/1.1/feedback/events.json' }] });
	const failed = await trigger.poll();
	expect(failed.error?.message).toBe('The X access token is invalid or expired: reconnect the credential');
	expect(failed.items).toEqual([]);
	const emitted: string[] = [];
	await pollUntilCaughtUp(trigger, emitted);
	expect(emitted).toEqual([`${id}:score`]);
});

test('a rate limit in the middle of a range keeps what was read and resumes', async () => {
	await resetWorld(world, { maxPageSize: 1 });
	const trigger = world.trigger({ ...triggerParams(), events: ['request', 'score'] });
	await trigger.poll();
	advance(1000);
	const ids: string[] = [];
	for (let i = 0; i < 6; i++) {
		const id = await world.send(world.customers[i], 'nps');
		world.h.emu.store.respond(id, { score: i });
		ids.push(id);
	}
	advance(2000);
	// The first page is answered, then X says 429.
	await world.h.control('POST', 'faults', { faults: [{ kind: 'rateLimit', count: 1, path: 'cursor=' }] });
	const first = await trigger.poll();
	expect(first.error).toBeUndefined();
	const emitted = keys(first.items);
	expect(emitted.length).toBeGreaterThan(0);
	expect(emitted.length).toBeLessThan(12);
	await pollUntilCaughtUp(trigger, emitted);
	expect(emitted.sort()).toEqual(ids.flatMap((id) => [`${id}:request`, `${id}:score`]).sort());
});

test('an answer that lost its next_cursor does not lose the rest of the listing', async () => {
	await resetWorld(world, { maxPageSize: 2 });
	const trigger = world.trigger({ ...triggerParams(), events: ['request'] });
	await trigger.poll();
	advance(1000);
	const ids: string[] = [];
	for (let i = 0; i < 8; i++) ids.push(await world.send(world.customers[i], 'csat'));
	advance(2000);
	await world.h.control('POST', 'faults', { faults: [{ kind: 'noCursorField', count: 1, path: '/1.1/feedback/events.json' }] });
	const emitted = keys((await trigger.poll()).items);
	expect(emitted).toHaveLength(2);
	await pollUntilCaughtUp(trigger, emitted);
	expect(emitted.sort()).toEqual(ids.map((id) => `${id}:request`).sort());
});

test('the item cap ends a poll at a page boundary and the next poll goes on', async () => {
	await resetWorld(world, { maxPageSize: 3 });
	const trigger = world.trigger({ ...triggerParams({ maxItems: 2 }), events: ['request'] });
	await trigger.poll();
	advance(1000);
	for (let i = 0; i < 8; i++) await world.send(world.customers[i], 'csat');
	advance(2000);
	const sizes: number[] = [];
	for (let n = 0; n < 3; n++) sizes.push((await trigger.poll()).items.length);
	expect(sizes).toEqual([3, 3, 2]);
});

test('it keeps the rate-limit reserve: no call when the window is down to it', async () => {
	await resetWorld(world, { maxPageSize: 1 });
	const trigger = world.trigger({ ...triggerParams({ rateReserve: 996 }), events: ['request'] });
	await trigger.poll(); // activation: reads the 2 hours before it (events stamped before their parts), one call: 999 left
	advance(1000);
	for (let i = 0; i < 5; i++) await world.send(world.customers[i], 'csat');
	advance(2000);
	await world.h.control('POST', 'stats/reset');
	const { items } = await trigger.poll(); // 998, 997, then 996 left: stops at the reserve
	expect(items).toHaveLength(3);
	expect((await trigger.poll()).items).toEqual([]); // waits for the window to reset
	const stats = await world.h.control('GET', 'stats');
	expect(stats.body.byEndpoint['GET /1.1/feedback/events.json']).toBe(3);
	advance(15 * 60_000);
	expect((await trigger.poll()).items).toHaveLength(2);
});

test('the saved state stays small after a long history: a small cursor, and the part keys of the batch in flight', async () => {
	await resetWorld(world, { rateWindowMs: 60_000 });
	const trigger = world.trigger(triggerParams({ startFrom: new Date(T0 - 40 * 86_400_000).toISOString(), maxItems: 5000 }));
	const bulk = await world.h.control('POST', 'bulk', { customers: 500, feedback: 40_000, spanMs: 30 * 86_400_000, seed: 7 });
	expect(bulk.status).toBe(200);
	expect(bulk.body.events).toBeGreaterThan(100_000);
	advance(2000);
	const emitted: string[] = [];
	let largestCursor = 0;
	let largestInFlight = 0;
	let largestInFlightBytes = 0;
	for (let n = 0; n < 200; n++) {
		const { items, error } = await trigger.poll();
		if (error) throw error;
		emitted.push(...keys(items));
		const stored = trigger.stored[`node:${TRIGGER_NAME}`] as { pollState: unknown; delivery: { batches: Array<{ refs: { keys: unknown[] } }> } };
		largestCursor = Math.max(largestCursor, JSON.stringify(stored.pollState).length);
		largestInFlight = Math.max(largestInFlight, stored.delivery.batches.reduce((n, b) => n + b.refs.keys.length, 0));
		largestInFlightBytes = Math.max(largestInFlightBytes, JSON.stringify(stored.delivery).length);
		const open = (trigger.nodeState()?.pollState as { range?: unknown } | undefined)?.range;
		if (items.length === 0 && !open) break;
		advance(61_000); // a new rate-limit window
	}
	let parts = 0;
	for (const f of world.h.emu.store.feedback.records.values()) {
		if (!f.test) parts += (f.score ? 1 : 0) + (f.comment ? 1 : 0);
	}
	expect(new Set(emitted).size).toBe(emitted.length);
	expect(emitted.length).toBe(parts);
	// The cursor remembers the parts given within the event time tolerance (6 hours and a minute)
	// behind the newest event read, about 40 bytes each, never the history.
	const times: number[] = [];
	for (const f of world.h.emu.store.feedback.records.values()) {
		times.push(f.createdAt, ...(f.score ? [f.score.at] : []), ...(f.comment ? [f.comment.at] : []));
	}
	times.sort((a, b) => a - b);
	let busiest = 0;
	for (let i = 0, j = 0; i < times.length; i++) {
		while (times[i] - times[j] > DEFAULT_TOLERANCE.afterMs + REPEAT_SLACK_MS) j++;
		busiest = Math.max(busiest, i - j + 1);
	}
	expect(largestCursor).toBeLessThan(1024 + busiest * 40);
	// Confirmed delivery keeps the parts of the batch in flight (here up to about Max Items per Poll)
	// until n8n reports the execution's end, as keys of about 22 bytes (X gives the items again after
	// a restart); the ledger is empty once all have ended.
	expect(largestInFlight).toBeLessThanOrEqual(5000 + 99); // whole pages of 100
	expect(largestInFlight).toBeGreaterThan(1000);
	expect(largestInFlightBytes).toBeLessThan(1024 + largestInFlight * 24);
	expect((trigger.nodeState()?.delivery as { batches: unknown[] }).batches).toEqual([]);
}, 120_000);

test('after a 429 it waits for the window to reset before calling X again', async () => {
	const trigger = world.trigger();
	await trigger.poll();
	advance(1000);
	const id = await world.send(world.customers[0], 'nps');
	world.h.emu.store.respond(id, { score: 9 });
	advance(2000);
	await world.h.control('POST', 'faults', { faults: [{ kind: 'rateLimit', resetAfterMs: 5 * 60_000, path: '/1.1/feedback/events.json' }] });
	expect((await trigger.poll()).error).toBeUndefined();
	await world.h.control('POST', 'stats/reset');
	advance(60_000);
	expect((await trigger.poll()).items).toEqual([]);
	expect((await world.h.control('GET', 'stats')).body.byEndpoint['GET /1.1/feedback/events.json']).toBeUndefined();
	advance(5 * 60_000);
	expect(keys((await trigger.poll()).items)).toEqual([`${id}:score`]);
});

test('a failure that usually passes is quiet at first and loud once it lasts an hour', async () => {
	const trigger = world.trigger();
	await trigger.poll();
	advance(1000);
	await world.h.control('POST', 'faults', { faults: [{ kind: 'status', status: 503, count: 1000, path: '/1.1/feedback/events.json' }] });
	const quiet = await trigger.poll();
	expect(quiet.error).toBeUndefined();
	advance(61 * 60_000);
	const loud = await trigger.poll();
	expect(loud.error?.message).toBe('X is over capacity: try again later');
	await world.h.control('DELETE', 'faults');
	advance(1000);
	expect((await trigger.poll()).error).toBeUndefined();
}, 30_000);

test('Recover Webhook Misses marks the items recovered: true; otherwise every item says recovered: false', async () => {
	const plain = world.trigger();
	const recovering = world.trigger(triggerParams({ recoverWebhookMisses: true }));
	await plain.poll();
	await recovering.poll();
	advance(1000);
	const id = await world.send(world.customers[0], 'nps');
	world.h.emu.store.respond(id, { score: 9 });
	advance(2000);
	expect((await plain.poll()).items.map((i) => [i.json.eventId, i.json.recovered])).toEqual([[`${id}:score`, false]]);
	expect((await recovering.poll()).items.map((i) => [i.json.eventId, i.json.recovered])).toEqual([[`${id}:score`, true]]);
});
