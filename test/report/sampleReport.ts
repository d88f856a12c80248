/**
 * A realistic month of synthetic feedback (seeded, so every run draws the same) for the dashboard
 * screenshot and the browser test.
 */
import { createReport, renderDashboard, type ReportFigures } from '../../nodes/XCustomerFeedback/report';
import { DAY, eventsOf, HOUR, MINUTE, pagesOf, type FeedbackStory } from './feedbackEvents';

/** Monday 3 March to Sunday 30 March 2025, UTC: four ISO weeks. */
export const SAMPLE_FROM = Date.UTC(2025, 2, 3);
export const SAMPLE_TO = Date.UTC(2025, 2, 31) - 1;
export const SAMPLE_GENERATED_AT = Date.UTC(2025, 3, 1, 7, 30);
export const SAMPLE_TITLE = 'Acme Support on X · March 2025';

function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function pick<T>(random: () => number, weighted: Array<[T, number]>): T {
	const total = weighted.reduce((s, [, w]) => s + w, 0);
	let r = random() * total;
	for (const [value, w] of weighted) {
		r -= w;
		if (r < 0) return value;
	}
	return weighted[weighted.length - 1][0];
}

const GOOD = [
	'Sorted in minutes, thank you!',
	'Really friendly and patient, my refund is already through.',
	'Fast answer & clear steps. <3',
	'Great help with my delivery, much appreciated.',
	'Easier than calling. Will DM again.',
	'Solved on the first reply.',
];
const MIXED = [
	'Got there in the end, but I had to repeat my order number twice.',
	'Helpful, though the wait on a Sunday was long.',
	'OK answer, but the app still shows the old address.',
];
const BAD = [
	'Three days and still no replacement. Not happy.',
	'I was passed around and nobody owned the problem.',
	'The refund is "in progress" for a week now.',
];

const round = (ms: number) => Math.floor(ms / 1000) * 1000;

export function sampleStories(seed = 20250301): FeedbackStory[] {
	const random = mulberry32(seed);
	const stories: FeedbackStory[] = [];
	let id = 1_760_000_000_000_000_000n;
	// Requests from the last days of February too, so some early-March answers belong to them.
	for (let day = SAMPLE_FROM - 3 * DAY; day <= SAMPLE_TO + 2 * DAY; day += DAY) {
		const dayIndex = Math.round((day - SAMPLE_FROM) / DAY);
		const weekend = [0, 6].includes(new Date(day).getUTCDay());
		const count = Math.round((weekend ? 14 : 30) + random() * 12);
		// A new returns process from mid-March lifts satisfaction a little.
		const lift = dayIndex >= 14 ? 1 : 0;
		for (let i = 0; i < count; i++) {
			id += 1n + BigInt(Math.floor(random() * 1000));
			const type = random() < 0.62 ? 'csat' : 'nps';
			const sentMs = round(day + 8 * HOUR + random() * 13 * HOUR);
			const story: FeedbackStory = { id: id.toString(), type, sentMs, externalId: `CASE-${48000 + stories.length}`, test: random() < 0.03 };
			if (random() < 0.47) {
				const value =
					type === 'csat'
						? pick(random, [[5, 42 + 8 * lift], [4, 27], [3, 12], [2, 8 - 2 * lift], [1, 11 - 4 * lift]])
						: pick(random, [[10, 24 + 6 * lift], [9, 20], [8, 15], [7, 11], [6, 7], [5, 6 - lift], [4, 4], [3, 3], [2, 3], [1, 3 - lift], [0, 4 - 2 * lift]]);
				const scoredMs = round(sentMs + (3 + random() * 18 * 60) * MINUTE);
				story.score = { value, atMs: scoredMs };
				story.otherUpdatesMs = [round(sentMs + MINUTE), round(scoredMs + 20_000)];
				if (random() < 0.35) {
					const good = type === 'csat' ? value >= 4 : value >= 9;
					const bad = type === 'csat' ? value <= 2 : value <= 6;
					const texts = good ? GOOD : bad ? BAD : MIXED;
					story.comment = { value: texts[Math.floor(random() * texts.length)], atMs: round(scoredMs + (20 + random() * 300) * 1000) };
				}
			} else if (random() < 0.1) {
				story.otherUpdatesMs = [round(sentMs + 2 * HOUR)];
			}
			stories.push(story);
		}
	}
	return stories;
}

export function sampleReport(): ReportFigures {
	const report = createReport({ fromMs: SAMPLE_FROM, toMs: SAMPLE_TO, groupBy: 'day', keepRows: true, includeTest: false });
	for (const page of pagesOf(eventsOf(sampleStories(), 'current'), 100)) report.addPage(page);
	return report.finish();
}

export function sampleDashboardHtml(report: ReportFigures = sampleReport()): string {
	return renderDashboard(report, { title: SAMPLE_TITLE, generatedAt: SAMPLE_GENERATED_AT });
}
