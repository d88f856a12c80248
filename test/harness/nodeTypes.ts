/** The node types a test workflow may use: this package's nodes plus a node that feeds test items. */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { XCustomerFeedback } from '../../nodes/XCustomerFeedback/XCustomerFeedback.node';

export const PACKAGE = 'n8n-nodes-x-customer-feedback';
export const ACTION_TYPE = `${PACKAGE}.xCustomerFeedback`;
export const TRIGGER_TYPE = `${PACKAGE}.xCustomerFeedbackTrigger`;
export const WEBHOOK_TRIGGER_TYPE = `${PACKAGE}.xCustomerFeedbackWebhookTrigger`;
export const INPUT_TYPE = 'harness.input';

/** Emits the items in its `items` parameter, like a trigger or Code node would upstream. */
class HarnessInput implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Input',
		name: 'input',
		group: ['input'],
		version: 1,
		description: 'Test items',
		defaults: { name: 'Input' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [items.map((json) => ({ json }))];
	}
}

export class TestNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType> = {};

	constructor(extra: Record<string, INodeType> = {}) {
		this.types[ACTION_TYPE] = new XCustomerFeedback();
		this.types[INPUT_TYPE] = new HarnessInput();
		for (const [name, type] of Object.entries(extra)) this.types[name] = type;
	}

	register(name: string, type: INodeType): void {
		this.types[name] = type;
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types[nodeType];
		if (!type) throw new Error(`Unknown node type in test workflow: ${nodeType}`);
		return type;
	}

	getByNameAndVersion(nodeType: string): INodeType {
		return this.getByName(nodeType) as INodeType;
	}

	getKnownTypes() {
		return {};
	}
}
