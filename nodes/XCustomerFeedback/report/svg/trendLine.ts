/**
 * One figure across the groups of a period as a line, as inline SVG. Groups without a value leave a
 * gap rather than a line drawn through them, so an empty day never looks like a score.
 */
import { escapeHtml } from '../escapeHtml';
import { GRID, MUTED } from '../palette';

export interface TrendPoint {
	/** Short axis label, e.g. `3 Mar` or `W10`. */
	label: string;
	value: number | null;
	/** Shown on hover, e.g. `3 Mar 2025: 4.21 (37 scores)`. */
	tip: string;
}

export interface TrendLineOptions {
	name: string;
	label: string;
	min: number;
	max: number;
	ticks: number[];
	formatTick: (value: number) => string;
	colour: string;
	/** A value drawn as a stronger grid line, e.g. NPS 0. */
	baseline?: number;
}

const WIDTH = 640;
const HEIGHT = 190;
const LEFT = 44;
const RIGHT = 14;
const TOP = 12;
const BOTTOM = 28;
const MAX_AXIS_LABELS = 10;

export function trendLine(points: readonly TrendPoint[], options: TrendLineOptions): string {
	const plotWidth = WIDTH - LEFT - RIGHT;
	const plotHeight = HEIGHT - TOP - BOTTOM;
	const slot = plotWidth / Math.max(1, points.length);
	const x = (i: number) => LEFT + slot * (i + 0.5);
	const y = (v: number) => {
		const clamped = Math.min(options.max, Math.max(options.min, v));
		return TOP + plotHeight * (1 - (clamped - options.min) / (options.max - options.min));
	};

	const grid = options.ticks
		.map((t) => {
			const ty = y(t).toFixed(1);
			const stroke = t === options.baseline ? '#aab8c2' : GRID;
			return (
				`<line x1="${LEFT}" y1="${ty}" x2="${WIDTH - RIGHT}" y2="${ty}" stroke="${stroke}"/>` +
				`<text x="${LEFT - 8}" y="${ty}" dy="4" text-anchor="end" font-size="12" fill="${MUTED}">${escapeHtml(options.formatTick(t))}</text>`
			);
		})
		.join('');

	const step = Math.ceil(points.length / MAX_AXIS_LABELS);
	const axis = points
		.map((p, i) =>
			i % step === 0
				? `<text x="${x(i).toFixed(1)}" y="${HEIGHT - 8}" text-anchor="middle" font-size="12" fill="${MUTED}">${escapeHtml(p.label)}</text>`
				: '',
		)
		.join('');

	const segments: string[] = [];
	let current = '';
	points.forEach((p, i) => {
		if (p.value === null) {
			if (current) segments.push(current);
			current = '';
			return;
		}
		current += `${current ? 'L' : 'M'}${x(i).toFixed(1)} ${y(p.value).toFixed(1)}`;
	});
	if (current) segments.push(current);
	const lines = segments
		.filter((d) => d.includes('L'))
		.map((d) => `<path class="trend-line" d="${d}" fill="none" stroke="${options.colour}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>`)
		.join('');

	const dots = points
		.map((p, i) =>
			p.value === null
				? ''
				: `<circle class="trend-point" cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="${points.length > 40 ? 2 : 3.5}" fill="#fff" stroke="${options.colour}" stroke-width="2"><title>${escapeHtml(p.tip)}</title></circle>`,
		)
		.join('');

	const empty = points.every((p) => p.value === null)
		? `<text x="${LEFT + plotWidth / 2}" y="${TOP + plotHeight / 2}" text-anchor="middle" font-size="14" fill="${MUTED}">No scores in this period</text>`
		: '';

	return (
		`<svg data-chart="${escapeHtml(options.name)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(options.label)}">` +
		grid +
		axis +
		lines +
		dots +
		empty +
		`</svg>`
	);
}
