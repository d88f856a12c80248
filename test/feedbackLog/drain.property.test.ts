/**
 * The trigger's core promise on the pure level, over many random histories: every score, comment
 * and request is emitted exactly once, whatever the snapshot mode, page sizes (empty pages
 * included), end markers, answers that lose their next_cursor, poll times, item caps, transient
 * failures and restarts that lose unsaved state.
 */
import fc from 'fast-check';

import { drain } from '../../nodes/shared/feedbackLog/drain';
import { partKey } from '../../nodes/shared/feedbackLog/parts';
import { restorePollState, type PollState } from '../../nodes/shared/feedbackLog/pollState';
import { BASE_SEC, eventsOf, expectedParts, fakeEventsApi, historyArb } from './history';

const scenarioArb = fc.record({
	changes: historyArb,
	mode: fc.constantFrom<'event' | 'current'>('event', 'current'),
	pageSizes: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 5 }).filter((a) => a.some((n) => n > 0)),
	pollGapsSec: fc.array(fc.integer({ min: 1, max: 900 }), { minLength: 1, maxLength: 12 }),
	maxItems: fc.integer({ min: 1, max: 30 }),
	failAt: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 6 }),
	restartAfterPoll: fc.array(fc.boolean(), { maxLength: 12 }),
	endMarker: fc.constantFrom<'empty' | 'missing'>('empty', 'missing'),
	dropCursorAt: fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 4 }),
});

test('every part is emitted exactly once', async () => {
	await fc.assert(
		fc.asyncProperty(scenarioArb, async (s) => {
			let nowMs = BASE_SEC * 1000;
			const visibleEvents = () => eventsOf(s.changes, s.mode).filter((e) => e.atMs <= nowMs);
			// Current-mode snapshots must not show parts from the future either.
			const api = fakeEventsApi(
				() =>
					s.mode === 'current'
						? eventsOf(s.changes.filter((c) => c.atSec * 1000 <= nowMs), 'current')
						: visibleEvents(),
				{ pageSizes: s.pageSizes, failAt: new Set(s.failAt), endMarker: s.endMarker, dropCursorAt: new Set(s.dropCursorAt) },
			);
			let stored: unknown = undefined;
			let live: unknown = undefined;
			const emitted: string[] = [];
			const poll = async () => {
				const state: PollState = restorePollState(live, nowMs, 0, BASE_SEC * 1000);
				const result = await drain(state, api.fetchPage, {
					nowMs,
					minEventAgeMs: 0,
					maxItems: s.maxItems,
					outOfTime: () => false,
					rateReserve: 0,
				});
				live = JSON.parse(JSON.stringify(state));
				emitted.push(...result.parts.map(partKey));
				if (result.parts.length > 0) stored = live;
			};
			let i = 0;
			for (const gap of s.pollGapsSec) {
				nowMs += gap * 1000;
				await poll();
				if (s.restartAfterPoll[i++]) live = stored;
			}
			// Then time moves past the whole history and polls run until nothing is left.
			nowMs = (BASE_SEC + 6000) * 1000;
			// A listing that ends without a next_cursor is re-read from its newest event at the next
			// poll, so "caught up" means several polls in a row that bring nothing.
			for (let n = 0, idle = 0; n < 1000 && idle < 5; n++) {
				const before = emitted.length;
				await poll();
				idle = emitted.length === before && !(live as PollState).range ? idle + 1 : 0;
			}
			expect(emitted.sort()).toEqual(expectedParts(s.changes));
		}),
		{ numRuns: 400 },
	);
});

test('the state stays small after 100,000 events', async () => {
	const changes = [];
	for (let i = 0; i < 50_000; i++) {
		const t = BASE_SEC + i * 30;
		changes.push({ kind: 'created' as const, feedbackId: String(i), atSec: t, type: 'nps' as const, test: false });
		changes.push({ kind: 'score' as const, feedbackId: String(i), atSec: t + 5, value: i % 11 });
	}
	const events = eventsOf(changes, 'event');
	const api = fakeEventsApi(() => events);
	const nowMs = (BASE_SEC + 50_000 * 30 + 60) * 1000;
	let saved: unknown = undefined;
	let emitted = 0;
	let largest = 0;
	for (let n = 0; n < 1000; n++) {
		const state = restorePollState(saved, nowMs, 0, BASE_SEC * 1000);
		const result = await drain(state, api.fetchPage, {
			nowMs,
			minEventAgeMs: 0,
			maxItems: 1000,
			outOfTime: () => false,
			rateReserve: 0,
		});
		emitted += result.parts.length;
		saved = JSON.parse(JSON.stringify(state));
		largest = Math.max(largest, JSON.stringify(saved).length);
		if (result.stoppedBy === 'caughtUp') break;
	}
	expect(emitted).toBe(100_000);
	expect(api.requests()).toBe(1000);
	expect(JSON.stringify(saved).length).toBeLessThan(1024);
	expect(largest).toBeLessThan(4096);
});
