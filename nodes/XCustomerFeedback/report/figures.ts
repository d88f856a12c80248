/**
 * The figures a report gives and the standard CSAT and NPS definitions that turn counts into them.
 * Figures are never rounded (presentation rounds) and are null, not NaN, when undefined.
 */
import { SCORE_SCALES, type Tally, type TypeTally } from './tally';
import type { FeedbackType } from '../../shared/types';

export interface ScoreCount {
	score: number;
	count: number;
}

/** Volume and response rate, for one type or overall. See accumulator.ts for how a period is read. */
export interface ActivityFigures {
	/** Requests (cards) sent in the period. */
	requestsSent: number;
	/** Scores received in the period, whenever their request was sent: the responses. */
	scoresReceived: number;
	/** Comments received in the period, with or without a score. */
	commentsReceived: number;
	/** Requests sent in the period that were scored in the period. */
	requestsScored: number;
	/** requestsScored ÷ requestsSent × 100, 0 to 100; null when nothing was sent. */
	responseRatePct: number | null;
}

export interface CsatFigures extends ActivityFigures {
	/** Mean of the scores received, 1 to 5; null without scores. */
	averageScore: number | null;
	/** Scores 1 to 5 in order; the counts add up to scoresReceived. */
	distribution: ScoreCount[];
	/** Scores of 4 or 5. */
	satisfied: number;
	/** satisfied ÷ scoresReceived × 100; null without scores. */
	satisfiedPct: number | null;
}

export interface NpsFigures extends ActivityFigures {
	/** Scores 0 to 10 in order; the counts add up to scoresReceived. */
	distribution: ScoreCount[];
	/** Scores of 9 or 10. */
	promoters: number;
	/** Scores of 7 or 8. */
	passives: number;
	/** Scores of 0 to 6. */
	detractors: number;
	promotersPct: number | null;
	passivesPct: number | null;
	detractorsPct: number | null;
	/** promotersPct − detractorsPct, −100 to 100; null without scores. */
	nps: number | null;
}

export interface Figures {
	overall: ActivityFigures;
	csat: CsatFigures;
	nps: NpsFigures;
}

function pct(part: number, whole: number): number | null {
	return whole > 0 ? (part * 100) / whole : null;
}

function activityFigures(t: Pick<TypeTally, 'requestsSent' | 'requestsScored' | 'commentsReceived'>, scores: number): ActivityFigures {
	// By construction a request is scored at most once and only when it was sent in the period; the
	// cap only matters when X's listing lost a request's created event, and keeps the rate a share.
	const requestsScored = Math.min(t.requestsScored, t.requestsSent);
	return {
		requestsSent: t.requestsSent,
		scoresReceived: scores,
		commentsReceived: t.commentsReceived,
		requestsScored,
		responseRatePct: pct(requestsScored, t.requestsSent),
	};
}

function distributionOf(type: FeedbackType, counts: number[]): ScoreCount[] {
	return counts.map((count, i) => ({ score: SCORE_SCALES[type].min + i, count }));
}

function countWhere(distribution: ScoreCount[], test: (score: number) => boolean): number {
	return distribution.reduce((sum, d) => (test(d.score) ? sum + d.count : sum), 0);
}

export function csatFigures(t: TypeTally): CsatFigures {
	const distribution = distributionOf('csat', t.scoreCounts);
	const n = countWhere(distribution, () => true);
	const total = distribution.reduce((sum, d) => sum + d.score * d.count, 0);
	const satisfied = countWhere(distribution, (s) => s >= 4);
	return {
		...activityFigures(t, n),
		averageScore: n > 0 ? total / n : null,
		distribution,
		satisfied,
		satisfiedPct: pct(satisfied, n),
	};
}

export function npsFigures(t: TypeTally): NpsFigures {
	const distribution = distributionOf('nps', t.scoreCounts);
	const n = countWhere(distribution, () => true);
	const promoters = countWhere(distribution, (s) => s >= 9);
	const passives = countWhere(distribution, (s) => s === 7 || s === 8);
	const detractors = countWhere(distribution, (s) => s <= 6);
	return {
		...activityFigures(t, n),
		distribution,
		promoters,
		passives,
		detractors,
		promotersPct: pct(promoters, n),
		passivesPct: pct(passives, n),
		detractorsPct: pct(detractors, n),
		// From the counts rather than the two percentages, so no float residue leaks into the bounds.
		nps: n > 0 ? ((promoters - detractors) * 100) / n : null,
	};
}

export function figuresOf(tally: Tally): Figures {
	const csat = csatFigures(tally.csat);
	const nps = npsFigures(tally.nps);
	const overall = activityFigures(
		{
			requestsSent: tally.csat.requestsSent + tally.nps.requestsSent,
			requestsScored: Math.min(tally.csat.requestsScored, tally.csat.requestsSent) + Math.min(tally.nps.requestsScored, tally.nps.requestsSent),
			commentsReceived: tally.csat.commentsReceived + tally.nps.commentsReceived,
		},
		csat.scoresReceived + nps.scoresReceived,
	);
	return { overall, csat, nps };
}
