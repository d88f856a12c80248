/**
 * The figures as an output item shows them: percentages and NPS to one decimal, averages to two
 * (57.1, not 57.142857142857146). The report itself keeps exact figures; the dashboard formats its own.
 */
const ONE_DECIMAL = /Pct$|^nps$/;
const TWO_DECIMALS = /^averageScore$/;

const round = (value: number, digits: number) => {
	const f = 10 ** digits;
	return Math.round(value * f) / f;
};

export function roundFigures<T>(value: T): T {
	if (Array.isArray(value)) return value.map((v) => roundFigures(v)) as unknown as T;
	if (value === null || typeof value !== 'object') return value;
	const out: Record<string, unknown> = {};
	for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
		if (typeof v === 'number' && ONE_DECIMAL.test(key)) out[key] = round(v, 1);
		else if (typeof v === 'number' && TWO_DECIMALS.test(key)) out[key] = round(v, 2);
		else out[key] = roundFigures(v);
	}
	return out as T;
}
