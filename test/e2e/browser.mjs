/**
 * The browser half of the end-to-end test: Debian's Chromium, headless, driven by playwright-core,
 * doing what a person does in the n8n editor. Screenshots of what matters go to the git-ignored
 * test/e2e/screenshots/n8n-<version>/ (docs/images/ only with --update-docs-images or
 * E2E_UPDATE_DOCS_IMAGES=1); a screenshot of every failed step goes there too, as *-failed.png.
 *
 * Selectors are n8n 2.41's data-test-id attributes (the ones n8n's own Playwright tests use).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { assert } from './checks.mjs';
import { ACTION_TYPE, CREDENTIAL_DISPLAY_NAME, TRIGGER_TYPE } from './headless.mjs';

/** The one description both nodes carry (their `description` field). */
const NODE_DESCRIPTION = 'Send CSAT and NPS feedback cards in X Direct Messages, and act on every score and comment customers give';
import { N8N_VERSION, ROOT, log } from './lib.mjs';

export const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
/** A run leaves the clone clean: the tracked pictures in docs/images/ change only on request. */
export const UPDATE_DOCS_IMAGES = process.env.E2E_UPDATE_DOCS_IMAGES === '1' || process.argv.includes('--update-docs-images');
const SCREENS = path.join(ROOT, 'test', 'e2e', 'screenshots', `n8n-${N8N_VERSION}`);
const IMAGES = UPDATE_DOCS_IMAGES ? path.join(ROOT, 'docs', 'images') : SCREENS;
const STEP_MS = 60_000;

export class Browser {
	constructor({ baseUrl, emulator, emulatorCreds, owner, checks, rest }) {
		this.baseUrl = baseUrl;
		/** The run's own REST client (signed in as the owner): what n8n stored, read apart from the page. */
		this.rest = rest;
		this.emulator = emulator;
		this.emulatorCreds = emulatorCreds;
		this.owner = owner;
		this.checks = checks;
		this.consoleErrors = [];
		this.images = [];
	}

	async launch() {
		assert(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
		mkdirSync(IMAGES, { recursive: true });
		mkdirSync(SCREENS, { recursive: true });
		this.browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			timeout: STEP_MS,
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
			],
		});
		this.context = await this.browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
		this.context.setDefaultTimeout(STEP_MS);
		// Nothing leaves the machine: any request that is not to loopback is refused here.
		await this.context.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => route.abort('blockedbyclient'));
		this.page = await this.context.newPage();
		this.page.on('console', (m) => {
			if (m.type() === 'error') this.consoleErrors.push(m.text());
		});
		log(`Chromium ${this.browser.version()} launched (headless)`);
	}

	async close() {
		await this.browser?.close().catch(() => {});
	}

	/** A screenshot for the docs: NAME.png in test/e2e/screenshots/n8n-<version>/ (or docs/images/ on request). */
	async shoot(name, target = this.page, options = {}) {
		const file = path.join(IMAGES, `${name}.png`);
		// No hover tooltip over what the picture is for.
		await target.mouse.move(250, 860).catch(() => {});
		await target.waitForTimeout(400).catch(() => {});
		await target.screenshot({ path: file, ...options });
		this.images.push(path.relative(ROOT, file));
		log(`screenshot ${path.relative(ROOT, file)}`);
		return file;
	}

	/** Runs one UI step as a check; on failure keeps a screenshot of the page in .n8n-e2e/screens. */
	async step(name, fn) {
		return this.checks.check(`browser: ${name}`, async () => {
			try {
				return await fn();
			} catch (err) {
				const file = path.join(SCREENS, `${name.replace(/[^\w]+/g, '-').slice(0, 60)}-failed.png`);
				await this.page.screenshot({ path: file }).catch(() => {});
				throw new Error(`${err.message.split('\n')[0]} (page ${this.page.url()}; screenshot ${path.relative(ROOT, file)})`);
			}
		});
	}

	// -------------------------------------------------------------------------------------------

	async setupOwner() {
		const page = this.page;
		await page.goto(`${this.baseUrl}/`, { waitUntil: 'domcontentloaded' });
		await page.waitForURL(/\/(setup|signin)/);
		if (page.url().includes('/signin')) {
			await this.signIn();
			return 'owner existed already: signed in';
		}
		await page.fill('input[name=email]', this.owner.email);
		await page.fill('input[name=firstName]', this.owner.firstName);
		await page.fill('input[name=lastName]', this.owner.lastName);
		await page.fill('input[name=password]', this.owner.password);
		await page.click('[data-test-id=form-submit-button]');
		await page.waitForURL((u) => !/\/(setup|signin)/.test(u.pathname));
		await this.dismissModals();
		return `owner ${this.owner.email} set up on ${new URL(page.url()).pathname}`;
	}

	async signIn() {
		const page = this.page;
		await page.fill('input[name=emailOrLdapLoginId]', this.owner.email);
		await page.fill('input[name=password]', this.owner.password);
		await page.click('[data-test-id=form-submit-button]');
		await page.waitForURL((u) => !/\/(setup|signin)/.test(u.pathname));
	}

	/** Onboarding pop-ups some n8n versions show after setup: closed with Escape. */
	async dismissModals() {
		await this.page.waitForTimeout(1000);
		for (let i = 0; i < 3; i++) {
			const open = await this.page.locator('.el-overlay-dialog:visible, [role=dialog]:visible').count();
			if (!open) break;
			await this.page.keyboard.press('Escape');
			await this.page.waitForTimeout(400);
		}
	}

	/** Creates the credential in the UI and connects it through the emulator's authorize page. */
	async createAndConnectCredential(name) {
		const page = this.page;
		await page.goto(`${this.baseUrl}/home/credentials/create`, { waitUntil: 'domcontentloaded' });
		const picker = page.locator('[data-test-id=selectCredential-modal]');
		await picker.waitFor();
		await picker.locator('input[placeholder="Search for app..."]').fill('Customer Feedback');
		await page.locator('[data-test-id=new-credential-type-select-option]').filter({ hasText: CREDENTIAL_DISPLAY_NAME }).first().click();
		await picker.locator('[data-test-id=new-credential-type-button]').click();

		const dialog = page.locator('[data-test-id=credential-edit-dialog]');
		await dialog.waitFor();
		// Name it, so the workflow step can pick this credential.
		await page.locator('[data-test-id=credential-name] [data-test-id=inline-edit-preview]').click();
		await page.locator('[data-test-id=credential-name] input').fill(name);
		await page.keyboard.press('Enter');
		await dialog.locator('[data-test-id=parameter-input-consumerKey] input').fill(this.emulatorCreds.consumerKey);
		await dialog.locator('[data-test-id=parameter-input-consumerSecret] input').fill(this.emulatorCreds.consumerSecret);
		await dialog.locator('[data-test-id=parameter-input-baseUrl] input').fill(this.emulator.baseUrl);
		await dialog.locator('[data-test-id=parameter-input-baseUrl] input').evaluate((el) => {
			el.blur();
			el.scrollIntoView({ block: 'center' });
		});
		await this.shoot('n8n-credential-form', page);

		// n8n 2.41 offers "Connect" in a "Connect your account" banner (older: "Connect my account").
		const connect = dialog.locator('[data-test-id=quick-connect-button], [data-test-id=oauth-connect-button]').or(
			dialog.getByRole('button', { name: /^Connect( my account)?$/ }),
		);
		const popupPromise = this.context.waitForEvent('page', { timeout: STEP_MS });
		await connect.first().click();
		const popup = await popupPromise;
		await popup.waitForLoadState('domcontentloaded');
		await popup.locator('#allow').waitFor();
		assert(popup.url().startsWith(`${this.emulator.baseUrl}/oauth/authorize?oauth_token=`), `the popup opened ${popup.url()}`);
		await this.shoot('emulator-authorize-page', popup);
		const closed = popup.waitForEvent('close', { timeout: STEP_MS });
		await popup.locator('#allow').click();
		await closed;
		const connected = dialog.getByText('Account connected');
		await connected.waitFor();
		await this.shoot('n8n-credential-connected', page);
		await page.keyboard.press('Escape');
		return `"${name}" shows "Account connected" after approving on ${this.emulator.baseUrl}/oauth/authorize`;
	}

	/** Closes the node panel: n8n 2.x has a close button, 1.x a "Back to canvas" link. */
	async closeNdv() {
		const close = this.page.locator('[data-test-id=ndv-close-button], [data-test-id=back-to-canvas]').first();
		if (await close.isVisible().catch(() => false)) await close.click();
		else await this.page.keyboard.press('Escape');
		await this.page.waitForTimeout(300);
	}

	async openWorkflow(id) {
		const page = this.page;
		await page.goto(`${this.baseUrl}/workflow/${id}`, { waitUntil: 'domcontentloaded' });
		await page.locator('[data-test-id=canvas-node]').first().waitFor();
		await page.waitForTimeout(1000);
	}

	/**
	 * Opens a node's panel (double click), optionally runs the node from it ("Execute step",
	 * for an action or a trigger) and waits for items in the output panel, screenshots
	 * it, closes it. Answers the panel's field labels and the output panel's text.
	 */
	async nodePanel(nodeName, image, { execute = false, beforeShot } = {}) {
		const page = this.page;
		await page.locator('[data-test-id=canvas-node]').filter({ hasText: nodeName }).first().dblclick();
		const params = page.locator('[data-test-id=node-parameters]');
		await params.waitFor();
		await page.waitForTimeout(800);
		const labels = (await params.locator('[data-test-id=input-label], [data-test-id=credentials-label]').allInnerTexts())
			.map((l) => l.split('\n')[0].trim())
			.filter(Boolean);
		let output = '';
		if (execute) {
			await page.locator('[data-test-id=node-execute-button]').first().click();
			const panel = page.locator('[data-test-id=ndv-output-panel], [data-test-id=output-panel]').first();
			await panel.getByText(/\d+ items?/).first().waitFor({ timeout: 120_000 });
			await page.waitForTimeout(800);
			output = (await panel.innerText()).replace(/\s+/g, ' ').trim();
			// After a trigger's first test event n8n pins a hint ("You can pin this output ...")
			// over the output table; hide hint bubbles for the picture.
			await page.evaluate(() => {
				for (const el of document.querySelectorAll('body *')) {
					if (el.childElementCount !== 0 || !/You can pin this output/.test(el.textContent ?? '')) continue;
					let box = el;
					while (box.parentElement && box.parentElement !== document.body && box.getAttribute('role') !== 'tooltip' && !/popper|tooltip/i.test(String(box.className))) {
						box = box.parentElement;
					}
					box.style.display = 'none';
				}
			});
		}
		await beforeShot?.();
		await this.shoot(image, page);
		await this.closeNdv();
		return { labels, output };
	}

	/** "Execute workflow" on the canvas; waits for n8n's success toast, then shows the last node's output. */
	async executeWorkflow(outputNodeName) {
		const page = this.page;
		await page.locator('[data-test-id=execute-workflow-button]').click();
		const ok = page.getByText('Workflow executed successfully');
		const failed = page.getByText(/Problem in node|Workflow execution had an error|Problem running workflow/);
		const first = await Promise.race([
			ok.first().waitFor({ timeout: 120_000 }).then(() => 'ok'),
			failed.first().waitFor({ timeout: 120_000 }).then(() => 'failed'),
		]);
		if (first === 'failed') {
			const text = await failed.first().innerText().catch(() => '');
			throw new Error(`n8n reported a failed run: ${text}`);
		}
		await page.locator('[data-test-id=canvas-node]').filter({ hasText: outputNodeName }).first().dblclick();
		const output = page.locator('[data-test-id=ndv-output-panel], [data-test-id=output-panel]').first();
		await output.waitFor();
		await page.waitForTimeout(800);
		const text = (await output.innerText()).replace(/\s+/g, ' ').trim();
		await this.shoot('n8n-execution-output', page);
		await this.closeNdv();
		return text;
	}

	/**
	 * The panels a user fills in, as they first see them: the node picker, Send Request with an
	 * empty Recipient (one "required" issue) and its mode list, Get Report with the CSV chosen.
	 */
	async editorPanels(panels) {
		const page = this.page;
		const send = 'Send survey (not filled in yet)';
		await this.step('the node picker shows one description that fits both nodes', async () => {
			await this.openWorkflow(panels.id);
			await page.locator('[data-test-id=canvas-plus-button], [data-test-id=node-creator-plus-button]').first().click();
			const search = page.locator('[data-test-id=node-creator-search-bar] input, [data-test-id=search-bar] input').first();
			await search.fill('Customer Feedback');
			await page.waitForTimeout(1200);
			await this.shoot('n8n-node-picker', page);
			const text = (await page.locator('[data-test-id=node-creator]').first().innerText()).replace(/\s+/g, ' ');
			await page.keyboard.press('Escape');
			// The action node and the trigger share one description, so the picker never shows it twice
			// (n8n 2.x shows it once under the package's entry; 1.x lists the entries by name only).
			const shown = text.split(NODE_DESCRIPTION).length - 1;
			assert(text.includes('X (Twitter) Customer Feedback'), `the node picker does not list the package: ${text.slice(0, 300)}`);
			assert(shown <= 1, `the node picker shows the nodes' description ${shown} times: ${text.slice(0, 300)}`);
			return text.slice(0, 240);
		});
		await this.step(`"${send}": an empty Recipient is reported once; the mode list; External ID is a field`, async () => {
			await this.openWorkflow(panels.id);
			await page.locator('[data-test-id=canvas-node]').filter({ hasText: send }).first().dblclick();
			const params = page.locator('[data-test-id=node-parameters]');
			await params.waitFor();
			// The value box, not the mode select next to it: type, then empty it, as a person would.
			const recipient = params.locator('input[placeholder="e.g. 1234567890"]').first();
			await recipient.click();
			await recipient.fill('x');
			await recipient.fill('');
			await params.locator('[data-test-id=parameter-input-message] textarea, [data-test-id=parameter-input-message] input').first().click();
			await page.waitForTimeout(800);
			const labels = (await params.locator('[data-test-id=input-label]').allInnerTexts()).map((l) => l.split('\n')[0].trim()).filter(Boolean);
			const panelText = (await params.innerText()).replace(/\s+/g, ' ');
			// n8n's tooltip on the Recipient's warning sign: what it says about an empty Recipient. It is
			// teleported to the page's end, so it is found by its text, wherever n8n puts it.
			await params.locator('[data-test-id=parameter-issues]').first().hover().catch(() => {});
			await page.getByText('Issues:').first().waitFor({ timeout: 5000 }).catch(() => {});
			const issues = (
				await page.evaluate(() =>
					[...document.querySelectorAll('body *')]
						// The element that holds the text "Issues:" itself; the list of issues is beside it.
						.filter((el) => el.getClientRects().length > 0 && [...el.childNodes].some((n) => n.nodeType === 3 && /Issues:/.test(n.textContent ?? '')))
						.map((el) => ((el.children.length === 0 ? el.parentElement : el)?.innerText ?? '').trim()),
				)
			)
				.join(' ')
				.replace(/\s+/g, ' ');
			await page.screenshot({ path: path.join(IMAGES, 'n8n-panel-send-request-issue.png') });
			await page.mouse.move(700, 880);
			await this.shoot('n8n-panel-send-request', page);
			// The mode list, then "Handle" chosen: the select shows the whole label.
			// The first input of the Recipient field is its mode select.
			await params.locator('[data-test-id=parameter-input-recipient] input').first().click();
			await page.waitForTimeout(600);
			await this.shoot('n8n-recipient-modes', page);
			await page.getByRole('option', { name: 'Handle' }).or(page.locator('.el-select-dropdown__item', { hasText: 'Handle' })).first().click();
			await page.waitForTimeout(600);
			const clipped = await params.locator('[data-test-id=parameter-input-recipient]').first().evaluate((root) =>
				[...root.querySelectorAll('input, span')].some((el) => (el.value === 'Handle' || el.textContent?.trim() === 'Handle') && el.scrollWidth > el.clientWidth + 1),
			);
			assert(!clipped, 'the Recipient mode select cuts "Handle"');
			await this.shoot('n8n-recipient-by-handle', page);
			await this.closeNdv();
			assert(labels.includes('External ID'), `no External ID field among ${labels.join(', ')}`);
			assert(!/digits only/.test(panelText + issues), 'the empty Recipient also says "A user ID is digits only"');
			assert(issues !== '', "the tooltip on the Recipient's warning sign could not be read");
			const required = issues.match(/required/gi)?.length ?? 0;
			assert(required === 1, `the empty Recipient is reported ${required} times: ${issues.slice(0, 200)}`);
			return `fields: ${labels.join(', ')}; Recipient's issue: ${issues.slice(0, 120) || '(tooltip not read)'}`;
		});
		await this.step('"Weekly report": From/To say their defaults; the large-CSV notice shows with the CSV chosen', async () => {
			await this.openWorkflow(panels.id);
			let text = '';
			let placeholders = [];
			const { labels } = await this.nodePanel('Weekly report', 'n8n-panel-get-report', {
				beforeShot: async () => {
					const params = page.locator('[data-test-id=node-parameters]');
					text = (await params.innerText()).replace(/\s+/g, ' ');
					placeholders = await params.locator('input[placeholder]').evaluateAll((els) => els.map((el) => el.getAttribute('placeholder')));
				},
			});
			assert(
				placeholders.includes('Empty: 7 days before To') && placeholders.includes('Empty: 24 hours ago, the latest X serves'),
				`From/To do not say their defaults: ${placeholders.join(' | ')}`,
			);
			assert(/large CSV files/.test(text), 'no large-CSV notice with the CSV chosen');
			return `fields: ${labels.join(', ')}`;
		});
		for (const [file, image] of [
			['real-time-detractor-alert.json', 'n8n-canvas-realtime-alert'],
			['detractor-alert-to-supervisors.json', 'n8n-canvas-trigger'],
		]) {
			const wf = this.imported?.find((w) => w.label.endsWith(file));
			if (!wf) continue;
			await this.step(`the canvas of "${wf.name}": subtitles name operations as the editor does`, async () => {
				await this.openWorkflow(wf.id);
				await page.locator('[data-test-id=canvas-zoom-to-fit], [data-test-id=zoom-to-fit]').first().click().catch(() => {});
				await page.waitForTimeout(800);
				await this.shoot(image, page);
				const subtitles = (await page.locator('[data-test-id=canvas-node]').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
				assert(!subtitles.some((t) => /\b(send|get|getReport|getMany): feedback\b|On score/.test(t)), `internal names on the canvas: ${subtitles.join(' | ')}`);
				return subtitles.filter((t) => /Feedback|On /.test(t)).join(' | ');
			});
		}
	}

	// -------------------------------------------------------------------------------------------

	/**
	 * The UI flow after the REST checks. `target` ({item, mode, node}) is the imported workflow to
	 * open and run: mode 'workflow' clicks "Execute workflow", mode 'step' runs `node` (and what
	 * feeds it) with "Execute step" because later nodes need services this machine cannot reach.
	 */
	async uiFlow({ target, imported }) {
		this.imported = imported;
		const credName = 'X account (connected in the browser)';
		const connectedInUi = await this.step('create the credential and "Connect" through the emulator popup', () =>
			this.createAndConnectCredential(credName),
		);

		if (!target) {
			this.checks.skip('browser: open a workflow and execute it', 'no imported workflow ran successfully from a Manual or Schedule Trigger');
			return;
		}
		const workflow = target.item;
		const actionNode = workflow.workflow.nodes.find((n) => n.name === target.node) ?? workflow.workflow.nodes.find((n) => n.type === ACTION_TYPE);
		await this.step(`open "${workflow.name}" and the X (Twitter) Customer Feedback node panel`, async () => {
			await this.openWorkflow(workflow.id);
			await this.shoot('n8n-workflow-canvas', this.page);
			assert(actionNode, 'the workflow has no X (Twitter) Customer Feedback node');
			const { labels } = await this.nodePanel(actionNode.name, 'n8n-node-action-panel');
			assert(labels.includes('Credential') || labels.includes('Credential to connect with'), `no Credential field in ${labels.join(', ')}`);
			return `"${actionNode.name}" panel fields: ${labels.join(', ')}`;
		});

		const triggerWf = imported.find((w) => w.workflow.nodes.some((n) => n.type === TRIGGER_TYPE));
		if (triggerWf) {
			const triggerNode = triggerWf.workflow.nodes.find((n) => n.type === TRIGGER_TYPE);
			await this.step(`open the X (Twitter) Customer Feedback Trigger panel ("${triggerWf.name}") and "Execute step"`, async () => {
				await this.openWorkflow(triggerWf.id);
				const { labels, output } = await this.nodePanel(triggerNode.name, 'n8n-node-trigger-panel', { execute: true });
				return `panel fields: ${labels.join(', ')}; output: ${output.slice(0, 160)}`;
			});
		} else {
			this.checks.skip('browser: trigger node panel', 'no imported workflow has the trigger');
		}

		const panels = imported.find((w) => w.label.endsWith('editor-panels.json'));
		if (panels) await this.editorPanels(panels);

		if (connectedInUi && actionNode) {
			await this.step(`"${actionNode.name}" uses the credential connected in the browser (saved)`, async () => {
				await this.openWorkflow(workflow.id);
				await this.page.locator('[data-test-id=canvas-node]').filter({ hasText: actionNode.name }).first().dblclick();
				await this.page.locator('[data-test-id=node-credentials-select]').first().click();
				await this.page.getByRole('option', { name: credName }).or(this.page.locator('.el-select-dropdown__item', { hasText: credName })).first().click();
				await this.page.waitForTimeout(500);
				await this.closeNdv();
				// Saved by keyboard shortcut, as a person would.
				await this.page.keyboard.press('Control+s');
				await this.page.waitForTimeout(1000);
				// What n8n stored, read over the run's own REST session (a request from the page without
				// n8n's browser-id header ends the page's session).
				const stored = await this.rest.getWorkflow(workflow.id);
				const node = stored?.nodes?.find((n) => n.name === actionNode.name);
				const saved = node?.credentials?.xCustomerFeedbackOAuth1Api?.name;
				assert(saved === credName, `the saved workflow's "${actionNode.name}" uses ${JSON.stringify(saved)}, not "${credName}"`);
				return `now "${credName}", saved`;
			});
		}

		if (target.mode === 'step') {
			await this.step(`run "${actionNode.name}" in "${workflow.name}" with "Execute step" and see its output`, async () => {
				await this.openWorkflow(workflow.id);
				const { output } = await this.nodePanel(actionNode.name, 'n8n-execution-output', { execute: true });
				return `output: ${output.slice(0, 200)}`;
			});
		} else {
			await this.step(`execute "${workflow.name}" and see the output`, async () => {
				await this.openWorkflow(workflow.id);
				const lastNode = lastNodeOf(workflow.workflow);
				const text = await this.executeWorkflow(lastNode);
				assert(/item/.test(text), `the output panel of "${lastNode}" shows no items: ${text.slice(0, 300)}`);
				return `"${lastNode}" output: ${text.slice(0, 160)}`;
			});
		}
	}
}

/** The node the run ends on: one that feeds no other node (the last such in the file). */
function lastNodeOf(wf) {
	const feeding = new Set(Object.keys(wf.connections ?? {}).filter((k) => Object.values(wf.connections[k] ?? {}).some((o) => o.some((b) => b?.length))));
	const ends = wf.nodes.filter((n) => !feeding.has(n.name) && !n.type.includes('stickyNote'));
	return (ends[ends.length - 1] ?? wf.nodes[wf.nodes.length - 1]).name;
}
