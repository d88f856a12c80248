/** The action node's pure pieces: asked-recently memory, dateTime fields, the simplified feedback, question variants. */
import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { askedKey, dayOf, latestDay, windowKeys } from '../../nodes/XCustomerFeedback/helpers/askedRecently';
import { DAY_MS } from '../../nodes/shared/time';
import { dateTimeToMs, wallClockToMs } from '../../nodes/shared/dateTimeParam';
import { getQuestionVariants } from '../../nodes/XCustomerFeedback/methods/loadOptions';
import { simplifyFeedback, variantIdOf } from '../../nodes/shared/feedbackView';
import type { XFeedback } from '../../nodes/shared/types';

describe('askedRecently', () => {
	const now = Date.UTC(2025, 5, 1, 12);

	test('one key per recipient and UTC day; the window ends today', () => {
		expect(dayOf(Date.UTC(2025, 5, 1, 23, 59))).toBe('2025-06-01');
		expect(askedKey('42', '2025-06-01')).toBe('42@2025-06-01');
		expect(windowKeys('42', now, 3)).toEqual(['42@2025-05-30', '42@2025-05-31', '42@2025-06-01']);
		expect(windowKeys('42', now, 1)).toEqual(['42@2025-06-01']);
		expect(windowKeys('42', now - 8 * DAY_MS, 1)).toEqual(['42@2025-05-24']);
	});

	test('latestDay picks the most recent day among keys, whatever their order', () => {
		expect(latestDay(['1@2025-05-30', '1@2025-06-01', '1@2025-05-31'])).toBe('2025-06-01');
		expect(latestDay([])).toBeUndefined();
	});
});

describe('dateTimeToMs', () => {
	test('ISO with an offset or Z is taken as is', () => {
		expect(dateTimeToMs('2025-03-01T09:00:00Z', 'Europe/Berlin')).toBe(Date.UTC(2025, 2, 1, 9));
		expect(dateTimeToMs('2025-03-01T09:00:00.000+02:00', 'UTC')).toBe(Date.UTC(2025, 2, 1, 7));
	});

	test('wall-clock text is read in the workflow time zone, daylight saving included', () => {
		expect(dateTimeToMs('2025-01-15T09:00:00', 'Europe/Berlin')).toBe(Date.UTC(2025, 0, 15, 8));
		expect(dateTimeToMs('2025-07-15T09:00:00', 'Europe/Berlin')).toBe(Date.UTC(2025, 6, 15, 7));
		expect(dateTimeToMs('2025-07-15 09:30', 'America/New_York')).toBe(Date.UTC(2025, 6, 15, 13, 30));
		expect(dateTimeToMs('2025-07-15', 'Asia/Tokyo')).toBe(Date.UTC(2025, 6, 14, 15));
		expect(dateTimeToMs('2025-07-15T09:00:00.250', 'UTC')).toBe(Date.UTC(2025, 6, 15, 9, 0, 0, 250));
	});

	test('a time that does not exist (spring forward) or repeats (fall back) still gives an instant', () => {
		// Berlin skips 02:00-03:00 on 2025-03-30 and repeats 02:00-03:00 on 2025-10-26.
		// Skipped: read with the winter offset, so 02:30 becomes 03:30 summer time.
		expect(wallClockToMs(Date.UTC(2025, 2, 30, 2, 30), 'Europe/Berlin')).toBe(Date.UTC(2025, 2, 30, 1, 30));
		// Repeated: the earlier of the two.
		expect(wallClockToMs(Date.UTC(2025, 9, 26, 2, 30), 'Europe/Berlin')).toBe(Date.UTC(2025, 9, 26, 0, 30));
		expect(wallClockToMs(Date.UTC(2025, 10, 2, 1, 30), 'America/New_York')).toBe(Date.UTC(2025, 10, 2, 5, 30));
		expect(wallClockToMs(Date.UTC(2025, 2, 9, 2, 30), 'America/New_York')).toBe(Date.UTC(2025, 2, 9, 7, 30));
	});

	test('numbers, Dates, DateTime-like objects; empty and unreadable', () => {
		expect(dateTimeToMs(1_700_000_000_000, 'UTC')).toBe(1_700_000_000_000);
		expect(dateTimeToMs('1700000000000', 'UTC')).toBe(1_700_000_000_000);
		expect(dateTimeToMs(new Date(5000), 'UTC')).toBe(5000);
		expect(dateTimeToMs({ toMillis: () => 42 }, 'UTC')).toBe(42);
		expect(dateTimeToMs('', 'UTC')).toBeUndefined();
		expect(dateTimeToMs(undefined, 'UTC')).toBeUndefined();
		expect(dateTimeToMs('soon', 'UTC')).toBeNaN();
		expect(dateTimeToMs({}, 'UTC')).toBeNaN();
	});

	test('an unknown time zone reads wall-clock text as UTC', () => {
		expect(dateTimeToMs('2025-07-15T09:00:00', 'Not/AZone')).toBe(Date.UTC(2025, 6, 15, 9));
	});
});

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
