/**
 * X's classic date format, `Sat Dec 15 17:58:20 +0000 2015`, and the squashed form the published
 * examples show (`SatDec1517:58:20+00002015`). Both parse to epoch milliseconds.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const CLASSIC = /^\s*[A-Za-z]{3}\s*([A-Za-z]{3})\s*(\d{1,2})\s*(\d{2}):(\d{2}):(\d{2})\s*([+-])(\d{2})(\d{2})\s*(\d{4})\s*$/;

/** Epoch ms of an X date (classic, squashed, ISO or epoch-ms string), or NaN when unreadable. */
export function parseXDateMs(value: unknown): number {
	if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
	if (typeof value !== 'string' || value.trim() === '') return NaN;
	const m = CLASSIC.exec(value);
	if (m) {
		const month = MONTHS.indexOf(m[1][0].toUpperCase() + m[1].slice(1, 3).toLowerCase());
		if (month < 0) return NaN;
		const sign = m[6] === '-' ? -1 : 1;
		const offsetMinutes = sign * (Number(m[7]) * 60 + Number(m[8]));
		const utc = Date.UTC(Number(m[9]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
		return utc - offsetMinutes * 60_000;
	}
	if (/^\d{10,}$/.test(value.trim())) return Number(value.trim());
	const iso = Date.parse(value);
	return Number.isNaN(iso) ? NaN : iso;
}

/** ISO string of an X date, or undefined when absent or unreadable. */
export function xDateToIso(value: unknown): string | undefined {
	const ms = parseXDateMs(value);
	return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Formats epoch ms as X does: `Sat Dec 15 17:58:20 +0000 2015` (UTC). */
export function formatXDate(ms: number): string {
	const d = new Date(ms);
	const pad = (n: number) => String(n).padStart(2, '0');
	return (
		`${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ` +
		`${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000 ${d.getUTCFullYear()}`
	);
}
