/**
 * Runs the action node the way n8n does: a real Workflow through n8n-core's WorkflowExecute, fed by
 * an input node, with our credential signed by n8n-core's own OAuth 1.0a code.
 */
import { WorkflowExecute } from 'n8n-core';
import {
	Workflow,
	type IConnections,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type IRun,
	type IWorkflowBase,
} from 'n8n-workflow';

import { buildAdditionalData } from './additionalData';
import { CREDENTIAL_ID, type XTestCredentials } from './credentials';
import { ACTION_TYPE, INPUT_TYPE, TestNodeTypes } from './nodeTypes';

export interface RunNodeOptions {
	credentials: XTestCredentials;
	parameters: INodeParameters;
	input?: IDataObject[];
	continueOnFail?: boolean;
	/** n8n's "On Error": continue on the error output (the node then has two outputs). */
	errorOutput?: boolean;
	/** Workflow static data, kept across runs by passing the same object. */
	staticData?: IDataObject;
	nodeType?: string;
	nodeTypes?: TestNodeTypes;
}

export interface NodeRunResult {
	items: INodeExecutionData[];
	/** Items on the error output, when the node has one. */
	errorItems: INodeExecutionData[];
	/** The error the node ended with, if it failed. */
	error?: Error & { description?: string; context?: IDataObject; httpCode?: string | null };
	run: IRun;
}

export const NODE_NAME = 'X Customer Feedback';

export async function runNode(options: RunNodeOptions): Promise<NodeRunResult> {
	const nodeTypes = options.nodeTypes ?? new TestNodeTypes();
	const inputNode: INode = {
		id: 'input',
		name: 'Input',
		type: INPUT_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(options.input ?? [{}]) },
	};
	const node: INode = {
		id: 'x',
		name: NODE_NAME,
		type: options.nodeType ?? ACTION_TYPE,
		typeVersion: 1,
		position: [200, 0],
		parameters: options.parameters,
		credentials: { xCustomerFeedbackOAuth1Api: { id: CREDENTIAL_ID, name: 'X test' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...(options.errorOutput ? { onError: 'continueErrorOutput' as const } : {}),
	};
	const connections: IConnections = { Input: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] } };
	const workflowData: IWorkflowBase = {
		id: 'test-workflow',
		name: 'test',
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: [inputNode, node],
		connections,
		settings: {},
	} as unknown as IWorkflowBase;
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'test',
		nodes: [inputNode, node],
		connections,
		active: false,
		nodeTypes,
		staticData: options.staticData ?? {},
		settings: {},
	});
	if (options.staticData) workflow.staticData = options.staticData;
	const additionalData = buildAdditionalData(() => options.credentials, workflowData, 'manual');
	const run = await new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode: inputNode });
	const taskData = run.data.resultData.runData[NODE_NAME]?.[0];
	const items = taskData?.data?.main?.[0] ?? [];
	const errorItems = taskData?.data?.main?.[1] ?? [];
	const error = (taskData?.error ?? run.data.resultData.error) as NodeRunResult['error'];
	return { items, errorItems, error, run };
}
