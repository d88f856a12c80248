/**
 * Runs a polling trigger through n8n-core's real PollContext, with n8n's persistence rules made
 * explicit: static data reaches storage when a poll emits items, and after the poll n8n runs when it
 * activates the workflow (ActiveWorkflowManager saves static data once activation is done, also at
 * startup); a restart goes back to what was stored last and activates again.
 */
import { PollContext } from 'n8n-core';
import {
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type IWorkflowBase,
	type WorkflowActivateMode,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { buildAdditionalData } from './additionalData';
import { CREDENTIAL_ID, type XTestCredentials } from './credentials';
import { TRIGGER_TYPE, TestNodeTypes } from './nodeTypes';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export const TRIGGER_NAME = 'X Customer Feedback Trigger';

export interface PollResult {
	items: INodeExecutionData[];
	error?: Error & { description?: string; context?: IDataObject };
}

export class PollHarness {
	/** What n8n has stored for the workflow. */
	stored: IDataObject = {};
	/** What the active workflow holds in memory between polls. */
	live: IDataObject = {};
	private readonly node: INode;
	private readonly nodeType: INodeType;

	constructor(
		private readonly opts: {
			credentials: () => XTestCredentials;
			parameters: INodeParameters;
			nodeType: INodeType;
			pollBudgetMs?: number;
		},
	) {
		this.nodeType = opts.nodeType;
		this.node = {
			id: 'trigger',
			name: TRIGGER_NAME,
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: opts.parameters,
			credentials: { xCustomerFeedbackOAuth1Api: { id: CREDENTIAL_ID, name: 'X test' } },
		};
	}

	private activated = false;
	private restarted = false;

	/** One poll as an active workflow runs it; stores static data when items come out. */
	async poll(mode: WorkflowExecuteMode = 'trigger'): Promise<PollResult> {
		const activating = mode !== 'manual' && !this.activated;
		const activation: WorkflowActivateMode = mode === 'manual' ? 'manual' : this.restarted ? 'init' : 'activate';
		const staticData = mode === 'manual' ? clone(this.live) : this.live;
		const workflow = this.workflow(staticData);
		const additionalData = buildAdditionalData(this.opts.credentials, {} as IWorkflowBase, mode);
		const ctx = new PollContext(
			workflow,
			this.node,
			additionalData,
			mode,
			activation,
			undefined,
			undefined,
			undefined,
			undefined,
			undefined,
			() => this.opts.pollBudgetMs ?? 5 * 60_000,
		);
		try {
			const out = await this.nodeType.poll!.call(ctx);
			const items = out?.[0] ?? [];
			if (mode !== 'manual' && (items.length > 0 || activating)) this.stored = clone(this.live);
			if (activating) this.activated = true;
			return { items };
		} catch (error) {
			return { items: [], error: error as PollResult['error'] };
		}
	}

	/** n8n restarts: what was not stored is gone, and the next poll activates the workflow again. */
	restart(): void {
		this.live = clone(this.stored);
		this.activated = false;
		this.restarted = true;
	}

	/** The trigger's own state inside the workflow static data. */
	nodeState(): IDataObject | undefined {
		return (this.live[`node:${TRIGGER_NAME}`] as IDataObject | undefined) ?? undefined;
	}

	private workflow(staticData: IDataObject): Workflow {
		const nodeTypes = new TestNodeTypes({ [TRIGGER_TYPE]: this.nodeType });
		return new Workflow({
			id: 'poll-workflow',
			name: 'poll',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes,
			staticData,
			settings: {},
		});
	}
}
