/**
 * An independent fake X for hostile cases the emulator would never produce: a plain node:http
 * server on loopback that answers each request with whatever the test scripts (far-future dates,
 * stuck cursors, broken snapshots, unsafe IDs). It checks no signature; it records every request.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject } from 'n8n-workflow';

import { formatXDate } from '../../emulator/xDate';
import type { XTestCredentials } from '../harness/credentials';

export interface Seen {
	method: string;
	path: string;
	query: URLSearchParams;
	body: string;
}

export interface Answer {
	status?: number;
	body: unknown;
	/** x-rate-limit-remaining; 900 unless given. */
	remaining?: number;
	/** x-rate-limit-reset, epoch seconds; 15 minutes ahead unless given. */
	resetAt?: number;
	/** Sent as it is instead of JSON.stringify(body) (JSON no stringify can write, garbage). */
	rawBody?: string;
	headers?: Record<string, string>;
}

export type Script = (req: Seen, n: number) => Answer;

export class HostileX {
	readonly seen: Seen[] = [];
	private scripts = new Map<string, Script>();
	private constructor(
		private readonly server: Server,
		readonly baseUrl: string,
	) {}

	static async start(): Promise<HostileX> {
		let self: HostileX | undefined = undefined;
		const server = createServer((req, res) => {
			void self!.answer(req).then(({ status, body, headers }) => {
				res.writeHead(status, { 'content-type': 'application/json', ...headers });
				res.end(body);
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		self = new HostileX(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
		return self;
	}

	/** Answers requests to `path` (without query) through `script`; the nth call to the path is n (0-based). */
	on(path: string, script: Script): this {
		this.scripts.set(path, script);
		return this;
	}

	reset(): void {
		this.seen.length = 0;
		this.scripts.clear();
	}

	requests(path?: string): Seen[] {
		return path ? this.seen.filter((s) => s.path === path) : [...this.seen];
	}

	credentials(accessToken = '1460000000000000001-hostileToken'): XTestCredentials {
		return { baseUrl: this.baseUrl, consumerKey: 'ck', consumerSecret: 'cs', accessToken, accessTokenSecret: 'ts' };
	}

	private async answer(req: IncomingMessage): Promise<{ status: number; body: string; headers: Record<string, string> }> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const url = new URL(req.url ?? '/', 'http://x');
		const seen: Seen = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body: Buffer.concat(chunks).toString('utf8') };
		const n = this.seen.filter((s) => s.path === seen.path).length;
		this.seen.push(seen);
		const script = this.scripts.get(seen.path);
		const answer: Answer = script ? script(seen, n) : { status: 404, body: { errors: [{ code: 34, message: 'Sorry, that page does not exist.' }] } };
		return {
			status: answer.status ?? 200,
			body: answer.rawBody ?? JSON.stringify(answer.body),
			headers: {
				...answer.headers,
				'x-rate-limit-limit': '1000',
				'x-rate-limit-remaining': String(answer.remaining ?? 900),
				'x-rate-limit-reset': String(answer.resetAt ?? Math.floor(Date.now() / 1000) + 900),
			},
		};
	}

	close(): Promise<void> {
		return new Promise((resolve) => {
			this.server.closeAllConnections();
			this.server.close(() => resolve());
		});
	}
}

export const EVENTS = '/1.1/feedback/events.json';

/** A feedback snapshot created at `createdMs`; `response` parts as given. */
export function feedback(id: string, createdMs: number, extra: IDataObject = {}): IDataObject {
	return {
		id,
		created_at: formatXDate(createdMs),
		updated_at: formatXDate(createdMs),
		type: 'csat',
		test: false,
		dm_id: `dm${id}`,
		from_user_id: '1460000000000000001',
		to_user_id: '1460000000000000099',
		privacy_url: 'https://acme.example/privacy',
		question_variant_id: '0',
		...extra,
	};
}

export function event(type: 'created' | 'updated', createdAt: string | number, snapshot: IDataObject | undefined): IDataObject {
	return {
		event_type: `feedback.${type}`,
		created_at: typeof createdAt === 'number' ? formatXDate(createdAt) : createdAt,
		...(snapshot === undefined ? {} : { feedback: snapshot }),
	};
}

/** A score part given at `ms`. */
export function scored(id: string, createdMs: number, scoreMs: number, value: unknown, type = 'csat'): IDataObject {
	return feedback(id, createdMs, { type, updated_at: formatXDate(scoreMs), response: { score: { value, created_at: formatXDate(scoreMs) } } });
}

/** Events of the script that fall in the asked range, in one page, with an empty next_cursor: an honest X. */
export function honestPage(events: () => IDataObject[]): Script {
	return (req) => {
		const from = Number(req.query.get('from_time'));
		const to = Number(req.query.get('to_time'));
		return { body: { events: events().filter((e) => inRange(e, from, to)), next_cursor: '' } };
	};
}

function inRange(e: IDataObject, from: number, to: number): boolean {
	const at = Date.parse(String(e.created_at).replace(/^\w+ (\w+) (\d+) ([\d:]+) \+0000 (\d+)$/, '$1 $2 $4 $3 UTC'));
	return at >= from && at <= to;
}
