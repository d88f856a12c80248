/**
 * X's classic date format, `Sat Dec 15 17:58:20 +0000 2015`, and the squashed form the published
 * examples show (`SatDec1517:58:20+00002015`). Both parse to epoch milliseconds. (Only the emulator
 * writes X dates: emulator/xDate.ts.)
 */

import { MINUTE_MS } from './time';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const CLASSIC = /^\s*[A-Za-z]{3}\s*([A-Za-z]{3})\s*(\d{1,2})\s*(\d{2}):(\d{2}):(\d{2})\s*([+-])(\d{2})(\d{2})\s*(\d{4})\s*$/;

/** The furthest from 1970 a Date can be, in ms. */
const MAX_DATE_MS = 8.64e15;

/** A month's three letters as one number (char codes), so reading it allocates no string. */
const monthCode = (s: string, at: number) => (s.charCodeAt(at) << 16) | (s.charCodeAt(at + 1) << 8) | s.charCodeAt(at + 2);
const MONTH_BY_CODE = new Map(MONTHS.map((m, i) => [monthCode(m, 0), i]));

function digits(s: string, from: number, count: number): number {
	let n = 0;
	for (let i = from; i < from + count; i++) {
		const d = s.charCodeAt(i) - 48;
		if (d < 0 || d > 9) return NaN;
		n = n * 10 + d;
	}
	return n;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether the fields name a time that exists: `Nov 34`, `Feb 29` of 2025 or `24:00:00` do not (Date
 * would run them on into the next month, day or minute). */
function realTime(year: number, month: number, day: number, h: number, m: number, sec: number, offsetMinutes: number): boolean {
	const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
	const days = month === 1 && leap ? 29 : DAYS_IN_MONTH[month];
	return day >= 1 && day <= days && h < 24 && m < 60 && sec < 60 && Math.abs(offsetMinutes % 60) < 60 && Math.abs(offsetMinutes) < 24 * 60;
}

/** The month index (0-11) of `Sat Dec 15 17:58:20 +0000 2015` when the string has exactly that
 * layout of separators, else undefined. */
function canonicalMonth(s: string): number | undefined {
	if (s.length !== 30 || s[3] !== ' ' || s[10] !== ' ' || s[13] !== ':' || s[16] !== ':' || s[19] !== ' ' || s[25] !== ' ') {
		return undefined;
	}
	return MONTH_BY_CODE.get(monthCode(s, 4));
}

/** `Sat Dec 15 17:58:20 +0000 2015` exactly, without a regular expression or a new string: the
 * trigger reads several of these per event, so this is the hot path of a large backlog. NaN if not
 * that shape. */
function parseCanonical(s: string): number {
	const month = canonicalMonth(s);
	if (month === undefined) return NaN;
	const sign = s[20] === '-' ? -1 : s[20] === '+' ? 1 : NaN;
	const offsetMinutes = sign * (digits(s, 21, 2) * 60 + digits(s, 23, 2));
	if (!(digits(s, 23, 2) < 60)) return NaN;
	// One const each: a destructured array was allocated for every date (16 MB per drain; bench, drain).
	const year = digits(s, 26, 4);
	const day = digits(s, 8, 2);
	const h = digits(s, 11, 2);
	const m = digits(s, 14, 2);
	const sec = digits(s, 17, 2);
	if (!realTime(year, month, day, h, m, sec, offsetMinutes)) return NaN;
	const utc = utcMs(year, month, day, h, m, sec);
	return utc - offsetMinutes * MINUTE_MS;
}

/**
 * Date.UTC by arithmetic (days from the civil calendar, H. Hinnant's algorithm), a third of its cost
 * on the hot path. Like Date.UTC, years 0-99 are 1900-1999; the fields are checked real before.
 */
function utcMs(year: number, month: number, day: number, h: number, m: number, sec: number): number {
	const y = (year >= 0 && year <= 99 ? year + 1900 : year) - (month < 2 ? 1 : 0);
	const era = Math.floor(y / 400);
	const yoe = y - era * 400;
	const mp = (month + 10) % 12; // March is 0: the leap day ends the year
	const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
	const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
	const days = era * 146097 + doe - 719468;
	const ms = ((days * 24 + h) * 60 + m) * 60_000 + sec * 1000;
	return Math.abs(ms) <= MAX_DATE_MS ? ms : NaN;
}

/** Epoch ms of an X date (classic, squashed, ISO or epoch-ms string), or NaN when unreadable. */
export function parseXDateMs(value: unknown): number {
	if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
	if (typeof value !== 'string' || value.trim() === '') return NaN;
	const canonical = parseCanonical(value);
	if (!Number.isNaN(canonical)) return canonical;
	const m = CLASSIC.exec(value);
	if (m) {
		const month = MONTHS.indexOf(m[1][0].toUpperCase() + m[1].slice(1, 3).toLowerCase());
		if (month < 0) return NaN;
		const sign = m[6] === '-' ? -1 : 1;
		const offsetMinutes = sign * (Number(m[7]) * 60 + Number(m[8]));
		if (!(Number(m[8]) < 60) || !realTime(Number(m[9]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), offsetMinutes)) return NaN;
		const utc = Date.UTC(Number(m[9]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
		return utc - offsetMinutes * MINUTE_MS;
	}
	if (/^\d{10,}$/.test(value.trim())) return Number(value.trim());
	const iso = Date.parse(value);
	return Number.isNaN(iso) ? NaN : iso;
}

/**
 * The ISO form of `Sat Dec 15 17:58:20 +0000 2015` when it is a real UTC time in that exact shape,
 * else undefined. Built in one flat string from the characters: a template of slices makes a chain
 * of strings per date, which a thousand kept items carry into garbage collection and n8n's save.
 */
function canonicalUtcToIso(s: string): string | undefined {
	const month = canonicalMonth(s);
	if (month === undefined || s.charCodeAt(20) !== 43 || digits(s, 21, 4) !== 0 || !(digits(s, 26, 4) >= 1000)) return undefined;
	const day = digits(s, 8, 2);
	// Days past 28 go the long way, which says whether the month has them.
	if (!(day >= 1 && day <= 28) || !(digits(s, 11, 2) < 24) || !(digits(s, 14, 2) < 60) || !(digits(s, 17, 2) < 60)) return undefined;
	const c = (i: number) => s.charCodeAt(i);
	const m = month + 1;
	// prettier-ignore
	return String.fromCharCode(c(26), c(27), c(28), c(29), 45, 48 + Math.floor(m / 10), 48 + (m % 10), 45, c(8), c(9), 84, c(11), c(12), 58, c(14), c(15), 58, c(17), c(18), 46, 48, 48, 48, 90);
}

/** ISO string of an X date, or undefined when absent or unreadable. */
export function xDateToIso(value: unknown): string | undefined {
	const fast = typeof value === 'string' ? canonicalUtcToIso(value) : undefined;
	if (fast !== undefined) return fast;
	const ms = parseXDateMs(value);
	// Past ±8.64e15 ms (an epoch string of 20 digits) there is no Date, and toISOString would throw.
	return Number.isNaN(ms) || Math.abs(ms) > MAX_DATE_MS ? undefined : new Date(ms).toISOString();
}
