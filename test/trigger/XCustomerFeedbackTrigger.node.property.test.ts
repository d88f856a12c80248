/**
 * The trigger's promise end to end: random histories in the emulator, read through a real
 * PollContext, emit each request, score and comment exactly once (as a first delivery; a restart
 * may repeat what was in flight, flagged with deliveryAttempt 2 or more) — under both
 * snapshot modes, short and empty pages, same-second updates, faults and 429s at random requests,
 * restarts that lose unsaved static data, random poll times and item caps. Hostile steps on top:
 * events with far-future, past or unreadable dates or no feedback slipped into X's pages (each
 * logged with its reason, none emitted), stuck listings (a cursor handed back is never followed),
 * X moving on (runs of empty pages under fresh cursors, followed through) and saved state damaged out
 * of range (repaired, nothing lost).
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import * as api from '../../nodes/shared/api';
import { formatXDate } from '../../emulator/xDate';
import { TRIGGER_NAME } from '../harness/runTrigger';

import { advance, pollUntilCaughtUp, recordItems, resetWorld, T0, triggerParams, useFakeDate, useWorld, type World } from './triggerWorld';

type Step =
	| { kind: 'send'; customer: number; type: 'csat' | 'nps'; test: boolean }
	| { kind: 'score'; target: number; value: number }
	| { kind: 'comment'; target: number }
	| { kind: 'touch'; target: number }
	| { kind: 'advance'; ms: number }
	| { kind: 'poll' }
	| { kind: 'restart' }
	| { kind: 'fault'; fault: string; count: number }
	| { kind: 'noise'; what: Noise }
	| { kind: 'stuck'; count: number }
	| { kind: 'movingOn'; count: number }
	| { kind: 'damage'; what: Damage };

type Noise = 'future' | 'past' | 'unreadable' | 'noFeedback';
type Damage = 'rateInMs' | 'readPointInFuture' | 'openRangeAhead' | 'waitFarAhead';

const FAULTS = ['status', 'rateLimit', 'reset', 'malformed', 'truncated', 'emptyPage', 'noCursorField', 'duplicateEvent'];

const stepArb: fc.Arbitrary<Step> = fc.oneof(
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('send' as const), customer: fc.nat(7), type: fc.constantFrom('csat' as const, 'nps' as const), test: fc.boolean() }) },
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('score' as const), target: fc.nat(), value: fc.nat(10) }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('comment' as const), target: fc.nat() }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('touch' as const), target: fc.nat() }) },
	{ weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1500 }), fc.integer({ min: 1, max: 3_600_000 })) }) },
	{ weight: 3, arbitrary: fc.constant({ kind: 'poll' as const }) },
	{ weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('fault' as const), fault: fc.constantFrom(...FAULTS), count: fc.integer({ min: 1, max: 2 }) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('noise' as const), what: fc.constantFrom<Noise>('future', 'past', 'unreadable', 'noFeedback') }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('stuck' as const), count: fc.integer({ min: 3, max: 7 }) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('movingOn' as const), count: fc.integer({ min: 3, max: 40 }) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('damage' as const), what: fc.constantFrom<Damage>('rateInMs', 'readPointInFuture', 'openRangeAhead', 'waitFarAhead') }) },
);

/** Slips hostile events into the next events page X answers, after the real request. */
function hostilePages() {
	const pending: Noise[] = [];
	let served = 0;
	/** Answers in a row that handed back the cursor they were asked with. */
	let handedBackRun = 0;
	let longestHandedBackRun = 0;
	const real = api.listFeedbackEvents;
	const spy = jest.spyOn(api, 'listFeedbackEvents').mockImplementation(async (...args) => {
		const res = await real(...args);
		const page = res.body;
		handedBackRun = page.next_cursor !== undefined && page.next_cursor !== '' && page.next_cursor === args[1].cursor ? handedBackRun + 1 : 0;
		longestHandedBackRun = Math.max(longestHandedBackRun, handedBackRun);
		const req = args[1];
		for (const what of pending.splice(0)) {
			const at = { future: formatXDate(Date.UTC(2999, 0, 1)), past: formatXDate(req.fromMs - 7_200_000), unreadable: 'when pigs fly', noFeedback: formatXDate(req.toMs) }[what];
			const id = `9${served}`;
			const feedback = { id, created_at: at, updated_at: at, type: 'csat', test: false, dm_id: 'd', from_user_id: '1', to_user_id: '2', privacy_url: 'https://acme.example/privacy' };
			page.events.push({ event_type: 'feedback.created', created_at: at, feedback: (what === 'noFeedback' ? undefined : feedback) as never });
			served++;
		}
		return res;
	});
	return {
		add: (what: Noise) => pending.push(what),
		served: () => served,
		/** The longest run of empty pages with a cursor in a row since the last call (reset per poll). */
		takeLongestHandedBackRun: () => {
			const longest = longestHandedBackRun;
			longestHandedBackRun = 0;
			handedBackRun = 0;
			return longest;
		},
		restore: () => spy.mockRestore(),
	};
}

function damage(state: IDataObject, what: Damage): void {
	const now = Date.now();
	if (what === 'rateInMs') state.rate = { remaining: 0, resetAt: now + 600_000 };
	if (what === 'readPointInFuture') state.windowEndMs = now + 86_400_000;
	if (what === 'openRangeAhead') state.range = { fromMs: Math.min(Number(state.windowEndMs) + 1, now - 1000), toMs: now + 3_600_000, cursor: '' };
	if (what === 'waitFarAhead') state.waitUntilMs = now + 30 * 86_400_000;
}

const scenarioArb = fc.record({
	steps: fc.array(stepArb, { minLength: 5, maxLength: 60 }),
	snapshotMode: fc.constantFrom('event', 'current'),
	maxPageSize: fc.constantFrom(1, 2, 3, 7, 100),
	// Faults that lose a page's next_cursor only bite when a range spans pages.
	emptyPageEvery: fc.constantFrom(0, 2, 3),
	maxItems: fc.constantFrom(1, 3, 10, 1000),
});

let world: World;
useWorld((w) => (world = w));

test('every request, score and comment comes out exactly once; every hostile event is logged, none emitted', async () => {
	useFakeDate();
	const reasons: string[] = [];
	const warn = jest.spyOn(Container.get(Logger), 'warn').mockImplementation((_message: string, meta?: object) => {
		const reason = (meta as { reason?: string } | undefined)?.reason;
		if (reason) reasons.push(reason);
	});
	const runs = Number(process.env.TRIGGER_PROPERTY_RUNS ?? 60);
	await fc.assert(
		fc.asyncProperty(scenarioArb, async (s) => {
			jest.setSystemTime(T0);
			await resetWorld(world, { snapshotMode: s.snapshotMode, maxPageSize: s.maxPageSize, emptyPageEvery: s.emptyPageEvery });
			const trigger = world.trigger({ ...triggerParams({ maxItems: s.maxItems, includeTest: true }), events: ['request', 'score', 'comment'] });
			const sent: Array<{ id: string; scored: boolean; commented: boolean }> = [];
			const emitted: string[] = [];
			// A restart sends again what was in flight or whose outcome was not saved yet: flagged repeats.
			const repeats: string[] = [];
			const record = (items: Array<{ json: Record<string, unknown> }>) => recordItems(items, emitted, repeats);
			reasons.length = 0;
			const hostile = hostilePages();
			try {

			await trigger.poll(); // activation: from now on, without history
			advance(1000);
			for (const step of s.steps) {
				const target = sent.length ? sent[(step as { target?: number }).target! % sent.length] : undefined;
				switch (step.kind) {
					case 'send': {
						const id = await world.send(world.customers[step.customer], step.type, { test: String(step.test) });
						sent.push({ id, scored: false, commented: false });
						break;
					}
					case 'score':
						if (target && !target.scored) {
							const fb = world.h.emu.store.feedbackById(target.id);
							const value = fb.type === 'csat' ? 1 + (step.value % 5) : step.value;
							world.h.emu.store.respond(target.id, { score: value });
							target.scored = true;
						}
						break;
					case 'comment':
						if (target && !target.commented) {
							world.h.emu.store.respond(target.id, { text: `comment on ${target.id}` });
							target.commented = true;
						}
						break;
					case 'touch':
						if (target) world.h.emu.store.touch(target.id, { kind: 'viewed' });
						break;
					case 'advance':
						advance(step.ms);
						break;
					case 'poll': {
						hostile.takeLongestHandedBackRun();
						const { items } = await trigger.poll();
						// A cursor handed back is never followed: the poll stops at the first.
						expect(hostile.takeLongestHandedBackRun()).toBeLessThanOrEqual(1);
						record(items);
						break;
					}
					case 'noise':
						hostile.add(step.what);
						break;
					case 'stuck':
						await world.h.control('POST', 'faults', { faults: [{ kind: 'sameCursor', count: step.count, path: '/1.1/feedback/events.json' }] });
						break;
					case 'movingOn':
						await world.h.control('POST', 'faults', { faults: [{ kind: 'emptyPage', count: step.count, path: '/1.1/feedback/events.json' }] });
						break;
					case 'damage': {
						const state = (trigger.live[`node:${TRIGGER_NAME}`] as IDataObject | undefined)?.pollState as IDataObject | undefined;
						if (state) damage(state, step.what);
						break;
					}
					case 'restart':
						trigger.restart();
						break;
					case 'fault':
						await world.h.control('POST', 'faults', {
							faults: [{ kind: step.fault, count: step.count, path: '/1.1/feedback/events.json', ...(step.fault === 'status' ? { status: 503 } : {}) }],
						});
						break;
				}
			}
			await world.h.control('DELETE', 'faults');
			advance(3_600_000);
			await pollUntilCaughtUp(trigger, emitted, 500, repeats);
			} finally {
				hostile.restore();
			}
			// Every hostile event X served was set aside with a logged reason; none came out as an item.
			expect(reasons.length).toBe(hostile.served());

			const expected = sent.flatMap((f) => [
				`${f.id}:request`,
				...(f.scored ? [`${f.id}:score`] : []),
				...(f.commented ? [`${f.id}:comment`] : []),
			]);
			expect(emitted.sort()).toEqual(expected.sort());
			for (const repeat of repeats) expect(emitted).toContain(repeat);
		}),
		{ numRuns: runs, verbose: 1 },
	);
	warn.mockRestore();
});
