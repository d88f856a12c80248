/**
 * Get Report: CSAT, NPS and response-rate figures for a period, for managers rather than the agents
 * who handled the cases (X offers businesses no screen for feedback results). One output item with
 * the figures, plus a CSV (one row per request) and a self-contained HTML dashboard on request.
 *
 * A thin shell around the pure report module: it reads the fields, streams every page of
 * feedback/events into the accumulator (bounded memory; rows only for the CSV) and attaches files.
 * X may stamp the event that brings a part hours before or after the part (announcements.ts), so the
 * listing reaches the event time tolerance before From and after To (within what X serves); the
 * accumulator counts each part once, by its own time, and nothing outside [From, To].
 */
import {
	NodeOperationError,
	updateDisplayOptions,
	type IBinaryKeyData,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { AnomalyLog } from '../../../shared/feedbackLog/anomalies';
import { DEFAULT_TOLERANCE } from '../../../shared/feedbackLog/announcements';
import { roundFigures } from '../../report/rounding';
import { createReport, renderDashboard, toCsv, type GroupBy, type ReportAccumulator, type ReportOptions } from '../../report';
import { booleanValue, checkedText, inputError, oneOf, optionalTextField, optionsParam } from '../../helpers/fieldChecks';
import { feedbackEventPages, readRange } from '../../helpers/eventListing';
import { dateRangeFields, includeTestOption, minEventAgeOption } from '../common.descriptions';

export const DEFAULT_TITLE = 'Customer feedback report';

const properties: INodeProperties[] = [
	...dateRangeFields({ start: 'Start of the report period (inclusive).', end: 'End of the report period (inclusive).', placeholders: true }),
	{
		displayName: 'Files',
		name: 'files',
		type: 'multiOptions',
		options: [
			{
				name: 'CSV (One Row per Request)',
				value: 'csv',
				description: 'Binary property "csv": one row per feedback request with a score, comment or request in the period (UTF-8, opens in Excel)',
			},
			{
				name: 'HTML Dashboard',
				value: 'dashboard',
				description: 'Binary property "dashboard": one self-contained page (no scripts, loads nothing) to email or share with supervisors',
			},
		],
		default: [],
		description: 'Files to attach to the output item as binary data, named feedback-report-FROM-TO.csv or .html (times in UTC, e.g. 20250303T000000Z)',
	},
	{
		// Shown only once the CSV is chosen: it is about the CSV alone.
		displayName:
			'Very large periods make large CSV files: the CSV has one row per request, so it grows with the data. The figures and the dashboard do not.',
		name: 'largeCsvNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { files: ['csv'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'External ID Prefixes',
				name: 'externalIdPrefixes',
				type: 'string',
				default: '',
				placeholder: 'e.g. TEAM-A-, TEAM-B-',
				description:
					"Count only feedback whose External ID starts with one of these (comma-separated), e.g. a team's cases. With External IDs too, feedback that matches either counts.",
			},
			{
				displayName: 'External IDs',
				name: 'externalIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. case-1001, case-1002',
				description: 'Count only feedback whose External ID is one of these (comma-separated)',
			},
			{
				displayName: 'Group By',
				name: 'groupBy',
				type: 'options',
				options: [
					{ name: 'None', value: 'none' },
					{ name: 'Day', value: 'day', description: 'UTC days' },
					{ name: 'Week', value: 'week', description: 'ISO weeks, Monday first (UTC)' },
				],
				default: 'none',
				description: 'Also split the figures by day or week, for a trend (the groups output field and the dashboard chart)',
			},
			includeTestOption('count'),
			minEventAgeOption,
			{
				displayName: 'Title',
				name: 'title',
				type: 'string',
				default: DEFAULT_TITLE,
				description: 'Heading of the HTML dashboard',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['feedback'], operation: ['getReport'] } }, properties);

type FileKind = 'csv' | 'dashboard';

/** A comma-separated list of IDs (or an array of them from an expression), entries trimmed, empty ones dropped. */
function listOption(ctx: IExecuteFunctions, itemIndex: number, field: string, value: unknown): string[] {
	const entries = Array.isArray(value)
		? value.map((v) => checkedText(ctx, itemIndex, field, v, 'id'))
		: checkedText(ctx, itemIndex, field, value, 'id').split(',');
	return entries.map((entry) => entry.trim()).filter((entry) => entry !== '');
}

function readFiles(ctx: IExecuteFunctions, itemIndex: number): Set<FileKind> {
	const raw = ctx.getNodeParameter('files', itemIndex, []) as unknown;
	const values = Array.isArray(raw) ? raw : listOption(ctx, itemIndex, 'Files', raw);
	return new Set(values.map((value) => oneOf(ctx, itemIndex, 'Files', value, ['csv', 'dashboard'] as const)));
}

/** The accumulator, its RangeErrors turned into errors that name the field and the item. */
function startReport(ctx: IExecuteFunctions, itemIndex: number, options: ReportOptions): ReportAccumulator {
	try {
		return createReport(options);
	} catch (error) {
		if (!(error instanceof RangeError)) throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
		const field = /group/i.test(error.message) ? 'Group By' : 'From';
		const problem = error.message.charAt(0).toLowerCase() + error.message.slice(1);
		throw inputError(ctx, itemIndex, field, `does not fit: ${problem}`);
	}
}

/** `20250303T000000Z`: ISO 8601 basic format, safe in file names on every system. */
function fileStamp(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const range = readRange(this, itemIndex, Date.now());
	const files = readFiles(this, itemIndex);
	const options = optionsParam(this, itemIndex);
	const groupBy = oneOf(this, itemIndex, 'Group By', options.groupBy ?? 'none', ['none', 'day', 'week'] as const);
	const title = optionalTextField(this, itemIndex, 'Title', options.title)?.trim() || DEFAULT_TITLE;

	const anomalies = new AnomalyLog();
	const report = startReport(this, itemIndex, {
		fromMs: range.fromMs,
		toMs: range.toMs,
		...(groupBy === 'none' ? {} : { groupBy: groupBy as GroupBy }),
		includeTest: booleanValue(this, itemIndex, 'Include Test Feedback', options.includeTest, false),
		externalIdPrefixes: listOption(this, itemIndex, 'External ID Prefixes', options.externalIdPrefixes),
		externalIds: listOption(this, itemIndex, 'External IDs', options.externalIds),
		keepRows: files.has('csv'),
		anomalies,
	});

	const listing = {
		fromMs: Math.max(0, range.fromMs - DEFAULT_TOLERANCE.beforeMs),
		toMs: Math.min(range.toMs + DEFAULT_TOLERANCE.afterMs, range.latestMs),
	};
	for await (const events of feedbackEventPages(this, listing, itemIndex, anomalies)) report.addPage(events.map((e) => e.event));

	const { rows, ...counted } = report.finish();
	// Events and parts X sent that could not be counted at all, by reason (ignoredParts counts parts
	// that were read but fit no scale or type).
	const figures = { ...counted, setAsideEvents: anomalies.summary() };
	const binary: IBinaryKeyData = {};
	const baseName = `feedback-report-${fileStamp(range.fromMs)}-${fileStamp(range.toMs)}`;
	if (files.has('csv')) {
		const csv = toCsv(rows ?? [], { bom: true });
		binary.csv = await this.helpers.prepareBinaryData(Buffer.from(csv, 'utf8'), `${baseName}.csv`, 'text/csv');
	}
	if (files.has('dashboard')) {
		const html = renderDashboard({ ...figures }, { title, generatedAt: Date.now() });
		binary.dashboard = await this.helpers.prepareBinaryData(Buffer.from(html, 'utf8'), `${baseName}.html`, 'text/html');
	}
	return [{ json: roundFigures(figures) as unknown as IDataObject, ...(files.size > 0 ? { binary } : {}) }];
}
