/**
 * Get Report does not lean on X's event clock (issue 17): with events stamped from 2 hours before
 * to 6 hours after the parts they report (emulator eventLagMinMs/MaxMs), in both snapshot modes,
 * every request, score and comment given in the period counts once, by its own time, including
 * those whose events are stamped outside the period. Beyond that tolerance a part that does not
 * count is counted as set aside with its feedback id, never silently.
 */
import fc from 'fast-check';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { useXNode, type XNode } from '../xNode';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Midnight UTC twelve days ago: the period is the two days from there, with a day of history either side. */
const D0 = Math.floor(Date.now() / DAY) * DAY - 12 * DAY;
const FROM = D0 + DAY;
const TO = D0 + 3 * DAY - 1;

let x: XNode;
useXNode((node) => (x = node));

interface Survey {
	type: 'csat' | 'nps';
	sentOffsetSec: number;
	scoreDelaySec?: number;
	commentDelaySec?: number;
}

const surveyArb: fc.Arbitrary<Survey> = fc.record(
	{
		type: fc.constantFrom('csat' as const, 'nps' as const),
		// Often near From or To, where a stamp moved by hours lands on the other side.
		sentOffsetSec: fc.oneof(
			fc.integer({ min: 0, max: (4 * DAY) / 1000 - 1 }),
			fc.integer({ min: (DAY - 3 * HOUR) / 1000, max: (DAY + 3 * HOUR) / 1000 }),
			fc.integer({ min: (3 * DAY - 3 * HOUR) / 1000, max: (3 * DAY + 3 * HOUR) / 1000 }),
		),
		scoreDelaySec: fc.oneof(fc.integer({ min: 0, max: 3600 }), fc.integer({ min: 0, max: DAY / 1000 })),
		commentDelaySec: fc.integer({ min: 0, max: (6 * HOUR) / 1000 }),
	},
	{ requiredKeys: ['type', 'sentOffsetSec'] },
);

/** Builds the history in the emulator (its store, as X would record it) and returns the parts given in the period. */
async function build(surveys: Survey[], snapshotMode: 'event' | 'current', lag: [number, number]): Promise<Record<'csat' | 'nps', { requests: number; scores: number; comments: number }>> {
	await x.reset({ snapshotMode, eventLagMinMs: lag[0], eventLagMaxMs: lag[1] });
	const [customer] = await x.addCustomers({ screenName: 'cust_clock', allowlisted: true });
	const business = x.emu.store.accounts.business;
	const inPeriod = (ms: number) => ms >= FROM && ms <= TO;
	const want = { csat: { requests: 0, scores: 0, comments: 0 }, nps: { requests: 0, scores: 0, comments: 0 } };
	const answers: Array<{ id: string; at: number; score?: number; text?: string }> = [];
	for (const s of surveys) {
		const sent = D0 + s.sentOffsetSec * 1000;
		const fb = x.emu.store.feedback.create(
			{ type: s.type, fromUserId: business.id, toUserId: customer.id, message: 'How did we do?', privacyUrl: 'https://acme.example/privacy', questionVariantId: 0, test: false },
			sent,
		);
		if (inPeriod(sent)) want[s.type].requests++;
		if (s.scoreDelaySec !== undefined) {
			const at = sent + s.scoreDelaySec * 1000;
			answers.push({ id: fb.id, at, score: s.type === 'csat' ? 4 : 9 });
			if (inPeriod(at)) want[s.type].scores++;
			if (s.commentDelaySec !== undefined) {
				answers.push({ id: fb.id, at: at + s.commentDelaySec * 1000, text: 'thanks' });
				if (inPeriod(at + s.commentDelaySec * 1000)) want[s.type].comments++;
			}
		}
	}
	for (const a of answers.sort((p, q) => p.at - q.at)) x.emu.store.respond(a.id, { ...(a.score !== undefined ? { score: a.score } : { text: a.text }), at: a.at });
	return want;
}

function reportParams(): INodeParameters {
	return { resource: 'feedback', operation: 'getReport', from: new Date(FROM).toISOString(), to: new Date(TO).toISOString(), options: { minEventAgeHours: 0 } } as INodeParameters;
}

async function counted() {
	const { items, error } = await x.run(reportParams());
	if (error) throw error;
	const json = items[0].json as IDataObject & Record<'csat' | 'nps', { requestsSent: number; scoresReceived: number; commentsReceived: number }>;
	const of = (type: 'csat' | 'nps') => ({ requests: json[type].requestsSent, scores: json[type].scoresReceived, comments: json[type].commentsReceived });
	return { csat: of('csat'), nps: of('nps'), setAside: json.setAsideEvents as { total: number; byReason: Record<string, number>; examples: Array<{ feedbackId: string; reason: string }> } };
}

const runs = Number(process.env.REPORT_CLOCK_RUNS ?? 12);
let seenLagged = 0;

test('events stamped 2 hours before to 6 hours after their parts: every part in the period counts once, both snapshot modes', async () => {
	await fc.assert(
		fc.asyncProperty(
			fc.array(surveyArb, { minLength: 1, maxLength: 30 }),
			fc.constantFrom('event' as const, 'current' as const),
			fc.tuple(fc.integer({ min: -7200, max: 21_600 }), fc.integer({ min: -7200, max: 21_600 })).map(([a, b]) => [Math.min(a, b) * 1000, Math.max(a, b) * 1000] as [number, number]),
			async (surveys, mode, lag) => {
				const want = await build(surveys, mode, lag);
				const got = await counted();
				expect({ csat: got.csat, nps: got.nps }).toEqual(want);
				expect(got.setAside.total).toBe(0);
				seenLagged += x.emu.store.feedback.log.all().filter((e) => e.changedAt !== undefined).length;
			},
		),
		{ numRuns: runs },
	);
	expect(seenLagged).toBeGreaterThan(0);
});

test('events stamped 7 to 9 hours after their parts: a part the period misses is counted as set aside with its feedback id', async () => {
	await fc.assert(
		fc.asyncProperty(fc.array(surveyArb, { minLength: 1, maxLength: 30 }), fc.constantFrom('event' as const, 'current' as const), async (surveys, mode) => {
			const want = await build(surveys, mode, [7 * HOUR, 9 * HOUR]);
			const got = await counted();
			const missed = (['csat', 'nps'] as const).reduce(
				(n, t) => n + want[t].requests - got[t].requests + want[t].scores - got[t].scores + want[t].comments - got[t].comments,
				0,
			);
			for (const t of ['csat', 'nps'] as const) {
				expect(got[t].requests).toBeLessThanOrEqual(want[t].requests);
				expect(got[t].scores).toBeLessThanOrEqual(want[t].scores);
				expect(got[t].comments).toBeLessThanOrEqual(want[t].comments);
			}
			// A part missed had its own event beyond the tolerance: set aside and counted when the listing
			// held it, or stamped after To plus 6 hours, where the report does not read.
			const unread = x.emu.store.feedback.log
				.all()
				.filter((e) => e.kind !== 'viewed' && e.kind !== 'dismissed' && (e.changedAt ?? e.at) >= FROM && (e.changedAt ?? e.at) <= TO && e.at > TO + 6 * HOUR).length;
			expect(missed).toBeLessThanOrEqual((got.setAside.byReason.partBeyondTolerance ?? 0) + unread);
		}),
		{ numRuns: Math.ceil(runs / 2) },
	);
});


test('a request just after From whose only event X stamped an hour before From counts', async () => {
	const want = await build([{ type: 'csat', sentOffsetSec: (DAY + 30 * 60_000) / 1000 }], 'event', [-HOUR, -HOUR]);
	expect(want.csat.requests).toBe(1);
	const got = await counted();
	expect(got.csat).toEqual(want.csat);
});
