/**
 * The floor: the least a client must do, with emulator/client.ts (undici + oauth-1.0a). It pages
 * through an events range with count=100 following next_cursor, and sends feedback/create calls
 * one after another. Nothing else: no dedupe, no items, no state.
 */
import { createSignedClient, type SignedClient } from '../emulator/client';
import type { XFeedbackEventsPage } from '../nodes/shared/types';
import type { BenchCredentials } from './emulatorChild';
import type { PagedReader } from './n8nFloor';

export function floorClient(baseUrl: string, c: BenchCredentials, connections = 1): SignedClient {
	return createSignedClient({
		baseUrl,
		consumerKey: c.consumerKey,
		consumerSecret: c.consumerSecret,
		token: c.accessToken,
		tokenSecret: c.accessTokenSecret,
		connections,
	});
}

/** Pages through [fromMs, toMs] a few pages at a time; `onPage` sees each page. */
export function floorReader(
	client: SignedClient,
	fromMs: number,
	toMs: number,
	onPage?: (page: XFeedbackEventsPage) => void,
): PagedReader {
	let cursor: string | undefined;
	let done = false;
	const reader: PagedReader = {
		events: 0,
		pages: 0,
		async read(pages) {
			for (let n = 0; n < pages && !done; n++) {
				const res = await client.get<XFeedbackEventsPage>('/1.1/feedback/events.json', {
					from_time: fromMs,
					to_time: toMs,
					count: 100,
					...(cursor ? { cursor } : {}),
				});
				if (res.status !== 200) throw new Error(`floor: events page answered ${res.status}: ${res.text.slice(0, 200)}`);
				reader.pages++;
				reader.events += res.body.events.length;
				onPage?.(res.body);
				if (res.body.next_cursor) cursor = res.body.next_cursor;
				else done = true;
			}
			return !done;
		},
	};
	return reader;
}

/** The whole range in one go. */
export async function floorDrain(
	client: SignedClient,
	fromMs: number,
	toMs: number,
	onPage?: (page: XFeedbackEventsPage) => void,
): Promise<{ events: number; pages: number }> {
	const reader = floorReader(client, fromMs, toMs, onPage);
	while (await reader.read(1_000_000));
	return { events: reader.events, pages: reader.pages };
}
