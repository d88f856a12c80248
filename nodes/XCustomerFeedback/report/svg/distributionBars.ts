/** A bar per score (CSAT 1–5, NPS 0–10) with its count, as inline SVG. */
import { escapeHtml } from '../escapeHtml';
import type { ScoreCount } from '../figures';
import { formatCount, formatPct } from '../format';
import { EMPTY, GRID, INK, MUTED } from '../palette';

export interface DistributionBarsOptions {
	/** `data-chart` name, for tests and styling. */
	name: string;
	/** What the chart shows, for screen readers. */
	label: string;
	colourOf: (score: number) => string;
}

const WIDTH = 360;
const HEIGHT = 200;
const TOP = 24;
const BOTTOM = 30;
const SIDE = 6;

export function distributionBars(distribution: readonly ScoreCount[], options: DistributionBarsOptions): string {
	const total = distribution.reduce((sum, d) => sum + d.count, 0);
	const max = Math.max(1, ...distribution.map((d) => d.count));
	const slot = (WIDTH - 2 * SIDE) / Math.max(1, distribution.length);
	const barWidth = Math.min(52, slot * 0.72);
	const plotHeight = HEIGHT - TOP - BOTTOM;
	const baseY = HEIGHT - BOTTOM;
	const fontSize = distribution.length > 6 ? 12 : 13;

	const bars = distribution.map((d, i) => {
		const cx = SIDE + slot * (i + 0.5);
		const h = d.count === 0 ? 0 : Math.max(2, (d.count / max) * plotHeight);
		const x = cx - barWidth / 2;
		const share = total > 0 ? formatPct((d.count * 100) / total) : '';
		const tip = `Score ${d.score}: ${formatCount(d.count)} ${d.count === 1 ? 'response' : 'responses'}${share ? ` (${share})` : ''}`;
		return (
			`<g class="bar" data-score="${d.score}" data-count="${d.count}"><title>${escapeHtml(tip)}</title>` +
			`<rect x="${x.toFixed(1)}" y="${(baseY - h).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" rx="3" fill="${d.count === 0 ? EMPTY : options.colourOf(d.score)}"/>` +
			`<text x="${cx.toFixed(1)}" y="${(baseY - h - 6).toFixed(1)}" text-anchor="middle" font-size="${fontSize}" font-weight="600" fill="${INK}">${formatCount(d.count)}</text>` +
			`<text x="${cx.toFixed(1)}" y="${baseY + 19}" text-anchor="middle" font-size="${fontSize}" fill="${MUTED}">${d.score}</text></g>`
		);
	});

	return (
		`<svg data-chart="${escapeHtml(options.name)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(options.label)}">` +
		`<line x1="${SIDE}" y1="${baseY + 0.5}" x2="${WIDTH - SIDE}" y2="${baseY + 0.5}" stroke="${GRID}"/>` +
		bars.join('') +
		`</svg>`
	);
}
