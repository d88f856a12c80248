/**
 * X's classic date format, as X writes it: `Sat Dec 15 17:58:20 +0000 2015` (UTC, whole seconds),
 * and the emulator's own reading of it. The nodes have theirs (nodes/shared/dates.ts): the stand-in
 * shares no parser with the code it tests, so a wrong reading cannot hide in both.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Formats epoch ms as X does: `Sat Dec 15 17:58:20 +0000 2015` (UTC). */
export function formatXDate(ms: number): string {
	const d = new Date(ms);
	const pad = (n: number) => String(n).padStart(2, '0');
	return (
		`${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ` +
		`${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000 ${d.getUTCFullYear()}`
	);
}

const CLASSIC = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{2}) (\d{2}):(\d{2}):(\d{2}) \+0000 (\d{4})$/;

/** Epoch ms of `Sat Dec 15 17:58:20 +0000 2015` exactly as X writes it (UTC), or NaN. */
export function parseXDate(text: string): number {
	const m = CLASSIC.exec(text);
	if (!m) return NaN;
	const [, , month, day, h, min, sec, year] = m;
	const ms = Date.UTC(Number(year), MONTHS.indexOf(month), Number(day), Number(h), Number(min), Number(sec));
	// A day that runs into the next month (Nov 31) is not a date X writes.
	return new Date(ms).getUTCDate() === Number(day) ? ms : NaN;
}

/** Every classic date in a JSON text written as X's published examples show it: `SatDec1517:58:20+00002015`. */
export function compactXDates(json: string): string {
	return json.replace(/"(Sun|Mon|Tue|Wed|Thu|Fri|Sat) ([A-Z][a-z]{2}) (\d{2}) (\d{2}:\d{2}:\d{2}) \+0000 (\d{4})"/g, '"$1$2$3$4+0000$5"');
}
