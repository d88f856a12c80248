/**
 * The packed tarball installed as a user installs it by hand (`npm install <tgz>` in `~/.n8n/nodes`),
 * then every file of package.json's `n8n` block loaded the way n8n loads it: required, its class
 * made, its icons found beside it. The tarball holds nothing that points nowhere (source maps of
 * sources it does not ship, declaration files no one reads). Needs `npm run build` first, as
 * `npm test` does.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
let work: string;
let installed: string;
let shipped: string[];

beforeAll(() => {
	if (!existsSync(path.join(root, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
	work = mkdtempSync(path.join(tmpdir(), 'x-feedback-install-'));
	const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' })) as Array<{ filename: string; files: Array<{ path: string }> }>;
	shipped = packed.files.map((f) => f.path);
	const nodesDir = path.join(work, 'home', '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }));
	// n8n provides n8n-workflow (the package's one peer); the install needs nothing from the network.
	execFileSync('npm', ['install', path.join(work, packed.filename), '--omit=peer', '--ignore-scripts', '--no-audit', '--no-fund', '--offline'], { cwd: nodesDir, encoding: 'utf8' });
	installed = path.join(nodesDir, 'node_modules', 'n8n-nodes-x-customer-feedback');
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

test('the tarball ships compiled code, icons and codex files, and nothing that points nowhere', () => {
	expect(shipped.filter((f) => f.endsWith('.map') || f.endsWith('.d.ts'))).toEqual([]);
	expect(shipped.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
	expect(shipped).toEqual(expect.arrayContaining(['package.json', 'index.js', 'README.md', 'LICENSE']));
});

test('the installed package has no runtime dependencies to fetch', () => {
	const pkg = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { dependencies?: object; peerDependencies?: object };
	expect(pkg.dependencies ?? {}).toEqual({});
	expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
});

test("every file in package.json's n8n block loads, makes its class, and finds its icons", () => {
	const pkg = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { n8n: { credentials: string[]; nodes: string[] } };
	const files = [...pkg.n8n.credentials, ...pkg.n8n.nodes];
	expect(files.length).toBeGreaterThanOrEqual(3);
	// A fresh process, as n8n's loader: the package's own folder, n8n-workflow from n8n (here: the repository's).
	const probe = `
		const path = require('path'), fs = require('fs');
		const out = [];
		for (const file of JSON.parse(process.argv[1])) {
			const full = path.join(process.argv[2], file);
			const exported = require(full);
			const name = path.basename(file).split('.')[0];
			const made = new exported[name]();
			const described = made.description ?? made;
			const icons = [described.icon].flat().filter(Boolean).flatMap((i) => typeof i === 'string' ? [i] : Object.values(i));
			const missing = icons.map((i) => String(i).replace(/^file:/, '')).filter((i) => !fs.existsSync(path.join(path.dirname(full), i)));
			const codex = file.endsWith('.node.js') ? fs.existsSync(full.replace(/\\.js$/, '.json')) : true;
			out.push({ file, name: described.name, missing, codex });
		}
		console.log(JSON.stringify(out));
	`;
	const out = JSON.parse(
		execFileSync(process.execPath, ['-e', probe, JSON.stringify(files), installed], { encoding: 'utf8', env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') } }),
	) as Array<{ file: string; name: string; missing: string[]; codex: boolean }>;
	expect(out.map((o) => o.file)).toEqual(files);
	for (const o of out) {
		expect(o.name).toMatch(/^xCustomerFeedback/);
		expect(o.missing).toEqual([]);
		expect(o.codex).toBe(true);
	}
});

test("the package entry (index.js) loads and hands on a class for every file of the n8n block", () => {
	const pkg = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { n8n: { credentials: string[]; nodes: string[] } };
	const names = JSON.parse(
		execFileSync(process.execPath, ['-e', `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(installed)}))))`], {
			encoding: 'utf8',
			env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') },
		}),
	) as string[];
	const expected = [...pkg.n8n.credentials, ...pkg.n8n.nodes].map((f) => path.basename(f).split('.')[0]);
	expect(names.sort()).toEqual(expected.sort());
});
