/**
 * The parts of a feedback that a consumer reports once each: the request itself, the score and the
 * comment. Each part has its own immutable time; a snapshot may carry parts given long ago.
 */
import { parseXDateMs } from '../dates';
import type { XFeedback } from '../types';
import type { AnomalyLog } from './anomalies';

/** What `carriedAt` answers for a part the snapshot does not carry (a time may be anything X sent, undefined too). */
const NOT_CARRIED: unique symbol = Symbol('not carried');

/**
 * Every part kind, in one table: how a snapshot carries it, the letter of its key in saved state, and
 * which field of the simplified feedback says when it was given. `satisfies Record<PartKind, ...>`
 * makes a kind without a row a compile error; everything else (PART_KINDS, keys, times, items) is
 * read from here.
 */
const PART_KIND_TABLE = {
	request: { keyLetter: 'r', givenAt: 'sentAt', carriedAt: (f: XFeedback) => f.created_at },
	score: {
		keyLetter: 's',
		givenAt: 'scoredAt',
		carriedAt: (f: XFeedback) => {
			const score = f.response?.score;
			return !score || score.value === undefined || score.value === null ? NOT_CARRIED : score.created_at;
		},
	},
	comment: {
		keyLetter: 'c',
		givenAt: 'commentedAt',
		carriedAt: (f: XFeedback) => {
			const text = f.response?.text;
			return !text || text.value === undefined || text.value === null ? NOT_CARRIED : text.created_at;
		},
		notText: (f: XFeedback) => (typeof f.response?.text?.value === 'string' ? undefined : f.response?.text?.value),
	},
} as const satisfies Record<string, PartKindSpec>;

interface PartKindSpec {
	/** The one letter after the feedback id in saved keys: unique per kind (test/feedbackLog/parts.test.ts). */
	keyLetter: string;
	/** The field of the simplified feedback (feedbackView.ts) that says when the part was given. */
	givenAt: 'sentAt' | 'scoredAt' | 'commentedAt';
	/**
	 * The part's time as the snapshot writes it, or NOT_CARRIED. Called for every kind of every event
	 * a drain reads, so it makes nothing: an object per call was 7 MB per drain (bench, drain).
	 */
	carriedAt: (feedback: XFeedback) => unknown;
	/** For a carried part whose value must be text: the value when it is not, else undefined. */
	notText?: (feedback: XFeedback) => unknown;
}

export type PartKind = keyof typeof PART_KIND_TABLE;

export interface FeedbackPart {
	kind: PartKind;
	feedbackId: string;
	/** When the part was given (epoch ms, whole seconds as X reports them). */
	atMs: number;
	/** The snapshot the part was read from. */
	feedback: XFeedback;
}

export const PART_KINDS = Object.keys(PART_KIND_TABLE) as readonly PartKind[];

/** The field of the simplified feedback that says when a part of this kind was given. */
export function givenAtField(kind: PartKind): PartKindSpec['givenAt'] {
	return PART_KIND_TABLE[kind].givenAt;
}

/** The letter of this kind in saved keys. */
export function keyLetter(kind: PartKind): string {
	return PART_KIND_TABLE[kind].keyLetter;
}

/**
 * When the snapshot says this part was given (epoch ms), undefined when it does not carry the part.
 * A part with an unreadable time, or a comment that is not text, is counted in `anomalies` and
 * reads as undefined. `knownAt` is a date string already read as `knownMs` (the event's), reused when
 * the part's is the same: a snapshot as of its event carries the event's time in the part the event reports.
 */
export function partTime(feedback: XFeedback, kind: PartKind, anomalies?: AnomalyLog, knownAt?: unknown, knownMs = NaN): number | undefined {
	const spec: PartKindSpec = PART_KIND_TABLE[kind];
	const at = spec.carriedAt(feedback);
	if (at === NOT_CARRIED) return undefined;
	const notText = spec.notText?.(feedback);
	if (notText !== undefined) {
		anomalies?.add('commentNotText', feedback.id, notText);
		return undefined;
	}
	const atMs = knownAt !== undefined && at === knownAt ? knownMs : parseXDateMs(at);
	if (!Number.isNaN(atMs)) return atMs;
	anomalies?.add('unreadablePartDate', feedback.id, `${kind} at ${JSON.stringify(at) ?? 'undefined'}`);
	return undefined;
}

export function partKey(part: Pick<FeedbackPart, 'feedbackId' | 'kind'>): string {
	return `${part.feedbackId}${PART_KIND_TABLE[part.kind].keyLetter}`;
}

/** The feedback id and kind a saved key names (partKey's inverse); undefined for a key no kind ends. */
export function partOfKey(key: string): Pick<FeedbackPart, 'feedbackId' | 'kind'> | undefined {
	const letter = key.slice(-1);
	const kind = PART_KINDS.find((k) => PART_KIND_TABLE[k].keyLetter === letter);
	return kind && key.length > 1 ? { feedbackId: key.slice(0, -1), kind } : undefined;
}

/** The time this part was given, as the snapshot writes it; undefined when the snapshot does not carry the part. */
export function partGivenAt(feedback: XFeedback, kind: PartKind): unknown {
	const at = PART_KIND_TABLE[kind].carriedAt(feedback);
	return at === NOT_CARRIED ? undefined : at;
}
