import { formatXDate } from '../../emulator/xDate';
import { parseXDateMs, xDateToIso } from '../../nodes/shared/dates';

describe('X dates', () => {
	test('classic form', () => {
		expect(xDateToIso('Sat Dec 15 17:58:20 +0000 2015')).toBe('2015-12-15T17:58:20.000Z');
	});

	test('squashed form of the published examples', () => {
		expect(xDateToIso('SatDec1517:58:20+00002015')).toBe('2015-12-15T17:58:20.000Z');
	});

	test('offsets other than UTC', () => {
		expect(xDateToIso('Sat Dec 15 19:58:20 +0200 2015')).toBe('2015-12-15T17:58:20.000Z');
		expect(xDateToIso('Sat Dec 15 12:28:20 -0530 2015')).toBe('2015-12-15T17:58:20.000Z');
	});

	test('ISO and epoch-ms strings pass through; garbage does not', () => {
		expect(parseXDateMs('2015-12-15T17:58:20Z')).toBe(Date.UTC(2015, 11, 15, 17, 58, 20));
		expect(parseXDateMs('1450202300000')).toBe(1450202300000);
		expect(parseXDateMs('yesterday-ish')).toBeNaN();
		expect(parseXDateMs(undefined)).toBeNaN();
		expect(xDateToIso('')).toBeUndefined();
	});

	test('formatting round-trips', () => {
		const ms = Date.UTC(2026, 0, 5, 3, 4, 5);
		expect(formatXDate(ms)).toBe('Mon Jan 05 03:04:05 +0000 2026');
		expect(parseXDateMs(formatXDate(ms))).toBe(ms);
	});
});

test('the fast ISO path agrees with Date for every month and day', () => {
	for (let ms = Date.UTC(2024, 0, 1); ms < Date.UTC(2025, 0, 1); ms += 86_400_000 + 3_723_000) {
		expect(xDateToIso(formatXDate(ms))).toBe(new Date(Math.floor(ms / 1000) * 1000).toISOString());
		expect(parseXDateMs(formatXDate(ms))).toBe(Math.floor(ms / 1000) * 1000);
	}
});
