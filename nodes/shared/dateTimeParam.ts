/**
 * A dateTime field as epoch ms. The editor's date picker gives wall-clock text without an offset
 * (`2025-03-01T09:00:00`), meant in the workflow's time zone; expressions give ISO text with an
 * offset (a Luxon DateTime arrives as its ISO string), a JS Date, or epoch milliseconds.
 */
import { DateTime } from 'luxon';

import { DAY_MS } from './time';

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

/** Offset of `timeZone` from UTC at the instant `ms`, in ms (positive east of Greenwich). */
function zoneOffsetMs(ms: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(ms));
	const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
	return wall - Math.floor(ms / 1000) * 1000;
}

/**
 * Epoch ms of a wall-clock time in a time zone. A time that happens twice (clocks go back) is the
 * earlier instant; a time that does not exist (clocks go forward) is read with the offset before
 * the change, so it lands just after it.
 */
export function wallClockToMs(wallUtcMs: number, timeZone: string): number {
	let before: number;
	let after: number;
	try {
		before = zoneOffsetMs(wallUtcMs - DAY_MS, timeZone);
		after = zoneOffsetMs(wallUtcMs + DAY_MS, timeZone);
	} catch {
		return wallUtcMs; // unknown zone: read as UTC
	}
	const valid = [wallUtcMs - before, wallUtcMs - after].filter((ms, i) => zoneOffsetMs(ms, timeZone) === (i === 0 ? before : after));
	return valid.length > 0 ? Math.min(...valid) : wallUtcMs - before;
}

/** Epoch ms of a dateTime field value, or NaN when it cannot be read; undefined when empty. */
export function dateTimeToMs(value: unknown, timeZone: string): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
	if (value instanceof Date) return value.getTime();
	if (typeof value === 'object') {
		const toMillis = (value as { toMillis?: unknown }).toMillis;
		if (typeof toMillis === 'function') return Number(toMillis.call(value));
		return NaN;
	}
	const text = String(value).trim();
	if (text === '') return undefined;
	if (/^\d{10,}$/.test(text)) return Number(text);
	const wall = WALL_CLOCK.exec(text);
	if (wall) {
		const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = wall;
		const parts = { year: Number(y), month: Number(mo), day: Number(d), hour: Number(h), minute: Number(mi), second: Number(s), millisecond: Number(frac.padEnd(3, '0')) };
		// Strict: 2025-00-00 or 2025-02-30 is an error, never rolled over to another day.
		if (!DateTime.fromObject(parts, { zone: 'utc' }).isValid) return NaN;
		const utc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, parts.millisecond);
		return wallClockToMs(utc, timeZone);
	}
	// Text with an offset, read strictly by luxon: ISO 8601, RFC 2822 or HTTP dates, nothing guessed.
	const readers = [
		() => DateTime.fromISO(text, { setZone: true }),
		() => DateTime.fromRFC2822(text, { setZone: true }),
		() => DateTime.fromHTTP(text, { setZone: true }),
	];
	for (const read of readers) {
		const parsed = read();
		if (parsed.isValid) return parsed.toMillis();
	}
	return NaN;
}

/** X's first day (21 March 2006): no feedback event can be older. */
export const X_EPOCH_MS = Date.UTC(2006, 2, 21);
/** The last time a JavaScript date can hold. */
const MAX_DATE_MS = 8.64e15;

/** Why `ms` cannot be a time to ask X about, or undefined when it can. */
export function timeProblem(ms: number): string | undefined {
	if (!(Math.abs(ms) <= MAX_DATE_MS)) return `is ${String(ms)}, not a time a date can hold`;
	if (ms < X_EPOCH_MS) return `is ${new Date(ms).toISOString()}, before X existed (21 March 2006)`;
	return undefined;
}
