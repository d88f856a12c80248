/**
 * The demo data set: a handful of customers with readable names (two cannot be DMed, one is
 * allowlisted) and a few feedback requests from the past days, some answered, with comments.
 * Deterministic apart from "now": every time is relative to the API clock when seeding.
 */
import type { FeedbackType } from '../nodes/shared/types';
import type { CustomerInput } from './accounts';
import type { EmulatorState } from './state';
import { DAY_MS as DAY, HOUR_MS as HOUR, MINUTE_MS as MIN } from './time';

export const DEMO_CUSTOMERS: CustomerInput[] = [
	{ screenName: 'maria_garcia', name: 'María García', canDm: true },
	{ screenName: 'jonas_becker', name: 'Jonas Becker', canDm: true },
	{ screenName: 'priya_raman', name: 'Priya Raman', canDm: true },
	{ screenName: 'tom_hughes', name: 'Tom Hughes', canDm: false },
	{ screenName: 'aiko_tanaka', name: 'Aiko Tanaka', canDm: true, allowlisted: true },
	{ screenName: 'sam_okafor', name: 'Samuel Okafor', canDm: true },
	{ screenName: 'lea_martin', name: 'Léa Martin', canDm: false },
	{ screenName: 'noah_kim', name: 'Noah Kim', canDm: true },
];

interface DemoRequest {
	to: string;
	type: FeedbackType;
	ago: number;
	externalId: string;
	variant?: number;
	/** Offsets after the request. */
	viewed?: number;
	score?: [number, number];
	text?: [number, string];
	dismissed?: number;
}

const DEMO_REQUESTS: DemoRequest[] = [
	{ to: 'noah_kim', type: 'nps', ago: 6 * DAY, externalId: 'case-1001', viewed: 5 * MIN, score: [6 * MIN, 10], text: [DAY, 'Support sorted my billing issue in minutes. Would recommend!'] },
	{ to: 'maria_garcia', type: 'csat', ago: 5 * DAY, externalId: 'case-1002', variant: 1, viewed: 8 * MIN, score: [10 * MIN, 5], text: [12 * MIN, 'Quick and friendly, thanks!'] },
	{ to: 'jonas_becker', type: 'nps', ago: 4 * DAY, externalId: 'case-1003', viewed: 30 * MIN, score: [31 * MIN, 9] },
	{ to: 'priya_raman', type: 'csat', ago: 3 * DAY, externalId: 'case-1004', variant: 15, score: [2 * HOUR, 2], text: [3 * HOUR, 'It took three days to get a first reply.'] },
	{ to: 'aiko_tanaka', type: 'nps', ago: 2 * DAY - 4 * HOUR, externalId: 'case-1005', viewed: HOUR, dismissed: HOUR + 2 * MIN },
	{ to: 'sam_okafor', type: 'csat', ago: 2 * DAY, externalId: 'case-1006', variant: 3 },
	{ to: 'aiko_tanaka', type: 'csat', ago: 30 * HOUR, externalId: 'case-1007', text: [20 * MIN, 'The agent was great, the app less so.'] },
];

export function applyDemoSeed(state: EmulatorState): void {
	const customers = state.addCustomers(DEMO_CUSTOMERS);
	const byName = new Map(customers.map((c) => [c.screenName, c]));
	const now = state.clock.nowSec();
	const business = state.accounts.business;
	const sorted = [...DEMO_REQUESTS].sort((a, b) => b.ago - a.ago);
	for (const r of sorted) {
		const customer = byName.get(r.to)!;
		const at = now - r.ago;
		const fb = state.feedback.create(
			{
				type: r.type,
				fromUserId: business.id,
				toUserId: customer.id,
				message: `Hi ${customer.name.split(' ')[0]}, thanks for contacting Acme Support. Could you rate your experience? It takes 10 seconds.`,
				privacyUrl: 'https://acme.example/privacy',
				externalId: r.externalId,
				questionVariantId: r.variant ?? 0,
				displayName: 'Acme',
				test: false,
			},
			at,
		);
		if (r.viewed !== undefined) state.feedback.mark(fb, 'viewed', at + r.viewed);
		if (r.score) state.feedback.answer(fb, { score: r.score[1] }, at + r.score[0]);
		if (r.text) state.feedback.answer(fb, { text: r.text[1] }, at + r.text[0]);
		if (r.dismissed !== undefined) state.feedback.mark(fb, 'dismissed', at + r.dismissed);
	}
}
