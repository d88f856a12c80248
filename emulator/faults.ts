/**
 * Fault injection: each fault applies to the next `count` API requests that match its method and
 * path, so tests and benchmarks can meet the failures a client of X must survive.
 */
export const FAULT_KINDS = [
	'status',
	'rateLimit',
	'timeout',
	'reset',
	'malformed',
	'truncated',
	'emptyPage',
	'sameCursor',
	'noCursorField',
	'duplicateEvent',
	'staleTimestamp',
	'expiredToken',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** Kinds that shape an events page; they only match GET /1.1/feedback/events.json. */
export const PAGE_FAULT_KINDS: ReadonlySet<FaultKind> = new Set(['emptyPage', 'sameCursor', 'noCursorField', 'duplicateEvent']);

export interface FaultSpec {
	kind: FaultKind;
	count: number;
	/** HTTP method to match (any when absent). */
	method?: string;
	/** Substring of the request's path and query to match (any when absent). */
	path?: string;
	/** For `status`: the HTTP status (400-599, default 503). */
	status?: number;
	/** For `status`: the X error code (default per status, e.g. 503 -> 130, 500 -> 131). */
	code?: number;
	message?: string;
	/** Real-time delay before the fault acts; for `timeout`, how long the socket is held (default 30 s). */
	afterMs?: number;
	/** For `rateLimit`: when the window resets, from now (default 1000 ms). */
	resetAfterMs?: number;
}

export interface Fault extends FaultSpec {
	id: number;
	remaining: number;
}

export interface AppliedFault {
	id: number;
	kind: FaultKind;
	method: string;
	url: string;
	at: string;
}

const isInt = (v: unknown, min: number, max: number) =>
	typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** Validates one fault from the control API; throws an Error with a plain message. */
export function parseFaultSpec(raw: unknown): FaultSpec {
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('each fault must be an object');
	const f = raw as Record<string, unknown>;
	if (!FAULT_KINDS.includes(f.kind as FaultKind)) {
		throw new Error(`fault kind must be one of ${FAULT_KINDS.join(', ')} (got ${JSON.stringify(f.kind)})`);
	}
	const spec: FaultSpec = { kind: f.kind as FaultKind, count: 1 };
	if (f.count !== undefined) {
		if (!isInt(f.count, 1, 1_000_000)) throw new Error('fault count must be an integer from 1');
		spec.count = f.count as number;
	}
	if (f.method !== undefined) {
		if (typeof f.method !== 'string' || !/^[A-Za-z]+$/.test(f.method)) throw new Error('fault method must be an HTTP method');
		spec.method = f.method.toUpperCase();
	}
	if (f.path !== undefined) {
		if (typeof f.path !== 'string' || f.path === '') throw new Error('fault path must be a non-empty string');
		spec.path = f.path;
	}
	if (f.status !== undefined) {
		if (!isInt(f.status, 400, 599)) throw new Error('fault status must be an HTTP status from 400 to 599');
		spec.status = f.status as number;
	}
	if (f.code !== undefined) {
		if (!isInt(f.code, 0, 100_000)) throw new Error('fault code must be a non-negative integer');
		spec.code = f.code as number;
	}
	if (f.message !== undefined) {
		if (typeof f.message !== 'string') throw new Error('fault message must be a string');
		spec.message = f.message;
	}
	for (const key of ['afterMs', 'resetAfterMs'] as const) {
		if (f[key] === undefined) continue;
		if (!isInt(f[key], 0, 600_000)) throw new Error(`fault ${key} must be an integer from 0 to 600000`);
		spec[key] = f[key] as number;
	}
	return spec;
}

export class FaultQueue {
	private faults: Fault[] = [];
	private readonly applied: AppliedFault[] = [];
	private nextId = 1;

	add(specs: FaultSpec[]): Fault[] {
		const added = specs.map((s) => ({ ...s, id: this.nextId++, remaining: s.count }));
		this.faults.push(...added);
		return added;
	}

	/** The first fault matching this request, consumed once; undefined when none. */
	take(method: string, url: string, isEventsPage: boolean): Fault | undefined {
		if (this.faults.length === 0) return undefined;
		const fault = this.faults.find(
			(f) =>
				(!f.method || f.method === method) &&
				(!f.path || url.includes(f.path)) &&
				(isEventsPage || !PAGE_FAULT_KINDS.has(f.kind)),
		);
		if (!fault) return undefined;
		fault.remaining--;
		if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
		this.applied.push({ id: fault.id, kind: fault.kind, method, url, at: new Date().toISOString() });
		if (this.applied.length > 100) this.applied.shift();
		return fault;
	}

	describe(): { faults: Fault[]; applied: AppliedFault[] } {
		return { faults: this.faults.map((f) => ({ ...f })), applied: [...this.applied] };
	}

	clear(): void {
		this.faults = [];
		this.applied.length = 0;
	}
}
