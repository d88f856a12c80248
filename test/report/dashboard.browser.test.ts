/**
 * The dashboard as a browser shows it. CI machines may lack Chromium; then these tests are skipped
 * with the reason in their name, which the run's summary lists (install it with `apt-get install -y chromium`).
 */
import type { Browser } from 'playwright-core';
import { createReport, renderDashboard } from '../../nodes/XCustomerFeedback/report';
import { CHROMIUM_PATH, hasChromium, launchChromium, openHtml } from './chromium';
import { eventsOf, HOUR, MINUTE, MON_3_MAR_2025, DAY, type FeedbackStory } from './feedbackEvents';
import { sampleDashboardHtml, sampleReport } from './sampleReport';

const available = hasChromium();
const note = available ? '' : ` (skipped: ${CHROMIUM_PATH} is absent; apt-get install -y chromium)`;
const describeInBrowser = available ? describe : describe.skip;

describeInBrowser(`dashboard in headless Chromium${note}`, () => {
	let browser: Browser;
	beforeAll(async () => {
		browser = await launchChromium();
	});
	afterAll(async () => {
		await browser?.close();
	});

	test('the charts render, nothing is fetched and nothing is logged', async () => {
		const report = sampleReport();
		const { page, requests, errors } = await openHtml(browser, sampleDashboardHtml(report), { width: 1280, height: 900 });
		const sizes = await page.$$eval('svg[data-chart]', (svgs) =>
			svgs.map((svg) => {
				const box = svg.getBoundingClientRect();
				return { chart: svg.getAttribute('data-chart'), width: box.width, height: box.height };
			}),
		);
		expect(sizes.map((s) => s.chart).sort()).toEqual(['csat-distribution', 'csat-trend', 'nps-distribution', 'nps-gauge', 'nps-split', 'nps-trend']);
		for (const s of sizes) {
			expect(s.width).toBeGreaterThan(100);
			expect(s.height).toBeGreaterThan(5);
		}
		expect(await page.locator('svg[data-chart="csat-distribution"] .bar').count()).toBe(5);
		expect(await page.locator('svg[data-chart="nps-distribution"] .bar').count()).toBe(11);
		expect(await page.locator('svg[data-chart="nps-gauge"] .needle').count()).toBe(1);
		expect(await page.locator('svg[data-chart="csat-trend"] .trend-line').count()).toBeGreaterThan(0);
		expect(await page.locator('svg[data-chart="nps-trend"] .trend-point').count()).toBe(report.groups.filter((g) => g.nps.nps !== null).length);
		const tallest = await page.$$eval('svg[data-chart="csat-distribution"] rect', (rects) => Math.max(...rects.map((r) => r.getBoundingClientRect().height)));
		expect(tallest).toBeGreaterThan(50);
		expect(await page.title()).toBe('Acme Support on X · March 2025');
		expect(requests).toEqual([]);
		expect(errors).toEqual([]);
		await page.context().close();
	});

	test('hostile comments stay text: no script runs, nothing loads', async () => {
		const hostile = ['<script>alert(1)</script>', '"><img src=https://evil.example/x.png onerror=alert(2)>', '<style>body{display:none}</style>'];
		const stories: FeedbackStory[] = hostile.map((comment, i) => {
			const sentMs = MON_3_MAR_2025 + (i + 1) * HOUR;
			return { id: String(i + 1), type: 'nps', sentMs, score: { value: 3 * i, atMs: sentMs + MINUTE }, comment: { value: comment, atMs: sentMs + 2 * MINUTE }, externalId: comment };
		});
		const report = createReport({ fromMs: MON_3_MAR_2025, toMs: MON_3_MAR_2025 + DAY - 1, groupBy: 'day', keepRows: false, includeTest: false });
		report.addPage(eventsOf(stories));
		const html = renderDashboard(report.finish(), { title: '<img src=x onerror=alert(3)>', generatedAt: MON_3_MAR_2025 + 2 * DAY });
		const { page, requests, errors } = await openHtml(browser, html, { width: 800, height: 900 });
		expect(await page.locator('script, img, iframe').count()).toBe(0);
		expect(await page.locator('body style').count()).toBe(0);
		const quoted = await page.$$eval('.comments blockquote', (quotes) => quotes.map((q) => q.textContent));
		expect(quoted.sort()).toEqual([...hostile].sort());
		expect(await page.locator('h1').textContent()).toBe('<img src=x onerror=alert(3)>');
		expect(await page.locator('body').isVisible()).toBe(true);
		expect(requests).toEqual([]);
		expect(errors).toEqual([]);
		await page.context().close();
	});

	test('fits a phone without sideways scrolling of the page', async () => {
		const { page, errors } = await openHtml(browser, sampleDashboardHtml(), { width: 390, height: 844 }, 2);
		// A string, because this project compiles without the DOM library.
		const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
		expect(overflow).toBeLessThanOrEqual(0);
		expect(errors).toEqual([]);
		await page.context().close();
	});
});
