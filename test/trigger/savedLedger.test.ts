/** The delivery ledger as n8n saves it: rows under field names, read back into the same items. */
import { createLedger, markSent, openBatch, restoreLedger } from '../../nodes/XCustomerFeedbackTrigger/deliveryLedger';
import type { FeedbackPart } from '../../nodes/shared/feedbackLog/parts';
import type { XFeedback } from '../../nodes/shared/types';
import { ITEM_FIELDS, readSavedLedger, savedLedger } from '../../nodes/XCustomerFeedbackTrigger/savedLedger';
import { triggerItem } from '../../nodes/shared/triggerItem';

const AT = 'Mon Nov 02 09:00:00 +0000 2026';
const LATER = 'Mon Nov 02 09:05:00 +0000 2026';

function feedback(id: string, type: 'csat' | 'nps', score: unknown, text?: string): XFeedback {
	return {
		id,
		type,
		created_at: AT,
		updated_at: LATER,
		to_user_id: '42',
		external_id: `case-${id}`,
		question_variant_id: '0',
		response: {
			score: score === undefined ? undefined : { value: score, created_at: LATER },
			text: text === undefined ? undefined : { value: text, created_at: LATER },
		},
	} as unknown as XFeedback;
}

const part = (kind: FeedbackPart['kind'], f: XFeedback): FeedbackPart => ({ kind, feedbackId: String(f.id), atMs: Date.parse('2026-11-02T09:05:00Z'), feedback: f });

function sampleItems(includeRaw: boolean) {
	const csat = feedback('1', 'csat', 2, 'slow "answer" \u00e9');
	const nps = feedback('2', 'nps', 10);
	const odd = feedback('3', 'csat', 99);
	return [part('request', csat), part('score', csat), part('comment', csat), part('score', nps), part('score', odd)].map((p) => triggerItem(p, includeRaw));
}

const roundTrip = (value: unknown) => readSavedLedger(JSON.parse(JSON.stringify(value)));

test.each([false, true])('items come back as they were sent (raw included: %s)', (includeRaw) => {
	const ledger = savedLedger(createLedger('x'));
	const items = sampleItems(includeRaw);
	openBatch(ledger, items);
	const restored = restoreLedger(roundTrip(ledger), 'fresh', 0).ledger;
	expect(restored.batches).toHaveLength(1);
	expect(restored.batches[0].items).toEqual(items);
	expect(restored.batches[0].status).toBe('due');
});

test('every field a trigger item has is a saved field, so none is lost on a restart', () => {
	for (const item of sampleItems(true)) {
		for (const key of Object.keys(item)) expect(ITEM_FIELDS).toContain(key);
	}
});

test('the saved form is the ledger in memory, and less than half the size of items as objects', () => {
	const ledger = savedLedger(createLedger('x'));
	const items = Array.from({ length: 50 }, () => sampleItems(false)).flat();
	openBatch(ledger, items);
	expect(ledger.batches[0].items).toBe(items);
	const asObjects = JSON.stringify({ ...ledger });
	expect(JSON.stringify(ledger).length).toBeLessThan(asObjects.length / 2);
});

test('a due batch keeps its attempt and wait through the saved form', () => {
	const ledger = savedLedger(createLedger('x'));
	const batch = openBatch(ledger, sampleItems(false));
	batch.status = 'due';
	batch.dueAtMs = 123;
	batch.lost = 2;
	markSent(batch);
	batch.status = 'due';
	batch.dueAtMs = 456;
	const [restored] = restoreLedger(roundTrip(ledger), 'fresh', 0).ledger.batches;
	expect(restored).toEqual(expect.objectContaining({ seq: 1, attempt: 2, status: 'due', dueAtMs: 456, lost: 2 }));
});

test('a ledger saved with items as objects still restores; an unreadable row is set aside with a warning, the others kept', () => {
	const items = sampleItems(false);
	const objects = { v: 1, id: 'x', nextSeq: 2, batches: [{ seq: 1, attempt: 1, status: 'sent', items, lost: 0, failed: 0 }] };
	expect(restoreLedger(readSavedLedger(objects), 'n', 0).ledger.batches[0].items).toEqual(items);
	const broken = { v: 1, id: 'x', nextSeq: 2, batches: [{ seq: 1, attempt: 1, status: 'sent', fields: ITEM_FIELDS, rows: [['1:score'], 'not a row'], lost: 0, failed: 0 }] };
	const { ledger, repairs } = restoreLedger(readSavedLedger(broken), 'n', 0);
	expect(ledger.batches[0].items).toEqual([{ eventId: '1:score' }]);
	expect(repairs).toEqual([expect.stringContaining('1 item(s) that are not objects')]);
});

test('a saved row holds the item field for field, in ITEM_FIELDS order, raw last when it is there', async () => {
	const { itemRow } = await import('../../nodes/XCustomerFeedbackTrigger/savedLedger');
	const item = Object.fromEntries(ITEM_FIELDS.filter((f) => f !== 'raw').map((f, i) => [f, `v${i}`]));
	expect(itemRow(item)).toEqual(ITEM_FIELDS.filter((f) => f !== 'raw').map((f) => item[f]));
	expect(itemRow({ ...item, raw: { x: 1 } })).toEqual([...ITEM_FIELDS.filter((f) => f !== 'raw').map((f) => item[f]), { x: 1 }]);
});
