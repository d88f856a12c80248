/**
 * The trigger against the emulator through n8n-core's PollContext, with the clock under the test's
 * control: only Date is faked, so the emulator's API clock and OAuth checks follow the same time.
 */
import type { INodeParameters } from 'n8n-workflow';

import { XCustomerFeedbackTrigger } from '../../nodes/XCustomerFeedbackTrigger/XCustomerFeedbackTrigger.node';
import { TriggerHarness } from '../harness/runTrigger';
import { createParams, startHarness, type Harness, type TestCustomer } from '../emulator/emulatorHarness';

export const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);

export function useFakeDate(): void {
	jest.useFakeTimers({
		doNotFake: [
			'hrtime',
			'nextTick',
			'performance',
			'queueMicrotask',
			'setImmediate',
			'clearImmediate',
			'setInterval',
			'clearInterval',
			'setTimeout',
			'clearTimeout',
		],
		now: T0,
	});
}

export function advance(ms: number): void {
	jest.setSystemTime(Date.now() + ms);
}

export interface World {
	h: Harness;
	customers: TestCustomer[];
	trigger(parameters?: INodeParameters): TriggerHarness;
	/** Sends a feedback request as the business; returns its id. */
	send(customer: TestCustomer, type?: 'csat' | 'nps', extra?: Record<string, string>): Promise<string>;
}

export const triggerParams = (options: INodeParameters = {}): INodeParameters => ({
	events: ['score', 'comment'],
	feedbackType: 'all',
	options: { minEventAgeHours: 0, ...options },
});

export async function startWorld(customerCount = 8): Promise<World> {
	const h = await startHarness({ minEventAgeMs: 0 });
	const world: World = {
		h,
		customers: [],
		trigger: (parameters = triggerParams()) =>
			new TriggerHarness({
				credentials: () => ({
					baseUrl: h.emu.baseUrl,
					consumerKey: h.emu.credentials.consumerKey,
					consumerSecret: h.emu.credentials.consumerSecret,
					accessToken: h.emu.credentials.accessToken,
					accessTokenSecret: h.emu.credentials.accessTokenSecret,
				}),
				parameters,
				nodeType: new XCustomerFeedbackTrigger(),
			}),
		async send(customer, type = 'csat', extra = {}) {
			const res = await h.business.post('/1.1/feedback/create.json', {
				query: createParams(customer.id, { type, test: 'false', ...extra }),
			});
			if (res.status !== 200) throw new Error(`create failed: ${res.status} ${res.text}`);
			return (res.body as { id: string }).id;
		},
	};
	await resetWorld(world, {}, customerCount);
	return world;
}

/**
 * One world for a whole test file: started before the first test, closed after the last; with
 * `resetEachTest`, each test starts from a reset world at T0 with fake dates. `keep` receives it.
 */
export function useWorld(keep: (world: World) => void, { resetEachTest = false } = {}): void {
	let world: World;
	beforeAll(async () => {
		world = await startWorld();
		keep(world);
	});
	afterAll(async () => {
		jest.useRealTimers();
		await world.h.close();
	});
	if (resetEachTest) {
		beforeEach(async () => {
			useFakeDate();
			jest.setSystemTime(T0);
			await resetWorld(world, {});
		});
	}
}

export async function resetWorld(world: World, options: Record<string, unknown>, customerCount = 8): Promise<void> {
	const res = await world.h.control('POST', 'reset', { options: { minEventAgeMs: 0, ...options } });
	if (res.status !== 200) throw new Error(JSON.stringify(res.body));
	world.customers = await world.h.addCustomers(
		...Array.from({ length: customerCount }, (_, i) => ({ screenName: `customer${i}`, canDm: true, allowlisted: true })),
	);
}

/** `<feedbackId>:<event>` of each first delivery; a repeat (deliveryAttempt 2 or more: a lost execution, a restart) goes to `repeats`. */
export function recordItems(items: Array<{ json: Record<string, unknown> }>, emitted: string[], repeats: string[] = []): void {
	for (const i of items) (i.json.deliveryAttempt === 1 ? emitted : repeats).push(`${i.json.feedbackId}:${i.json.event}`);
}

/**
 * Polls until several polls in a row bring nothing and leave no range open: a listing that ends
 * without a next_cursor is read again from its newest event at the next poll.
 */
export async function pollUntilCaughtUp(trigger: TriggerHarness, emitted: string[], maxPolls = 500, repeats: string[] = []): Promise<void> {
	for (let n = 0, idle = 0; n < maxPolls; n++) {
		const { items, error } = await trigger.poll();
		if (error) throw error;
		recordItems(items, emitted, repeats);
		const state = trigger.nodeState()?.pollState as { range?: unknown } | undefined;
		idle = items.length === 0 && !state?.range ? idle + 1 : 0;
		if (idle >= 3) return;
		advance(1000);
	}
	throw new Error('the trigger did not catch up');
}
