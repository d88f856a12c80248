/**
 * GET /1.1/feedback/events.json: the change log of the business's feedback, oldest first, paged
 * with opaque cursors bound to their from/to range. Only an empty or missing next_cursor ends it.
 */
import { HOUR_MS, SECOND_MS } from '../time';
import type { XFeedbackEvent } from '../../nodes/shared/types';
import { PAGE_SIZE } from '../../nodes/shared/xLimits';
import { decodeCursor, encodeCursor, type CursorState } from '../cursor';
import { invalidParam, missingParam } from '../errors';
import type { LogPosition } from '../eventLog';
import { jsonReply } from '../http';
import type { EmulatorState } from '../state';
import { eventWire } from '../wire';
import { requireFeedbackAccess } from './feedback';
import type { ApiRoute } from './route';


function readTime(value: string, name: string): number {
	if (!/^\d{1,15}$/.test(value)) throw invalidParam(name, 'must be a time in epoch milliseconds');
	return Number(value);
}

function readCount(value: string | undefined): number {
	if (value === undefined || value === '') return PAGE_SIZE;
	if (!/^\d{1,3}$/.test(value) || Number(value) < 1 || Number(value) > PAGE_SIZE) {
		throw invalidParam('count', `must be an integer from 1 to ${PAGE_SIZE}`);
	}
	return Number(value);
}

function describeAge(ms: number): string {
	if (ms % HOUR_MS === 0) return `${ms / HOUR_MS} hours`;
	if (ms % SECOND_MS === 0) return `${ms / SECOND_MS} seconds`;
	return `${ms} ms`;
}

/** The listing state a request asks for: from its cursor, or a first page from its range. */
function readListing(state: EmulatorState, param: (name: string) => string | undefined): CursorState {
	const fromRaw = param('from_time');
	const toRaw = param('to_time');
	const cursorRaw = param('cursor');
	if (cursorRaw !== undefined && cursorRaw !== '') {
		const cursor = decodeCursor(cursorRaw);
		if (!cursor) throw invalidParam('cursor', 'is not a cursor this API issued');
		const sameFrom = fromRaw === undefined || fromRaw === '' || readTime(fromRaw, 'from_time') === cursor.from;
		const sameTo = toRaw === undefined || toRaw === '' || readTime(toRaw, 'to_time') === cursor.to;
		if (!sameFrom || !sameTo) throw invalidParam('cursor', 'belongs to another from_time/to_time range');
		return cursor;
	}
	if (fromRaw === undefined || fromRaw === '') throw missingParam('from_time');
	if (toRaw === undefined || toRaw === '') throw missingParam('to_time');
	const from = readTime(fromRaw, 'from_time');
	const to = readTime(toRaw, 'to_time');
	if (from > to) throw invalidParam('from_time', 'must not be after to_time');
	const minAge = state.config.minEventAgeMs;
	if (to > state.clock.now() - minAge) {
		throw invalidParam('to_time', minAge > 0 ? `must be at least ${describeAge(minAge)} in the past` : 'must not be in the future');
	}
	// (from, -1): every event at or after from_time.
	return { from, to, at: from, seq: -1 };
}

export const feedbackEvents: ApiRoute = {
	kind: 'api',
	methods: ['GET'],
	pattern: /^\/1\.1\/feedback\/events\.json$/,
	template: '/1.1/feedback/events.json',
	limit: 'feedbackEvents',
	handle({ req, state, user, pageFaults }) {
		requireFeedbackAccess(state, user);
		const count = readCount(req.param('count'));
		const listing = readListing(state, req.param);
		const { config, feedback } = state;
		const log = feedback.log;

		state.pagesServed++;
		const every = config.emptyPageEvery;
		if (pageFaults.has('sameCursor')) {
			// A stuck X: no events, and back the cursor it was asked with.
			const asked = req.param('cursor');
			return jsonReply(200, { events: [], next_cursor: asked !== undefined && asked !== '' ? asked : encodeCursor(listing) });
		}
		if (pageFaults.has('emptyPage') || (every > 0 && state.pagesServed % every === 0)) {
			// X moving on: an empty page with a fresh cursor that resumes at the same position.
			return jsonReply(200, { events: [], next_cursor: encodeCursor({ ...listing, page: state.pagesServed }) });
		}

		const limit = Math.min(count, config.maxPageSize);
		const events: XFeedbackEvent[] = [];
		if (listing.dup !== undefined) {
			const again = log.bySequence(listing.dup);
			if (again) events.push(eventWire(again, config.snapshotMode));
		}
		let pos: LogPosition = { at: listing.at, seq: listing.seq };
		let firstSeq: number | undefined;
		let i = log.indexAfter(pos);
		for (; events.length < limit && i < log.size; i++) {
			const e = log.get(i)!;
			if (e.at > listing.to) break;
			events.push(eventWire(e, config.snapshotMode));
			firstSeq ??= e.seq;
			pos = e;
		}
		const next = log.get(i);
		const more = next !== undefined && next.at <= listing.to;
		const dup = pageFaults.has('duplicateEvent') ? firstSeq : undefined;
		const body: { events: XFeedbackEvent[]; next_cursor?: string } = { events };
		if ((more || dup !== undefined) && !pageFaults.has('noCursorField')) {
			body.next_cursor = encodeCursor({ from: listing.from, to: listing.to, at: pos.at, seq: pos.seq, dup });
		}
		return jsonReply(200, body);
	},
};
