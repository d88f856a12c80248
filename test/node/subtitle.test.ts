/** The subtitle is read from the options: every operation of every resource shows its own name. */
import type { INodePropertyOptions } from 'n8n-workflow';

import { XCustomerFeedback } from '../../nodes/XCustomerFeedback/XCustomerFeedback.node';

const { description } = new XCustomerFeedback();
const subtitle = (parameter: Record<string, string>) =>
	// The expression is plain JavaScript over $parameter, as n8n evaluates it.
	new Function('$parameter', `return ${String(description.subtitle).replace(/^=\{\{/, '').replace(/\}\}$/, '')};`)(parameter) as string;

test('every resource and operation shows by name, as the options spell them', () => {
	const resources = description.properties.find((p) => p.name === 'resource')!.options as INodePropertyOptions[];
	const seen: string[] = [];
	for (const r of resources) {
		const ops = description.properties.find((p) => p.name === 'operation' && (p.displayOptions?.show?.resource as unknown[]).includes(r.value))!
			.options as INodePropertyOptions[];
		for (const o of ops) {
			const shown = subtitle({ resource: String(r.value), operation: String(o.value) });
			expect(shown).toBe(`${o.name}: ${r.name}`);
			seen.push(shown);
		}
	}
	expect(seen).toEqual(expect.arrayContaining(['Send Request: Feedback', 'Send: Direct Message', 'Get: User', 'Check Can DM: User']));
});
