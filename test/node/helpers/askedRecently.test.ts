/** helpers/askedRecently.ts: the keys of Send Request's memory of whom it asked. */
import { MAX_SKIP_DAYS, askedKey, dayOf, keysPerCheck, latestDay, maxSkipDays, windowKeys } from '../../../nodes/XCustomerFeedback/helpers/askedRecently';
import { DAY_MS } from '../../../nodes/shared/time';

describe('askedRecently', () => {
	const now = Date.UTC(2025, 5, 1, 12);

	test('one key per customer (user ID as X writes it) and UTC day; a window of N days is today and the N days before', () => {
		expect(dayOf(Date.UTC(2025, 5, 1, 23, 59))).toBe('2025-06-01');
		expect(askedKey('42', '2025-06-01')).toBe('42@2025-06-01');
		expect(askedKey('0042', '2025-06-01')).toBe('42@2025-06-01');
		expect(askedKey('0', '2025-06-01')).toBe('0@2025-06-01');
		expect(windowKeys('42', now, 3)).toEqual(['42@2025-05-29', '42@2025-05-30', '42@2025-05-31', '42@2025-06-01']);
		expect(windowKeys('42', now, 1)).toEqual(['42@2025-05-31', '42@2025-06-01']);
		expect(windowKeys('42', now - 8 * DAY_MS, 0)).toEqual(['42@2025-05-24']);
	});

	test('a card is always inside the window for N × 24 hours after it, and never more than a day longer', () => {
		const inWindow = (askedMs: number, nowMs: number, days: number) => windowKeys('1', nowMs, days).includes(askedKey('1', dayOf(askedMs)));
		const asked = Date.UTC(2026, 2, 1, 23, 59, 59, 999);
		expect(inWindow(asked, asked + 6 * DAY_MS + 1, 7)).toBe(true); // 03-08 00:00:00.000
		expect(inWindow(asked, asked + 7 * DAY_MS - 1, 7)).toBe(true);
		expect(inWindow(asked, asked + 7 * DAY_MS + 1, 7)).toBe(false);
		const early = Date.UTC(2026, 2, 1, 0, 0, 0, 1);
		expect(inWindow(early, early + 8 * DAY_MS - 2, 7)).toBe(true);
		expect(inWindow(early, early + 8 * DAY_MS, 7)).toBe(false);
	});

	test("the longest window is what the store holds at X's 1,000 requests a day: 8 days", () => {
		expect(MAX_SKIP_DAYS).toBe(8);
		expect((MAX_SKIP_DAYS + 1) * 1000 + keysPerCheck(MAX_SKIP_DAYS)).toBeLessThanOrEqual(10_000);
		expect((MAX_SKIP_DAYS + 2) * 1000 + keysPerCheck(MAX_SKIP_DAYS + 1)).toBeGreaterThan(10_000);
		expect(maxSkipDays(100, 10_000)).toBe(98);
	});

	test('latestDay picks the most recent day among keys, whatever their order', () => {
		expect(latestDay(['1@2025-05-30', '1@2025-06-01', '1@2025-05-31'])).toBe('2025-06-01');
		expect(latestDay([])).toBeUndefined();
	});
});
