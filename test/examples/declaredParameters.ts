/**
 * Which parameters of a workflow node its node type does not declare. Walks the description the
 * way n8n's editor reads a node: a parameter counts only if a property of that name is displayed
 * for the node's other values (displayOptions), nested collections and fixed collections included;
 * options, multiOptions and resource locator modes must name a declared value unless they are
 * expressions.
 */
import {
	NodeHelpers,
	type IDataObject,
	type INode,
	type INodeProperties,
	type INodePropertyCollection,
	type INodePropertyOptions,
	type INodeTypeDescription,
	type INodeParameters,
} from 'n8n-workflow';

const isExpression = (v: unknown) => typeof v === 'string' && v.startsWith('=');
const isObject = (v: unknown): v is IDataObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** n8n adds this to every polling node when it loads it (n8n-core's applySpecialNodeParameters). */
export const POLL_TIMES: INodeProperties = {
	displayName: 'Poll Times',
	name: 'pollTimes',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	default: { item: [{ mode: 'everyMinute' }] },
	options: NodeHelpers.cronNodeOptions,
};

export function propertiesAsLoaded(description: INodeTypeDescription): INodeProperties[] {
	return description.polling ? [POLL_TIMES, ...description.properties] : description.properties;
}

function valueProblem(property: INodeProperties, value: unknown, path: string): string[] {
	if (isExpression(value)) return [];
	const names = (property.options ?? []).map((o) => (o as INodePropertyOptions).value);
	switch (property.type) {
		case 'options':
			return names.includes(value as string) || property.typeOptions?.loadOptionsMethod ? [] : [`${path}: ${JSON.stringify(value)} is not an option`];
		case 'multiOptions':
			return Array.isArray(value) && value.every((v) => names.includes(v as string))
				? []
				: [`${path}: ${JSON.stringify(value)} has values that are not options`];
		case 'boolean':
			return typeof value === 'boolean' ? [] : [`${path}: ${JSON.stringify(value)} is not a boolean`];
		case 'number':
			return typeof value === 'number' ? [] : [`${path}: ${JSON.stringify(value)} is not a number`];
		case 'string':
		case 'dateTime':
			return typeof value === 'string' ? [] : [`${path}: ${JSON.stringify(value)} is not a string`];
		case 'resourceLocator': {
			if (!isObject(value) || value.__rl !== true) return [`${path}: not a resource locator value ({"__rl": true, mode, value})`];
			const modes = (property.modes ?? []).map((m) => m.name);
			return modes.includes(value.mode as string) ? [] : [`${path}: mode ${JSON.stringify(value.mode)} is not one of ${modes.join(', ')}`];
		}
		default:
			return [];
	}
}

function walk(
	properties: INodeProperties[],
	values: IDataObject,
	displayValues: INodeParameters,
	node: INode,
	description: INodeTypeDescription,
	path: string,
): string[] {
	const problems: string[] = [];
	for (const [key, value] of Object.entries(values)) {
		const at = path ? `${path}.${key}` : key;
		const shown = properties.filter(
			(p) => p.name === key && NodeHelpers.displayParameter(displayValues, p, node, description, node.parameters),
		);
		if (shown.length === 0) {
			problems.push(`${at}: not declared${properties.some((p) => p.name === key) ? ' for these settings (displayOptions hide it)' : ''}`);
			continue;
		}
		const property = shown[0];
		if (property.type === 'collection') {
			if (!isObject(value)) problems.push(`${at}: a collection must be an object`);
			else problems.push(...walk(property.options as INodeProperties[], value, displayValues, node, description, at));
		} else if (property.type === 'fixedCollection') {
			if (!isObject(value)) {
				problems.push(`${at}: a fixed collection must be an object`);
				continue;
			}
			for (const [group, entries] of Object.entries(value)) {
				const option = (property.options as INodePropertyCollection[]).find((o) => o.name === group);
				if (!option) {
					problems.push(`${at}.${group}: not declared`);
					continue;
				}
				const list = Array.isArray(entries) ? entries : [entries];
				list.forEach((entry, i) => {
					if (!isObject(entry)) problems.push(`${at}.${group}[${i}]: not an object`);
					else problems.push(...walk(option.values, entry, entry as INodeParameters, node, description, `${at}.${group}[${i}]`));
				});
			}
		} else {
			problems.push(...valueProblem(property, value, at));
		}
	}
	return problems;
}

/** Every parameter of `node` that `description` does not declare, or declares with other values. */
export function undeclaredParameters(node: INode, description: INodeTypeDescription): string[] {
	return walk(propertiesAsLoaded(description), node.parameters as IDataObject, node.parameters, node, description, '');
}

/** n8n's own check for missing required parameters, on the node as the editor would fill it in. */
export function parameterIssues(node: INode, description: INodeTypeDescription) {
	const properties = propertiesAsLoaded(description);
	const parameters = NodeHelpers.getNodeParameters(properties, node.parameters, true, false, node, description);
	return NodeHelpers.getNodeParametersIssues(properties, { ...node, parameters: parameters ?? {} }, description);
}
