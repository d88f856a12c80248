/** How figures read on the dashboard: the only place where they are rounded. Times are UTC. */
import { DAY_MS } from '../../shared/time';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const NO_VALUE = '—';
const MINUS = '\u2212';

/** Rounds halves away from zero, so −2.5 and 2.5 read alike. */
function roundHalfAway(x: number, digits = 0): number {
	const f = 10 ** digits;
	return (Math.sign(x) * Math.round(Math.abs(x) * f)) / f;
}

export function formatCount(n: number): string {
	return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function formatPct(x: number | null): string {
	return x === null ? NO_VALUE : `${roundHalfAway(x)}%`;
}

export function formatAverage(x: number | null): string {
	return x === null ? NO_VALUE : roundHalfAway(x, 2).toFixed(2);
}

export function formatNps(x: number | null): string {
	if (x === null) return NO_VALUE;
	const r = roundHalfAway(x);
	return r > 0 ? `+${r}` : r < 0 ? `${MINUS}${-r}` : '0';
}

export function formatSigned(n: number): string {
	return n < 0 ? `${MINUS}${-n}` : String(n);
}

const pad = (n: number) => String(n).padStart(2, '0');

export function formatDay(ms: number): string {
	const d = new Date(ms);
	return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

export function formatShortDay(ms: number): string {
	const d = new Date(ms);
	return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

export function formatDateTime(ms: number): string {
	const d = new Date(ms);
	return `${formatDay(ms)}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** `1 – 31 Mar 2025` style when the period is whole days, times otherwise. */
export function formatPeriod(fromMs: number, toMs: number): string {
	const wholeDays = fromMs % DAY_MS === 0 && (toMs + 1) % DAY_MS === 0;
	if (!wholeDays) return `${formatDateTime(fromMs)} – ${formatDateTime(toMs)}`;
	if (toMs + 1 - fromMs === DAY_MS) return `${formatDay(fromMs)} (UTC)`;
	return `${formatDay(fromMs)} – ${formatDay(toMs)} (UTC)`;
}
