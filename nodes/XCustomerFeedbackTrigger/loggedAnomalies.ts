/**
 * What the trigger logs about X's data: the pure anomaly log (shared/feedbackLog/anomalies.ts) with a
 * warning, feedback id included, for each of the first few of a poll and a count for the rest.
 */
import { AnomalyLog, describeAnomaly } from '../shared/feedbackLog/anomalies';
import type { TriggerContext } from './savedPollState';

/** Anomalies logged one by one in a poll; the rest in the poll's summary. */
const LOGGED_ANOMALIES = 20;
/** Feedback ids the summary names; past this, only the count (a hostile X could send any number). */
const SUMMARY_IDS = 1000;

/**
 * An anomaly log that warns with the feedback id for each of the first few, and sums up the rest in
 * one warning that still names their feedback ids (up to SUMMARY_IDS): a part set aside is never
 * only a number in a count.
 */
export function loggedAnomalies(ctx: TriggerContext): AnomalyLog & { summarize(): void } {
	const anomalies = new AnomalyLog();
	const unnamed = new Set<string>();
	anomalies.onAnomaly = (anomaly) => {
		if (anomalies.total <= LOGGED_ANOMALIES) ctx.logger.warn(describeAnomaly(anomaly), { feedbackId: anomaly.feedbackId, reason: anomaly.reason });
		else if (anomaly.feedbackId !== null && unnamed.size < SUMMARY_IDS) unnamed.add(anomaly.feedbackId);
	};
	return Object.assign(anomalies, {
		summarize() {
			if (anomalies.total > LOGGED_ANOMALIES) {
				ctx.logger.warn(`X sent ${anomalies.total} events or parts in this poll that were set aside; the first ${LOGGED_ANOMALIES} were logged one by one, the feedback ids of the rest are in feedbackIds`, {
					byReason: anomalies.byReason,
					feedbackIds: [...unnamed],
				});
			}
		},
	});
}
