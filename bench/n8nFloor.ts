/**
 * The n8n floor: the floor's paging loop, but through n8n-core's httpRequestWithAuthentication
 * inside a real TriggerContext (n8n's OAuth 1.0a signing, axios, and a new connection per request, as
 * n8n-core makes them). No product code runs. The trigger's time over this is what the product
 * adds; this over the floor is what n8n's request path costs.
 *
 * `stream`: each answer read as a stream, the way a node that caps an answer's size must read it
 * (n8n's helper sets axios' maxContentLength to Infinity, and in stream mode axios wraps the answer
 * in a generator that counts it); the chunks are joined and parsed, with no cap or deadline of its own.
 */
import type { INodeType, ITriggerFunctions } from 'n8n-workflow';

import { TriggerHarness } from '../test/harness/runTrigger';
import type { BenchCredentials } from './emulatorChild';

export interface PagedReader {
	/** Reads up to `pages` more pages of the range; false once the range is done. */
	read(pages: number): Promise<boolean>;
	events: number;
	pages: number;
}

async function parsedStream(body: AsyncIterable<Buffer>): Promise<{ events: unknown[]; next_cursor?: string }> {
	const chunks: Buffer[] = [];
	for await (const chunk of body) chunks.push(chunk);
	return JSON.parse((chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString('utf8')) as { events: unknown[]; next_cursor?: string };
}

export function n8nFloorReader(baseUrl: string, c: BenchCredentials, fromMs: number, toMs: number, mode: 'json' | 'stream' = 'json'): PagedReader {
	let cursor: string | undefined;
	let done = false;
	let budget = 0;
	const reader: PagedReader = {
		events: 0,
		pages: 0,
		async read(pages) {
			if (done) return false;
			budget = pages;
			const { error } = await harness.poll();
			if (error) throw error;
			return !done;
		},
	};
	const nodeType: INodeType = {
		description: {
			displayName: 'Bench n8n floor',
			name: 'benchN8nFloor',
			group: ['trigger'],
			version: 1,
			description: 'Pages feedback events through n8n-core only',
			defaults: { name: 'Bench n8n floor' },
			inputs: [],
			outputs: ['main'],
			credentials: [{ name: 'xCustomerFeedbackOAuth1Api', required: true }],
			properties: [],
		},
		async trigger(this: ITriggerFunctions) {
			// Like the trigger: a read at activation, then one per tick of its cron.
			const readPages = async () => {
				for (let n = 0; n < budget && !done; n++) {
					const res = (await this.helpers.httpRequestWithAuthentication.call(this, 'xCustomerFeedbackOAuth1Api', {
						method: 'GET',
						url: `${baseUrl}/1.1/feedback/events.json`,
						qs: { from_time: fromMs, to_time: toMs, count: 100, ...(cursor ? { cursor } : {}) },
						json: true,
						...(mode === 'stream' ? { encoding: 'stream' as const } : {}),
						returnFullResponse: true,
						ignoreHttpStatusErrors: true,
					})) as { statusCode: number; body: { events: unknown[]; next_cursor?: string } };
					if (mode === 'stream') res.body = await parsedStream(res.body as unknown as AsyncIterable<Buffer>);
					if (res.statusCode !== 200) throw new Error(`n8n floor: events page answered ${res.statusCode}`);
					reader.pages++;
					reader.events += res.body.events.length;
					if (res.body.next_cursor) cursor = res.body.next_cursor;
					else done = true;
				}
			};
			await readPages();
			this.helpers.registerCron({ expression: '* * * * * *' }, () => readPages());
			return {};
		},
	};
	const harness = new TriggerHarness({
		credentials: () => ({
			baseUrl,
			consumerKey: c.consumerKey,
			consumerSecret: c.consumerSecret,
			accessToken: c.accessToken,
			accessTokenSecret: c.accessTokenSecret,
		}),
		parameters: {},
		nodeType,
	});
	return reader;
}
