/**
 * The trigger's reading position in the node's static data: the one place that loads it (checked
 * by pollState.ts; repairs and restarts logged, unusable state a loud error) and saves it.
 */
import { NodeOperationError, type IDataObject, type INode, type Logger } from 'n8n-workflow';

import { checkPollState, type PollState, type StateCheckSettings } from './pollState';

export interface TriggerContext {
	logger: Logger;
	getNode(): INode;
}

const KEY = 'pollState';

/** The saved position checked for these settings; repairs and restarts are logged, unusable state fails loudly. */
export function loadPollState(ctx: TriggerContext, staticData: IDataObject, settings: StateCheckSettings): PollState {
	const checked = checkPollState(staticData[KEY], settings);
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

/** The position in the node's static data; n8n writes it to the database at the next emit. */
export function savePollState(staticData: IDataObject, state: PollState): void {
	staticData[KEY] = state as unknown as IDataObject;
}
