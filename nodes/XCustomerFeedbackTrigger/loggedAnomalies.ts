/**
 * What the trigger logs about X's data: the pure anomaly log (shared/feedbackLog/anomalies.ts) with a
 * warning, feedback id included, for each of the first few of a poll and a count for the rest.
 */
import { AnomalyLog, describeAnomaly } from '../shared/feedbackLog/anomalies';
import type { TriggerContext } from './savedPollState';

/** Anomalies logged one by one in a poll; the rest only in the poll's count. */
const LOGGED_ANOMALIES = 20;

/** An anomaly log that warns with the feedback id for each of the first few, and can sum up the rest. */
export function loggedAnomalies(ctx: TriggerContext): AnomalyLog & { summarize(): void } {
	const anomalies = new AnomalyLog();
	anomalies.onAnomaly = (anomaly) => {
		if (anomalies.total <= LOGGED_ANOMALIES) ctx.logger.warn(describeAnomaly(anomaly), { feedbackId: anomaly.feedbackId, reason: anomaly.reason });
	};
	return Object.assign(anomalies, {
		summarize() {
			if (anomalies.total > LOGGED_ANOMALIES) {
				ctx.logger.warn(`X sent ${anomalies.total} events or parts in this poll that were set aside`, { byReason: anomalies.byReason });
			}
		},
	});
}
