/**
 * `node -r ts-node/register bench/webhookLatency.ts [answers=100] [throughSkipSeen=20]`: how long from
 * a customer's answer (recorded in the emulator) to the start of the workflow, through the emulator's
 * webhook call (Basic auth, loopback HTTP) and the webhook trigger in n8n-core's WebhookContext; and
 * to the output of Skip Seen Parts (default Settle Time, 1 s) right after it. Prints median and p95.
 */
import { startEmulator } from '../emulator/index';
import { deduplicationStore } from '../test/harness/memoryDeduplicator';
import { runNode } from '../test/harness/runNode';
import { WebhookHarness } from '../test/harness/runWebhook';

const AUTH = { user: 'x-feedback', password: 'Bn4!xQ8#vT2$kW6@mZ9r' };

function quantile(sorted: number[], q: number): number {
	const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
	return sorted[i];
}

const summary = (ms: number[]) => {
	const s = [...ms].sort((a, b) => a - b);
	return { n: s.length, medianMs: +quantile(s, 0.5).toFixed(1), p95Ms: +quantile(s, 0.95).toFixed(1), maxMs: +s[s.length - 1].toFixed(1) };
};

async function main(): Promise<void> {
	const answers = Number(process.argv[2] ?? 100);
	const throughSkipSeen = Number(process.argv[3] ?? 20);
	const emu = await startEmulator({ minEventAgeMs: 0 });
	const store = emu.store;
	const harness = new WebhookHarness({ parameters: { events: ['score'] } as never, basicAuth: AUTH });
	let waiting: ((at: number, items: unknown[]) => void) | undefined;
	const server = await harness.serve((items) => waiting?.(performance.now(), items));
	store.webhooks.register({ url: server.url, ...AUTH });
	const credentials = { baseUrl: emu.baseUrl, consumerKey: 'k', consumerSecret: 's', accessToken: '1-t', accessTokenSecret: 'ts' };
	const business = store.accounts.business;
	const toStart: number[] = [];
	const toSkipSeen: number[] = [];
	try {
		for (let n = 0; n < answers; n++) {
			const [customer] = store.addCustomers([{ screenName: `lat${n}`, canDm: true, allowlisted: true }]);
			const fb = store.feedback.create(
				{ type: 'csat', fromUserId: business.id, toUserId: customer.id, message: 'How did we do?', privacyUrl: 'https://acme.example/privacy', test: false, questionVariantId: 0 },
				store.clock.nowSec(),
			);
			await store.webhooks.idle();
			const started = new Promise<{ at: number; items: unknown[] }>((resolve) => (waiting = (at, items) => resolve({ at, items })));
			const answeredAt = performance.now();
			store.respond(fb.id, { score: 1 + (n % 5) });
			const { at, items } = await started;
			toStart.push(at - answeredAt);
			if (n < throughSkipSeen) {
				const result = await runNode({ credentials, parameters: { resource: 'feedback', operation: 'skipSeen' }, input: (items as Array<{ json: never }>).map((i) => i.json) });
				if (result.items.length !== 1) throw new Error('Skip Seen Parts dropped a new part');
				toSkipSeen.push(performance.now() - answeredAt);
			}
			await store.webhooks.idle();
		}
	} finally {
		await server.close();
		await emu.close();
		deduplicationStore.clear();
	}
	const result = { answerToWorkflowStart: summary(toStart), answerToSkipSeenOutput: summary(toSkipSeen) };
	console.log(JSON.stringify(result, null, 2));
}

void main();
