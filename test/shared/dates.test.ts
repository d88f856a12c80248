import fc from 'fast-check';

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

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Strings laid out as `Sat Dec 15 17:58:20 +0000 2015`, fields drawn up to these limits: real dates or not. */
function canonicalShaped(months: string[], offsets: fc.Arbitrary<string>, max: { day: number; hour: number; minute: number }): fc.Arbitrary<string> {
	const upTo = (n: number) => fc.integer({ min: 0, max: n }).map((v) => pad(v, 2));
	return fc
		.tuple(fc.constantFrom(...months), upTo(max.day), upTo(max.hour), upTo(max.minute), upTo(max.minute), offsets, fc.integer({ min: 0, max: 9999 }))
		.map(([month, day, h, m, sec, offset, year]) => `Sat ${month} ${day} ${h}:${m}:${sec} ${offset} ${pad(year, 4)}`);
}

test('the fast ISO path says what Date says for any string in the canonical shape, real or not', () => {
	const shaped = canonicalShaped(['Jan', 'Feb', 'Apr', 'Dec', 'Foo', 'jan'], fc.constantFrom('+0000', '-0000', '+0100', '+00x0'), { day: 39, hour: 29, minute: 69 });
	fc.assert(
		fc.property(shaped, (s) => {
			const ms = parseXDateMs(s);
			expect(xDateToIso(s)).toBe(Number.isNaN(ms) ? undefined : new Date(ms).toISOString());
		}),
		{ numRuns: 2000 },
	);
	expect(xDateToIso('Sat Feb 30 10:00:00 +0000 2025')).toBeUndefined();
	expect(xDateToIso('Sat Nov 34 12:00:00 +0000 2026')).toBeUndefined();
	expect(xDateToIso('Thu Feb 29 12:00:00 +0000 2024')).toBe('2024-02-29T12:00:00.000Z');
	expect(parseXDateMs('Sat Nov 34 12:00:00 +0000 2026')).toBeNaN();
	expect(parseXDateMs('Sat  Nov 30 24:00:00 +0000 2026')).toBeNaN();
	expect(xDateToIso('99999999999999999999')).toBeUndefined();
});

test('the fast path reads any canonical date as Date.UTC does (the regular-expression path is the oracle)', () => {
	const offsets = fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 2359 })).map(([sign, offset]) => `${sign}${pad(offset, 4)}`);
	const shaped = canonicalShaped(['Jan', 'Feb', 'Mar', 'Jun', 'Sep', 'Dec'], offsets, { day: 99, hour: 99, minute: 99 });
	fc.assert(
		fc.property(shaped, (s) => {
			// One more space takes the regular-expression path, which reads the same fields with Date.UTC.
			expect(parseXDateMs(s)).toBe(parseXDateMs(s.replace(' ', '  ')));
		}),
		{ numRuns: 5000 },
	);
});
