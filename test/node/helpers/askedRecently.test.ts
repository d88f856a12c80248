/** helpers/askedRecently.ts: the keys of Send Request's memory of whom it asked. */
import { askedKey, dayOf, latestDay, windowKeys } from '../../../nodes/XCustomerFeedback/helpers/askedRecently';
import { DAY_MS } from '../../../nodes/shared/time';

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
