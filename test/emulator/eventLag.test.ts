/** The eventLag options: events stamped apart from the changes they report, snapshots still as of the change. */
import { parseXDateMs } from '../../nodes/shared/dates';
import { createParams, startHarness, type Harness, type TestCustomer } from './emulatorHarness';
import type { AnyJson } from '../../emulator/client';

const EVENTS = '/1.1/feedback/events.json';
const T0 = Date.parse('2026-03-02T10:00:00Z');
const HOUR = 3_600_000;

interface Page {
	events: Array<{ event_type: string; created_at: string; feedback: AnyJson }>;
	next_cursor?: string;
}

describe('eventLagMinMs / eventLagMaxMs', () => {
	let h: Harness;
	let ann: TestCustomer;

	beforeEach(async () => {
		h = await startHarness({ minEventAgeMs: 0 });
		[ann] = await h.addCustomers({ screenName: 'ann', allowlisted: true });
	});
	afterEach(() => h.close());

	async function history(snapshotMode: 'event' | 'current', lag: [number, number]) {
		const reset = await h.control('POST', 'reset', { options: { minEventAgeMs: 0, snapshotMode, eventLagMinMs: lag[0], eventLagMaxMs: lag[1] } });
		expect(reset.status).toBe(200);
		[ann] = await h.addCustomers({ screenName: 'ann', allowlisted: true });
		await h.control('POST', 'clock', { now: T0, freeze: true });
		const ids: string[] = [];
		for (let i = 0; i < 20; i++) {
			const res = await h.business.post('/1.1/feedback/create.json', { query: createParams(ann.id, { test: 'true' }) });
			expect(res.status).toBe(200);
			ids.push(res.body.id);
			h.emu.store.respond(res.body.id, { score: 4 });
			await h.control('POST', 'clock', { advanceMs: 10_000 });
		}
		await h.control('POST', 'clock', { advanceMs: 10 * HOUR });
		const res = await h.business.get<Page>(EVENTS, { from_time: T0 - 10 * HOUR, to_time: T0 + 9 * HOUR });
		expect(res.status).toBe(200);
		expect(res.body.next_cursor).toBeUndefined();
		return res.body.events;
	}

	it.each(['event', 'current'] as const)('stamps each event within the range of its change, listed by stamp (%s snapshots)', async (mode) => {
		const events = await history(mode, [-2 * HOUR, 6 * HOUR]);
		expect(events).toHaveLength(40);
		const stamps = events.map((e) => parseXDateMs(e.created_at));
		expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
		let early = 0;
		let late = 0;
		for (const e of events) {
			const stamp = parseXDateMs(e.created_at);
			const change = parseXDateMs(e.event_type === 'feedback.created' ? e.feedback.created_at : e.feedback.response.score.created_at);
			expect(stamp - change).toBeGreaterThanOrEqual(-2 * HOUR);
			expect(stamp - change).toBeLessThanOrEqual(6 * HOUR);
			if (stamp < change) early++;
			if (stamp > change) late++;
			if (mode === 'event') {
				// As of the change, not of the stamp: the created event never carries the score.
				expect(parseXDateMs(e.feedback.updated_at)).toBe(change);
				expect(e.event_type === 'feedback.created' ? e.feedback.response : e.feedback.response?.score?.value).toEqual(e.event_type === 'feedback.created' ? undefined : 4);
			} else {
				expect(e.feedback.response.score.value).toBe(4);
			}
		}
		expect(early).toBeGreaterThan(0);
		expect(late).toBeGreaterThan(0);
	});

	it('stamps events at their change by default', async () => {
		const events = await history('event', [0, 0]);
		for (const e of events) expect(e.created_at).toBe(e.feedback.updated_at);
	});

	it('refuses a range whose lowest end is above its highest, and parts of seconds', async () => {
		const bad = await h.control('POST', 'config', { eventLagMinMs: 1000, eventLagMaxMs: 0 });
		expect(bad.status).toBe(400);
		expect(bad.body.error).toContain('eventLagMinMs');
		const half = await h.control('POST', 'config', { eventLagMaxMs: 1500 });
		expect(half.status).toBe(400);
		const ok = await h.control('POST', 'config', { eventLagMinMs: -7_200_000, eventLagMaxMs: 21_600_000 });
		expect(ok.status).toBe(200);
		
	});
});
