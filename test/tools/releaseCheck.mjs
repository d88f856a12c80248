// The release workflow's gate: the tag it runs for (v1.2.3), package.json's version and a
// CHANGELOG.md heading for that version must agree, or nothing is published.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tag = process.argv[2] ?? '';
const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const changelog = fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');
const problems = [];
if (!/^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(tag)) problems.push(`the tag "${tag}" is not vMAJOR.MINOR.PATCH`);
else if (tag.slice(1) !== version) problems.push(`the tag ${tag} is not package.json's version ${version}`);
if (!changelog.includes(`## [${version}]`)) problems.push(`CHANGELOG.md has no "## [${version}]" section`);
if (problems.length > 0) {
	console.error(`release check failed: ${problems.join('; ')}`);
	process.exit(1);
}
console.log(`release check: ${tag} = package.json ${version}, CHANGELOG.md has it`);
