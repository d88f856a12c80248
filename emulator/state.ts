/**
 * Everything the emulator holds, in memory: configuration, the API clock, accounts, feedback and
 * events, rate-limit windows, faults and stats. RunningEmulator.store is this object, so in-process
 * tests and the demo can read and drive it directly.
 */
import { parseXDate } from './xDate';
import { Accounts, BUSINESS_CREDENTIALS, type BusinessCredentials, type CustomerInput, type UserRecord } from './accounts';
import { bulkSeed, parseBulkSpec, type BulkResult } from './bulk';
import { ApiClock, floorToSecond } from './clock';
import { XApiError } from './errors';
import { FaultQueue } from './faults';
import { FeedbackStore, type FeedbackRecord } from './feedbackStore';
import { NonceCache } from './oauth';
import { checkCombined, checkOptions, runtimeConfigOf, type EmulatorOptions, type RuntimeConfig, type SeedName } from './options';
import { RateLimiter } from './rateLimits';
import { applyDemoSeed } from './seed';
import { Stats } from './stats';
import { WebhookSender } from './webhooks';

export interface ResetInput {
	seed?: SeedName;
	/** Runtime options applied on top of the options the emulator started with. */
	options?: Partial<RuntimeConfig>;
}

export class EmulatorState {
	readonly clock = new ApiClock();
	readonly accounts: Accounts;
	readonly feedback = new FeedbackStore();
	readonly limits = new RateLimiter();
	readonly faults = new FaultQueue();
	readonly stats = new Stats();
	readonly nonces = new NonceCache();
	/** X's webhook: the registered URL is called for each new event. */
	readonly webhooks = new WebhookSender(() => this.config.snapshotMode);
	readonly credentials: Readonly<BusinessCredentials> = BUSINESS_CREDENTIALS;
	config: RuntimeConfig;
	/** Set once the server listens; one of the URLs a client may sign. */
	baseUrl = '';
	/** Events pages served since the last reset (for emptyPageEvery). */
	pagesServed = 0;

	constructor(readonly startOptions: Readonly<EmulatorOptions>) {
		this.config = runtimeConfigOf(startOptions);
		this.feedback.lagRangeMs = [this.config.eventLagMinMs, this.config.eventLagMaxMs];
		this.accounts = new Accounts(this.clock.nowSec());
		this.feedback.onEvent = (event) => this.webhooks.notify(event);
		if (startOptions.seed === 'demo') applyDemoSeed(this);
	}

	/** Clears all state (the business's dance-issued tokens survive) and optionally seeds. */
	reset(input: ResetInput = {}): void {
		const patch = checkOptions(input.options, 'runtime');
		if (input.seed !== undefined && input.seed !== 'demo' && input.seed !== 'none') {
			throw new Error('seed must be "demo" or "none"');
		}
		const config = { ...runtimeConfigOf(this.startOptions), ...patch };
		checkCombined(config);
		this.config = config;
		this.clock.reset();
		this.accounts.clear(this.clock.nowSec());
		this.feedback.clear();
		this.limits.clear();
		this.faults.clear();
		this.stats.reset();
		this.nonces.clear();
		this.webhooks.clear();
		this.pagesServed = 0;
		this.feedback.lagRangeMs = [config.eventLagMinMs, config.eventLagMaxMs];
		if (input.seed === 'demo') applyDemoSeed(this);
	}

	/** Changes runtime options; returns the whole configuration. */
	configure(patch: unknown): RuntimeConfig {
		const config = { ...this.config, ...checkOptions(patch, 'runtime') };
		checkCombined(config);
		this.config = config;
		this.feedback.lagRangeMs = [config.eventLagMinMs, config.eventLagMaxMs];
		return this.config;
	}

	/** Adds customers, all or none. */
	addCustomers(inputs: CustomerInput[]): UserRecord[] {
		const added: UserRecord[] = [];
		try {
			for (const input of inputs) added.push(this.accounts.addCustomer(input, this.clock.nowSec()));
		} catch (err) {
			for (const user of added) this.accounts.remove(user);
			throw err;
		}
		return added;
	}

	/** Bulk seeding (POST /_emulator/bulk): {customers, feedback, spanMs, seed, mix?}. */
	bulk(input: unknown): BulkResult {
		return bulkSeed(this, parseBulkSpec(input));
	}

	feedbackById(id: string): FeedbackRecord {
		const fb = this.feedback.get(id);
		if (!fb) throw new XApiError(404, 34, `No feedback with id ${id}.`);
		return fb;
	}

	/** The customer answers (control API and demo): same validation and immutability as submit. */
	respond(id: string, input: { score?: unknown; text?: unknown; at?: unknown }): FeedbackRecord {
		const fb = this.feedbackById(id);
		this.feedback.answer(fb, { score: input.score, text: input.text }, this.timeOf(input.at));
		return fb;
	}

	/** An update without a new part: the card was viewed or dismissed. */
	touch(id: string, input: { at?: unknown; kind?: unknown } = {}): FeedbackRecord {
		const fb = this.feedbackById(id);
		const kind = input.kind ?? 'viewed';
		if (kind !== 'viewed' && kind !== 'dismissed') throw new Error('kind must be "viewed" or "dismissed"');
		this.feedback.mark(fb, kind, this.timeOf(input.at));
		return fb;
	}

	/** `at` from the control API (epoch ms or an ISO/X date), whole seconds; now when absent. */
	timeOf(at: unknown): number {
		if (at === undefined || at === null) return this.clock.nowSec();
		const ms = parseTime(at, 'at');
		if (ms > this.clock.now()) throw new Error('at must not be in the future of the API clock');
		return floorToSecond(ms);
	}
}

/** Epoch ms from a number, digits, an ISO date or an X date; throws an Error naming `name` when unreadable. */
export function parseTime(value: unknown, name: string): number {
	let ms = NaN;
	if (typeof value === 'number') ms = Number.isFinite(value) ? value : NaN;
	else if (typeof value === 'string') {
		const text = value.trim();
		if (/^\d{1,16}$/.test(text)) ms = Number(text);
		else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) ms = Date.parse(text);
		else ms = parseXDate(text);
	}
	if (Number.isNaN(ms)) throw new Error(`${name} must be epoch milliseconds or an ISO date`);
	return ms;
}
