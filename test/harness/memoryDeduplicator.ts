/**
 * n8n's de-duplication store (table processed_data) kept in memory for tests, with n8n's semantics
 * (packages/cli/src/deduplication/deduplication-helper.ts, n8n 2.41): one row per workflow and
 * context ("n:<node id>" for scope node, "" for workflow); mode "entries" keeps md5/base64 hashes in
 * insertion order and drops the oldest past maxEntries; the first call of a context returns every
 * item as new; items repeated within one call all count as new; a row saved in another mode is an
 * error; removeProcessed takes the first matching hash out. Each call reads the row, then writes it
 * back after an await and without a lock, as n8n does with its two queries: concurrent calls lose
 * each other's writes here as they do in n8n. `setLag` widens the gap between the read and the write
 * (a busy database or worker), so a test can make concurrent executions lose updates for certain.
 */
import { createHash } from 'node:crypto';
import { DataDeduplicationService } from 'n8n-core';
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

interface Row {
	mode: ICheckProcessedOptions['mode'];
	data: DeduplicationItemTypes[] | DeduplicationItemTypes;
}

const hash = (value: DeduplicationItemTypes) => createHash('md5').update(value.toString()).digest('base64');
/** The gap between a call's read and its write, in ms; undefined: one turn of the event loop. */
let lag: (() => number) | undefined;
const pause = () => new Promise((resolve) => (lag ? setTimeout(resolve, lag()) : setImmediate(resolve)));

function compare(mode: ICheckProcessedOptions['mode'], a: DeduplicationItemTypes, b: DeduplicationItemTypes): number {
	const [x, y] = mode === 'latestDate' ? [Date.parse(String(a)), Date.parse(String(b))] : [Number(a), Number(b)];
	if (Number.isNaN(x) || Number.isNaN(y)) throw new Error(`Invalid value for mode "${mode}"`);
	return x === y ? 0 : x > y ? 1 : -1;
}

export class MemoryDeduplicator implements IDataDeduplicator {
	private readonly rows = new Map<string, Row>();

	clear(): void {
		this.rows.clear();
	}

	/** Sets the gap between each call's read and write (`undefined`: back to one event-loop turn). */
	setLag(ms: (() => number) | undefined): void {
		lag = ms;
	}

	/** The stored hashes of a context (for tests that count what survived). */
	entries(workflowId: string, nodeId?: string): number {
		const row = this.rows.get(this.key({ workflow: { id: workflowId, active: true }, node: nodeId ? ({ id: nodeId } as never) : undefined }, nodeId ? 'node' : 'workflow'));
		return Array.isArray(row?.data) ? row.data.length : 0;
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		const key = this.key(contextData, scope);
		const read = this.read(key);
		if (read && read.mode !== options.mode) {
			throw new Error(
				'Deduplication data was originally saved with an incompatible setting of the ‘Keep Items Where’ parameter. Try ’Clean Database’ operation to reset.',
			);
		}
		await pause();
		if (options.mode !== 'entries') {
			const sorted = items.slice().sort((a, b) => compare(options.mode, a, b));
			if (!read) {
				this.rows.set(key, { mode: options.mode, data: sorted[sorted.length - 1] });
				return { new: items, processed: [] };
			}
			if (Array.isArray(read.data)) return { new: [], processed: [] };
			const out: IDeduplicationOutput = { new: [], processed: [] };
			let largest = read.data;
			for (const item of sorted) {
				if (compare(options.mode, item, read.data) === 1) {
					out.new.push(item);
					if (compare(options.mode, item, largest) === 1) largest = item;
				} else out.processed.push(item);
			}
			this.rows.set(key, { mode: options.mode, data: largest });
			return out;
		}
		const hashed = items.map(hash);
		if (!read) {
			if (options.maxEntries) hashed.splice(0, hashed.length - options.maxEntries);
			this.rows.set(key, { mode: options.mode, data: hashed });
			return { new: items, processed: [] };
		}
		if (!Array.isArray(read.data)) return { new: [], processed: [] };
		const seen = new Set(read.data);
		const out: IDeduplicationOutput = { new: [], processed: [] };
		hashed.forEach((h, i) => {
			if (seen.has(h)) out.processed.push(items[i]);
			else {
				out.new.push(items[i]);
				(read.data as DeduplicationItemTypes[]).push(h);
			}
		});
		if (options.maxEntries) read.data.splice(0, read.data.length - options.maxEntries);
		this.rows.set(key, read);
		return out;
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<void> {
		if (options.mode !== 'entries') throw new Error('Removing processed data is not possible in mode "latest"');
		const key = this.key(contextData, scope);
		const read = this.read(key);
		await pause();
		if (!read || !Array.isArray(read.data)) return;
		for (const h of items.map(hash)) {
			const index = read.data.indexOf(h);
			if (index !== -1) read.data.splice(index, 1);
		}
		this.rows.set(key, read);
	}

	async clearAllProcessedItems(scope: DeduplicationScope, contextData: ICheckProcessedContextData): Promise<void> {
		this.rows.delete(this.key(contextData, scope));
	}

	async getProcessedDataCount(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<number> {
		const row = this.read(this.key(contextData, scope));
		return options.mode === 'entries' && row && Array.isArray(row.data) ? row.data.length : 0;
	}

	private key(contextData: ICheckProcessedContextData, scope: DeduplicationScope): string {
		if (!contextData.workflow.id) throw new Error('The expression evaluated to a falsy value: contextData.workflow.id');
		if (scope === 'node' && !contextData.node) throw new Error("No node information has been provided and so cannot use scope 'node'");
		return `${contextData.workflow.id}|${scope === 'node' ? `n:${contextData.node!.id}` : ''}`;
	}

	/** A copy, as a database read is. */
	private read(key: string): Row | undefined {
		const row = this.rows.get(key);
		return row ? (JSON.parse(JSON.stringify(row)) as Row) : undefined;
	}
}

/** The one store of this test process, installed into n8n-core's DataDeduplicationService. */
export const deduplicationStore = new MemoryDeduplicator();

let installed = false;
export function installDeduplicationStore(): void {
	if (installed) return;
	installed = true;
	void DataDeduplicationService.init(deduplicationStore);
}
