/** feedbackView.ts: the simplified feedback both nodes output. */
import { simplifyFeedback, variantIdOf } from '../../nodes/shared/feedbackView';
import type { XFeedback } from '../../nodes/shared/types';

describe('simplifyFeedback', () => {
	const base: XFeedback = {
		id: '17',
		created_at: 'Sat Dec 15 17:58:20 +0000 2015',
		updated_at: 'SatDec1518:00:01+00002015',
		type: 'nps',
		test: false,
		dm_id: '18',
		from_user_id: '1',
		to_user_id: '2',
		privacy_url: 'https://a.example',
	};

	test('an answered NPS feedback, with the squashed date form', () => {
		expect(
			simplifyFeedback({
				...base,
				external_id: 'c-1',
				question_variant_id: '4',
				response: {
					score: { value: 6, created_at: 'Sat Dec 15 17:59:00 +0000 2015' },
					text: { value: 'Slow.', created_at: 'Sat Dec 15 18:00:01 +0000 2015' },
				},
			}),
		).toEqual({
			feedbackId: '17',
			type: 'nps',
			answered: true,
			score: 6,
			scoreIssue: null,
			scoredAt: '2015-12-15T17:59:00.000Z',
			comment: 'Slow.',
			commentedAt: '2015-12-15T18:00:01.000Z',
			questionVariantId: 4,
			externalId: 'c-1',
			recipientId: '2',
			test: false,
			sentAt: '2015-12-15T17:58:20.000Z',
			updatedAt: '2015-12-15T18:00:01.000Z',
			category: 'detractor',
			detractor: true,
			npsCategory: 'detractor',
			csatSatisfied: null,
		});
	});

	test('score 0 is a score; a missing variant is X default 0; an odd one is null', () => {
		const simple = simplifyFeedback({ ...base, response: { score: { value: 0, created_at: base.created_at } } });
		expect(simple).toMatchObject({ answered: true, score: 0, npsCategory: 'detractor' });
		expect(variantIdOf({})).toBe(0);
		expect(variantIdOf({ question_variant_id: 'x' })).toBeNull();
	});

	test('CSAT gets csatSatisfied and npsCategory null; unknown types get nulls; every result has the same keys', () => {
		const csat = simplifyFeedback({ ...base, type: 'csat', response: { score: { value: 4, created_at: base.created_at } } });
		expect(csat).toMatchObject({ csatSatisfied: true, npsCategory: null, category: 'satisfied', detractor: false });
		const odd = simplifyFeedback({ ...base, type: 'ces' as never, response: { score: { value: 1, created_at: base.created_at } } });
		expect(odd).toMatchObject({ npsCategory: null, csatSatisfied: null, category: null, detractor: null });
		const nps = simplifyFeedback(base);
		expect(Object.keys(csat)).toEqual(Object.keys(odd));
		expect(Object.keys(csat)).toEqual(Object.keys(nps));
	});
});
