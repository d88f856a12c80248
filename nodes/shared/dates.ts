/**
 * X's classic date format, `Sat Dec 15 17:58:20 +0000 2015`, and the squashed form the published
 * examples show (`SatDec1517:58:20+00002015`). Both parse to epoch milliseconds. (Only the emulator
 * writes X dates: emulator/xDate.ts.)
 */

import { MINUTE_MS } from './time';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const CLASSIC = /^\s*[A-Za-z]{3}\s*([A-Za-z]{3})\s*(\d{1,2})\s*(\d{2}):(\d{2}):(\d{2})\s*([+-])(\d{2})(\d{2})\s*(\d{4})\s*$/;

const MONTH_INDEX: Record<string, number> = Object.fromEntries(MONTHS.map((m, i) => [m, i]));

function digits(s: string, from: number, count: number): number {
	let n = 0;
	for (let i = from; i < from + count; i++) {
		const d = s.charCodeAt(i) - 48;
		if (d < 0 || d > 9) return NaN;
		n = n * 10 + d;
	}
	return n;
}

/** `Sat Dec 15 17:58:20 +0000 2015` exactly, without a regular expression: the trigger reads
 * several of these per event, so this is the hot path of a large backlog. NaN if not that shape. */
function parseCanonical(s: string): number {
	if (s.length !== 30 || s[3] !== ' ' || s[10] !== ' ' || s[13] !== ':' || s[16] !== ':' || s[19] !== ' ' || s[25] !== ' ') {
		return NaN;
	}
	const month = MONTH_INDEX[s.slice(4, 7)];
	if (month === undefined) return NaN;
	const sign = s[20] === '-' ? -1 : s[20] === '+' ? 1 : NaN;
	const offsetMinutes = sign * (digits(s, 21, 2) * 60 + digits(s, 23, 2));
	const utc = Date.UTC(digits(s, 26, 4), month, digits(s, 8, 2), digits(s, 11, 2), digits(s, 14, 2), digits(s, 17, 2));
	return utc - offsetMinutes * MINUTE_MS;
}

/** The canonical UTC form, checked character by character (cheaper than parsing it). */
function isCanonicalShape(s: string): boolean {
	if (s[3] !== ' ' || s[10] !== ' ' || s[13] !== ':' || s[16] !== ':' || MONTH_INDEX[s.slice(4, 7)] === undefined) return false;
	for (const i of DIGIT_POSITIONS) {
		const c = s.charCodeAt(i);
		if (c < 48 || c > 57) return false;
	}
	return true;
}

const DIGIT_POSITIONS = [8, 9, 11, 12, 14, 15, 17, 18, 26, 27, 28, 29];

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
		const utc = Date.UTC(Number(m[9]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
		return utc - offsetMinutes * MINUTE_MS;
	}
	if (/^\d{10,}$/.test(value.trim())) return Number(value.trim());
	const iso = Date.parse(value);
	return Number.isNaN(iso) ? NaN : iso;
}

const MONTH_NUMBER: Record<string, string> = Object.fromEntries(MONTHS.map((m, i) => [m, String(i + 1).padStart(2, '0')]));

/** ISO string of an X date, or undefined when absent or unreadable. */
export function xDateToIso(value: unknown): string | undefined {
	// The canonical UTC form maps to ISO by rearranging characters: no Date object on the hot path.
	if (typeof value === 'string' && value.length === 30 && value.slice(19, 26) === ' +0000 ' && isCanonicalShape(value)) {
		return `${value.slice(26, 30)}-${MONTH_NUMBER[value.slice(4, 7)]}-${value.slice(8, 10)}T${value.slice(11, 19)}.000Z`;
	}
	const ms = parseXDateMs(value);
	return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
