/**
 * The delivery ledger as n8n saves it in static data. n8n serializes the whole static data at every
 * emit, so what a batch in flight costs there is paid at every poll. A batch the drain read is saved
 * as its part references (deliveryLedger.ts, PartRefs): about 25 bytes a part instead of about 220,
 * and a restart reads its items again from X. A batch without them (restored from a ledger saved as
 * rows) is saved as rows of values under one list of field names, instead of a thousand objects
 * that repeat every key. The live ledger stays as it is: the saved form is made only when n8n
 * serializes it (toJSON), and read back when a new activation restores the ledger.
 */
import type { Batch, ItemBody, Ledger } from './deliveryLedger';
import { ITEM_FIELDS } from '../shared/triggerItem';

export { ITEM_FIELDS } from '../shared/triggerItem';

/** One item as a row: written out field by field, which serializes twice as fast as reading ITEM_FIELDS in a loop (test/trigger/savedLedger.test.ts holds the two to one order). */
export function itemRow(item: ItemBody): unknown[] {
	const row = [
		item.eventId,
		item.event,
		item.feedbackId,
		item.type,
		item.score,
		item.scoreIssue,
		item.comment,
		item.submittedAt,
		item.requestedAt,
		item.externalId,
		item.recipientId,
		item.questionVariantId,
		item.test,
		item.category,
		item.detractor,
		item.npsCategory,
		item.csatSatisfied,
		item.deliveryAttempt,
		item.recovered,
	];
	if (item.raw !== undefined) row.push(item.raw);
	return row;
}

interface SavedBatch extends Omit<Batch, 'items'> {
	fields: readonly string[];
	rows: unknown[][];
}

/** A batch that X can give again is saved as its part references; one that it cannot (restored from rows) as rows. */
function savedBatch(batch: Batch): SavedBatch | Omit<Batch, 'items' | 'unread'> {
	const { items, ...saved } = batch;
	// A restored batch not read again yet is saved as it was restored: as its references.
	delete saved.unread;
	if (saved.refs) return saved;
	return { ...saved, fields: ITEM_FIELDS, rows: items.map(itemRow) };
}

function savedForm(ledger: Ledger): unknown {
	return { ...ledger, batches: ledger.batches.map(savedBatch) };
}

/**
 * The live ledger, made to serialize to the saved form (rows) whatever serializes it: n8n saving
 * static data, or copying it. Read in memory, it is the ledger as it is.
 */
export function savedLedger(ledger: Ledger): Ledger {
	if (!Object.prototype.hasOwnProperty.call(ledger, 'toJSON')) {
		Object.defineProperty(ledger, 'toJSON', { value: () => savedForm(ledger), enumerable: false });
	}
	return ledger;
}

/** A row as an item; an unreadable row reads as null, for restoreLedger to set aside and report. */
function itemOf(fields: unknown[], row: unknown): ItemBody | null {
	if (!Array.isArray(row)) return null;
	const item: ItemBody = {};
	for (let i = 0; i < row.length && i < fields.length; i++) item[String(fields[i])] = row[i];
	return item;
}

/**
 * The saved ledger with each batch's rows read back into items, for restoreLedger. Ledgers saved
 * with items as objects, and anything unreadable, pass through as they are: restoreLedger checks.
 */
export function readSavedLedger(saved: unknown): unknown {
	if (saved && typeof (saved as { toJSON?: unknown }).toJSON === 'function') saved = JSON.parse(JSON.stringify(saved));
	const ledger = saved as { batches?: unknown } | null | undefined;
	if (!ledger || typeof ledger !== 'object' || !Array.isArray(ledger.batches)) return saved;
	return {
		...ledger,
		batches: ledger.batches.map((batch: unknown) => {
			const b = batch as Partial<SavedBatch> | null;
			if (!b || typeof b !== 'object' || !Array.isArray(b.fields) || !Array.isArray(b.rows)) return batch;
			const { fields, rows, ...rest } = b;
			return { ...rest, items: rows.map((row) => itemOf(fields, row)) };
		}),
	};
}
