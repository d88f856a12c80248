// `npm run scan`: n8n's own community package scanner, on what `npm pack` ships and on the source,
// as n8n's registry gate runs it (tarball: compiled .js and package.json; source: nodes, credentials).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'x-feedback-scan-'));

try {
	const packed = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' }),
	);
	const tarball = path.join(work, packed[0].filename);
	const unpacked = path.join(work, 'package');
	fs.mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
	const shipped = packed[0].files.map((f) => f.path);
	const strays = shipped.filter((p) => !/^(dist\/(nodes|credentials)\/|index\.js$|README\.md$|LICENSE$|package\.json$)/.test(p));
	const compiled = shipped.filter((p) => p.endsWith('.js'));

	const results = [
		['tarball', await analyzePackage(unpacked, ['**/*.js', 'package.json'])],
		['source', await analyzePackage(root, SOURCE_FILE_PATTERNS)],
	];
	let failed = strays.length > 0 || compiled.length === 0;
	console.log(`packed ${packed[0].filename}: ${shipped.length} files, ${(packed[0].size / 1024).toFixed(1)} KiB`);
	if (compiled.length === 0) console.log('FAIL tarball: no compiled files; run `npm run build` first');
	if (strays.length > 0) console.log(`FAIL tarball ships files n8n does not need: ${strays.join(', ')}`);
	for (const [what, result] of results) {
		console.log(`${result.passed ? 'ok  ' : 'FAIL'} ${what}: ${result.passed ? 'no errors' : result.message}`);
		if (result.details) console.log(result.details);
		failed ||= !result.passed;
	}
	process.exitCode = failed ? 1 : 0;
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
