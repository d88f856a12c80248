/**
 * The trigger's saved reading position and what it logs about X's data, for whichever n8n context
 * runs the trigger (it needs only the node and the logger): the pure checks live in
 * shared/feedbackLog (pollState.ts, anomalies.ts); this file turns their findings into a loud error
 * or logged warnings.
 */
import { NodeOperationError, type INode, type Logger } from 'n8n-workflow';

import { AnomalyLog, describeAnomaly } from '../shared/feedbackLog/anomalies';
import { checkPollState, type PollState, type StateCheckSettings } from '../shared/feedbackLog/pollState';

export interface TriggerContext {
	logger: Logger;
	getNode(): INode;
}

/** Anomalies logged one by one in a poll; the rest only in the poll's count. */
const LOGGED_ANOMALIES = 20;

/** The saved position checked for these settings; repairs and restarts are logged, unusable state fails loudly. */
export function loadPosition(ctx: TriggerContext, saved: unknown, settings: StateCheckSettings): PollState {
	const checked = checkPollState(saved, settings);
	if (!checked.ok) {
		throw new NodeOperationError(ctx.getNode(), `The trigger's saved reading position is unusable: ${checked.problem}`, {
			description:
				'Nothing was read, so nothing is skipped or sent twice without your say. To restart, set Options > Start From to the date to read from (scores and comments given since then are emitted once, and the saved position is replaced), or delete and re-add the trigger node to start from now.',
		});
	}
	if (checked.restart) ctx.logger.warn(checked.restart, { account: settings.account });
	for (const repair of checked.repairs) ctx.logger.warn(`The trigger's saved reading position was repaired: ${repair}`);
	return checked.state;
}

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
