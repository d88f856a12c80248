/**
 * The demo's real-time detractor alert (example 5) on a simulated clock: each case runs the example
 * through n8n-core; every Wait moves the emulator's API clock on by what the real Wait would wait,
 * and the customer's answer is given when its time comes. The figure is the minutes from a
 * customer's score to the Slack message, against the trigger path: X serves the score's event once
 * it is 24 hours old and the detractor alert example polls at the top of every hour.
 */
import type { RunningEmulator } from '../../emulator/index';
import type { XTestCredentials } from '../../test/harness/credentials';
import { runWorkflow, webhookItem, type WorkflowJson } from '../../test/harness/runWorkflow';

const MIN = 60_000;
const HOUR = 60 * MIN;
export const EVENT_AGE_MS = 24 * HOUR;

export interface RealtimeCase {
	caseId: string;
	customer: string;
	/** CSAT score, given this long after the survey went out. */
	score: number;
	afterMs: number;
}

export interface RealtimeOutcome extends RealtimeCase {
	surveyAt: number;
	scoredAt: number;
	/** Calls to feedback/show the loop made. */
	checks: number;
	/** When the Slack message went out (simulated clock); null when none did. */
	alertAt: number | null;
	/** Minutes from the score to the Slack message on this path; null without a message. */
	realtimeMinutes: number | null;
	/** Minutes from the score to the trigger path's Slack message (detractors only; null otherwise). */
	eventPathMinutes: number | null;
	slackText: string | null;
}

export const REALTIME_CASES: RealtimeCase[] = [
	{ caseId: 'case-4001', customer: 'ines_duarte', score: 1, afterMs: 5 * MIN },
	{ caseId: 'case-4002', customer: 'ava_rossi', score: 2, afterMs: 40 * MIN },
	{ caseId: 'case-4003', customer: 'liam_ng', score: 1, afterMs: 150 * MIN },
	{ caseId: 'case-4004', customer: 'mia_silva', score: 5, afterMs: 10 * MIN },
	{ caseId: 'case-4005', customer: 'zoe_park', score: 2, afterMs: 30 * HOUR },
];

/** The trigger path: the event is served 24 hours after the score; the hourly poll finds it at the next full hour. */
export function eventPathAlertAt(scoredAt: number): number {
	return Math.ceil((scoredAt + EVENT_AGE_MS) / HOUR) * HOUR;
}

export async function runRealtimeCases(
	emu: RunningEmulator,
	credentials: XTestCredentials,
	workflow: WorkflowJson,
	firstSurveyAt: number,
): Promise<RealtimeOutcome[]> {
	const store = emu.store;
	store.addCustomers(REALTIME_CASES.map((c) => ({ screenName: c.customer })));
	const outcomes: RealtimeOutcome[] = [];
	store.clock.freeze(true);
	try {
		for (const [i, c] of REALTIME_CASES.entries()) {
			const surveyAt = firstSurveyAt + i * HOUR;
			store.clock.set(surveyAt);
			const customer = store.accounts.byName(c.customer)!;
			let feedbackId: string | undefined;
			let answered = false;
			let alertAt: number | null = null;
			const result = await runWorkflow({
				workflow,
				credentials,
				startItems: [webhookItem({ caseId: c.caseId, userId: customer.id }, 'x-feedback/realtime-conversation-closed')],
				mode: 'webhook',
				onWait: (ms) => {
					const until = store.clock.now() + ms;
					feedbackId ??= [...store.feedback.records.values()].find((f) => f.externalId === c.caseId)?.id;
					if (!answered && feedbackId && surveyAt + c.afterMs <= until) {
						store.clock.set(surveyAt + c.afterMs);
						store.respond(feedbackId, { score: c.score });
						answered = true;
					}
					store.clock.set(until);
				},
			});
			if (result.error) throw result.error;
			const slack = result.received.of('Alert supervisors on Slack');
			if (slack.length > 0) alertAt = store.clock.now();
			const scoredAt = surveyAt + c.afterMs;
			const detractor = c.score <= 2;
			outcomes.push({
				...c,
				surveyAt,
				scoredAt,
				checks: result.run.data.resultData.runData['Check the answer']?.length ?? 0,
				alertAt,
				realtimeMinutes: alertAt === null ? null : (alertAt - scoredAt) / MIN,
				eventPathMinutes: detractor ? (eventPathAlertAt(scoredAt) - scoredAt) / MIN : null,
				slackText: slack.length > 0 ? String(slack[0].parameters[0].text) : null,
			});
		}
	} finally {
		store.clock.freeze(false);
		store.clock.reset();
	}
	return outcomes;
}

export function median(values: number[]): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
