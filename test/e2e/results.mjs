/**
 * The results table of `npm run test:e2e` (test/e2e/results.md): one row per recorded run, one
 * column per thing a user needs to work on that n8n version. Each column is read from the run's
 * checks: ✅ all passed, ❌ n of m failed, – none ran.
 */
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { ROOT } from './lib.mjs';

export const RESULTS_FILE = path.join(ROOT, 'test', 'e2e', 'results.md');

/** What each column shows, and which checks count for it. */
const COLUMNS = [
	['Loads', (r) => /^(node|credential) type .* is loaded$|^n8n logged no error loading/.test(r.name)],
	['Connects (browser)', (r) => /^browser: create the credential and "Connect"/.test(r.name)],
	['Connects (REST)', (r) => /^credential connects:|`test` request/.test(r.name)],
	['Examples import', (r) => /^import examples\//.test(r.name)],
	['Examples run', (r) => /^run examples\//.test(r.name)],
	['Trigger delivers', (r) => r.tags?.includes('trigger') || /Trigger panel/.test(r.name)],
	['Send works', (r) => r.tags?.includes('send')],
	['Editor panels', (r) => /^browser: (the node picker|"Send survey|"Weekly report")/.test(r.name)],
];

const HEADER = `# End-to-end runs in real n8n

\`npm run test:e2e -- <n8n version>\` (see [README.md](README.md)); \`--record\` (or E2E_RECORD=1) adds
its row here. ✅ every check of that column passed; ❌ *n*/*m* failed; – none ran. Skipped checks
(a workflow that needs Slack, SMTP or Google) are not failures.

| Date (UTC) | n8n | Node | ${COLUMNS.map(([c]) => c).join(' | ')} | Passed | Failed | Skipped | Duration |
|---|---|---|${COLUMNS.map(() => '---').join('|')}|---:|---:|---:|---:|
`;

function cell(results) {
	const ran = results.filter((r) => !r.skipped);
	if (ran.length === 0) return '–';
	const failed = ran.filter((r) => !r.ok).length;
	return failed === 0 ? `✅ ${ran.length}` : `❌ ${failed}/${ran.length}`;
}

export function resultsRow({ n8nVersion, nodeVersion, results, seconds, at = new Date() }) {
	const passed = results.filter((r) => r.ok && !r.skipped).length;
	const failed = results.filter((r) => !r.ok).length;
	const skipped = results.filter((r) => r.skipped).length;
	const cells = COLUMNS.map(([, match]) => cell(results.filter(match)));
	const minutes = `${Math.floor(seconds / 60)} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
	return `| ${at.toISOString().slice(0, 16).replace('T', ' ')} | ${n8nVersion} | ${nodeVersion} | ${cells.join(' | ')} | ${passed} | ${failed} | ${skipped} | ${minutes} |`;
}

export function recordRow(row) {
	if (!existsSync(RESULTS_FILE)) writeFileSync(RESULTS_FILE, HEADER);
	appendFileSync(RESULTS_FILE, `${row}\n`);
}
