/** Headless Chromium (the Debian package) through playwright-core, for the dashboard checks. */
import { existsSync } from 'fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export function hasChromium(): boolean {
	return existsSync(CHROMIUM_PATH);
}

export function launchChromium(): Promise<Browser> {
	return chromium.launch({
		executablePath: CHROMIUM_PATH,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
}

export interface RenderedPage {
	page: Page;
	/** Every request the page made beyond its own document. */
	requests: string[];
	/** Console errors and uncaught page errors. */
	errors: string[];
}

/** Opens the HTML as a page of its own, watching what it fetches and what it logs. */
export async function openHtml(browser: Browser, html: string, viewport: { width: number; height: number }, deviceScaleFactor = 1): Promise<RenderedPage> {
	const context = await browser.newContext({ viewport, deviceScaleFactor });
	const page = await context.newPage();
	const requests: string[] = [];
	const errors: string[] = [];
	const origin = 'https://report.invalid/';
	await page.route('**/*', async (route) => {
		const url = route.request().url();
		if (url === origin) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
		requests.push(url);
		return route.abort();
	});
	page.on('console', (msg) => {
		if (msg.type() === 'error') errors.push(msg.text());
	});
	page.on('pageerror', (err) => errors.push(String(err)));
	page.on('dialog', (dialog) => {
		errors.push(`dialog: ${dialog.message()}`);
		void dialog.dismiss();
	});
	await page.goto(origin, { waitUntil: 'load' });
	return { page, requests, errors };
}
