/** The README's commands and links must work as written. */
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const scripts = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;

const NPM_OWN = ['ci', 'install', 'pack', 'view'];

test("every npm command in the README is a script of the package (or one of npm's own)", () => {
	const commands = [...readme.matchAll(/npm (?:run )?([\w:-]+)/g)].map((m) => m[0]);
	expect(commands).toEqual(expect.arrayContaining(['npm ci', 'npm run demo', 'npm test']));
	for (const command of commands) {
		const [, verb, name] = command.split(' ');
		if (NPM_OWN.includes(verb)) continue;
		expect(scripts).toHaveProperty(verb === 'run' ? name : verb);
	}
});

test('the developer commands are exactly the two the brief promises', () => {
	const block = /## Develop\s+```bash\n([\s\S]*?)```/.exec(readme)?.[1].trim().split('\n');
	expect(block).toEqual(['npm ci && npm run demo', 'npm test']);
	expect(scripts.test).toContain('jest');
	expect(scripts.demo).toContain('examples/demo/run.ts');
});

test('every relative link and image in the README exists', () => {
	const targets = [...readme.matchAll(/\]\(((?!https?:)[^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]);
	expect(targets.length).toBeGreaterThan(5);
	for (const target of targets) expect(fs.existsSync(path.join(root, target))).toBe(true);
});
