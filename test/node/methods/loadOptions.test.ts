/** methods/loadOptions.ts: the question variants the editor lists. */
import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { getQuestionVariants } from '../../../nodes/XCustomerFeedback/methods/loadOptions';

describe('getQuestionVariants', () => {
	const load = (parameters: Record<string, unknown>) =>
		getQuestionVariants.call({ getCurrentNodeParameter: (name: string) => parameters[name] } as unknown as ILoadOptionsFunctions);

	test('CSAT: 38 real question texts with the display name', async () => {
		const options = await load({ feedbackType: 'csat', options: { displayName: 'Acme' } });
		expect(options).toHaveLength(38);
		expect(options[0]).toEqual({ name: '0: What is your overall satisfaction with Acme?', value: 0, description: 'Sent as question_variant_id 0' });
		expect(options[37].name).toBe('37: How would you rate your recent meal at Acme?');
	});

	test('NPS: 10 texts; without a display name the account name stands in', async () => {
		const options = await load({ feedbackType: 'nps', options: {} });
		expect(options.map((o) => o.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(options[8].name).toBe('8: Would you recommend [your account name] to a friend or colleague?');
	});

	test('type from an expression: one entry per id with both texts, values unique', async () => {
		const options = await load({ feedbackType: '={{ $json.kind }}', options: { displayName: '={{ $json.brand }}' } });
		expect(options).toHaveLength(38);
		expect(new Set(options.map((o) => o.value)).size).toBe(38);
		expect(options[9].name).toBe(
			'9: CSAT "How would you rate your guest experience with [your account name]?" / NPS "How likely are you to recommend your experience with [your account name] to a friend?"',
		);
		expect(options[10].name).toMatch(/\(CSAT only\)$/);
	});
});
