/** The benchmark backlog: bulk-seeded feedback in the emulator, and the parts a consumer must see. */
import type { EmulatorChild } from './emulatorChild';

export interface Backlog {
	/** Events in the emulator's log. */
	events: number;
	feedback: number;
	fromMs: number;
	toMs: number;
	/** Every part once: `${feedbackId}:request|score|comment`. */
	parts: Set<string>;
}

/** Feedback requests make about 2.6 events each with the default mix. */
const EVENTS_PER_FEEDBACK = 2.62;

/**
 * Seeds about `events` events over the last `spanDays` days (default mix: CSAT and NPS, scores,
 * comments, views and dismissals) after a reset, and reads the expected parts back from the store.
 */
export async function seedBacklog(
	emu: EmulatorChild,
	events: number,
	options: Record<string, unknown>,
	{ seed = 1, spanDays = 30 }: { seed?: number; spanDays?: number } = {},
): Promise<Backlog> {
	await emu.reset(options);
	const feedback = Math.max(1, Math.round(events / EVENTS_PER_FEEDBACK));
	const result = await emu.control<{ events: number; feedback: number; fromTime: number; toTime: number }>('POST', 'bulk', {
		customers: Math.max(10, Math.round(feedback / 8)),
		feedback,
		spanMs: Math.round(spanDays * 24 * 3_600_000),
		seed,
	});
	const stored = await emu.control<{ feedback: Array<{ id: string; response?: { score?: unknown; text?: unknown } }> }>('GET', 'feedback');
	const parts = new Set<string>();
	for (const f of stored.feedback) {
		parts.add(`${f.id}:request`);
		if (f.response?.score) parts.add(`${f.id}:score`);
		if (f.response?.text) parts.add(`${f.id}:comment`);
	}
	return { events: result.events, feedback: result.feedback, fromMs: result.fromTime, toMs: result.toTime, parts };
}
