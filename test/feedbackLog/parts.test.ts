/** The part kinds table: one row per kind, keys that cannot clash, times read from the row. */
import { keyLetter, PART_KINDS, partKey, partTime } from '../../nodes/shared/feedbackLog/parts';
import { AnomalyLog } from '../../nodes/shared/feedbackLog/anomalies';

test('every kind has its own key letter, so no two kinds share a saved key', () => {
	const letters = PART_KINDS.map(keyLetter);
	expect(new Set(letters).size).toBe(PART_KINDS.length);
	const keys = PART_KINDS.map((kind) => partKey({ feedbackId: '42', kind }));
	expect(new Set(keys).size).toBe(PART_KINDS.length);
});

test('each kind reads its own time from the snapshot; a comment that is not text is counted, not read', () => {
	const feedback = {
		id: '42',
		created_at: 'Sat Dec 15 17:58:20 +0000 2015',
		response: { score: { value: 3, created_at: 'Sat Dec 15 18:00:00 +0000 2015' }, text: { value: 7, created_at: 'Sat Dec 15 18:01:00 +0000 2015' } },
	};
	const anomalies = new AnomalyLog();
	expect(partTime(feedback as never, 'request', anomalies)).toBe(Date.UTC(2015, 11, 15, 17, 58, 20));
	expect(partTime(feedback as never, 'score', anomalies)).toBe(Date.UTC(2015, 11, 15, 18, 0, 0));
	expect(partTime(feedback as never, 'comment', anomalies)).toBeUndefined();
	expect(anomalies.byReason).toMatchObject({ commentNotText: 1 });
});
