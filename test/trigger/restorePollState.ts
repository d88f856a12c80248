/** A saved poll state checked as the trigger checks it, for tests that restart from a snapshot. */
import { checkPollState, type PollState } from '../../nodes/XCustomerFeedbackTrigger/pollState';

/** The saved state checked for these settings (repairs applied); throws when it is unusable. */
export function restorePollState(saved: unknown, nowMs: number, minEventAgeMs: number, startFromMs: number | null, beforeMs = 0): PollState {
	const check = checkPollState(saved, { nowMs, minEventAgeMs, startFromMs, beforeMs });
	if (!check.ok) throw new Error(`The trigger's saved reading position is unusable: ${check.problem}`);
	return check.state;
}
