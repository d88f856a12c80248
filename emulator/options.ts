/** Emulator options: what startEmulator, the CLI, POST /_emulator/reset and POST /_emulator/config accept. */
import { DAY_MS, MINUTE_MS } from './time';

export type SnapshotMode = 'event' | 'current';
export type SeedName = 'demo' | 'none';

export interface EmulatorOptions {
	/** 0 picks a free port. */
	port: number;
	host: string;
	/** to_time of an events listing must be at least this far in the past (X: 24 hours). */
	minEventAgeMs: number;
	seed: SeedName;
	/** 'event': an event's snapshot is the feedback as of that event; 'current': as it is now. */
	snapshotMode: SnapshotMode;
	/**
	 * How far X's stamp on an event (its created_at) lies from the change it reports, in ms: each event
	 * gets an offset from this range (negative: stamped before its part), picked per event. X's docs
	 * show events stamped a minute before their snapshot's updated_at and an hour before the parts
	 * they carry; nothing bounds it. 0 and 0 (the default): stamped at the change. Applies to events
	 * made while the emulator runs (create, answers, views), not to bulk seeding.
	 */
	eventLagMinMs: number;
	eventLagMaxMs: number;
	/** Serve at most this many events per page, whatever `count` asks for. */
	maxPageSize: number;
	/** Every Nth events page is served empty (with a next_cursor); 0 = never. */
	emptyPageEvery: number;
	/** Length of the short rate-limit windows (X: 15 minutes); the per-window limits stay X's. */
	rateWindowMs: number;
	oauthTimestampSkewSec: number;
	/** Delay before every API answer (not the control API). */
	requestDelayMs: number;
	appAllowlisted: boolean;
	accountAllowlisted: boolean;
	dmPermission: boolean;
	/**
	 * Whether answers carry `can_dm` (friendships/show's relationship.source.can_dm, users/show's with
	 * include_can_dm). false: X leaves it out, so a client cannot know before it sends.
	 */
	canDmField: boolean;
	/**
	 * How feedback/create refuses a second request to one recipient within 24 hours: 403/185, or a
	 * 429/88 while the window still has calls (X documents the limit as "1,000 and 1 per recipient").
	 */
	perRecipientRefusal: PerRecipientRefusal;
	/**
	 * How dates are written: 'classic' (`Sat Dec 15 17:58:20 +0000 2015`, as X's v1.1 pages show) or
	 * 'compact' (`SatDec1517:58:20+00002015`, as X's published feedback examples show them).
	 */
	dateStyle: DateStyle;
}

export type DateStyle = 'classic' | 'compact';

export type PerRecipientRefusal = 'forbidden' | 'rateLimit';

/** The options that can change while the emulator runs. */
export type RuntimeConfig = Omit<EmulatorOptions, 'port' | 'host' | 'seed'>;

export const DEFAULT_OPTIONS: Readonly<EmulatorOptions> = Object.freeze({
	port: 0,
	host: '127.0.0.1',
	minEventAgeMs: DAY_MS,
	seed: 'none',
	snapshotMode: 'event',
	eventLagMinMs: 0,
	eventLagMaxMs: 0,
	maxPageSize: 100,
	emptyPageEvery: 0,
	rateWindowMs: 15 * MINUTE_MS,
	oauthTimestampSkewSec: 300,
	requestDelayMs: 0,
	appAllowlisted: true,
	accountAllowlisted: true,
	dmPermission: true,
	canDmField: true,
	perRecipientRefusal: 'forbidden',
	dateStyle: 'classic',
});

type Check = (value: unknown) => string | undefined;

const integer =
	(min: number, max = Number.MAX_SAFE_INTEGER): Check =>
	(v) =>
		typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
			? undefined
			: `must be an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}`;

const oneOf =
	(...allowed: string[]): Check =>
	(v) =>
		typeof v === 'string' && allowed.includes(v) ? undefined : `must be one of ${allowed.join(', ')}`;

/** X stamps to the second; a month either way is more than any test needs. */
const MAX_EVENT_LAG_MS = 30 * DAY_MS;

const wholeSecondsWithin =
	(max: number): Check =>
	(v) =>
		typeof v === 'number' && Number.isInteger(v) && v % 1000 === 0 && Math.abs(v) <= max
			? undefined
			: `must be whole seconds in ms from -${max} to ${max}`;

/** Checks that look at several options together, on the configuration they would make. */
export function checkCombined(config: Pick<EmulatorOptions, 'eventLagMinMs' | 'eventLagMaxMs'>): void {
	if (config.eventLagMinMs > config.eventLagMaxMs) {
		throw new Error(`option "eventLagMinMs" (${config.eventLagMinMs}) must not be above "eventLagMaxMs" (${config.eventLagMaxMs})`);
	}
}

const boolean: Check = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false');

const CHECKS: Record<keyof EmulatorOptions, Check> = {
	port: integer(0, 65535),
	host: (v) => (typeof v === 'string' && v.length > 0 ? undefined : 'must be a host name'),
	minEventAgeMs: integer(0),
	seed: oneOf('demo', 'none'),
	snapshotMode: oneOf('event', 'current'),
	eventLagMinMs: wholeSecondsWithin(MAX_EVENT_LAG_MS),
	eventLagMaxMs: wholeSecondsWithin(MAX_EVENT_LAG_MS),
	maxPageSize: integer(1, 100),
	// 1 would serve only empty pages and never make progress.
	emptyPageEvery: (v) =>
		integer(0)(v) ?? (v === 1 ? 'must be 0 (never) or at least 2' : undefined),
	rateWindowMs: integer(1),
	oauthTimestampSkewSec: integer(0),
	requestDelayMs: integer(0, MINUTE_MS),
	appAllowlisted: boolean,
	accountAllowlisted: boolean,
	dmPermission: boolean,
	canDmField: boolean,
	perRecipientRefusal: oneOf('forbidden', 'rateLimit'),
	dateStyle: oneOf('classic', 'compact'),
};

const STARTUP_ONLY: ReadonlyArray<keyof EmulatorOptions> = ['port', 'host', 'seed'];

/** Validates a partial options object; throws an Error naming the first bad key. */
export function checkOptions(
	partial: unknown,
	scope: 'startup' | 'runtime',
): Partial<EmulatorOptions> {
	if (partial === undefined || partial === null) return {};
	if (typeof partial !== 'object' || Array.isArray(partial)) throw new Error('options must be an object');
	const out: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(partial)) {
		if (value === undefined) continue;
		if (!(key in CHECKS)) throw new Error(`unknown option "${key}"`);
		if (scope === 'runtime' && STARTUP_ONLY.includes(key as keyof EmulatorOptions)) {
			throw new Error(`option "${key}" can only be set when the emulator starts`);
		}
		const problem = CHECKS[key as keyof EmulatorOptions](value);
		if (problem) throw new Error(`option "${key}" ${problem}`);
		out[key] = value;
	}
	return out as Partial<EmulatorOptions>;
}

export function resolveOptions(partial?: Partial<EmulatorOptions>): EmulatorOptions {
	const options = { ...DEFAULT_OPTIONS, ...checkOptions(partial, 'startup') };
	checkCombined(options);
	return options;
}

export function runtimeConfigOf(options: EmulatorOptions): RuntimeConfig {
	const config: Partial<EmulatorOptions> = { ...options };
	// Where it listens and its seed are fixed at startup.
	for (const startupOnly of ['port', 'host', 'seed'] as const) delete config[startupOnly];
	return config as RuntimeConfig;
}
