/**
 * How an operation of several steps reports a failure: which step failed and, when it got partway,
 * what it had done by then. It never edits the error it caught: the router words the item's error
 * from `step` and the caught error, and with Continue On Fail puts `partialResult` in the item.
 */
import type { IDataObject } from 'n8n-workflow';

export class StepFailure extends Error {
	constructor(
		/** The error the step failed with, as it was thrown (a NodeApiError from X, usually). */
		readonly failure: unknown,
		/** What happened, said before the failure's own message, e.g. "the introductory DM failed, so no feedback card was sent". */
		readonly step: string,
		/** What the operation had done before the failure (Continue On Fail shows it in the item). */
		readonly partialResult?: IDataObject,
	) {
		super(step);
		this.name = 'StepFailure';
	}
}
