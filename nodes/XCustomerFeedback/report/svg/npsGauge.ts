/** A half-circle NPS gauge from −100 to 100, banded by the usual reading of NPS, as inline SVG. */
import { escapeHtml } from '../escapeHtml';
import { formatNps } from '../format';
import { DETRACTOR, EMPTY, INK, MUTED, PASSIVE, PROMOTER } from '../palette';

const WIDTH = 260;
const HEIGHT = 168;
const CX = 130;
const CY = 134;
const R = 104;
const TRACK = 20;

/** Bands: below 0 needs work, 0–30 good, 30–70 great, 70 and up excellent. */
const BANDS: Array<[number, number, string]> = [
	[-100, 0, DETRACTOR],
	[0, 30, PASSIVE],
	[30, 70, '#7ac74f'],
	[70, 100, PROMOTER],
];

function point(value: number, radius: number): [number, number] {
	const angle = Math.PI * (1 - (value + 100) / 200);
	return [CX + radius * Math.cos(angle), CY - radius * Math.sin(angle)];
}

function arc(from: number, to: number, colour: string): string {
	const [x1, y1] = point(from, R);
	const [x2, y2] = point(to, R);
	return `<path d="M${x1.toFixed(2)} ${y1.toFixed(2)}A${R} ${R} 0 0 1 ${x2.toFixed(2)} ${y2.toFixed(2)}" fill="none" stroke="${colour}" stroke-width="${TRACK}"/>`;
}

export function npsGauge(nps: number | null): string {
	const label = nps === null ? 'NPS gauge: no NPS scores in the period' : `NPS gauge: ${formatNps(nps)} on a scale from −100 to 100`;
	const bands = nps === null ? arc(-100, 100, EMPTY) : BANDS.map(([a, b, c]) => arc(a, b, c)).join('');
	let needle = '';
	if (nps !== null) {
		const value = Math.min(100, Math.max(-100, nps));
		const [tx, ty] = point(value, R - TRACK / 2 - 6);
		needle =
			`<g class="needle" data-value="${value}"><line x1="${CX}" y1="${CY}" x2="${tx.toFixed(2)}" y2="${ty.toFixed(2)}" stroke="${INK}" stroke-width="4" stroke-linecap="round"/>` +
			`<circle cx="${CX}" cy="${CY}" r="7" fill="${INK}"/></g>`;
	}
	const [lx, ly] = point(-100, R);
	const [rx, ry] = point(100, R);
	const [zx, zy] = point(0, R + TRACK / 2 + 6);
	return (
		`<svg data-chart="nps-gauge" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(label)}">` +
		bands +
		needle +
		`<text x="${lx.toFixed(1)}" y="${(ly + 22).toFixed(1)}" text-anchor="middle" font-size="12" fill="${MUTED}">−100</text>` +
		`<text x="${zx.toFixed(1)}" y="${(zy - 2).toFixed(1)}" text-anchor="middle" font-size="12" fill="${MUTED}">0</text>` +
		`<text x="${rx.toFixed(1)}" y="${(ry + 22).toFixed(1)}" text-anchor="middle" font-size="12" fill="${MUTED}">100</text>` +
		`<text x="${CX}" y="${CY + 28}" text-anchor="middle" font-size="22" font-weight="700" fill="${INK}">${escapeHtml(formatNps(nps))}</text>` +
		`</svg>`
	);
}
