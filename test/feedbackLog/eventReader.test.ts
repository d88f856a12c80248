/** The one events reader and the saved-state check, on the pure level. */
import { AnomalyLog } from '../../nodes/shared/feedbackLog/anomalies';
import { createEventReader, MAX_IDLE_PAGES, PAGE_SIZE, StuckListingError, type PageFetcher } from '../../nodes/shared/feedbackLog/eventReader';
import { checkPollState, initialPollState } from '../../nodes/XCustomerFeedbackTrigger/pollState';
import { formatXDate } from '../../emulator/xDate';
import { isInvisibleOnly, notTextProblem, textProblem } from '../../nodes/shared/textRules';
import type { XFeedbackEvent, XFeedbackEventsPage } from '../../nodes/shared/types';

const T = Date.UTC(2026, 10, 1, 12, 0, 0);
const range = { fromMs: T, toMs: T + 3_600_000 };

const ev = (id: string, atMs: number | string): XFeedbackEvent =>
	({
		event_type: 'feedback.created',
		created_at: typeof atMs === 'number' ? formatXDate(atMs) : atMs,
		feedback: { id, created_at: formatXDate(T), updated_at: formatXDate(T), type: 'csat', test: false },
	}) as unknown as XFeedbackEvent;

function scripted(pages: XFeedbackEventsPage[]): { fetch: PageFetcher; calls: () => number } {
	let n = 0;
	return {
		fetch: async () => ({ page: pages[Math.min(n++, pages.length - 1)] }),
		calls: () => n,
	};
}

describe('the event reader', () => {
	test('events outside the range (beyond one second) or with unreadable dates are set aside and counted; the second at each end is kept', async () => {
		const log = new AnomalyLog();
		const x = scripted([{ events: [ev('a', T - 1000), ev('b', T - 2000), ev('c', range.toMs + 1000), ev('d', range.toMs + 2000), ev('e', 'soon')], next_cursor: '' }]);
		const page = await createEventReader(x.fetch, range, { anomalies: log }).next();
		expect(page.events.map((e) => e.event.feedback.id)).toEqual(['a', 'c']);
		expect(log.byReason).toEqual({ eventOutsideRange: 2, unreadableEventDate: 1 });
		expect(page.end).toBe('empty');
	});

	test('a full page without the next_cursor field is asked for once more; a short one is the end', async () => {
		const full = { events: Array.from({ length: PAGE_SIZE }, (_, i) => ev(String(i), T + i * 1000)) };
		const x = scripted([full, { ...full, next_cursor: 'more' }]);
		const page = await createEventReader(x.fetch, range, { anomalies: new AnomalyLog() }).next();
		expect(x.calls()).toBe(2);
		expect(page.next).toBe('more');
		const y = scripted([{ events: [ev('a', T)] }]);
		expect((await createEventReader(y.fetch, range, { anomalies: new AnomalyLog() }).next()).end).toBe('missing');
		expect(y.calls()).toBe(1);
	});

	test('a cursor handed back (the one asked with, or one from earlier: a cycle) is stuck at once, saying so', async () => {
		const stuck = createEventReader(scripted([{ events: [], next_cursor: 'c' }]).fetch, range, { anomalies: new AnomalyLog() });
		await stuck.next();
		await expect(stuck.next()).rejects.toThrow(/back the cursor it was asked with \("c"\)/);
		expect(stuck.calls).toBe(2);
		const cycle = createEventReader(
			scripted([{ events: [ev('a', T)], next_cursor: 'A' }, { events: [ev('b', T + 1000)], next_cursor: 'B' }, { events: [ev('c', T + 2000)], next_cursor: 'A' }]).fetch,
			range,
			{ anomalies: new AnomalyLog() },
		);
		await cycle.next();
		await cycle.next();
		await expect(cycle.next()).rejects.toThrow(/a cursor it had given before in this listing \("A"\)/);
	});

	test('fresh cursors are followed through any run of empty pages, however long, while the rate budget lasts', async () => {
		// Before issue 17 a listing stopped after 3 empty pages in a row; now 900 are followed.
		const EMPTY = 900;
		let n = 0;
		const fetch: PageFetcher = async () => {
			n++;
			const page = n <= EMPTY ? { events: [], next_cursor: `c${n}` } : { events: [ev('a', T)], next_cursor: '' };
			return { page, rateLimit: { limit: 1000, remaining: 1000 - n, resetAt: 0 } };
		};
		const reader = createEventReader(fetch, range, { anomalies: new AnomalyLog(), rateReserve: 10 });
		const ids: string[] = [];
		for (;;) {
			const page = await reader.next();
			ids.push(...page.events.map((e) => String(e.event.feedback.id)));
			if (page.next === undefined) break;
		}
		expect(ids).toEqual(['a']);
		expect(reader.calls).toBe(EMPTY + 1);
	});

	test('a run of pages with nothing new stops at the rate reserve, with the count', async () => {
		let n = 0;
		const fetch: PageFetcher = async () => ({ page: { events: [], next_cursor: `c${++n}` }, rateLimit: { limit: 1000, remaining: 1000 - n, resetAt: 0 } });
		const reader = createEventReader(fetch, range, { anomalies: new AnomalyLog(), rateReserve: 10 });
		let error: unknown;
		while (!error) await reader.next().catch((e: unknown) => (error = e));
		expect(error).toBeInstanceOf(StuckListingError);
		expect((error as Error).message).toMatch(/990 pages in a row with no new events, a new cursor each time .* has 10 calls left; 10 calls are kept in reserve/);
		expect(reader.calls).toBe(990);
	});

	test('without rate-limit headers the absolute bound is one whole window of calls, with the count', async () => {
		let n = 0;
		const fetch: PageFetcher = async () => ({ page: { events: [], next_cursor: `c${++n}` } });
		const reader = createEventReader(fetch, range, { anomalies: new AnomalyLog(), rateReserve: 10 });
		let error: unknown;
		while (!error) await reader.next().catch((e: unknown) => (error = e));
		expect((error as Error).message).toMatch(/1,000 pages in a row with no new events.*\(1,000 calls\)/);
		expect(reader.calls).toBe(MAX_IDLE_PAGES);
	});

	test('identical events one per page under new cursors are followed like empty pages: each is passed on, the run is bounded the same way', async () => {
		let n = 0;
		const fetch: PageFetcher = async () => ({ page: { events: [ev('same', T)], next_cursor: `c${++n}` }, rateLimit: { limit: 1000, remaining: 100 - n, resetAt: 0 } });
		const reader = createEventReader(fetch, range, { anomalies: new AnomalyLog(), rateReserve: 10 });
		let error: unknown;
		let passed = 0;
		while (!error) await reader.next().then((p) => (passed += p.events.length), (e: unknown) => (error = e));
		expect(error).toBeInstanceOf(StuckListingError);
		// The first page is new; the 89 after it bring nothing new until 10 calls are left.
		expect(reader.calls).toBe(90);
		expect(passed).toBe(89);
	});

	test('identical events on either side of a page boundary are two events: both are passed on, nothing is set aside', async () => {
		const log = new AnomalyLog();
		const a = ev('a', T);
		const reader = createEventReader(scripted([{ events: [a, a], next_cursor: 'c' }, { events: [a, ev('b', T + 1000)], next_cursor: '' }]).fetch, range, { anomalies: log });
		expect((await reader.next()).events).toHaveLength(2);
		expect((await reader.next()).events.map((e) => e.event.feedback.id)).toEqual(['a', 'b']);
		expect(log.total).toBe(0);
	});

	test('a page with more events than asked: the first 100 are taken, the rest set aside with one count', async () => {
		const log = new AnomalyLog();
		const huge = Array.from({ length: 300_000 }, (_, i) => ev(String(i), T + (i % 3_600) * 1000));
		const page = await createEventReader(scripted([{ events: huge, next_cursor: '' }]).fetch, range, { anomalies: log }).next();
		expect(page.events).toHaveLength(PAGE_SIZE);
		expect(page.events[PAGE_SIZE - 1].event.feedback.id).toBe(String(PAGE_SIZE - 1));
		expect(log.total).toBe(299_900);
		expect(log.byReason).toEqual({ beyondPageSize: 299_900 });
		expect(log.examples).toEqual([
			{ reason: 'beyondPageSize', feedbackId: null, detail: 'X sent 300,000 events on one page that asked for 100: the first 100 were taken, 299,900 set aside' },
		]);
	});
});

describe('the saved-state check', () => {
	const settings = { nowMs: T, minEventAgeMs: 0, startFromMs: null, account: '42' };

	test('a fresh state starts at the start of the current second', () => {
		expect(initialPollState(T + 700, 0, null).sinceMs).toBe(T - 1);
	});

	test('out-of-range values are repaired and reported, not taken', () => {
		const saved = { ...initialPollState(T - 60_000, 0, null, '42'), rate: { remaining: 0, resetAt: T }, waitUntilMs: T + 86_400_000, failingSinceMs: T + 1 };
		const check = checkPollState(saved, settings);
		expect(check.ok && check.state.rate).toBeUndefined();
		expect(check.ok && check.state.waitUntilMs).toBeUndefined();
		expect(check.ok && check.state.failingSinceMs).toBeUndefined();
		expect(check.ok && check.repairs).toHaveLength(3);
	});

	test('a longer minimum age waits for time to catch up instead of repairing', () => {
		const saved = initialPollState(T, 0, null, '42');
		const check = checkPollState(saved, { ...settings, minEventAgeMs: 3_600_000 });
		expect(check.ok && check.repairs).toEqual([]);
		expect(check.ok && check.state.windowEndMs).toBe(saved.windowEndMs);
	});

	test('another account restarts from now; unusable state names the problem', () => {
		const check = checkPollState({ ...initialPollState(T - 86_400_000, 0, null, '7') }, settings);
		expect(check.ok && check.restart).toMatch(/account 42, not 7/);
		expect(check.ok && check.state.sinceMs).toBe(T - 1);
		expect(checkPollState({ v: 1, sinceMs: 1, windowEndMs: 'x', highMs: 1, recent: {} }, settings)).toEqual({ ok: false, problem: 'windowEndMs is "x", not a time' });
	});
});

describe('text rules', () => {
	test('objects, lists, broken characters, invisible-only text and control characters in IDs', () => {
		expect(notTextProblem({ a: 1 })).toMatch(/object/);
		expect(notTextProblem([1])).toMatch(/list/);
		expect(notTextProblem('fine')).toBeUndefined();
		expect(textProblem('a \uD83D b', 'text')).toMatch(/broken character/);
		expect(textProblem('a 😀 b', 'text')).toBeUndefined();
		expect(textProblem('case\u0007', 'id')).toMatch(/U\+0007/);
		expect(textProblem('case\u0007', 'text')).toBeUndefined();
		expect(isInvisibleOnly('\u200B \u200D\uFEFF')).toBe(true);
		expect(isInvisibleOnly('\u200Bx')).toBe(false);
	});
});
