/** The results as a Markdown table (printed, and written next to results.json for BENCHMARKS.md). */
import type { BenchResults } from './run';

type Row = [figure: string, value: string, goal: string, met: string];

const fmt = (v: number | undefined, digits = 2): string => (v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(digits));
const int = (v: number | undefined): string => (v === undefined || Number.isNaN(v) ? 'n/a' : Math.round(v).toLocaleString('en-US'));
const verdict = (ok: boolean | undefined): string => (ok === undefined ? '' : ok ? 'yes' : '**no**');

export function resultsTable(r: BenchResults): string {
	const rows: Row[] = [];
	const d = r.drain;
	if (d) {
		rows.push(
			[`Drain ${int(d.events)} events: trigger time ÷ floor time`, fmt(d.drainRatio), '≤ 1.3', verdict(d.drainRatio <= 1.3)],
			['… n8n floor (n8n-core request path, no product code) ÷ floor', fmt(d.n8nFloorRatio), '', ''],
			['… trigger ÷ n8n floor (what the product adds)', fmt(d.productOverN8nRatio), '≤ 1.25', verdict(d.productOverN8nRatio <= 1.25)],
			['…… n8n floor reading each answer as a stream, as a size cap needs (n8n-core and axios only) ÷ n8n floor', fmt(d.n8nStreamFloorRatio), '', ''],
			['…… trigger ÷ that stream floor (the product\'s own code)', fmt(d.productOverStreamFloorRatio), '', ''],
			['Drain: events per second (trigger / floor)', `${int(d.eventsPerSecond)} / ${int(d.floorEventsPerSecond)}`, '', ''],
			[`Drain: HTTP requests ÷ minimum (${int(d.minimumRequests)} pages)`, fmt(d.requestRatio), '1.00', verdict(d.requestRatio === 1)],
			[
				`Drain: saved state (without the items in flight) after ${int(d.events)} events in 30 days / ${int(d.smallHistoryEvents)} in 3 days (bytes)`,
				`${int(d.stateBytes)} / ${int(d.stateBytesSmallHistory)}`,
				// The state holds the parts given within the event time tolerance (6 h) behind the newest
				// event read: at the same rate of feedback, the same size whatever the history's length.
				'≈ the same (6 h of parts, not the history)',
				verdict(d.stateBytes <= 1.25 * d.stateBytesSmallHistory + 1024),
			],
			[`Drain: peak RSS growth / heap kept after GC (MiB), fresh process${d.memoryProbeCompiled ? '' : ', under ts-node'}`, `${fmt(d.peakRssMb, 1)} / ${fmt(d.retainedHeapMb, 1)}`, '', ''],
			[`Drain: ${int(d.parts)} parts each out once, in ${fmt(d.pollsPerDrain, 0)} polls`, d.allPartsOnce ? 'yes' : 'no', 'yes', verdict(d.allPartsOnce)],
		);
	}
	const rate = r.rate;
	if (rate) {
		rows.push(
			[
				`Rate: share of each window's budget used (median / lowest of ${rate.fullWindows.length} full windows)`,
				`${fmt(rate.budgetShare)} / ${fmt(rate.budgetShareMin)}`,
				'≥ 0.95',
				verdict(rate.budgetShareMin >= 0.95),
			],
			['Rate: calls made ÷ calls allowed over the whole time (poll schedule and reset-second lag included)', fmt(rate.budgetThroughputShare), '', ''],
			['Rate: 429s received', int(rate.rateLimited429), '0', verdict(rate.rateLimited429 === 0)],
			[`Rate: ${int(rate.events)} events each part out once`, rate.allPartsOnce ? 'yes' : `no (${rate.missing} missing, ${rate.repeated} repeated)`, 'yes', verdict(rate.allPartsOnce)],
		);
	}
	const s = r.send;
	if (s) {
		rows.push(
			[`Send ${int(s.items)} items: HTTP requests per item, can_dm check on / off`, `${fmt(s.requestsPerItemWithCheck)} / ${fmt(s.requestsPerItemWithoutCheck)}`, '2 / 1', verdict(s.requestsPerItemWithCheck === 2 && s.requestsPerItemWithoutCheck === 1)],
			['Send: time per item ÷ floor time per feedback/create, check on / off', `${fmt(s.timeRatioWithCheck)} / ${fmt(s.timeRatioWithoutCheck)}`, '', ''],
			['Send: ms per item, check on / off / floor per create', `${fmt(s.msPerItemWithCheck, 3)} / ${fmt(s.msPerItemWithoutCheck, 3)} / ${fmt(s.floorMsPerCreate, 3)}`, '', ''],
			['Send: every item sent once (creates in the store = items)', s.allSentOnce ? 'yes' : 'no', 'yes', verdict(s.allSentOnce)],
		);
	}
	const rep = r.report;
	if (rep) {
		rows.push(
			[`Get Report over ${int(rep.events)} events: time ÷ drain floor, figures only / with CSV + dashboard`, `${fmt(rep.reportRatio)} / ${fmt(rep.reportWithFilesRatio)}`, '', ''],
			['Get Report: peak RSS growth (MiB), figures only / with files', `${fmt(rep.reportPeakRssMb, 1)} / ${fmt(rep.reportWithFilesPeakRssMb, 1)}`, '', ''],
			['Get Report: heap kept after GC (MiB), figures only / with files', `${fmt(rep.reportRetainedHeapMb, 1)} / ${fmt(rep.reportWithFilesRetainedHeapMb, 1)}`, '', ''],
			['Get Report: HTTP requests / floor requests', `${int(rep.reportRequests)} / ${int(rep.floorRequests)}`, '', ''],
		);
	}
	const e = r.emulator;
	if (e) {
		rows.push(
			[`Emulator: events pages served per second (${e.concurrency} concurrent, ${fmt(e.eventsPerPage, 0)} events each)`, int(e.pagesPerSecond), '', ''],
			['Emulator: CPU busy share meanwhile / pages per second per busy core', `${fmt(e.emulatorBusyShare)} / ${int(e.emulatorCapacityPagesPerSecond)}`, '', ''],
		);
	}
	const m = r.machine;
	const head = '| Figure | Value | Goal | Met |\n|---|---|---|---|\n';
	const body = rows.map((row) => `| ${row.join(' | ')} |`).join('\n');
	const foot =
		`\n\nMachine: ${m.cores} cores ${m.cpuModel}, ${m.totalMemoryGb} GiB, Node ${m.node}, ${m.platform}; ` +
		`load average ${m.loadAverageAtStart.join(' ')} at the start, ${m.loadAverageAtEnd.join(' ')} at the end. ` +
		`Runs: ${r.config.runs} (medians). Bench took ${r.durationSeconds} s.\n`;
	return head + body + foot;
}
