/**
 * Runs the trigger through n8n-core's real TriggerContext with n8n's rules made explicit:
 * - activation calls trigger() (n8n awaits it) and then saves static data once;
 * - each poll is a tick of the cron the node registered with registerCron;
 * - every emit saves static data (not awaited in n8n: a snapshot here) and starts an execution whose
 *   end resolves the done promise as n8n does: with the run, or with `undefined` when an execution
 *   with the same de-duplication key exists already (keys survive restarts, like execution rows) or
 *   n8n refuses to start it ('refused');
 * - saveFailedExecution records a failed execution, the trigger keeps running (n8n 2.x); emitError
 *   stops the trigger (closeFunction) and n8n activates it again;
 * - a restart goes back to what was stored last; outcomes of the old activation go nowhere;
 * - "Test step" goes through n8n-core's TriggersAndPollers with manualTriggerFunction.
 * How each execution ends is up to the test (`outcome`), by default a success.
 */
import type { IDeferredPromise } from '@n8n/utils/promise/deferred-promise';
import { TriggerContext, TriggersAndPollers } from 'n8n-core';
import {
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type IRun,
	type ITriggerResponse,
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

/**
 * How an execution ends: a run, n8n giving up on a dead worker, a rejection, or never (it runs to
 * its end on a worker, and the outcome does not reach this main). `lostUnseen`: the worker died and
 * the outcome has not reached main yet (it takes about two minutes; `finish` delivers it). `refused`:
 * n8n did not start it (WorkflowRunner.failExecution) and resolved the done promise with `undefined`,
 * as it does for a duplicate key.
 */
export type ExecutionEnd = 'success' | 'nodeError' | 'lost' | 'reject' | 'never' | 'lostUnseen' | 'refused';

export interface Execution {
	items: INodeExecutionData[];
	key?: string;
	done?: IDeferredPromise<IRun | undefined>;
	/** Skipped by n8n: the key was used before. */
	skipped: boolean;
	end?: ExecutionEnd;
}

export function runOf(end: Exclude<ExecutionEnd, 'reject' | 'never' | 'lostUnseen' | 'refused'>): IRun {
	const base = { mode: 'trigger', startedAt: new Date(), stoppedAt: new Date() } as const;
	if (end === 'success') {
		return { ...base, status: 'success', finished: true, jobId: '1', data: { resultData: { runData: {}, lastNodeExecuted: 'Sink' } } } as unknown as IRun;
	}
	if (end === 'nodeError') {
		return {
			...base,
			status: 'error',
			finished: false,
			jobId: '1',
			data: { resultData: { runData: {}, lastNodeExecuted: 'Sink', error: { name: 'NodeApiError', message: 'The sink failed' } } },
		} as unknown as IRun;
	}
	return {
		...base,
		status: 'error',
		finished: false,
		data: {
			resultData: {
				runData: {},
				error: { name: 'MaxStalledCountError', message: 'This execution failed to be processed too many times and will no longer retry.' },
			},
		},
	} as unknown as IRun;
}

export class TriggerHarness {
	/** What n8n has stored for the workflow, as JSON: n8n serializes static data when it saves it. */
	private storedJson = '{}';
	/** What the active workflow holds in memory. */
	live: IDataObject = {};
	/** Every emit, across restarts. */
	readonly executions: Execution[] = [];
	/** How the next executions end; by default they succeed at once. */
	outcome: (execution: Execution) => ExecutionEnd = () => 'success';
	/** De-duplication keys n8n has execution rows for (they survive restarts). */
	private readonly keys = new Set<string>();
	private readonly node: INode;
	private activation?: { response: ITriggerResponse | undefined; onTick: Array<() => unknown> };
	private restarted = false;
	private emittedThisPoll: INodeExecutionData[] = [];
	private errorThisPoll?: PollResult['error'];

	constructor(
		private readonly opts: {
			credentials: () => XTestCredentials;
			parameters: INodeParameters;
			nodeType: INodeType;
			pollBudgetMs?: number;
			/** false: `executions` keeps no items once an execution ended (long benchmark drains). */
			keepExecutions?: boolean;
		},
	) {
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

	/** What n8n has stored for the workflow. */
	get stored(): IDataObject {
		return JSON.parse(this.storedJson) as IDataObject;
	}

	/** Whether the trigger is active (activated and not stopped by an error). */
	get active(): boolean {
		return this.activation !== undefined;
	}

	/** One poll: activates the workflow first if needed (that runs the first read), else one cron tick. */
	async poll(mode: WorkflowExecuteMode = 'trigger'): Promise<PollResult> {
		if (mode === 'manual') return await this.manual();
		this.emittedThisPoll = [];
		this.errorThisPoll = undefined;
		try {
			if (!this.activation) {
				await this.activate();
			} else {
				for (const onTick of this.activation.onTick) await onTick();
			}
		} catch (error) {
			this.errorThisPoll ??= error as PollResult['error'];
		}
		await this.flush();
		return { items: this.emittedThisPoll, error: this.errorThisPoll };
	}

	/** Lets outcomes that were resolved reach the node, and the executions they start end too. */
	async flush(): Promise<void> {
		for (let round = 0; round < 8; round++) await new Promise((resolve) => setImmediate(resolve));
	}

	/** n8n restarts: the trigger is stopped, what was not stored is gone, and the next poll activates it again. */
	restart(): void {
		this.stop();
		this.live = this.stored;
		this.restarted = true;
	}

	/** Resolves an execution that was left pending ('never', 'lostUnseen'), as n8n would once it learns the end. */
	finish(execution: Execution, end: Exclude<ExecutionEnd, 'never' | 'lostUnseen'>): void {
		if (end === 'reject') execution.done?.reject(new Error('the execution could not be followed'));
		else if (end === 'refused') execution.done?.resolve(undefined);
		else execution.done?.resolve(runOf(end));
	}

	/**
	 * An execution of the workflow that changed static data ends (a Code node writing
	 * `$getWorkflowStaticData`): n8n writes its whole copy back, read when it was queued. `copy` is
	 * that copy, e.g. `stored` taken earlier.
	 */
	executionWritesStaticData(copy: IDataObject): void {
		this.storedJson = JSON.stringify(copy);
	}

	/** The trigger's own state inside the workflow static data. */
	nodeState(): IDataObject | undefined {
		return (this.live[`node:${TRIGGER_NAME}`] as IDataObject | undefined) ?? undefined;
	}

	/** n8n calls closeFunction without waiting for outcomes still to come. */
	private stop(): void {
		const response = this.activation?.response;
		this.activation = undefined;
		void response?.closeFunction?.();
	}

	private async activate(): Promise<void> {
		const activation: WorkflowActivateMode = this.restarted ? 'init' : 'activate';
		const onTick: Array<() => unknown> = [];
		const workflow = this.workflow(this.live);
		const additionalData = buildAdditionalData(this.opts.credentials, {} as IWorkflowBase, 'trigger');
		const ctx = new TriggerContext(
			workflow,
			this.node,
			additionalData,
			'trigger',
			activation,
			(data, _response, done, key) => this.emit(data, done as IDeferredPromise<IRun | undefined> | undefined, key),
			(error) => this.emitError(error),
			(error) => this.saveFailedExecution(error),
			{ registerCron: (_cron, tick) => void onTick.push(() => tick(new Date())) },
		);
		const response = await this.opts.nodeType.trigger!.call(ctx);
		this.activation = { response, onTick };
		this.storedJson = JSON.stringify(this.live);
	}

	private emit(data: INodeExecutionData[][], done?: IDeferredPromise<IRun | undefined>, key?: string): void {
		this.storedJson = JSON.stringify(this.live);
		const execution: Execution = { items: data[0] ?? [], key, done, skipped: false };
		if (this.opts.keepExecutions !== false) this.executions.push(execution);
		if (key !== undefined && this.keys.has(key)) {
			execution.skipped = true;
			setImmediate(() => done?.resolve(undefined));
			return;
		}
		if (key !== undefined) this.keys.add(key);
		this.emittedThisPoll.push(...execution.items);
		const end = this.outcome(execution);
		execution.end = end;
		if (end !== 'never' && end !== 'lostUnseen') setImmediate(() => this.finish(execution, end));
	}

	/** n8n 2.x: a failed execution is saved and the Error Workflow runs; the trigger keeps running. */
	private saveFailedExecution(error: Error): void {
		this.errorThisPoll ??= error as PollResult['error'];
	}

	private emitError(error: Error): void {
		this.errorThisPoll ??= error as PollResult['error'];
		// n8n removes the workflow's triggers and activates it again.
		this.stop();
	}

	private async manual(): Promise<PollResult> {
		const workflow = this.workflow(clone(this.live));
		const additionalData = buildAdditionalData(this.opts.credentials, {} as IWorkflowBase, 'manual');
		const getTriggerFunctions = (wf: Workflow, node: INode, data: typeof additionalData, mode: WorkflowExecuteMode, act: WorkflowActivateMode) =>
			new TriggerContext(wf, node, data, mode, act);
		try {
			const response = await new TriggersAndPollers().runTriggerFunction(workflow, this.node, getTriggerFunctions, additionalData, 'manual', 'manual');
			if (!response) return { items: [] };
			const received = response.manualTriggerResponse!;
			received.catch(() => {});
			await response.manualTriggerFunction?.();
			const data = await received;
			await response.closeFunction?.();
			return { items: data[0] ?? [] };
		} catch (error) {
			return { items: [], error: error as PollResult['error'] };
		}
	}

	private workflow(staticData: IDataObject): Workflow {
		const nodeTypes = new TestNodeTypes({ [TRIGGER_TYPE]: this.opts.nodeType });
		return new Workflow({
			id: 'trigger-workflow',
			name: 'trigger',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes,
			staticData,
			settings: {},
		});
	}
}
