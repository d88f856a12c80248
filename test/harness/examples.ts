/**
 * The example workflows (examples/*.json) as the tests and the demo use them: loaded from disk,
 * credentials pointed at an in-process emulator, and their trigger node polled through n8n-core's
 * PollContext with the example's own trigger parameters.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import type { RunningEmulator } from '../../emulator/index';
import { XCustomerFeedbackTrigger } from '../../nodes/XCustomerFeedbackTrigger/XCustomerFeedbackTrigger.node';
import type { XTestCredentials } from './credentials';
import { TRIGGER_TYPE } from './nodeTypes';
import { TriggerHarness } from './runTrigger';
import { mergeParameters, type WorkflowJson } from './runWorkflow';

export const EXAMPLES_DIR = path.resolve(__dirname, '../../examples');

export const EXAMPLE = {
	survey: 'survey-after-conversation-closes.json',
	detractorAlert: 'detractor-alert-to-supervisors.json',
	sheetsLog: 'log-responses-to-google-sheets.json',
	weeklyReport: 'weekly-report-by-email.json',
	realtimeAlert: 'real-time-detractor-alert.json',
	webhookAlert: 'real-time-detractor-alert-webhook.json',
} as const;

/** The workflow files in examples/. */
export function exampleFiles(): string[] {
	return readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort();
}

export function loadExample(file: string): WorkflowJson {
	return JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson;
}

/** The business credentials of a running emulator, as the harness hands them to every node. */
export function emulatorCredentials(emu: RunningEmulator): XTestCredentials {
	const c = emu.credentials;
	return {
		baseUrl: emu.baseUrl,
		consumerKey: c.consumerKey,
		consumerSecret: c.consumerSecret,
		accessToken: c.accessToken,
		accessTokenSecret: c.accessTokenSecret,
		screenName: c.screenName,
	};
}

/** The example's one node of the given type (throws when there is not exactly one). */
export function nodeOfType(workflow: WorkflowJson, type: string): INode {
	const nodes = workflow.nodes.filter((n) => n.type === type);
	if (nodes.length !== 1) throw new Error(`Expected one ${type} node, found ${nodes.length}`);
	return nodes[0];
}

/**
 * The example's X trigger as an active workflow polls it, with its own parameters and `patch` on top
 * (for the emulator: `options.minEventAgeHours: 0`, and a Start From when the story began earlier).
 */
export function exampleTrigger(workflow: WorkflowJson, credentials: XTestCredentials, patch: IDataObject = {}): { node: INode; poller: TriggerHarness } {
	const node = nodeOfType(workflow, TRIGGER_TYPE);
	const poller = new TriggerHarness({
		credentials: () => credentials,
		parameters: mergeParameters(node.parameters as IDataObject, patch) as INodeParameters,
		nodeType: new XCustomerFeedbackTrigger(),
	});
	return { node, poller };
}
