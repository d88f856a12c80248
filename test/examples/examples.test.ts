/**
 * The importable example workflows (examples/*.json): well-formed n8n workflow JSON that uses only
 * node types and parameters that exist, and that runs through n8n-core's WorkflowExecute against the
 * in-process emulator (n8n-nodes-base nodes are the harness stand-ins).
 */
import { deduplicationStore } from '../harness/memoryDeduplicator';
import type { IDataObject, INode, INodeExecutionData, INodeTypeDescription } from 'n8n-workflow';

import { startEmulator, type RunningEmulator, type UserRecord } from '../../emulator/index';
import { XCustomerFeedback } from '../../nodes/XCustomerFeedback/XCustomerFeedback.node';
import { XCustomerFeedbackTrigger } from '../../nodes/XCustomerFeedbackTrigger/XCustomerFeedbackTrigger.node';
import { XCustomerFeedbackWebhookTrigger } from '../../nodes/XCustomerFeedbackWebhookTrigger/XCustomerFeedbackWebhookTrigger.node';
import type { XTestCredentials } from '../harness/credentials';
import { EXAMPLE, emulatorCredentials, exampleFiles, exampleTrigger, loadExample } from '../harness/examples';
import { ACTION_TYPE, TRIGGER_TYPE, WEBHOOK_TRIGGER_TYPE } from '../harness/nodeTypes';
import { runWorkflow, scheduleItem, webhookItem, type WorkflowJson } from '../harness/runWorkflow';
import { WebhookHarness } from '../harness/runWebhook';
import { STAND_IN, STAND_IN_TYPES, StandInLog, standInNodeTypes } from '../harness/standIns';
import { parameterIssues, undeclaredParameters } from './declaredParameters';

/** Where n8n 2.x added versions of a node, the newest version n8n 1.123 has too. */
const NEWEST_IN_1_123: Record<string, number> = { 'n8n-nodes-base.slack': 2.4, 'n8n-nodes-base.scheduleTrigger': 1.3 };

const HOUR = 3_600_000;
const OUR_DESCRIPTIONS: Record<string, INodeTypeDescription> = {
	[ACTION_TYPE]: new XCustomerFeedback().description,
	[TRIGGER_TYPE]: new XCustomerFeedbackTrigger().description,
	[WEBHOOK_TRIGGER_TYPE]: new XCustomerFeedbackWebhookTrigger().description,
};
const STAND_INS = standInNodeTypes(new StandInLog());

const files = exampleFiles();
const nonSticky = (wf: WorkflowJson) => wf.nodes.filter((n) => n.type !== STAND_IN.stickyNote);
const stickyText = (wf: WorkflowJson) =>
	wf.nodes
		.filter((n) => n.type === STAND_IN.stickyNote)
		.map((n) => String(n.parameters.content))
		.join('\n');

test('examples/ holds the six example workflows', () => {
	expect(files).toEqual(Object.values(EXAMPLE).sort());
});

describe.each(files)('%s', (file) => {
	const wf = loadExample(file);

	test('is an n8n workflow: named nodes with ids and positions, connections between them, v1 execution order', () => {
		expect(typeof wf.name).toBe('string');
		expect(wf.settings).toEqual({ executionOrder: 'v1' });
		const names = wf.nodes.map((n) => n.name);
		expect(new Set(names).size).toBe(names.length);
		const ids = wf.nodes.map((n) => n.id);
		expect(new Set(ids).size).toBe(ids.length);
		for (const node of wf.nodes) {
			expect(node.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
			expect(node.position).toEqual([expect.any(Number), expect.any(Number)]);
			expect(typeof node.parameters).toBe('object');
		}
		for (const [from, byType] of Object.entries(wf.connections)) {
			expect(names).toContain(from);
			for (const outputs of Object.values(byType)) {
				for (const output of outputs ?? []) {
					for (const c of output ?? []) {
						expect(names).toContain(c.node);
						expect(c.type).toBe('main');
					}
				}
			}
		}
		// Every working node is connected: nothing left dangling on the canvas.
		const connected = new Set([
			...Object.keys(wf.connections),
			...Object.values(wf.connections).flatMap((t) => Object.values(t).flat(2).map((c) => c!.node)),
		]);
		for (const node of nonSticky(wf)) expect(connected).toContain(node.name);
	});

	test('sticky notes cover no node and no other note on the canvas', () => {
		// Nodes take about 100 × 100 canvas units; notes their width × height.
		const box = (n: INode) => {
			const [x, y] = n.position;
			const note = n.type === STAND_IN.stickyNote;
			return { n: n.name, x, y, r: x + (note ? Number(n.parameters.width) : 100), b: y + (note ? Number(n.parameters.height) : 100) };
		};
		const boxes = wf.nodes.map((n) => box(n as INode));
		const overlaps = boxes.flatMap((a, i) =>
			boxes.slice(i + 1).filter((b) => a.x < b.r && b.x < a.r && a.y < b.b && b.y < a.b).map((b) => `${a.n} / ${b.n}`),
		);
		expect(overlaps).toEqual([]);
	});

	test('uses only node types that exist, at versions they have (in n8n 2.41 and 1.123)', () => {
		for (const node of wf.nodes) {
			if (node.type in OUR_DESCRIPTIONS) {
				expect(node.typeVersion).toBe(1);
				continue;
			}
			expect(STAND_IN_TYPES).toContain(node.type);
			const versions = [STAND_INS[node.type].description.version].flat();
			expect(versions).toContain(node.typeVersion);
			// The current version of each n8n-nodes-base node (n8n 2.41), or the newest that n8n 1.123
			// also has where 2.x added versions, so that the examples import into both.
			expect(node.typeVersion).toBe(Math.min(Math.max(...versions), NEWEST_IN_1_123[node.type] ?? Infinity));
		}
	});

	test('sets only parameters our nodes declare, with valid values, and none they require is missing', () => {
		for (const node of wf.nodes.filter((n) => n.type in OUR_DESCRIPTIONS)) {
			const description = OUR_DESCRIPTIONS[node.type];
			expect({ node: node.name, problems: undeclaredParameters(node as INode, description) }).toEqual({ node: node.name, problems: [] });
			expect({ node: node.name, issues: parameterIssues(node as INode, description) }).toEqual({ node: node.name, issues: null });
		}
	});

	test('our nodes use the X credential by a placeholder (the webhook trigger its Basic Auth); other credentials are placeholders too', () => {
		for (const node of wf.nodes.filter((n) => n.type in OUR_DESCRIPTIONS)) {
			if (node.type === WEBHOOK_TRIGGER_TYPE) {
				expect(node.credentials).toEqual({ httpBasicAuth: { id: 'REPLACE_WITH_YOUR_CREDENTIAL', name: 'X webhook Basic Auth' } });
				expect(node.webhookId).toMatch(/^[0-9a-f-]{36}$/);
				continue;
			}
			// Skip Seen Parts talks to n8n's store only: n8n hides the credential for it.
			if (node.parameters.operation === 'skipSeen') {
				expect(node.credentials).toBeUndefined();
				continue;
			}
			expect(node.credentials).toEqual({
				xCustomerFeedbackOAuth1Api: { id: 'REPLACE_WITH_YOUR_CREDENTIAL', name: 'X (Twitter) Customer Feedback account' },
			});
		}
		for (const node of wf.nodes) {
			for (const ref of Object.values(node.credentials ?? {})) expect(ref.id).toBe('REPLACE_WITH_YOUR_CREDENTIAL');
		}
	});

	test('sticky notes explain it, keep results away from the agent and, where X delays events, say so', () => {
		const text = stickyText(wf);
		expect(text.length).toBeGreaterThan(300);
		expect(text).toMatch(/agent/i);
		if (file !== EXAMPLE.survey) {
			expect(text).toMatch(/supervisors/i);
			expect(text).toMatch(/24 hours old/);
		} else {
			expect(text).toMatch(/automatically/i);
			expect(text).toMatch(/Test Mode/);
		}
	});
});

// ---------------------------------------------------------------------------------------------
// Running the examples against the emulator

let emu: RunningEmulator;
let credentials: XTestCredentials;

beforeAll(async () => {
	emu = await startEmulator({ minEventAgeMs: 0 });
	credentials = emulatorCredentials(emu);
});
afterAll(async () => {
	await emu.close();
});

const responded = (log: StandInLog) => log.of('Tell the help desk').map((r) => r.parameters[0].responseBody as IDataObject);

describe('survey after a conversation closes (example 1)', () => {
	const wf = loadExample(EXAMPLE.survey);
	let open: UserRecord;
	let closed: UserRecord;

	beforeEach(() => {
		emu.store.reset();
		deduplicationStore.clear();
		[open, closed] = emu.store.addCustomers([
			{ screenName: 'open_dms', name: 'Open Dms' },
			{ screenName: 'closed_dms', name: 'Closed Dms', canDm: false },
		]);
	});

	const call = (body: IDataObject, staticData: IDataObject = {}) =>
		runWorkflow({ workflow: wf, credentials, startItems: [webhookItem(body, 'x-feedback/conversation-closed')], mode: 'webhook', staticData });

	test('a customer who accepts DMs, by user ID: the CSAT card goes out with the case ID; the help desk hears "sent"', async () => {
		const result = await call({ caseId: 'case-2001', userId: open.id });
		expect(result.error).toBeUndefined();
		expect(result.executed).toEqual(['Help desk: conversation closed', 'Customer given by user ID?', 'Send CSAT survey (by user ID)', 'Tell the help desk']);
		const stored = [...emu.store.feedback.records.values()];
		expect(stored).toHaveLength(1);
		expect(stored[0]).toMatchObject({ toUserId: open.id, type: 'csat', externalId: 'case-2001', test: false, questionVariantId: 1, displayName: 'Acme Support' });
		expect(stored[0].text).toMatch(/^Thanks for contacting Acme Support!/);
		expect(responded(result.received)).toEqual([{ caseId: 'case-2001', status: 'sent', reason: null, feedbackId: stored[0].id }]);
	});

	test('a customer who does not accept DMs, by @username: nothing is sent; the help desk hears "skipped", cannot_dm', async () => {
		const result = await call({ caseId: 'case-2002', username: '@closed_dms' });
		expect(result.error).toBeUndefined();
		expect(result.executed).toEqual(['Help desk: conversation closed', 'Customer given by user ID?', 'Send CSAT survey (by @username)', 'Tell the help desk']);
		expect(emu.store.feedback.records.size).toBe(0);
		expect(emu.store.feedback.dms).toHaveLength(0);
		expect(responded(result.received)).toEqual([{ caseId: 'case-2002', status: 'skipped', reason: 'cannot_dm', feedbackId: null }]);
		expect(closed.canDm).toBe(false);
	});

	test('the same customer again within the week is skipped (asked_recently), as X asks', async () => {
		const staticData: IDataObject = {};
		await call({ caseId: 'case-2003', userId: open.id }, staticData);
		const again = await call({ caseId: 'case-2004', userId: open.id }, staticData);
		expect(responded(again.received)).toEqual([{ caseId: 'case-2004', status: 'skipped', reason: 'asked_recently', feedbackId: null }]);
		expect(emu.store.feedback.records.size).toBe(1);
	});

	test('an unknown customer still gets the help desk an answer: "failed" with the reason, no HTTP 500', async () => {
		const result = await call({ caseId: 'case-2005', username: '@nobody_here' });
		expect(result.error).toBeUndefined();
		const [answer] = responded(result.received);
		expect(answer).toMatchObject({ caseId: 'case-2005', status: 'failed', feedbackId: null });
		expect(String(answer.reason)).toMatch(/no such user/i);
	});
});

/**
 * Customers answered over the last hours: the API clock is set back while the surveys go out and the
 * answers come in, then returns to now, so the trigger (minimum event age 0, started before the
 * surveys) finds every part in one poll.
 */
describe('after customers answered: detractor alert (example 2), Sheets log (example 3), weekly report (example 4)', () => {
	const startedAt = () => new Date(Date.now() - 4 * HOUR).toISOString();
	const triggerPatch = () => ({ options: { minEventAgeHours: 0, startFrom: startedAt() } });
	let byCase: Record<string, string>;

	beforeAll(() => {
		emu.store.reset();
		deduplicationStore.clear();
		const now = Date.now();
		const customers = emu.store.addCustomers(
			['ana', 'ben', 'carla', 'dev', 'eli', 'fay', 'gus'].map((screenName) => ({ screenName })),
		);
		const business = emu.store.accounts.business;
		const requests: Array<{ caseId: string; type: 'csat' | 'nps'; test?: boolean; score?: number; comment?: string }> = [
			{ caseId: 'case-1', type: 'csat', score: 5, comment: 'Quick and kind.' },
			{ caseId: 'case-2', type: 'csat', score: 2, comment: 'Took three days.' },
			{ caseId: 'case-3', type: 'csat', score: 3 },
			{ caseId: 'case-4', type: 'nps', score: 6 },
			{ caseId: 'case-5', type: 'nps', score: 9, comment: 'Would recommend.' },
			{ caseId: 'case-6', type: 'csat', comment: 'No score, just this.' },
			{ caseId: 'case-7', type: 'csat', score: 1, test: true },
		];
		byCase = {};
		emu.store.clock.set(now - 3 * HOUR);
		requests.forEach((r, i) => {
			const fb = emu.store.feedback.create(
				{
					type: r.type,
					fromUserId: business.id,
					toUserId: customers[i].id,
					message: 'How did we do?',
					privacyUrl: 'https://example.com/privacy',
					externalId: r.caseId,
					questionVariantId: 0,
					test: r.test === true,
				},
				emu.store.clock.nowSec(),
			);
			byCase[r.caseId] = fb.id;
		});
		emu.store.clock.set(now - 2 * HOUR);
		for (const r of requests) if (r.score !== undefined) emu.store.respond(byCase[r.caseId], { score: r.score });
		emu.store.clock.set(now - HOUR);
		// Comments come later than scores.
		for (const r of requests) if (r.comment !== undefined) emu.store.respond(byCase[r.caseId], { text: r.comment });
		emu.store.clock.reset();
	});

	test('example 2: each score triggers once; only the NPS detractor and the CSAT 2 reach the supervisors on Slack', async () => {
		const wf = loadExample(EXAMPLE.detractorAlert);
		const { node, poller } = exampleTrigger(wf, credentials, triggerPatch());
		const poll = await poller.poll();
		expect(poll.error).toBeUndefined();
		// Scores only (the trigger's Score Submitted), test feedback left out.
		expect(poll.items.map((i) => [i.json.event, i.json.externalId, i.json.score]).sort()).toEqual([
			['score', 'case-1', 5],
			['score', 'case-2', 2],
			['score', 'case-3', 3],
			['score', 'case-4', 6],
			['score', 'case-5', 9],
		]);

		const result = await runWorkflow({ workflow: wf, credentials, startNode: node.name, startItems: poll.items });
		expect(result.error).toBeUndefined();
		expect(result.outputs['Detractor or low CSAT?'][1].map((i) => i.json.externalId).sort()).toEqual(['case-1', 'case-3', 'case-5']);
		const [slack] = result.received.of('Alert supervisors on Slack');
		expect(slack.items.map((i) => i.json.externalId).sort()).toEqual(['case-2', 'case-4']);
		const texts = Object.fromEntries(slack.items.map((item, i) => [item.json.externalId, String(slack.parameters[i].text)]));
		expect(texts['case-2']).toContain('*Low CSAT: 2 / 5*');
		expect(texts['case-2']).toContain('Case: case-2');
		// The comment came an hour after the score: the score's snapshot has none yet.
		expect(texts['case-2']).toContain('Comment: (none yet; comments can come later)');
		expect(texts['case-4']).toContain('*NPS detractor: 6 / 10*');
		expect(texts['case-4']).toContain(`Feedback ID: ${byCase['case-4']}`);
		expect(slack.parameters[0]).toMatchObject({ select: 'channel', channelId: { __rl: true, mode: 'name', value: '#cx-supervisors' } });

		const again = await poller.poll();
		expect(again.items).toEqual([]);
	});

	test('example 3: every score and every comment gives one row, matched on its Event ID', async () => {
		const wf = loadExample(EXAMPLE.sheetsLog);
		const { node, poller } = exampleTrigger(wf, credentials, triggerPatch());
		const poll = await poller.poll();
		expect(poll.error).toBeUndefined();
		expect(poll.items).toHaveLength(9);

		const result = await runWorkflow({ workflow: wf, credentials, startNode: node.name, startItems: poll.items });
		expect(result.error).toBeUndefined();
		const [sheets] = result.received.of('Append to the feedback log');
		const rows = sheets.parameters.map((p) => p.row as IDataObject);
		expect(rows.map((r) => `${r['Event']} ${r['Case ID']}`).sort()).toEqual([
			'comment case-1',
			'comment case-2',
			'comment case-5',
			'comment case-6',
			'score case-1',
			'score case-2',
			'score case-3',
			'score case-4',
			'score case-5',
		]);
		const row = (event: string, caseId: string) => rows.find((r) => r['Event'] === event && r['Case ID'] === caseId)!;
		expect(row('score', 'case-4')).toMatchObject({ Survey: 'NPS', Score: 6, Rating: 'detractor', Comment: '', 'Feedback ID': byCase['case-4'] });
		expect(row('comment', 'case-2')).toMatchObject({ Survey: 'CSAT', Score: 2, Rating: 'not satisfied', Comment: 'Took three days.' });
		expect(row('comment', 'case-6')).toMatchObject({ Score: '', Rating: '', Comment: 'No score, just this.' });
		expect(row('score', 'case-1')['Received At']).toMatch(/^\d{4}-\d\d-\d\dT/);
		expect(sheets.parameters[0]).toMatchObject({ operation: 'appendOrUpdate', sheetName: { mode: 'name', value: 'Feedback' } });
		// A delivered-again event updates its row: the sheet matches on the eventId.
		expect(row('score', 'case-4')['Event ID']).toBe(`${byCase['case-4']}:score`);
		expect(new Set(rows.map((r) => r['Event ID'])).size).toBe(rows.length);
		expect((wf.nodes.find((n) => n.name === 'Append to the feedback log')!.parameters.columns as IDataObject).matchingColumns).toEqual(['Event ID']);

		const again = await poller.poll();
		expect(again.items).toEqual([]);
	});

	test('example 4: the report of the last 7 days with both files, emailed to the supervisors with both attached', async () => {
		const wf = loadExample(EXAMPLE.weeklyReport);
		const result = await runWorkflow({
			workflow: wf,
			credentials,
			startItems: [scheduleItem(new Date())],
			patch: { "Get last week's report": { options: { minEventAgeHours: 0 } } },
		});
		expect(result.error).toBeUndefined();
		const [report] = result.outputs["Get last week's report"][0] as INodeExecutionData[];
		const figures = report.json as IDataObject & { overall: IDataObject; csat: IDataObject; nps: IDataObject; period: IDataObject };
		// Test feedback (case-7) is left out.
		expect(figures.overall).toMatchObject({ requestsSent: 6, scoresReceived: 5, commentsReceived: 4 });
		expect(figures.csat).toMatchObject({ requestsSent: 4, scoresReceived: 3, averageScore: 3.33 });
		expect(figures.nps).toMatchObject({ scoresReceived: 2, promoters: 1, detractors: 1, nps: 0 });
		expect(Date.parse(String(figures.period.to))).toBeGreaterThan(Date.now() - 60_000);
		expect(Object.keys(report.binary ?? {}).sort()).toEqual(['csv', 'dashboard']);
		expect(report.binary!.csv.mimeType).toBe('text/csv');
		expect(report.binary!.dashboard.mimeType).toBe('text/html');
		const csv = Buffer.from(report.binary!.csv.data, 'base64').toString('utf8');
		expect(csv.trim().split(/\r?\n/)).toHaveLength(1 + 6);
		expect(Buffer.from(report.binary!.dashboard.data, 'base64').toString('utf8')).toContain('Acme Support: customer feedback on X, last 7 days');

		const [email] = result.received.of('Email the supervisors');
		expect(email.items).toHaveLength(1);
		expect(email.parameters[0]).toMatchObject({
			toEmail: 'cx-supervisors@example.com',
			attached: ['csv', 'dashboard'],
			options: { fileAttachments: 'csv,dashboard', appendAttribution: false },
		});
		expect(email.parameters[0].subject).toMatch(/^Weekly customer feedback: CSAT 3\.3, NPS 0 \(\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\)$/);
		expect(email.parameters[0].html).toContain('6 surveys sent; 5 scores and 4 comments received');
		expect(email.items[0].binary).toEqual({
			csv: expect.objectContaining({ mimeType: 'text/csv', fileName: expect.stringMatching(/^feedback-report-\d{8}T\d{6}Z-\d{8}T\d{6}Z\.csv$/) }),
			dashboard: expect.objectContaining({ mimeType: 'text/html', fileName: expect.stringMatching(/\.html$/) }),
		});
	});
});

describe('real-time detractor alert (example 5): feedback/show on a bounded schedule instead of the day-late events', () => {
	const wf = loadExample(EXAMPLE.realtimeAlert);
	const MIN = 60_000;
	let customer: UserRecord;

	beforeEach(() => {
		emu.store.reset();
		// Send Request remembers whom it asked in n8n's de-duplication store.
		deduplicationStore.clear();
		[customer] = emu.store.addCustomers([{ screenName: 'rt_customer', name: 'Realtime Customer' }]);
	});
	afterEach(() => emu.store.clock.reset());

	/**
	 * The help desk closes case-5001 at `t0`; the customer's answers arrive `afterMs` after the survey.
	 * Each Wait moves the emulator's clock on by the time the real node would wait; answers whose
	 * time has come are given on the way.
	 */
	async function closeCase(answers: Array<{ afterMs: number; score?: number; text?: string }>) {
		const t0 = Date.UTC(2025, 2, 3, 9, 0, 0);
		emu.store.clock.freeze(true);
		emu.store.clock.set(t0);
		const pending = [...answers].sort((a, b) => a.afterMs - b.afterMs);
		const waits: Array<{ node: string; minutes: number; at: number }> = [];
		const result = await runWorkflow({
			workflow: wf,
			credentials,
			startItems: [webhookItem({ caseId: 'case-5001', userId: customer.id }, 'x-feedback/realtime-conversation-closed')],
			mode: 'webhook',
			onWait: (ms, node) => {
				const until = emu.store.clock.now() + ms;
				while (pending.length > 0 && t0 + pending[0].afterMs <= until) {
					const a = pending.shift()!;
					emu.store.clock.set(t0 + a.afterMs);
					const [id] = [...emu.store.feedback.records.keys()];
					emu.store.respond(id, { score: a.score, text: a.text });
				}
				emu.store.clock.set(until);
				waits.push({ node, minutes: ms / MIN, at: (until - t0) / MIN });
			},
		});
		const slack = result.received.of('Alert supervisors on Slack');
		const checks = result.run.data.resultData.runData['Check the answer']?.length ?? 0;
		return { result, waits, slack, checks, t0 };
	}

	test('a detractor (CSAT 2) who answers 40 minutes after the survey: alerted at the 1-hour check, 20 minutes after the score', async () => {
		const { result, waits, slack, checks } = await closeCase([{ afterMs: 40 * MIN, score: 2 }, { afterMs: 50 * MIN, text: 'Nobody read my messages.' }]);
		expect(result.error).toBeUndefined();
		expect(waits.map((w) => w.at)).toEqual([15, 60]);
		expect(checks).toBe(2);
		expect(slack).toHaveLength(1);
		const text = String(slack[0].parameters[0].text);
		expect(text).toContain('Low CSAT: 2 / 5');
		expect(text).toContain('Case: case-5001');
		expect(text).toContain('Comment: Nobody read my messages.');
		expect(slack[0].items[0].json).toMatchObject({ answered: true, score: 2, category: 'dissatisfied', detractor: true, externalId: 'case-5001' });
	});

	test('a satisfied customer (CSAT 5) right away: one check, no alert', async () => {
		const { result, waits, slack, checks } = await closeCase([{ afterMs: 5 * MIN, score: 5 }]);
		expect(result.error).toBeUndefined();
		expect(waits.map((w) => w.at)).toEqual([15]);
		expect(checks).toBe(1);
		expect(slack).toHaveLength(0);
		expect(result.outputs['Detractor?'][1]).toHaveLength(1);
	});

	test('no answer: checks at 15 min, 1 h, 4 h and 24 h, then the workflow stops (4 calls to feedback/show)', async () => {
		const { result, waits, slack, checks } = await closeCase([]);
		expect(result.error).toBeUndefined();
		expect(waits.map((w) => w.minutes)).toEqual([15, 45, 180, 1200]);
		expect(waits.map((w) => w.at)).toEqual([15, 60, 240, 1440]);
		expect(checks).toBe(4);
		expect(slack).toHaveLength(0);
		expect(result.outputs['Check again? (4 checks at most)'][1]).toHaveLength(1);
	});

	test('an answer after 24 hours is left to the reports: no fifth check', async () => {
		const { checks, slack } = await closeCase([{ afterMs: 30 * 60 * MIN, score: 1 }]);
		expect(checks).toBe(4);
		expect(slack).toHaveLength(0);
	});

	test('X answers 429: the check waits 15 minutes and tries again, without using up a scheduled check', async () => {
		emu.store.faults.add([{ kind: 'rateLimit', path: '/feedback/show/', count: 1 }]);
		const { result, waits, slack, checks } = await closeCase([{ afterMs: 10 * MIN, score: 1 }]);
		expect(result.error).toBeUndefined();
		expect(waits.map((w) => w.node)).toEqual(['Wait before checking', 'Rate limited: wait 15 min']);
		expect(checks).toBe(2);
		expect(slack).toHaveLength(1);
	});

	test('a check that fails for another reason stops the run with an error that says so, instead of looping', async () => {
		emu.store.faults.add([{ kind: 'expiredToken', path: '/feedback/show/', count: 1 }]);
		const { result, waits, checks } = await closeCase([]);
		expect(waits.map((w) => w.node)).toEqual(['Wait before checking']);
		expect(checks).toBe(1);
		expect(result.error?.message).toMatch(/^Checking feedback \d+ failed: Item 0: The X access token is invalid or expired/);
	});

	test('X keeps answering 429: 8 retries, then the run stops with the rate-limit error', async () => {
		emu.store.faults.add([{ kind: 'rateLimit', path: '/feedback/show/', count: 100 }]);
		const { result, waits } = await closeCase([]);
		expect(waits.filter((w) => w.node === 'Rate limited: wait 15 min')).toHaveLength(8);
		expect(result.error?.message).toMatch(/failed: Item 0: X rate limit reached/);
	});

	test("few calls left in the window (Get's rateLimit): the next wait lasts until the window resets", async () => {
		// X's window is 15 minutes, shorter than every wait after the first check, so the stretch
		// binds only with a longer window: 3 hours here. Other workflows used 170 of the 180 calls.
		const windowMs = emu.store.config.rateWindowMs;
		emu.store.config.rateWindowMs = 3 * HOUR;
		try {
			const originalOnWait = emu.store.limits.take.bind(emu.store.limits);
			let used = false;
			const key = `feedbackShow:${emu.credentials.userId}`;
			emu.store.limits.take = (k, rule, w, now) => {
				if (!used && k === key) {
					used = true;
					for (let i = 0; i < 170; i++) originalOnWait(k, rule, w, now);
				}
				return originalOnWait(k, rule, w, now);
			};
			const { result, waits } = await closeCase([]);
			expect(result.error).toBeUndefined();
			// 9 calls left after the first check: wait until the window resets, about 3 hours, not 45 minutes.
			expect(waits[1].minutes).toBeGreaterThanOrEqual(180);
			expect(waits[1].minutes).toBeLessThanOrEqual(182);
		} finally {
			emu.store.config.rateWindowMs = windowMs;
			delete (emu.store.limits as { take?: unknown }).take;
		}
	});
});

describe('real-time detractor alert through the webhook (example 6): webhook, Skip Seen Parts, recovery poll', () => {
	const wf = loadExample(EXAMPLE.webhookAlert);
	const AUTH = { user: 'x-feedback', password: 'Hq3!vN8#pZ5$wR2@kT7m' };
	const hookNode = wf.nodes.find((n) => n.type === WEBHOOK_TRIGGER_TYPE)!;

	test('a detractor reaches Slack once although X calls twice; a lost call is recovered from the event log, marked so', async () => {
		emu.store.reset();
		deduplicationStore.clear();
		const [ana, ben] = emu.store.addCustomers([{ screenName: 'wh_ana' }, { screenName: 'wh_ben' }]);
		const business = emu.store.accounts.business;
		const send = (to: UserRecord, caseId: string) =>
			emu.store.feedback.create(
				{ type: 'csat', fromUserId: business.id, toUserId: to.id, message: 'How did we do?', privacyUrl: 'https://example.com/privacy', externalId: caseId, questionVariantId: 0, test: false },
				emu.store.clock.nowSec(),
			).id;
		const harness = new WebhookHarness({ parameters: hookNode.parameters, basicAuth: AUTH });
		const calls: INodeExecutionData[][] = [];
		const server = await harness.serve((items) => calls.push(items));
		const { node: pollNode, poller } = exampleTrigger(wf, credentials, { options: { minEventAgeHours: 0 } });
		try {
			await poller.poll();
			const a = send(ana, 'case-6001');
			const b = send(ben, 'case-6002');
			emu.store.webhooks.register({ url: server.url, ...AUTH });
			await emu.store.webhooks.addFaults([{ kind: 'duplicate' }, { kind: 'drop' }]);
			emu.store.respond(a, { score: 1 });
			await emu.store.webhooks.idle();
			emu.store.respond(b, { score: 2 });
			await emu.store.webhooks.idle();
			expect(calls.map((items) => items.map((i) => i.json.eventId))).toEqual([[`${a}:score`], [`${a}:score`]]);

			const fromHook = await Promise.all(
				calls.map(async (items) => await runWorkflow({ workflow: wf, credentials, startNode: hookNode.name, startItems: items, mode: 'webhook', staticData: {} })),
			);
			const slackFromHook = fromHook.flatMap((r) => r.received.of('Alert supervisors on Slack').flatMap((s) => s.parameters.map((p) => String(p.text))));
			expect(slackFromHook).toHaveLength(1);
			expect(slackFromHook[0]).toContain('*Low CSAT: 1 / 5*');
			expect(slackFromHook[0]).toContain('Case: case-6001');
			expect(slackFromHook[0]).not.toContain('recovered');

			await new Promise((resolve) => setTimeout(resolve, 1100));
			const poll = await poller.poll();
			expect(poll.items.map((i) => [i.json.eventId, i.json.recovered]).sort()).toEqual([[`${a}:score`, true], [`${b}:score`, true]].sort());
			const recovered = await runWorkflow({ workflow: wf, credentials, startNode: pollNode.name, startItems: poll.items });
			expect(recovered.error).toBeUndefined();
			const slack = recovered.received.of('Alert supervisors on Slack').flatMap((s) => s.parameters.map((p) => String(p.text)));
			expect(slack).toHaveLength(1);
			expect(slack[0]).toContain('Case: case-6002');
			expect(slack[0]).toContain("(recovered from X's event log: the webhook call for it never arrived)");
		} finally {
			await emu.store.webhooks.idle();
			emu.store.webhooks.clear();
			await server.close();
		}
	});
});
