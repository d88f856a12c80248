/**
 * Streams pages of `feedback/events` into the figures of one report period.
 *
 * How a period [fromMs, toMs] (inclusive, epoch ms) is read. Every part counts by its own time:
 * - requests sent: requests created in the period;
 * - scores and comments received: parts given in the period, whenever their request was sent, so
 *   CSAT and NPS describe what customers said in the period;
 * - response rate: of the requests sent in the period, the share that were scored in the period
 *   (`requestsScored ÷ requestsSent`). The score's snapshot carries its request's time, so this needs
 *   no memory per request, and it is a true share that cannot exceed 100% (figures.ts only guards
 *   against a listing that lost a created event). The price is that requests sent just before the
 *   period ends had little time to be answered, so the last group of a trend reads low until a later
 *   report covers their answers. A flow reading (this period's scores ÷ this period's requests) was
 *   rejected: it passes 100% whenever old requests are answered in a quiet period.
 * Groups (UTC days, or ISO weeks from Monday) split the same counts by each part's own time, except
 * that `requestsScored` belongs to the request's group, so a group's rate is a share of its requests.
 *
 * Events repeat parts (many updates per feedback, snapshots as of the event or current), so the
 * announcer from feedbackLog decides which event brings each part, once. Memory stays bounded: running
 * counts, one tally per group, the announcer's recent parts (forgotten after each page) and a handful
 * of latest comments; only the CSV rows grow with the data, and only when `keepRows` is set.
 * A part's event may be stamped up to the event time tolerance before or after it, so list events
 * from fromMs minus its before side to toMs plus its after side; parts outside the period are not
 * counted whatever the listing holds.
 */
import { parseXDateMs } from '../../shared/dates';
import type { AnomalyLog } from '../../shared/feedbackLog/anomalies';
import { announcedParts, createAnnouncer, forgetAnnounced, type Announcer } from '../../shared/feedbackLog/announcements';
import type { FeedbackPart, PartKind } from '../../shared/feedbackLog/parts';
import type { FeedbackType, XFeedbackEvent } from '../../shared/types';
import { figuresOf, type Figures } from './figures';
import { attachLaterScore, keepLatestComment, type CommentSample } from './latestComments';
import { groupCount, groupEndMs, groupName, groupStartMs, groupStartsInPeriod, MAX_GROUPS, type GroupBy } from './periodGroups';
import { recordRowPart, sortedRows, type ReportRow, type RowBook, type RowValue } from './rows';
import { normalizeScope, scopeVerdict, type Scope, type ScopeOptions, type ScopeVerdict } from './scope';
import { emptyTally, isFeedbackType, scoreIndex, SCORE_SCALES, type Tally } from './tally';

export interface ReportOptions extends ScopeOptions {
	fromMs: number;
	toMs: number;
	groupBy?: GroupBy;
	/** Keep one row per feedback request for the CSV download. */
	keepRows: boolean;
	/** Where parts that cannot be read (dates, non-text comments) are counted. */
	anomalies?: AnomalyLog;
}

export interface GroupFigures extends Figures {
	/** Start date of the group, `YYYY-MM-DD` (UTC); groups sort by it. */
	key: string;
	/** `YYYY-MM-DD` for a day, `YYYY-Www` for an ISO week. */
	label: string;
	/** The whole day or week; the first and last may reach outside the period, which still bounds the counts. */
	startMs: number;
	endMs: number;
}

export interface ReportFigures extends Figures {
	period: { fromMs: number; toMs: number; from: string; to: string };
	scope: Scope;
	/** Requests sent in the period that the scope left out. */
	excluded: { testRequests: number; outOfScopeRequests: number };
	/** Parts in the period that could not be counted: unknown feedback type or a score off its scale. */
	ignoredParts: number;
	groupBy: GroupBy | null;
	/** Every group of the period, empty ones included, oldest first; [] without groupBy. */
	groups: GroupFigures[];
	/** Newest comments received in the period, newest first. */
	latestComments: CommentSample[];
	/** One row per feedback with a part in the period, by time sent; present only with keepRows. */
	rows?: ReportRow[];
}

export interface ReportAccumulator {
	addEvent(event: XFeedbackEvent): void;
	/** Adds one page of events and forgets what the announcer no longer needs. */
	addPage(events: readonly XFeedbackEvent[]): void;
	/** The figures so far; can be called again after more pages. */
	finish(): ReportFigures;
}

/** What a part of one kind does to the report. */
interface PartRule {
	/** Counts a part the scope takes in; what its CSV row gets besides its time, undefined when it cannot be counted (a score off its scale). */
	count(part: FeedbackPart, type: FeedbackType): RowValue | undefined;
	/** Counts a part the scope leaves out, if the report says how many of its kind were left out. */
	leftOut?(verdict: Exclude<ScopeVerdict, 'in'>): void;
}

export function createReport(options: ReportOptions): ReportAccumulator {
	const { fromMs, toMs, groupBy, keepRows } = options;
	if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || fromMs > toMs) {
		throw new RangeError('The report period needs a start at or before its end.');
	}
	if (groupBy !== undefined && groupBy !== 'day' && groupBy !== 'week') {
		throw new RangeError(`Group by must be 'day' or 'week', not '${String(groupBy)}'.`);
	}
	if (groupBy && groupCount(fromMs, toMs, groupBy) > MAX_GROUPS) {
		throw new RangeError(`A period this long has more than ${MAX_GROUPS} ${groupBy}s; group by week or shorten it.`);
	}

	const scope = normalizeScope(options);
	const announcer: Announcer = createAnnouncer(fromMs - 1, 0, undefined, options.anomalies);
	const overall = emptyTally();
	const groups = new Map<number, Tally>();
	const rows: RowBook = new Map();
	const latestComments: CommentSample[] = [];
	const excluded = { testRequests: 0, outOfScopeRequests: 0 };
	let ignoredParts = 0;

	const inPeriod = (ms: number) => ms >= fromMs && ms <= toMs;

	/** The overall tally and, when grouping, the tally of the group holding `ms`. */
	function talliesAt(ms: number): Tally[] {
		if (!groupBy) return [overall];
		const start = groupStartMs(ms, groupBy);
		let group = groups.get(start);
		if (!group) {
			group = emptyTally();
			groups.set(start, group);
		}
		return [overall, group];
	}

	function addScore(part: FeedbackPart, type: FeedbackType): number | undefined {
		const index = scoreIndex(type, part.feedback.response?.score?.value);
		if (index === undefined) {
			ignoredParts++;
			return undefined;
		}
		for (const tally of talliesAt(part.atMs)) tally[type].scoreCounts[index]++;
		const requestMs = parseXDateMs(part.feedback.created_at);
		if (inPeriod(requestMs)) for (const tally of talliesAt(requestMs)) tally[type].requestsScored++;
		const score = SCORE_SCALES[type].min + index;
		attachLaterScore(latestComments, part.feedbackId, score);
		return score;
	}

	function addComment(part: FeedbackPart, type: FeedbackType): string {
		for (const tally of talliesAt(part.atMs)) tally[type].commentsReceived++;
		const feedback = part.feedback;
		// A score given by then, or a later one the period counts (attached when it comes, or here when
		// a current-state snapshot brought it first): the same whatever the snapshot mode.
		const given = feedback.response?.score;
		const givenMs = given ? parseXDateMs(given.created_at) : NaN;
		const scoreAt = given && (givenMs <= part.atMs || inPeriod(givenMs)) ? scoreIndex(type, given.value) : undefined;
		const comment = String(feedback.response?.text?.value ?? '');
		keepLatestComment(latestComments, {
			feedbackId: part.feedbackId,
			type,
			commentedAt: new Date(part.atMs).toISOString(),
			comment,
			score: scoreAt === undefined ? null : SCORE_SCALES[type].min + scoreAt,
			externalId: typeof feedback.external_id === 'string' ? feedback.external_id : null,
		});
		return comment;
	}

	// One entry per part kind (a kind without one does not compile).
	const byKind: Record<PartKind, PartRule> = {
		request: {
			count(part, type) {
				for (const tally of talliesAt(part.atMs)) tally[type].requestsSent++;
				return {};
			},
			leftOut(verdict) {
				excluded[verdict === 'test' ? 'testRequests' : 'outOfScopeRequests']++;
			},
		},
		score: {
			count(part, type) {
				const score = addScore(part, type);
				return score === undefined ? undefined : { score };
			},
		},
		comment: { count: (part, type) => ({ comment: addComment(part, type) }) },
	};

	function addPart(part: FeedbackPart): void {
		if (!inPeriod(part.atMs)) return;
		const type = part.feedback.type;
		if (!isFeedbackType(type)) {
			ignoredParts++;
			return;
		}
		const verdict = scopeVerdict(scope, part.feedback);
		const kind = byKind[part.kind];
		if (verdict !== 'in') {
			kind.leftOut?.(verdict);
			return;
		}
		const value = kind.count(part, type);
		if (value !== undefined && keepRows) recordRowPart(rows, part, type, value);
	}

	function addEvent(event: XFeedbackEvent): void {
		for (const part of announcedParts(announcer, event)) addPart(part);
	}

	function finish(): ReportFigures {
		const groupFigures: GroupFigures[] = groupBy
			? groupStartsInPeriod(fromMs, toMs, groupBy).map((startMs) => ({
					...groupName(startMs, groupBy),
					startMs,
					endMs: groupEndMs(startMs, groupBy),
					...figuresOf(groups.get(startMs) ?? emptyTally()),
				}))
			: [];
		return {
			period: { fromMs, toMs, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() },
			scope: { ...scope, externalIdPrefixes: [...scope.externalIdPrefixes], externalIds: [...scope.externalIds] },
			excluded: { ...excluded },
			ignoredParts,
			...figuresOf(overall),
			groupBy: groupBy ?? null,
			groups: groupFigures,
			latestComments: latestComments.map((c) => ({ ...c })),
			...(keepRows ? { rows: sortedRows(rows).map((r) => ({ ...r })) } : {}),
		};
	}

	return {
		addEvent,
		addPage(events) {
			for (const event of events) addEvent(event);
			forgetAnnounced(announcer, announcer.highMs);
		},
		finish,
	};
}
