/**
 * The offline demo: a week of customer feedback on X, run through the example workflows themselves.
 *
 * No X account and no n8n install: the X API is the in-process emulator (demo seed, minimum event
 * age 0) and each example's workflow JSON runs through n8n-core's WorkflowExecute, the same runner as
 * the tests (test/harness/runWorkflow.ts), with stand-ins for Slack, Google Sheets and email.
 *
 * The week happens in the past: the emulator's API clock is set back to each moment in turn while the
 * help desk closes conversations (example 1) and customers answer, then returns to now. The trigger
 * workflows (examples 2 and 3) are taken to have been active since the start of the week (their
 * Start From option), so their first poll today finds every score and comment since then; a second
 * poll finds nothing. Then one late answer arrives in real time and the next poll brings just that.
 * Finally the weekly report (example 4) runs and its CSV and HTML dashboard are written to disk.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startEmulator, type EmulatorState, type RunningEmulator } from '../../emulator/index';
import { EXAMPLE, emulatorCredentials, exampleTrigger, loadExample } from '../../test/harness/examples';
import type { TriggerHarness } from '../../test/harness/runTrigger';
import { runWorkflow, scheduleItem, webhookItem, type WorkflowJson } from '../../test/harness/runWorkflow';
import { median, runRealtimeCases, type RealtimeOutcome } from './realtimeAlert';
import { table } from './table';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export const DEFAULT_OUT_DIR = path.resolve(__dirname, '../../demo-output');

export interface DemoOptions {
	/** Where the report files go; default demo-output/ at the repository root. */
	outDir?: string;
	/** Receives each line of the narrative; default console.log. */
	print?: (line: string) => void;
}

export interface SurveyOutcome {
	caseId: string;
	customer: string;
	at: number;
	status: string;
	reason: string | null;
	feedbackId: string | null;
}

export interface DemoResult {
	/** The emulator's state as the demo left it (the emulator itself is stopped). */
	store: EmulatorState;
	/** Midnight (UTC) starting day 1 of the week: the triggers' Start From. */
	weekStartMs: number;
	surveys: SurveyOutcome[];
	/** Items each trigger emitted, poll by poll. */
	polls: { detractorAlert: IDataObject[][]; sheetsLog: IDataObject[][] };
	/** What the Slack stand-in was asked to post, and the rows the Sheets stand-in appended. */
	alerts: Array<{ item: IDataObject; text: string }>;
	rows: IDataObject[];
	report: { figures: IDataObject; csvPath: string; htmlPath: string; email: IDataObject };
	/** Example 5: each case, with minutes from score to Slack on both paths. */
	realtime: RealtimeOutcome[];
	/** The figure: median minutes from a detractor's score to the Slack message, both paths. */
	alertLatency: { realtimeMinutes: number | null; eventPathMinutes: number | null };
	elapsedMs: number;
}

/** This week's contacts, next to the demo seed's customers. */
const NEW_CUSTOMERS = [
	{ screenName: 'olivia_chen', name: 'Olivia Chen' },
	{ screenName: 'diego_alvarez', name: 'Diego Álvarez' },
	{ screenName: 'fatima_khan', name: 'Fatima Khan' },
	{ screenName: 'ben_carter', name: 'Ben Carter' },
	{ screenName: 'emma_wilson', name: 'Emma Wilson' },
	{ screenName: 'yuki_sato', name: 'Yuki Sato' },
];

interface Answer {
	/** After the survey was sent. */
	after: number;
	score?: number;
	comment?: string;
	viewed?: true;
}

interface Conversation {
	/** Day 1 to 4 of the week; day 4 is yesterday. */
	day: number;
	/** UTC time of day the agent closed it. */
	at: string;
	caseId: string;
	customer: string;
	/** How the help desk names the customer in its webhook call. */
	by: 'userId' | 'username';
	answers?: Answer[];
}

const WEEK: Conversation[] = [
	{ day: 1, at: '09:00', caseId: 'case-3001', customer: 'olivia_chen', by: 'username', answers: [{ after: HOUR, score: 5 }, { after: 3 * HOUR, comment: 'Fast and friendly, thank you!' }] },
	{ day: 1, at: '09:30', caseId: 'case-3002', customer: 'tom_hughes', by: 'username' },
	{
		day: 1,
		at: '11:00',
		caseId: 'case-3003',
		customer: 'diego_alvarez',
		by: 'userId',
		answers: [{ after: 2 * HOUR, score: 2 }, { after: 26 * HOUR, comment: 'I had to repeat my order number three times.' }],
	},
	{ day: 2, at: '10:00', caseId: 'case-3004', customer: 'fatima_khan', by: 'userId', answers: [{ after: 30 * MIN, score: 4 }] },
	{ day: 2, at: '14:00', caseId: 'case-3005', customer: 'ben_carter', by: 'username' },
	{ day: 3, at: '09:00', caseId: 'case-3006', customer: 'lea_martin', by: 'username' },
	{ day: 3, at: '10:00', caseId: 'case-3007', customer: 'olivia_chen', by: 'username' },
	{ day: 3, at: '15:00', caseId: 'case-3008', customer: 'emma_wilson', by: 'username', answers: [{ after: HOUR, score: 5 }, { after: 20 * HOUR, comment: 'Thanks, all sorted.' }] },
	{ day: 4, at: '11:00', caseId: 'case-3009', customer: 'yuki_sato', by: 'userId', answers: [{ after: 10 * MIN, viewed: true }] },
];

/** Ben answers today, after the first polls. */
const LATE_ANSWER = { caseId: 'case-3005', score: 1, comment: 'Still waiting for my refund.' };

const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `21 Nov 09:00` (UTC), for narrow tables. */
function at(ms: number | string): string {
	return when(ms).slice(4);
}

/** `Thu 20 Nov 09:00` (UTC). */
function when(ms: number | string): string {
	const d = new Date(ms);
	return `${WEEKDAY[d.getUTCDay()]} ${d.getUTCDate()} ${MONTH[d.getUTCMonth()]} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

const pct = (v: unknown) => (typeof v === 'number' ? `${Math.round(v)}%` : 'n/a');
const num = (v: unknown, digits = 1) => (typeof v === 'number' ? v.toFixed(digits) : 'n/a');
const signed = (v: unknown) => (typeof v === 'number' ? `${v > 0 ? '+' : ''}${Math.round(v)}` : 'n/a');
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
/** Relative to the working directory when inside it. */
const shortPath = (p: string) => (path.relative(process.cwd(), p).startsWith('..') ? p : path.relative(process.cwd(), p));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function tellTheWeek(print: (line: string) => void, outDir: string): Promise<Omit<DemoResult, 'elapsedMs'>> {
	const say = (...lines: string[]) => lines.forEach((l) => print(l));
	const heading = (title: string) => say('', `━━ ${title} ${'━'.repeat(Math.max(3, 96 - 4 - [...title].length))}`);

	const emu: RunningEmulator = await startEmulator({ minEventAgeMs: 0, seed: 'demo', port: 0 });
	try {
		const store = emu.store;
		const credentials = emulatorCredentials(emu);
		const survey = loadExample(EXAMPLE.survey);
		const detractorAlert = loadExample(EXAMPLE.detractorAlert);
		const sheetsLog = loadExample(EXAMPLE.sheetsLog);
		const weeklyReport = loadExample(EXAMPLE.weeklyReport);

		say(
			'X (Twitter) Customer Feedback for n8n: an offline week, run through the example workflows',
			`The X API is the local emulator at ${emu.baseUrl} (no X account). The workflows run in`,
			"n8n's own engine (n8n-core); Slack, Google Sheets and email are stand-ins that record what they",
			'would send.',
		);

		// ── The customers ────────────────────────────────────────────────────────────────────────
		store.addCustomers(NEW_CUSTOMERS);
		heading('The customers');
		const seeded = new Set(store.feedback.records.size > 0 ? [...store.feedback.records.values()].map((f) => f.toUserId) : []);
		say(
			`The demo seed has 8 customers and ${store.feedback.records.size} surveys from the past 6 days; this week adds ${NEW_CUSTOMERS.length} contacts.`,
			...table(store.accounts.customers(), [
				{ title: 'Customer', value: (c) => `@${c.screenName}` },
				{ title: 'Name', value: (c) => c.name },
				{ title: 'Accepts DMs', value: (c) => (c.canDm ? 'yes' : 'no') },
				{ title: 'Surveyed before', value: (c) => (seeded.has(c.id) ? 'yes' : '') },
			]),
		);

		// ── The week: conversations close, surveys go out, customers answer ─────────────────────
		const now = Date.now();
		const today = Math.floor(now / DAY) * DAY;
		const dayStart = (day: number) => today - (5 - day) * DAY;
		const weekStart = dayStart(1);
		const timeOf = (c: Conversation) => {
			const [h, m] = c.at.split(':').map(Number);
			return dayStart(c.day) + h * HOUR + m * MIN;
		};

		heading(`Example 1, survey when a conversation closes: ${when(weekStart).slice(0, 10)} to ${when(dayStart(4)).slice(0, 10)}`);
		say(
			'Each time an agent closes an X DM conversation, the help desk calls the webhook and the workflow',
			'sends a CSAT card with the case ID: automatically, no human in the loop. Customers who do not',
			'accept DMs are skipped (Check Can DM First), and so is anyone it asked in the last 7 days.',
		);
		type Step = { t: number; run: () => Promise<void> | void };
		const steps: Step[] = [];
		const surveys: SurveyOutcome[] = [];
		const feedbackOfCase = new Map<string, string>();
		const answered: Array<{ t: number; caseId: string; customer: string; what: string }> = [];
		const surveyStatic: IDataObject = {};
		for (const conversation of WEEK) {
			const t = timeOf(conversation);
			steps.push({
				t,
				run: async () => {
					const customer = store.accounts.byName(conversation.customer)!;
					const body: IDataObject = { caseId: conversation.caseId };
					if (conversation.by === 'userId') body.userId = customer.id;
					else body.username = `@${customer.screenName}`;
					const result = await runWorkflow({
						workflow: survey,
						credentials,
						startItems: [webhookItem(body, 'x-feedback/conversation-closed')],
						mode: 'webhook',
						staticData: surveyStatic,
					});
					if (result.error) throw result.error;
					const answer = result.received.of('Tell the help desk')[0].parameters[0].responseBody as IDataObject;
					surveys.push({
						caseId: conversation.caseId,
						customer: conversation.customer,
						at: t,
						status: String(answer.status),
						reason: (answer.reason as string | null) ?? null,
						feedbackId: (answer.feedbackId as string | null) ?? null,
					});
					if (answer.feedbackId) feedbackOfCase.set(conversation.caseId, String(answer.feedbackId));
				},
			});
			for (const a of conversation.answers ?? []) {
				steps.push({
					t: t + a.after,
					run: () => {
						const id = feedbackOfCase.get(conversation.caseId);
						if (!id) throw new Error(`no survey went out for ${conversation.caseId}`);
						if (a.viewed) store.touch(id, { kind: 'viewed' });
						else store.respond(id, { score: a.score, text: a.comment });
						const what = a.viewed ? 'opened the card, no answer' : a.score !== undefined ? `score ${a.score}` : `comment "${a.comment}"`;
						answered.push({ t: t + a.after, caseId: conversation.caseId, customer: conversation.customer, what });
					},
				});
			}
		}
		steps.sort((a, b) => a.t - b.t);
		for (const step of steps) {
			store.clock.set(step.t);
			await step.run();
		}
		store.clock.reset();

		say(
			'',
			...table(surveys, [
				{ title: 'Closed', value: (s) => when(s.at) },
				{ title: 'Case', value: (s) => s.caseId },
				{ title: 'Customer', value: (s) => `@${s.customer}` },
				{ title: 'Webhook names them by', value: (s) => (WEEK.find((c) => c.caseId === s.caseId)!.by === 'userId' ? 'user ID' : '@username') },
				{ title: 'Survey', value: (s) => s.status },
				{ title: 'Reason', value: (s) => s.reason ?? '' },
			]),
			'',
			'Customers answer when they like: a score first, a comment maybe later, maybe never.',
			...table(answered, [
				{ title: 'When', value: (a) => at(a.t) },
				{ title: 'Customer', value: (a) => `@${a.customer}` },
				{ title: 'Case', value: (a) => a.caseId },
				{ title: 'What', value: (a) => a.what, max: 56 },
			]),
		);

		// ── Today: the triggers poll ────────────────────────────────────────────────────────────
		heading('Today: the trigger workflows poll X');
		say(
			'On X, a score or comment reaches the trigger 24 hours after it was given: X\'s feedback events',
			'API serves events only once they are 24 hours old. The emulator here serves them at once',
			`(minimum event age 0). Examples 2 and 3 have been active since ${when(weekStart)} (Start From).`,
		);
		const triggerPatch = { options: { minEventAgeHours: 0, startFrom: new Date(weekStart).toISOString() } };
		const alertTrigger = exampleTrigger(detractorAlert, credentials, triggerPatch);
		const logTrigger = exampleTrigger(sheetsLog, credentials, triggerPatch);
		const polls: DemoResult['polls'] = { detractorAlert: [], sheetsLog: [] };
		const alerts: DemoResult['alerts'] = [];
		const rows: IDataObject[] = [];

		const pollBoth = async (): Promise<{ alert: INodeExecutionData[]; log: INodeExecutionData[] }> => {
			const alert = await pollOnce(alertTrigger.poller);
			const log = await pollOnce(logTrigger.poller);
			polls.detractorAlert.push(alert.map((i) => i.json));
			polls.sheetsLog.push(log.map((i) => i.json));
			return { alert, log };
		};
		const runAlerts = async (items: INodeExecutionData[]) => {
			if (items.length === 0) return;
			const result = await runWorkflow({ workflow: detractorAlert, credentials, startNode: alertTrigger.node.name, startItems: items });
			if (result.error) throw result.error;
			const posted = result.received.of('Alert supervisors on Slack')[0];
			const fresh = (posted?.items ?? []).map((item, i) => ({ item: item.json, text: String(posted.parameters[i].text) }));
			alerts.push(...fresh);
			say(`Example 2, detractor alert: ${plural(items.length, 'new score')}; ${fresh.length === 1 ? '1 goes' : `${fresh.length} go`} to the supervisors, not to the agent:`);
			for (const a of fresh) {
				const channel = (posted.parameters[0].channelId as IDataObject).value;
				say(...a.text.split('\n').map((line, i) => `  ${i === 0 ? `${String(channel)} ←` : ' '.repeat(String(channel).length + 2)} ${line}`));
			}
		};
		const runLog = async (items: INodeExecutionData[]) => {
			if (items.length === 0) return;
			const result = await runWorkflow({ workflow: sheetsLog, credentials, startNode: logTrigger.node.name, startItems: items });
			if (result.error) throw result.error;
			const appended = result.received.of('Append to the feedback log')[0].parameters.map((p) => p.row as IDataObject);
			rows.push(...appended);
			say(
				`Example 3, Google Sheets log: ${plural(appended.length, 'row')} appended to the sheet "Feedback":`,
				...table(appended, [
					{ title: 'Received At', value: (r) => at(String(r['Received At'])) },
					{ title: 'Event', value: (r) => r['Event'] },
					{ title: 'Survey', value: (r) => r['Survey'] },
					{ title: 'Score', value: (r) => r['Score'], align: 'right' },
					{ title: 'Rating', value: (r) => r['Rating'] },
					{ title: 'Comment', value: (r) => r['Comment'], max: 32 },
					{ title: 'Case ID', value: (r) => r['Case ID'] },
				]),
			);
		};

		const first = await pollBoth();
		say(
			'',
			`Poll 1 finds ${plural(first.alert.length, 'new score')} for example 2's trigger and ${plural(first.log.length, 'item')} (scores and comments)`,
			"for example 3's. A score and its comment are separate items; answers to earlier surveys count too.",
			'',
		);
		await runAlerts(first.alert);
		say('');
		await runLog(first.log);
		const second = await pollBoth();
		say('', `Poll 2, straight after: ${second.alert.length} and ${second.log.length} items. Each score and comment triggers exactly once.`);

		heading('Later today: a late answer');
		const benFeedback = feedbackOfCase.get(LATE_ANSWER.caseId)!;
		store.respond(benFeedback, { score: LATE_ANSWER.score });
		store.respond(benFeedback, { text: LATE_ANSWER.comment });
		say(
			`@ben_carter answers at last the survey for ${LATE_ANSWER.caseId}, sent ${when(timeOf(WEEK.find((c) => c.caseId === LATE_ANSWER.caseId)!))}:`,
			`score ${LATE_ANSWER.score}, "${LATE_ANSWER.comment}"`,
		);
		// The trigger reads only whole seconds that are over.
		await sleep(1000 - (Date.now() % 1000) + 150);
		const third = await pollBoth();
		say(`Poll 3: ${third.alert.length} and ${third.log.length} new items.`, '');
		await runAlerts(third.alert);
		say('');
		await runLog(third.log);
		const fourth = await pollBoth();
		say('', `Poll 4: ${fourth.alert.length} and ${fourth.log.length} items.`);

		// ── The weekly report ───────────────────────────────────────────────────────────────────
		heading('Example 4, weekly report to supervisors by email');
		say(
			'The Schedule Trigger fires (Mondays 08:00; here, now). Get Report reads the last 7 days: on X',
			'they would end 24 hours ago, here now (minimum event age 0). The email to the supervisors',
			'carries both files.',
		);
		const reportRun = await runWorkflow({
			workflow: weeklyReport,
			credentials,
			startItems: [scheduleItem(new Date())],
			patch: { [reportNodeName(weeklyReport)]: { options: { minEventAgeHours: 0 } } },
		});
		if (reportRun.error) throw reportRun.error;
		const [reportItem] = reportRun.outputs[reportNodeName(weeklyReport)][0];
		const figures = reportItem.json as IDataObject & Record<'overall' | 'csat' | 'nps' | 'period', IDataObject> & { groups: IDataObject[] };
		mkdirSync(outDir, { recursive: true });
		const csvPath = path.join(outDir, 'feedback-report.csv');
		const htmlPath = path.join(outDir, 'feedback-report.html');
		writeFileSync(csvPath, Buffer.from(reportItem.binary!.csv.data, 'base64'));
		writeFileSync(htmlPath, Buffer.from(reportItem.binary!.dashboard.data, 'base64'));
		const { overall, csat, nps, period } = figures;
		say(
			'',
			`  Period             ${when(Number(period.fromMs))} → ${when(Number(period.toMs))} UTC`,
			`  Surveys sent       ${overall.requestsSent}   scored in the period: ${overall.requestsScored} (response rate ${pct(overall.responseRatePct)})`,
			`  Received           ${overall.scoresReceived} scores, ${overall.commentsReceived} comments`,
			`  CSAT               ${num(csat.averageScore, 2)} / 5 average, ${pct(csat.satisfiedPct)} satisfied (4 or 5), ${csat.scoresReceived} scores`,
			`  NPS                ${signed(nps.nps)}: ${nps.promoters} promoters, ${nps.passives} passives, ${nps.detractors} detractors`,
			'',
			...table(figures.groups, [
				{ title: 'Day', value: (g) => g.label },
				{ title: 'Sent', value: (g) => (g.overall as IDataObject).requestsSent, align: 'right' },
				{ title: 'Scores', value: (g) => (g.overall as IDataObject).scoresReceived, align: 'right' },
				{ title: 'Comments', value: (g) => (g.overall as IDataObject).commentsReceived, align: 'right' },
				{ title: 'CSAT avg', value: (g) => num((g.csat as IDataObject).averageScore), align: 'right' },
				{ title: 'NPS', value: (g) => signed((g.nps as IDataObject).nps), align: 'right' },
			]),
		);
		const [email] = reportRun.received.of('Email the supervisors');
		const emailed = email.parameters[0];
		const attached = email.items[0].binary ?? {};
		say(
			'',
			`  Email to ${String(emailed.toEmail)}`,
			`    Subject: ${String(emailed.subject)}`,
			...(emailed.attached as string[]).map((name) => `    Attached: ${attached[name].fileName} (${attached[name].bytes.toLocaleString('en-US')} bytes, ${attached[name].mimeType})`),
			'',
			`  Written: ${shortPath(csvPath)}`,
			`           ${shortPath(htmlPath)} (open it in a browser)`,
		);

		// ── Example 5: the real-time detractor alert ─────────────────────────────────────────────
		heading('Example 5, real-time detractor alert: minutes, not a day');
		const tomorrow = today + DAY + 9 * HOUR;
		say(
			'The trigger path is a day late by design: X serves an event once it is 24 hours old. Example 5',
			'asks X for the card itself (feedback/show) 15 min, 1 h, 4 h and 24 h after the survey, and stops',
			`at the first score. Five conversations close ${when(tomorrow)} onwards (simulated clock):`,
		);
		const realtime = await runRealtimeCases(emu, credentials, loadExample(EXAMPLE.realtimeAlert), tomorrow);
		const minutes = (m: number | null) => (m === null ? '' : m < 120 ? `${Math.round(m)} min` : `${(m / 60).toFixed(1)} h`);
		say(
			'',
			...table(realtime, [
				{ title: 'Case', value: (r) => r.caseId },
				{ title: 'CSAT', value: (r) => r.score, align: 'right' },
				{ title: 'Scored after', value: (r) => minutes(r.afterMs / MIN), align: 'right' },
				{ title: 'Checks', value: (r) => r.checks, align: 'right' },
				{ title: 'Slack (this path)', value: (r) => (r.realtimeMinutes === null ? (r.score <= 2 ? 'none: after 24 h' : 'none: satisfied') : `+${minutes(r.realtimeMinutes)}`) },
				{ title: 'Slack (24-h event path)', value: (r) => (r.eventPathMinutes === null ? 'none: satisfied' : `+${minutes(r.eventPathMinutes)}`) },
			]),
		);
		const firstAlert = realtime.find((r) => r.slackText !== null);
		if (firstAlert) say('', `  The first alert, in #cx-supervisors at ${when(firstAlert.alertAt!)}:`, ...firstAlert.slackText!.split('\n').map((l) => `    ${l}`));
		const alerted = realtime.filter((r) => r.realtimeMinutes !== null);
		const alertLatency = {
			realtimeMinutes: median(alerted.map((r) => r.realtimeMinutes!)),
			eventPathMinutes: median(alerted.map((r) => r.eventPathMinutes!)),
		};
		say(
			'',
			`  Alert latency, median minutes from a detractor's score to the Slack message (${alerted.length} detractors`,
			`  scored within 24 h): ${alertLatency.realtimeMinutes} min on this path, ${alertLatency.eventPathMinutes} min (${((alertLatency.eventPathMinutes ?? 0) / 60).toFixed(1)} h) on the event path.`,
			`  feedback/show calls: ${realtime.reduce((n, r) => n + r.checks, 0)} for ${realtime.length} surveys (at most 4 each; the budget is 180 per 15 minutes).`,
		);

		return {
			store,
			weekStartMs: weekStart,
			surveys,
			polls,
			alerts,
			rows,
			report: { figures, csvPath, htmlPath, email: emailed },
			realtime,
			alertLatency,
		};
	} finally {
		await emu.close();
	}
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
	const started = Date.now();
	const print = options.print ?? ((line: string) => console.log(line));
	const result = await tellTheWeek(print, options.outDir ?? DEFAULT_OUT_DIR);
	const elapsedMs = Date.now() - started;
	print('');
	print(`Done: the emulator is stopped. The demo took ${(elapsedMs / 1000).toFixed(1)} s.`);
	return { ...result, elapsedMs };
}

async function pollOnce(poller: TriggerHarness): Promise<INodeExecutionData[]> {
	const result = await poller.poll();
	if (result.error) throw result.error;
	return result.items;
}

function reportNodeName(workflow: WorkflowJson): string {
	const node = workflow.nodes.find((n) => n.parameters.operation === 'getReport');
	if (!node) throw new Error('the weekly report example has no Get Report node');
	return node.name;
}
