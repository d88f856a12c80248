/**
 * Feedback requests, their answers and the DMs that carry them: the domain rules (score ranges,
 * immutable parts, one event per change) independent of HTTP. Times are epoch ms in whole seconds.
 */
import type { FeedbackType } from '../nodes/shared/types';
import { MAX_TEXT } from '../nodes/shared/xLimits';
import { invalidParam, alreadySubmitted, XApiError } from './errors';
import { EventLog, type ChangeKind, type FeedbackEvent } from './eventLog';

export interface ResponsePart<T> {
	value: T;
	at: number;
	/** Sequence of the event that delivered the part, to tell what a snapshot "as of" an event holds. */
	seq: number;
}

export interface FeedbackRecord {
	id: string;
	createdAt: number;
	updatedAt: number;
	type: FeedbackType;
	test: boolean;
	dmId: string;
	fromUserId: string;
	toUserId: string;
	privacyUrl: string;
	externalId?: string;
	questionVariantId: number;
	displayName?: string;
	/** The DM text that carries the card. */
	text: string;
	score?: ResponsePart<number>;
	comment?: ResponsePart<string>;
	viewedAt?: number;
	dismissedAt?: number;
}

export interface NewFeedback {
	type: FeedbackType;
	fromUserId: string;
	toUserId: string;
	message: string;
	privacyUrl: string;
	externalId?: string;
	questionVariantId: number;
	displayName?: string;
	test: boolean;
}

export interface DirectMessage {
	id: string;
	createdAt: number;
	senderId: string;
	recipientId: string;
	messageData: Record<string, unknown>;
	/** Set when the DM carries a feedback card. */
	feedbackId?: string;
}

export interface FeedbackDump {
	records: FeedbackRecord[];
	events: Array<{ seq: number; at: number; changedAt?: number; kind: ChangeKind; feedbackId: string }>;
	dms: DirectMessage[];
	seq: number;
	feedbackCount: string;
	dmCount: string;
}

export const SCORE_RANGE: Record<FeedbackType, [number, number]> = { csat: [1, 5], nps: [0, 10] };
export const VARIANT_MAX: Record<FeedbackType, number> = { csat: 37, nps: 9 };

const FIRST_FEEDBACK_ID = 1_700_000_000_000_000_000n;
const FIRST_DM_ID = 1_800_000_000_000_000_000n;

/** Characters as X counts them (code points, not UTF-16 units). */
export function charCount(s: string): number {
	return Array.from(s).length;
}

export class FeedbackStore {
	readonly records = new Map<string, FeedbackRecord>();
	/** Each new event as it happens (the webhook sender); bulk seeding and restored state do not call it. */
	onEvent?: (event: FeedbackEvent) => void;
	readonly log = new EventLog();
	readonly dms: DirectMessage[] = [];
	private readonly lastRequestTo = new Map<string, number>();
	/** Offsets (ms) between an event's stamp and its change, lowest and highest (options eventLagMinMs/MaxMs). */
	lagRangeMs: [number, number] = [0, 0];
	private seq = 0;
	private feedbackCount = 0n;
	private dmCount = 0n;

	clear(): void {
		this.records.clear();
		this.log.clear();
		this.dms.length = 0;
		this.lastRequestTo.clear();
		this.seq = 0;
		this.feedbackCount = 0n;
		this.dmCount = 0n;
	}

	nextSeq(): number {
		return ++this.seq;
	}

	nextFeedbackId(): string {
		return String(FIRST_FEEDBACK_ID + ++this.feedbackCount);
	}

	nextDmId(): string {
		return String(FIRST_DM_ID + ++this.dmCount);
	}

	get(id: string): FeedbackRecord | undefined {
		return this.records.get(id);
	}

	/** When the business last asked this user for feedback (for the one-per-24-hours rule). */
	lastRequestAt(userId: string): number | undefined {
		return this.lastRequestTo.get(userId);
	}

	/** Sends the DM and creates the card in one step, as feedback/create does. */
	create(input: NewFeedback, at: number): FeedbackRecord {
		const id = this.nextFeedbackId();
		const dm = this.sendDm(input.fromUserId, input.toUserId, { text: input.message }, at, id);
		const fb: FeedbackRecord = {
			id,
			createdAt: at,
			updatedAt: at,
			type: input.type,
			test: input.test,
			dmId: dm.id,
			fromUserId: input.fromUserId,
			toUserId: input.toUserId,
			privacyUrl: input.privacyUrl,
			...(input.externalId !== undefined ? { externalId: input.externalId } : {}),
			questionVariantId: input.questionVariantId,
			...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
			text: input.message,
		};
		this.adopt(fb);
		this.record(fb, 'created', at);
		return fb;
	}

	/** Everything a restart must keep: records, their events (by record id), DMs and the counters. */
	dump(): FeedbackDump {
		return {
			records: [...this.records.values()].map((r) => ({ ...r })),
			events: this.log.all().map((e) => ({ seq: e.seq, at: e.at, ...(e.changedAt !== undefined ? { changedAt: e.changedAt } : {}), kind: e.kind, feedbackId: e.feedback.id })),
			dms: this.dms.map((d) => ({ ...d })),
			seq: this.seq,
			feedbackCount: String(this.feedbackCount),
			dmCount: String(this.dmCount),
		};
	}

	/** Replaces everything with a dump's. */
	load(dump: FeedbackDump): void {
		this.clear();
		for (const r of dump.records) this.adopt({ ...r });
		const events: FeedbackEvent[] = dump.events.map((e) => {
			const feedback = this.records.get(e.feedbackId);
			if (!feedback) throw new Error(`the state file has an event for unknown feedback ${e.feedbackId}`);
			return { seq: e.seq, at: e.at, ...(e.changedAt !== undefined ? { changedAt: e.changedAt } : {}), kind: e.kind, feedback };
		});
		this.log.insertSorted(events);
		this.dms.push(...dump.dms.map((d) => ({ ...d })));
		this.seq = dump.seq;
		this.feedbackCount = BigInt(dump.feedbackCount);
		this.dmCount = BigInt(dump.dmCount);
	}

	/** Registers a record built elsewhere (bulk seeding); its events are added separately. */
	adopt(fb: FeedbackRecord): void {
		this.records.set(fb.id, fb);
		const last = this.lastRequestTo.get(fb.toUserId);
		if (last === undefined || fb.createdAt > last) this.lastRequestTo.set(fb.toUserId, fb.createdAt);
	}

	sendDm(
		senderId: string,
		recipientId: string,
		messageData: Record<string, unknown>,
		at: number,
		feedbackId?: string,
	): DirectMessage {
		const dm: DirectMessage = { id: this.nextDmId(), createdAt: at, senderId, recipientId, messageData };
		if (feedbackId !== undefined) dm.feedbackId = feedbackId;
		this.dms.push(dm);
		return dm;
	}

	/**
	 * The customer answers: a score and/or a comment, each immutable once given, each its own
	 * feedback.updated event. Validates everything before changing anything.
	 */
	answer(fb: FeedbackRecord, parts: { score?: unknown; text?: unknown }, at: number): void {
		const hasScore = parts.score !== undefined && parts.score !== null && parts.score !== '';
		const hasText = parts.text !== undefined && parts.text !== null;
		if (!hasScore && !hasText) throw new XApiError(400, 38, 'score or text parameter is missing.');
		let score: number | undefined;
		if (hasScore) {
			score = toInteger(parts.score);
			const [min, max] = SCORE_RANGE[fb.type];
			if (score === undefined || score < min || score > max) {
				throw invalidParam('score', `must be an integer from ${min} to ${max} for ${fb.type} feedback`);
			}
		}
		let text: string | undefined;
		if (hasText) {
			if (typeof parts.text !== 'string' || parts.text.trim() === '' || charCount(parts.text) > MAX_TEXT) {
				throw invalidParam('text', `must be 1 to ${MAX_TEXT} characters`);
			}
			text = parts.text;
		}
		if (at < fb.createdAt) throw invalidParam('at', 'is before the feedback was created');
		if (score !== undefined && fb.score) throw alreadySubmitted('score');
		if (text !== undefined && fb.comment) throw alreadySubmitted('text');
		if (score !== undefined) fb.score = { value: score, at, seq: this.record(fb, 'score', at).seq };
		if (text !== undefined) fb.comment = { value: text, at, seq: this.record(fb, 'text', at).seq };
	}

	/** An update that brings no new part (the card was viewed or dismissed). */
	mark(fb: FeedbackRecord, kind: 'viewed' | 'dismissed', at: number): void {
		if (at < fb.createdAt) throw invalidParam('at', 'is before the feedback was created');
		if (kind === 'viewed') fb.viewedAt ??= at;
		else fb.dismissedAt ??= at;
		this.record(fb, kind, at);
	}

	/** The offset of this event's stamp from its change: spread over the lag range, the same for the same seq. */
	private lagOf(seq: number): number {
		const [min, max] = this.lagRangeMs;
		if (min === max) return min;
		const steps = (max - min) / 1000 + 1;
		// A multiplicative hash spreads consecutive events over the whole range, in no order.
		return min + (Math.imul(seq, 2654435761) >>> 0) % steps * 1000;
	}

	private record(fb: FeedbackRecord, kind: ChangeKind, at: number): FeedbackEvent {
		const seq = this.nextSeq();
		const lag = this.lagOf(seq);
		const event: FeedbackEvent = lag === 0 ? { seq, at, kind, feedback: fb } : { seq, at: at + lag, changedAt: at, kind, feedback: fb };
		this.log.insert(event);
		if (at > fb.updatedAt) fb.updatedAt = at;
		this.onEvent?.(event);
		return event;
	}
}

function toInteger(v: unknown): number | undefined {
	if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
	if (typeof v === 'string' && /^-?\d{1,6}$/.test(v.trim())) return Number(v.trim());
	return undefined;
}
