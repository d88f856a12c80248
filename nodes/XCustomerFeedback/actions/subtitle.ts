/**
 * The node's subtitle ("Send Request: Feedback"), written from the resource and operation options
 * themselves: a new operation shows its own name without anyone editing an expression.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

const text = (value: unknown) => JSON.stringify(String(value));

export function subtitleOf(properties: INodeProperties[]): string {
	const resources = (properties.find((p) => p.name === 'resource')?.options ?? []) as INodePropertyOptions[];
	const operationsOf = (resource: unknown) =>
		(properties.find((p) => p.name === 'operation' && (p.displayOptions?.show?.resource as unknown[] | undefined)?.includes(resource))?.options ??
			[]) as INodePropertyOptions[];
	const operation = resources.reduceRight((rest, r) => {
		const names = operationsOf(r.value).reduceRight((inner, o) => `$parameter["operation"] === ${text(o.value)} ? ${text(o.name)} : ${inner}`, '$parameter["operation"]');
		return `$parameter["resource"] === ${text(r.value)} ? (${names}) : ${rest}`;
	}, '$parameter["operation"]');
	const resource = resources.reduceRight((rest, r) => `$parameter["resource"] === ${text(r.value)} ? ${text(r.name)} : ${rest}`, '$parameter["resource"]');
	return `={{ (${operation}) + ": " + (${resource}) }}`;
}
