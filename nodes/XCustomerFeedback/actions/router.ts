/**
 * Picks the operation for each input item; owns pairedItem, the item index of errors, partial results
 * and continueOnFail for all of them.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { keepClaims } from '../helpers/askedMemory';
import { StepFailure } from '../helpers/stepFailure';
import * as account from './account/Account.resource';
import * as directMessage from './directMessage/DirectMessage.resource';
import * as feedback from './feedback/Feedback.resource';
import type { XCustomerFeedbackType } from './node.type';
import * as user from './user/User.resource';

type Operation = (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>;
/** An operation that looks at all items together (Skip Seen Parts); it sets pairedItem itself. */
type BatchOperation = (this: IExecuteFunctions) => Promise<INodeExecutionData[]>;

/** The operation's module among its resource's, if the resource has one of that name. */
function pick<O extends string>(operations: Record<O, { execute: Operation }>, operation: O): Operation | undefined {
	return Object.prototype.hasOwnProperty.call(operations, operation) ? operations[operation].execute : undefined;
}

/** The operation to run; undefined for a resource or operation the node does not have (a hand-edited workflow). */
function findOperation(resource: string, operation: string): Operation | undefined {
	const node = { resource, operation } as XCustomerFeedbackType;
	switch (node.resource) {
		case 'account':
			return pick(account, node.operation);
		case 'directMessage':
			return pick(directMessage, node.operation);
		case 'feedback':
			return pick(feedback, node.operation);
		case 'user':
			return pick(user, node.operation);
		default:
			return undefined;
	}
}

/**
 * The n8n error an item failed with, naming the item: the one place that writes "Item N:" (0-based,
 * as `itemIndex`), for input errors and X's alike. Also what the operation did before, if anything.
 */
function itemFailure(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): { failure: NodeApiError | NodeOperationError; partialResult?: IDataObject } {
	const step = error instanceof StepFailure ? error : undefined;
	const caught = step ? step.failure : error;
	const failure =
		caught instanceof NodeApiError || caught instanceof NodeOperationError
			? caught
			: new NodeOperationError(ctx.getNode(), caught as Error, { itemIndex });
	if (failure.context.itemIndex === undefined) failure.context.itemIndex = itemIndex;
	failure.message = `Item ${itemIndex}: ${step ? `${step.step}: ` : ''}${failure.message}`;
	return { failure, partialResult: step?.partialResult };
}

/** The batch form of an operation, if it has one (resource and operation take no expressions). */
function findBatchOperation(resource: string, operation: string): BatchOperation | undefined {
	if (resource !== 'feedback' || !Object.prototype.hasOwnProperty.call(feedback, operation)) return undefined;
	const module = feedback[operation as keyof typeof feedback] as { executeBatch?: BatchOperation };
	return module.executeBatch;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	try {
		return await runItems.call(this);
	} finally {
		// Send Request's claims of the cards this run sent, read back once for all items (askedMemory.ts).
		await keepClaims(this);
	}
}

async function runItems(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	if (items.length > 0) {
		const batch = findBatchOperation(this.getNodeParameter('resource', 0) as string, this.getNodeParameter('operation', 0) as string);
		if (batch) {
			try {
				return [await batch.call(this)];
			} catch (error) {
				// An error of one item names it; one about the whole batch (its options, the store) does not.
				const itemIndex = error instanceof NodeOperationError || error instanceof NodeApiError ? error.context.itemIndex : undefined;
				throw typeof itemIndex === 'number' ? itemFailure(this, error, itemIndex).failure : error;
			}
		}
	}

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const resource = this.getNodeParameter('resource', itemIndex) as string;
		const operation = this.getNodeParameter('operation', itemIndex) as string;
		const execute = findOperation(resource, operation);
		try {
			if (!execute) {
				throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`, {
					itemIndex,
				});
			}
			const results = await execute.call(this, itemIndex);
			for (const result of results) output.push({ ...result, pairedItem: { item: itemIndex } });
		} catch (error) {
			const { failure, partialResult } = itemFailure(this, error, itemIndex);
			if (!this.continueOnFail()) throw failure;
			if (this.getNode().onError === 'continueErrorOutput') {
				// n8n routes items that carry `error` to the error output (and keeps only the message).
				output.push({ json: { error: failure.message }, error: failure, pairedItem: { item: itemIndex } });
				continue;
			}
			// An operation that got partway (e.g. an introductory DM sent, then the card failed) says
			// what it did (StepFailure), so the item says so.
			output.push({
				json: { ...(partialResult ?? {}), error: failure.message, description: failure.description ?? undefined },
				pairedItem: { item: itemIndex },
			});
		}
	}
	return [output];
}
