/**
 * The trigger under every fault the emulator can inject, through n8n-core's PollContext
 * (TriggerHarness), with the fault landing at different requests of a multi-poll drain: at a poll's
 * first page (nothing read yet) or in the middle of a poll (parts already read). For each case:
 * what the user sees, and the invariant that every request, score and comment comes out exactly
 * once across polls, also when n8n restarts right after the faulted poll (unsaved static data lost).
 */
import type { INodeParameters } from 'n8n-workflow';

import { Outcomes } from './outcomes';
import {
	advance,
	FaultWorld,
	FULL,
	keysOf,
	onceCheck,
	restoreSigningClock,
	skewSigningClock,
	T0,
	useFaultWorld,
	type ArmedAction,
	type PartKey,
} from './faultWorld';

// GET retries back off through n8n-workflow's sleep: no waiting here.
jest.mock('n8n-workflow', () => ({ ...jest.requireActual('n8n-workflow'), sleep: async () => {} }));

const MAX_ITEMS = 20;
const FEEDBACK = 50;
const RECONNECT = 'The X access token is invalid or expired: reconnect the credential';
const CLOCK_OFF = "X rejected the request's timestamp: this machine's clock is off";

const params: INodeParameters = {
	events: ['request', 'score', 'comment'],
	feedbackType: 'all',
	options: { minEventAgeHours: 0, includeTest: true, maxItems: MAX_ITEMS, startFrom: new Date(T0 - 5 * 3_600_000).toISOString() },
};

interface TriggerCase {
	fault: string;
	arm: (w: FaultWorld) => ArmedAction;
	/** The user's fix once a poll failed loudly (clock synchronised, credential reconnected). */
	fix?: (w: FaultWorld) => Promise<void> | void;
	fixLabel?: string;
	/** Loud errors allowed (or, with `mustBeLoud`, required); none when absent. */
	loud?: string;
	mustBeLoud?: boolean;
	/** A product bug breaks the invariant here: recorded in the table, checked by a `test.failing` below. */
	knownBug?: string;
}

const CASES: TriggerCase[] = [
	{ fault: '503/130 ×2 (within the retry bound)', arm: () => ({ faults: [{ kind: 'status', status: 503, count: 2 }] }) },
	{ fault: '500/131 ×10 (longer than the retry bound: 1 try + 3 retries)', arm: () => ({ faults: [{ kind: 'status', status: 500, count: 10 }] }) },
	{ fault: '503/130 ×30 (X down for several polls)', arm: () => ({ faults: [{ kind: 'status', status: 503, count: 30 }] }) },
	{ fault: '429/88 with x-rate-limit-reset 1 s ahead', arm: () => ({ faults: [{ kind: 'rateLimit', resetAfterMs: 1000 }] }) },
	{ fault: 'timeout ×1 (X holds the request; the client gives up)', arm: () => ({ faults: [{ kind: 'timeout', afterMs: 5000 }] }) },
	{ fault: 'timeout ×4 (longer than the retry bound)', arm: () => ({ faults: [{ kind: 'timeout', afterMs: 5000, count: 4 }] }) },
	{ fault: 'connection reset ×1', arm: () => ({ faults: [{ kind: 'reset' }] }) },
	{ fault: 'connection reset ×4 (longer than the retry bound)', arm: () => ({ faults: [{ kind: 'reset', count: 4 }] }) },
	{ fault: 'malformed body (200, not JSON)', arm: () => ({ faults: [{ kind: 'malformed' }] }) },
	{ fault: 'truncated body (200, half the JSON)', arm: () => ({ faults: [{ kind: 'truncated' }] }) },
	{ fault: 'empty pages ×3 (with next_cursor)', arm: () => ({ faults: [{ kind: 'emptyPage', count: 3 }] }) },
	{ fault: 'next_cursor field missing although more follow', arm: () => ({ faults: [{ kind: 'noCursorField' }] }) },
	{ fault: 'duplicate event at the next page start', arm: () => ({ faults: [{ kind: 'duplicateEvent' }] }) },
	{ fault: 'stale timestamp 401/135 ×1', arm: () => ({ faults: [{ kind: 'staleTimestamp' }] }), loud: CLOCK_OFF },
	{ fault: 'expired token 401/89 ×1', arm: () => ({ faults: [{ kind: 'expiredToken' }] }), loud: RECONNECT },
	{
		fault: "clock skew: this machine's clock 10 min ahead (real signatures, X checks them) until synchronised",
		arm: () => ({ run: () => skewSigningClock(600) }),
		fix: () => {
			restoreSigningClock();
		},
		fixLabel: 'the clock is synchronised',
		loud: CLOCK_OFF,
		mustBeLoud: true,
	},
	{
		fault: 'token revoked mid-drain (401/89 on every call) until the credential is reconnected',
		arm: (w) => ({ run: () => w.emu.store.accounts.revoke(w.creds.accessToken) }),
		fix: async (w) => {
			await w.reconnect();
		},
		fixLabel: 'the credential is reconnected (OAuth dance, new token)',
		loud: RECONNECT,
		mustBeLoud: true,
	},
];

/** Events requests after which the fault starts: 0 is the first page of the first poll; with 20 items a poll reads 3 pages. */
const POSITIONS = FULL ? [0, 1, 2, 3, 4, 5, 6, 8, 10, 12] : [0, 4];

let w: FaultWorld;
const outcomes = new Outcomes('trigger');
useFaultWorld((world) => (w = world), outcomes);

interface FaultedPoll {
	error?: string;
	items: number;
	early: boolean;
	first: boolean;
}

async function runCase(c: TriggerCase, position: number, restart: boolean) {
	await w.reset({ maxPageSize: 10 });
	const expected = w.seed(FEEDBACK, 100 + position);
	advance(2000);
	const trigger = w.trigger(params);
	const armed = w.arm(position, c.arm(w));
	const emitted: PartKey[] = [];
	/** Sent again after a restart, flagged (deliveryAttempt above 1): the batch in flight when n8n stopped. */
	const redelivered: PartKey[] = [];
	const loud: string[] = [];
	let faulted: FaultedPoll | undefined;
	let fixed = false;
	let idle = 0;
	let polls = 0;
	for (; polls < 200; polls++) {
		const firedBefore = armed.fired;
		w.requestsInRun = 0;
		const { items, error } = await trigger.poll();
		const again = items.filter((i) => Number(i.json.deliveryAttempt ?? 1) > 1);
		emitted.push(...keysOf(items.filter((i) => !again.includes(i))));
		redelivered.push(...keysOf(again));
		const open = Boolean((trigger.nodeState()?.pollState as { range?: unknown } | undefined)?.range);
		if (!firedBefore && armed.fired) {
			faulted = { error: error?.message, items: items.length, early: !error && open && items.length < MAX_ITEMS, first: armed.firedAtInRun === 0 };
			if (restart) trigger.restart();
		}
		if (error) {
			loud.push(error.message);
			if (c.fix && !fixed) {
				await c.fix(w);
				fixed = true;
			}
		}
		idle = items.length === 0 && !open && !error && armed.fired && w.pendingFaults() === 0 ? idle + 1 : 0;
		if (idle >= 3) break;
		advance(1000);
	}
	return { expected, emitted, redelivered, loud, faulted, polls };
}

function userSees(c: TriggerCase, faulted: FaultedPoll | undefined, loud: string[]): string {
	if (!faulted) return 'the fault never fired';
	const where = faulted.first ? "at a poll's first page" : 'mid-poll';
	const later = [...new Set(loud)].filter((m) => m !== faulted.error);
	const seen = faulted.error
		? `loud error "${faulted.error}"`
		: faulted.early
			? `the poll ends early with the items read so far, no error shown${later.length ? '' : '; the next poll goes on'}`
			: 'nothing visible (retried, or read on)';
	const then = later.length ? `; a later poll fails loudly: "${later.join('", "')}"` : '';
	const fix = c.fixLabel && loud.length ? `; once ${c.fixLabel}, it resumes` : '';
	return `${where}: ${seen}${then}${fix}`;
}

describe.each(CASES)('trigger: $fault', (c) => {
	test.each(POSITIONS.map((p) => [p, FULL && p % 2 === 1]))('fault from events request %i (restart after the faulted poll: %s)', async (position, restart) => {
		const { expected, emitted, redelivered, loud, faulted } = await runCase(c, position as number, restart as boolean);
		const once = onceCheck(emitted, expected);
		const redeliveredAsSaid = (restart || redelivered.length === 0) && redelivered.every((key) => emitted.includes(key));
		const held = once.missing.length === 0 && once.repeated.length === 0 && once.unexpected.length === 0 && redeliveredAsSaid;
		outcomes.add({
			node: 'Trigger (TriggerHarness)',
			fault: c.fault,
			userSees: userSees(c, faulted, loud),
			invariant: `every request, score and comment once across polls (about ${FEEDBACK * 2} parts, 4 to 20 polls${FULL ? '; half the runs restart n8n after the faulted poll, which sends the batch in flight again, flagged' : ''})`,
			held,
			...(c.knownBug && !held ? { userSees: `${userSees(c, faulted, loud)}; **a part comes out twice**` } : {}),
		});
		expect(faulted).toBeDefined();
		expect(once.missing).toEqual([]);
		expect(once.unexpected).toEqual([]);
		if (!c.knownBug) expect(once.repeated).toEqual([]);
		// Only a restart sends a batch again, flagged, and only parts that went out before.
		if (!restart) expect(redelivered).toEqual([]);
		expect(redelivered.filter((key) => !emitted.includes(key))).toEqual([]);
		if (c.mustBeLoud) expect(loud).toContain(c.loud);
		for (const message of loud) expect(message).toBe(c.loud);
	});
});

