/**
 * Opt-in: the examples against the real n8n-nodes-base, when one is installed somewhere (it is not a
 * dependency of this package). Point N8N_NODES_BASE_DIR at it, e.g. the one `npm run n8n` installs:
 *
 *   N8N_NODES_BASE_DIR=.n8n-e2e/n8n-2.41.1/node_modules/n8n-nodes-base npx jest test/examples/realNodes
 *
 * Checks what n8n's editor checks when a workflow is opened (every parameter is one the node shows
 * for its version and settings, nothing required is missing, the version is the current one), and
 * that the real IF node routes the examples' items exactly as the harness stand-in does.
 */
import { deduplicationStore } from '../harness/memoryDeduplicator';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { NodeHelpers, type IDataObject, type INode, type INodeType, type INodeTypeDescription, type IVersionedNodeType } from 'n8n-workflow';

import { startEmulator, type RunningEmulator } from '../../emulator/index';
import { EXAMPLE, emulatorCredentials, exampleFiles, loadExample } from '../harness/examples';
import { runWorkflow, webhookItem } from '../harness/runWorkflow';
import { STAND_IN } from '../harness/standIns';

const BASE_DIR = process.env.N8N_NODES_BASE_DIR ? path.resolve(process.env.N8N_NODES_BASE_DIR) : undefined;

/** Where each n8n-nodes-base type the examples use lives in the package. */
const MODULES: Record<string, string> = {
	[STAND_IN.webhook]: 'Webhook/Webhook',
	[STAND_IN.respondToWebhook]: 'RespondToWebhook/RespondToWebhook',
	[STAND_IN.if]: 'If/If',
	[STAND_IN.slack]: 'Slack/Slack',
	[STAND_IN.googleSheets]: 'Google/Sheet/GoogleSheets',
	[STAND_IN.scheduleTrigger]: 'Schedule/ScheduleTrigger',
	[STAND_IN.emailSend]: 'EmailSend/EmailSend',
	[STAND_IN.stickyNote]: 'StickyNote/StickyNote',
	[STAND_IN.manualTrigger]: 'ManualTrigger/ManualTrigger',
};

function realNode(type: string): { current: number; at: (version: number) => INodeType | undefined } {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const mod = require(path.join(BASE_DIR!, 'dist/nodes', `${MODULES[type]}.node.js`)) as Record<string, new () => INodeType | IVersionedNodeType>;
	const instance = new (Object.values(mod)[0])();
	if ('nodeVersions' in instance) {
		return {
			current: Number(instance.description.defaultVersion ?? Math.max(...Object.keys(instance.nodeVersions).map(Number))),
			at: (version) => instance.nodeVersions[version] as INodeType | undefined,
		};
	}
	const versions = [instance.description.version].flat();
	return { current: Math.max(...versions), at: (version) => (versions.includes(version) ? instance : undefined) };
}

const isPlainObject = (v: unknown): v is IDataObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A real node's description (version `version`) and its current version, read in a plain Node
 * process: some nodes (Slack, Send Email) pull in ESM-only packages that jest's loader cannot require.
 */
function realDescription(type: string, version: number): { current: number; description: INodeTypeDescription | null } {
	const script = `
		const instance = new (Object.values(require(process.argv[1]))[0])();
		const version = Number(process.argv[2]);
		let current, description = null;
		if (instance.nodeVersions) {
			current = Number(instance.description.defaultVersion ?? Math.max(...Object.keys(instance.nodeVersions).map(Number)));
			description = instance.nodeVersions[version]?.description ?? null;
		} else {
			const versions = [].concat(instance.description.version);
			current = Math.max(...versions);
			description = versions.includes(version) ? instance.description : null;
		}
		process.stdout.write(JSON.stringify({ current, description }));
	`;
	const file = path.join(BASE_DIR!, 'dist/nodes', `${MODULES[type]}.node.js`);
	return JSON.parse(execFileSync(process.execPath, ['-e', script, file, String(version)], { encoding: 'utf8', maxBuffer: 64 << 20 })) as {
		current: number;
		description: INodeTypeDescription | null;
	};
}

/** Keys of `given` that n8n dropped, as paths (values of filters, mappers and locators are the node's business). */
function dropped(given: IDataObject, kept: IDataObject | null, at = ''): string[] {
	return Object.entries(given).flatMap(([key, value]) => {
		if (!kept || !(key in kept)) return [`${at}${key}`];
		if (isPlainObject(value) && !('__rl' in value) && !('conditions' in value) && !('mappingMode' in value)) {
			return dropped(value, kept[key] as IDataObject, `${at}${key}.`);
		}
		return [];
	});
}

const describeReal = BASE_DIR ? describe : describe.skip;

/**
 * The examples import into n8n 1.123 too, so they use the newest version of a node that 1.123
 * also has where 2.x added versions (Slack 2.5-2.7, Schedule Trigger 1.4).
 */
const NEWEST_IN_1_123: Record<string, number> = { 'n8n-nodes-base.slack': 2.4, 'n8n-nodes-base.scheduleTrigger': 1.3 };

/** Options an older n8n does not have (and drops): n8n 1.x's Send Email 2.1 names its one attachment option "Attachments". */
const OPTION_ONLY_IN_2X = ['options.fileAttachments'];

describeReal(`the examples against the real n8n-nodes-base (${BASE_DIR ?? 'skipped: set N8N_NODES_BASE_DIR to an installed n8n-nodes-base, e.g. after npm run n8n'})`, () => {
	test.each(exampleFiles())('%s: versions, every parameter shown for its settings, nothing required missing', (file) => {
		for (const node of loadExample(file).nodes.filter((n) => n.type in MODULES)) {
			const { current, description } = realDescription(node.type, node.typeVersion);
			const expected = Math.min(current, NEWEST_IN_1_123[node.type] ?? current);
			expect({ node: node.name, version: node.typeVersion }).toEqual({ node: node.name, version: expected });
			expect(description).not.toBeNull();
			const { properties } = description!;
			const full = NodeHelpers.getNodeParameters(properties, node.parameters, true, false, node as INode, description!);
			const hasOption = (name: string) =>
				properties.some((p) => p.name === 'options' && ((p.options ?? []) as Array<{ name: string }>).some((o) => o.name === name));
			const lost = dropped(node.parameters as IDataObject, full as IDataObject).filter(
				(p) => !(OPTION_ONLY_IN_2X.includes(p) && !hasOption(p.split('.')[1])),
			);
			expect({ node: node.name, dropped: lost }).toEqual({ node: node.name, dropped: [] });
			const issues = NodeHelpers.getNodeParametersIssues(properties, { ...(node as INode), parameters: full ?? {} }, description!);
			expect({ node: node.name, issues }).toEqual({ node: node.name, issues: null });
		}
	});

	test('the real IF routes example 2 exactly as the stand-in does', async () => {
		const wf = loadExample(EXAMPLE.detractorAlert);
		const score = (type: string, value: number, i: number) => ({
			event: 'score',
			feedbackId: String(1000 + i),
			type,
			score: value,
			comment: null,
			submittedAt: '2025-03-03T10:00:00.000Z',
			requestedAt: '2025-03-03T09:00:00.000Z',
			externalId: `case-${i}`,
			recipientId: '1600000000000000001',
			questionVariantId: 0,
			test: false,
			...(type === 'nps' ? { npsCategory: value >= 9 ? 'promoter' : value >= 7 ? 'passive' : 'detractor' } : { csatSatisfied: value >= 4 }),
		});
		const items = [
			...[0, 6, 7, 9, 10].map((v, i) => score('nps', v, i)),
			...[1, 2, 3, 4, 5].map((v, i) => score('csat', v, 10 + i)),
		];
		const credentials = { baseUrl: 'http://127.0.0.1:9', consumerKey: 'k', consumerSecret: 's', accessToken: 't', accessTokenSecret: 'u' };
		const ifNode = wf.nodes.find((n) => n.type === STAND_IN.if)!;
		const run = async (nodeTypes?: Record<string, INodeType>) =>
			(await runWorkflow({ workflow: wf, credentials, startItems: items, nodeTypes })).outputs[ifNode.name].map((out) =>
				out.map((i) => i.json.externalId),
			);
		const real = await run({ [STAND_IN.if]: realNode(STAND_IN.if).at(ifNode.typeVersion)! });
		expect(real).toEqual(await run());
		expect(real[0]).toEqual(['case-0', 'case-1', 'case-10', 'case-11']);
	});

	describe('example 1 with the real IF', () => {
		let emu: RunningEmulator;
		beforeAll(async () => {
			emu = await startEmulator({ minEventAgeMs: 0 });
		});
		afterAll(async () => {
			await emu.close();
		});

		test('a user ID and a @username take the same branches as with the stand-in', async () => {
			const wf = loadExample(EXAMPLE.survey);
			const ifNode = wf.nodes.find((n) => n.type === STAND_IN.if)!;
			const realIf = { [STAND_IN.if]: realNode(STAND_IN.if).at(ifNode.typeVersion)! };
			const branch = async (body: IDataObject, nodeTypes?: Record<string, INodeType>) => {
				emu.store.reset();
				deduplicationStore.clear();
				const [customer] = emu.store.addCustomers([{ screenName: 'someone' }]);
				const filled = { ...body, ...(body.userId === 'ID' ? { userId: customer.id } : {}) };
				const result = await runWorkflow({
					workflow: wf,
					credentials: emulatorCredentials(emu),
					startItems: [webhookItem(filled, 'x')],
					mode: 'webhook',
					nodeTypes,
				});
				expect(result.error).toBeUndefined();
				return result.outputs[ifNode.name].map((out) => out.length);
			};
			for (const body of [{ caseId: 'c1', userId: 'ID' }, { caseId: 'c2', username: '@someone' }, { caseId: 'c3', userId: '', username: 'someone' }]) {
				expect(await branch(body, realIf)).toEqual(await branch(body));
			}
			expect(await branch({ caseId: 'c1', userId: 'ID' }, realIf)).toEqual([1, 0]);
			expect(await branch({ caseId: 'c2', username: '@someone' }, realIf)).toEqual([0, 1]);
		});
	});
});
