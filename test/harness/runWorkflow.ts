/**
 * Runs a whole workflow JSON (an example as n8n exports it) through n8n-core's WorkflowExecute, the
 * way n8n runs a workflow from a trigger's output: the trigger node's items are pinned data and
 * every node downstream runs for real. Our nodes talk to the emulator with the credential this
 * harness injects for any credential reference; n8n-nodes-base nodes are the stand-ins.
 */
import { WorkflowExecute } from 'n8n-core';
import {
	Workflow,
	type IConnections,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type IPinData,
	type IRun,
	type IWorkflowBase,
	type IWorkflowSettings,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { XCustomerFeedbackTrigger } from '../../nodes/XCustomerFeedbackTrigger/XCustomerFeedbackTrigger.node';
import { XCustomerFeedbackWebhookTrigger } from '../../nodes/XCustomerFeedbackWebhookTrigger/XCustomerFeedbackWebhookTrigger.node';
import { buildAdditionalData } from './additionalData';
import type { XTestCredentials } from './credentials';
import { TRIGGER_TYPE, TestNodeTypes, WEBHOOK_TRIGGER_TYPE } from './nodeTypes';
import { STAND_IN, StandInLog, standInNodeTypes } from './standIns';

/** A workflow as n8n exports it (the fields a run needs). */
export interface WorkflowJson {
	name?: string;
	nodes: Array<INode & { webhookId?: string }>;
	connections: IConnections;
	settings?: IWorkflowSettings;
	pinData?: IPinData;
}

export interface RunWorkflowOptions {
	workflow: WorkflowJson;
	credentials: XTestCredentials;
	/** What the start node emits: plain JSON objects or whole items (with binary data). */
	startItems: Array<IDataObject | INodeExecutionData>;
	/** The node the run starts from; default: the workflow's only trigger. */
	startNode?: string;
	/** n8n's mode for the run: 'webhook' for a webhook call, 'trigger' for triggers and schedules. */
	mode?: WorkflowExecuteMode;
	/** Workflow static data, kept across runs when the same object is passed (not in manual mode). */
	staticData?: IDataObject;
	/** Parameter changes by node name, merged into the node's parameters (objects merge deeply). */
	patch?: Record<string, IDataObject>;
	/** Node types that replace the stand-ins, by type name (e.g. a real n8n-nodes-base node). */
	nodeTypes?: Record<string, INodeType>;
	/** What a Wait node's wait does here (e.g. move the emulator's clock on); default: nothing. */
	onWait?: (ms: number, node: string) => Promise<void> | void;
}

export interface WorkflowRunResult {
	run: IRun;
	/** Each node's outputs from its last run: outputs[node][outputIndex] = items. */
	outputs: Record<string, INodeExecutionData[][]>;
	/** The nodes that ran, in order. */
	executed: string[];
	/** What the n8n-nodes-base stand-ins received. */
	received: StandInLog;
	error?: Error & { description?: string; node?: { name: string } };
}

/** The node types an example may use: ours, plus the stand-ins recording into `log`. */
export function exampleNodeTypes(log: StandInLog): TestNodeTypes {
	return new TestNodeTypes({
		[TRIGGER_TYPE]: new XCustomerFeedbackTrigger(),
		[WEBHOOK_TRIGGER_TYPE]: new XCustomerFeedbackWebhookTrigger(),
		...standInNodeTypes(log),
	});
}

const isObject = (v: unknown): v is IDataObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `base` with `patch` on top: objects merge deeply, anything else replaces. */
export function mergeParameters(base: IDataObject, patch: IDataObject): IDataObject {
	const out: IDataObject = { ...base };
	for (const [key, value] of Object.entries(patch)) {
		out[key] = isObject(value) && isObject(out[key]) ? mergeParameters(out[key] as IDataObject, value) : value;
	}
	return out;
}

/** The workflow's trigger: the one node without inputs that is not a sticky note. */
export function triggerNodeOf(workflow: WorkflowJson, nodeTypes: TestNodeTypes): INode {
	const triggers = workflow.nodes.filter((node) => {
		if (node.type === STAND_IN.stickyNote) return false;
		const type = nodeTypes.getByNameAndVersion(node.type);
		return (type.description.inputs as unknown[]).length === 0;
	});
	if (triggers.length !== 1) {
		throw new Error(`Expected one trigger node, found ${triggers.map((n) => n.name).join(', ') || 'none'}`);
	}
	return triggers[0];
}

const asItem = (item: IDataObject | INodeExecutionData): INodeExecutionData =>
	isObject(item.json) && Object.keys(item).every((k) => ['json', 'binary', 'pairedItem'].includes(k))
		? (item as INodeExecutionData)
		: { json: item as IDataObject };

export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRunResult> {
	const log = new StandInLog();
	log.onWait = options.onWait;
	const nodeTypes = exampleNodeTypes(log);
	for (const [name, type] of Object.entries(options.nodeTypes ?? {})) nodeTypes.register(name, type);
	const source = JSON.parse(JSON.stringify(options.workflow)) as WorkflowJson;
	const nodes: INode[] = source.nodes.map((node) => {
		const patch = options.patch?.[node.name];
		return patch ? { ...node, parameters: mergeParameters(node.parameters as IDataObject, patch) as INode['parameters'] } : node;
	});
	for (const name of Object.keys(options.patch ?? {})) {
		if (!nodes.some((n) => n.name === name)) throw new Error(`patch names a node that is not in the workflow: ${name}`);
	}
	const start = options.startNode
		? nodes.find((n) => n.name === options.startNode)
		: triggerNodeOf({ ...source, nodes }, nodeTypes);
	if (!start) throw new Error(`No node named ${options.startNode}`);

	const mode = options.mode ?? 'trigger';
	const keepStatic = options.staticData !== undefined && mode !== 'manual';
	const staticData = keepStatic ? options.staticData! : JSON.parse(JSON.stringify(options.staticData ?? {}));
	const settings: IWorkflowSettings = { executionOrder: 'v1', ...(source.settings ?? {}) };
	const workflow = new Workflow({
		id: 'example-workflow',
		name: source.name ?? 'example',
		nodes,
		connections: source.connections,
		active: mode !== 'manual',
		nodeTypes,
		staticData,
		settings,
	});
	workflow.staticData = staticData;
	const workflowData = {
		id: 'example-workflow',
		name: source.name ?? 'example',
		active: mode !== 'manual',
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections: source.connections,
		settings,
	} as unknown as IWorkflowBase;
	const additionalData = buildAdditionalData(() => options.credentials, workflowData, mode);
	const pinData: IPinData = { [start.name]: options.startItems.map(asItem) };
	const run = await new WorkflowExecute(additionalData, mode).run({ workflow, startNode: start, pinData });

	const outputs: Record<string, INodeExecutionData[][]> = {};
	const runData = run.data.resultData.runData;
	for (const [name, tasks] of Object.entries(runData)) {
		const last = tasks[tasks.length - 1];
		outputs[name] = (last?.data?.main ?? []).map((items) => items ?? []);
	}
	const executed = Object.entries(runData)
		.flatMap(([name, tasks]) => tasks.map((t) => ({ name, order: t.executionIndex ?? t.startTime })))
		.sort((a, b) => a.order - b.order)
		.map((e) => e.name);
	const error = (run.data.resultData.error ?? undefined) as WorkflowRunResult['error'];
	return { run, outputs, executed, received: log, error };
}

/** The item n8n's Webhook node (v2) emits for a JSON POST. */
export function webhookItem(body: IDataObject, path: string, method = 'POST'): IDataObject {
	return {
		headers: { host: 'localhost:5678', 'content-type': 'application/json', 'user-agent': 'help-desk/1.0' },
		params: {},
		query: {},
		body,
		webhookUrl: `http://localhost:5678/webhook/${path}`,
		executionMode: 'production',
		...(method !== 'POST' ? { method } : {}),
	};
}

/** The item n8n's Schedule Trigger emits when it fires at `at`, in UTC (its moment formats, by hand). */
export function scheduleItem(at: Date): IDataObject {
	const pad = (n: number) => String(n).padStart(2, '0');
	const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
	const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
	const day = at.getUTCDate();
	const ordinal = day % 10 === 1 && day !== 11 ? 'st' : day % 10 === 2 && day !== 12 ? 'nd' : day % 10 === 3 && day !== 13 ? 'rd' : 'th';
	const hours = at.getUTCHours();
	const time = `${hours % 12 === 0 ? 12 : hours % 12}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} ${hours < 12 ? 'am' : 'pm'}`;
	return {
		timestamp: at.toISOString().replace('Z', '+00:00'),
		'Readable date': `${months[at.getUTCMonth()]} ${day}${ordinal} ${at.getUTCFullYear()}, ${time}`,
		'Readable time': time,
		'Day of week': days[at.getUTCDay()],
		Year: String(at.getUTCFullYear()),
		Month: months[at.getUTCMonth()],
		'Day of month': pad(day),
		Hour: pad(hours),
		Minute: pad(at.getUTCMinutes()),
		Second: pad(at.getUTCSeconds()),
		Timezone: 'UTC (UTC+00:00)',
	};
}
