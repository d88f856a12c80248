/**
 * Drives the trigger as n8n does, through test/harness's TriggerHarness (n8n-core's PollContext and
 * n8n's static-data persistence), and keeps only what the benchmarks count: item keys.
 */
import type { INodeParameters } from 'n8n-workflow';

import { XCustomerFeedbackTrigger } from '../nodes/XCustomerFeedbackTrigger/XCustomerFeedbackTrigger.node';
import { TriggerHarness, type PollResult } from '../test/harness/runTrigger';
import type { BenchCredentials } from './emulatorChild';

export function triggerParameters(startFromMs: number, options: Record<string, unknown> = {}): INodeParameters {
	return {
		events: ['request', 'score', 'comment'],
		feedbackType: 'all',
		options: { minEventAgeHours: 0, includeTest: true, startFrom: new Date(startFromMs).toISOString(), ...options },
	} as INodeParameters;
}

export function benchTrigger(baseUrl: string, c: BenchCredentials, parameters: INodeParameters): TriggerHarness {
	return new TriggerHarness({
		credentials: () => ({
			baseUrl,
			consumerKey: c.consumerKey,
			consumerSecret: c.consumerSecret,
			accessToken: c.accessToken,
			accessTokenSecret: c.accessTokenSecret,
		}),
		parameters,
		nodeType: new XCustomerFeedbackTrigger(),
		keepExecutions: false,
	});
}

export interface PollOutcome {
	keys: string[];
	error?: Error;
}

export async function pollOnce(trigger: TriggerHarness): Promise<PollOutcome> {
	return keysOf(await trigger.poll());
}

/** The part keys of a poll's items: the bench's check, kept out of the product's timed section. */
export function keysOf({ items, error }: PollResult): PollOutcome {
	return { keys: items.map((i) => `${i.json.feedbackId as string}:${i.json.event as string}`), error };
}

/**
 * Size in bytes of what n8n stored for the workflow (JSON, as n8n saves static data), without the
 * parts of the batch in flight: confirmed delivery keeps those (up to Max Items per Poll, as keys)
 * until n8n reports the execution's end, whatever the history.
 */
export function storedBytes(trigger: TriggerHarness): number {
	const stored = trigger.stored as Record<string, { delivery?: { batches?: Array<{ rows?: unknown[]; fields?: unknown[]; refs?: unknown }> } }>;
	for (const node of Object.values(stored)) {
		for (const batch of node.delivery?.batches ?? []) {
			delete batch.rows;
			delete batch.fields;
			delete batch.refs;
		}
	}
	return Buffer.byteLength(JSON.stringify(stored));
}
