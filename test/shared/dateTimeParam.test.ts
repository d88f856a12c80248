/** dateTimeParam.ts: a dateTime field as epoch ms, in the workflow time zone. */
import { dateTimeToMs, wallClockToMs } from '../../nodes/shared/dateTimeParam';

describe('dateTimeToMs', () => {
	test('ISO with an offset or Z is taken as is', () => {
		expect(dateTimeToMs('2025-03-01T09:00:00Z', 'Europe/Berlin')).toBe(Date.UTC(2025, 2, 1, 9));
		expect(dateTimeToMs('2025-03-01T09:00:00.000+02:00', 'UTC')).toBe(Date.UTC(2025, 2, 1, 7));
	});

	test('wall-clock text is read in the workflow time zone, daylight saving included', () => {
		expect(dateTimeToMs('2025-01-15T09:00:00', 'Europe/Berlin')).toBe(Date.UTC(2025, 0, 15, 8));
		expect(dateTimeToMs('2025-07-15T09:00:00', 'Europe/Berlin')).toBe(Date.UTC(2025, 6, 15, 7));
		expect(dateTimeToMs('2025-07-15 09:30', 'America/New_York')).toBe(Date.UTC(2025, 6, 15, 13, 30));
		expect(dateTimeToMs('2025-07-15', 'Asia/Tokyo')).toBe(Date.UTC(2025, 6, 14, 15));
		expect(dateTimeToMs('2025-07-15T09:00:00.250', 'UTC')).toBe(Date.UTC(2025, 6, 15, 9, 0, 0, 250));
	});

	test('a time that does not exist (spring forward) or repeats (fall back) still gives an instant', () => {
		// Berlin skips 02:00-03:00 on 2025-03-30 and repeats 02:00-03:00 on 2025-10-26.
		// Skipped: read with the winter offset, so 02:30 becomes 03:30 summer time.
		expect(wallClockToMs(Date.UTC(2025, 2, 30, 2, 30), 'Europe/Berlin')).toBe(Date.UTC(2025, 2, 30, 1, 30));
		// Repeated: the earlier of the two.
		expect(wallClockToMs(Date.UTC(2025, 9, 26, 2, 30), 'Europe/Berlin')).toBe(Date.UTC(2025, 9, 26, 0, 30));
		expect(wallClockToMs(Date.UTC(2025, 10, 2, 1, 30), 'America/New_York')).toBe(Date.UTC(2025, 10, 2, 5, 30));
		expect(wallClockToMs(Date.UTC(2025, 2, 9, 2, 30), 'America/New_York')).toBe(Date.UTC(2025, 2, 9, 7, 30));
	});

	test('numbers, Dates, DateTime-like objects; empty and unreadable', () => {
		expect(dateTimeToMs(1_700_000_000_000, 'UTC')).toBe(1_700_000_000_000);
		expect(dateTimeToMs('1700000000000', 'UTC')).toBe(1_700_000_000_000);
		expect(dateTimeToMs(new Date(5000), 'UTC')).toBe(5000);
		expect(dateTimeToMs({ toMillis: () => 42 }, 'UTC')).toBe(42);
		expect(dateTimeToMs('', 'UTC')).toBeUndefined();
		expect(dateTimeToMs(undefined, 'UTC')).toBeUndefined();
		expect(dateTimeToMs('soon', 'UTC')).toBeNaN();
		expect(dateTimeToMs({}, 'UTC')).toBeNaN();
	});

	test('an unknown time zone reads wall-clock text as UTC', () => {
		expect(dateTimeToMs('2025-07-15T09:00:00', 'Not/AZone')).toBe(Date.UTC(2025, 6, 15, 9));
	});
});
