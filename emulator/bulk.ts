/**
 * Bulk seeding for benchmarks: many customers and feedback requests spread over a past time span,
 * with a realistic mix of CSAT/NPS, scores, comments and extra updates. Deterministic from the seed;
 * builds records directly and sorts the events once, so 100,000 events take well under a second.
 */
import type { FeedbackType } from '../nodes/shared/types';
import type { UserRecord } from './accounts';
import type { ChangeKind, FeedbackEvent } from './eventLog';
import type { FeedbackRecord, ResponsePart } from './feedbackStore';
import type { EmulatorState } from './state';
import { DAY_MS as DAY, HOUR_MS as HOUR } from './time';

export interface BulkMix {
	/** Share of NPS requests (the rest are CSAT). */
	nps: number;
	/** Share of requests that get a score. */
	answered: number;
	/** Share of scored requests that also get a comment. */
	comment: number;
	/** Share of unscored requests that get a comment only. */
	textOnly: number;
	/** Share of requests whose card is viewed before anything else. */
	viewed: number;
	/** Share of unanswered requests that are dismissed. */
	dismissed: number;
	/** Share of requests marked test=true. */
	test: number;
	/** Share of new customers who do not accept DMs (they get no requests). */
	cannotDm: number;
}

export interface BulkSpec {
	customers: number;
	feedback: number;
	/** Requests are created within [now - spanMs, now] on the API clock. */
	spanMs: number;
	seed: number | string;
	mix: BulkMix;
}

export interface BulkResult {
	customers: number;
	feedback: number;
	events: number;
	fromTime: number;
	toTime: number;
	ms: number;
}

const DEFAULT_MIX: BulkMix = {
	nps: 0.4,
	answered: 0.7,
	comment: 0.45,
	textOnly: 0.05,
	viewed: 0.6,
	dismissed: 0.15,
	test: 0,
	cannotDm: 0.05,
};

/** Validates POST /_emulator/bulk input; throws an Error with a plain message. */
export function parseBulkSpec(raw: unknown): BulkSpec {
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('bulk input must be an object');
	const r = raw as Record<string, unknown>;
	const int = (name: string, min: number, max: number, fallback: number): number => {
		const v = r[name] ?? fallback;
		if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
			throw new Error(`${name} must be an integer from ${min} to ${max}`);
		}
		return v;
	};
	const seed = r.seed ?? 1;
	if (typeof seed !== 'number' && typeof seed !== 'string') throw new Error('seed must be a number or a string');
	const mix = { ...DEFAULT_MIX };
	if (r.mix !== undefined) {
		if (!r.mix || typeof r.mix !== 'object') throw new Error('mix must be an object');
		for (const [k, v] of Object.entries(r.mix)) {
			if (!(k in DEFAULT_MIX)) throw new Error(`unknown mix key "${k}" (known: ${Object.keys(DEFAULT_MIX).join(', ')})`);
			if (typeof v !== 'number' || v < 0 || v > 1) throw new Error(`mix.${k} must be a share from 0 to 1`);
			mix[k as keyof BulkMix] = v;
		}
	}
	return {
		customers: int('customers', 0, 1_000_000, 1000),
		feedback: int('feedback', 0, 2_000_000, 10_000),
		spanMs: int('spanMs', 1000, 10 * 365 * DAY, 30 * DAY),
		seed,
		mix,
	};
}

/** mulberry32: small, fast, good enough for test data. */
function random(seed: number | string): () => number {
	let a = typeof seed === 'number' ? seed >>> 0 : [...seed].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261);
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function weighted(rng: () => number, weights: number[]): number {
	let x = rng() * weights.reduce((a, b) => a + b, 0);
	for (let i = 0; i < weights.length; i++) {
		x -= weights[i];
		if (x < 0) return i;
	}
	return weights.length - 1;
}

const CSAT_WEIGHTS = [6, 6, 13, 30, 45]; // scores 1..5
const NPS_WEIGHTS = [2, 1, 2, 2, 3, 5, 7, 12, 16, 22, 28]; // scores 0..10
const FIRST = ['Alex', 'Sam', 'Jordan', 'Maya', 'Lena', 'Omar', 'Yuki', 'Ines', 'Ravi', 'Zoe', 'Luca', 'Ada', 'Kofi', 'Mila', 'Nils', 'Tara'];
const LAST = ['Smith', 'Nguyen', 'Müller', 'Okoro', 'Silva', 'Kowalski', 'Haddad', 'Ito', 'Novak', 'Fischer', 'Rossi', 'Park'];
const COMMENTS = {
	good: ['Quick and friendly, thanks!', 'Solved on the first reply.', 'Great support as always.', 'Really helpful agent.', 'Fast refund, much appreciated.'],
	mixed: ['Fine, but it took a while.', 'Got there in the end.', 'OK experience, the app could be clearer.', 'Helpful, though I had to repeat myself.'],
	bad: ['Waited three days for an answer.', 'Still not fixed.', 'I was passed between agents four times.', 'Nobody read my first message.'],
};

function commentFor(rng: () => number, score: number | undefined, type: FeedbackType): string {
	const good = score !== undefined && (type === 'csat' ? score >= 4 : score >= 9);
	const bad = score !== undefined && (type === 'csat' ? score <= 2 : score <= 6);
	const list = good ? COMMENTS.good : bad ? COMMENTS.bad : COMMENTS.mixed;
	return list[Math.floor(rng() * list.length)];
}

interface PendingEvent {
	at: number;
	order: number;
	kind: ChangeKind;
	feedback: FeedbackRecord;
	part?: ResponsePart<unknown>;
}

export function bulkSeed(state: EmulatorState, spec: BulkSpec): BulkResult {
	const started = Date.now();
	const rng = random(spec.seed);
	const now = state.clock.nowSec();
	const start = now - spec.spanMs;
	const business = state.accounts.business;
	const store = state.feedback;

	const newCustomers: UserRecord[] = [];
	let n = state.accounts.users.size;
	for (let i = 0; i < spec.customers; i++) {
		let screenName: string;
		do screenName = `cust${n++}`;
		while (state.accounts.byName(screenName));
		const name = `${FIRST[Math.floor(rng() * FIRST.length)]} ${LAST[Math.floor(rng() * LAST.length)]}`;
		newCustomers.push(state.accounts.addCustomer({ screenName, name, canDm: rng() >= spec.mix.cannotDm }, now));
	}
	const pool = state.accounts.customers().filter((c) => c.canDm);
	if (spec.feedback > 0 && pool.length === 0) throw new Error('there are no customers who accept DMs: add customers first');

	const pending: PendingEvent[] = [];
	let order = 0;
	const push = (feedback: FeedbackRecord, kind: ChangeKind, at: number, part?: ResponsePart<unknown>) => {
		if (at <= now) pending.push({ at, order: order++, kind, feedback, part });
		return at <= now;
	};
	const records: FeedbackRecord[] = [];
	for (let j = 0; j < spec.feedback; j++) {
		const createdAt = Math.floor((start + rng() * spec.spanMs) / 1000) * 1000;
		const type: FeedbackType = rng() < spec.mix.nps ? 'nps' : 'csat';
		const customer = pool[Math.floor(rng() * pool.length)];
		const id = store.nextFeedbackId();
		const message = `Hi ${customer.name.split(' ')[0]}, how did we do? Your answer takes 10 seconds.`;
		const dm = store.sendDm(business.id, customer.id, { text: message }, createdAt, id);
		const fb: FeedbackRecord = {
			id,
			createdAt,
			updatedAt: createdAt,
			type,
			test: rng() < spec.mix.test,
			dmId: dm.id,
			fromUserId: business.id,
			toUserId: customer.id,
			privacyUrl: 'https://acme.example/privacy',
			externalId: `case-${100000 + j}`,
			questionVariantId: Math.floor(rng() * (type === 'csat' ? 38 : 10)),
			text: message,
		};
		records.push(fb);
		push(fb, 'created', createdAt);
		let t = createdAt;
		const step = (maxMs: number) => (t += 1000 * Math.ceil((rng() * maxMs) / 1000) + 1000);
		if (rng() < spec.mix.viewed) push(fb, 'viewed', step(6 * HOUR));
		if (rng() < spec.mix.answered) {
			const value = type === 'csat' ? 1 + weighted(rng, CSAT_WEIGHTS) : weighted(rng, NPS_WEIGHTS);
			const scoreAt = step(2 * DAY);
			const score = { value, at: scoreAt, seq: 0 };
			if (push(fb, 'score', scoreAt, score)) fb.score = score;
			if (rng() < spec.mix.comment) {
				const textAt = step(DAY);
				const comment = { value: commentFor(rng, value, type), at: textAt, seq: 0 };
				if (fb.score && push(fb, 'text', textAt, comment)) fb.comment = comment;
			}
		} else if (rng() < spec.mix.textOnly) {
			const textAt = step(DAY);
			const comment = { value: commentFor(rng, undefined, type), at: textAt, seq: 0 };
			if (push(fb, 'text', textAt, comment)) fb.comment = comment;
		} else if (rng() < spec.mix.dismissed) {
			const at = step(DAY);
			if (push(fb, 'dismissed', at)) fb.dismissedAt = at;
		}
	}

	pending.sort((a, b) => a.at - b.at || a.order - b.order);
	const events: FeedbackEvent[] = new Array(pending.length);
	for (let k = 0; k < pending.length; k++) {
		const p = pending[k];
		const event: FeedbackEvent = { seq: store.nextSeq(), at: p.at, kind: p.kind, feedback: p.feedback };
		if (p.part) p.part.seq = event.seq;
		if (p.kind === 'viewed') p.feedback.viewedAt ??= p.at;
		if (p.at > p.feedback.updatedAt) p.feedback.updatedAt = p.at;
		events[k] = event;
	}
	for (const fb of records) store.adopt(fb);
	store.log.insertSorted(events);
	return {
		customers: newCustomers.length,
		feedback: records.length,
		events: events.length,
		fromTime: events.length ? events[0].at : start,
		toTime: events.length ? events[events.length - 1].at : now,
		ms: Date.now() - started,
	};
}
