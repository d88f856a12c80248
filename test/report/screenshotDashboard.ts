/**
 * Renders the sample report's dashboard in headless Chromium and keeps the HTML and a screenshot:
 *   node -r ts-node/register/transpile-only test/report/screenshotDashboard.ts [outDir]
 * (outDir defaults to docs/images). Needs the Debian `chromium` package at /usr/bin/chromium.
 * Only the screenshot (report-dashboard.png) is committed; the HTML is generated on demand and
 * ignored by git (the same page Get Report attaches, from test/report/sampleReport.ts).
 */
import { mkdirSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { CHROMIUM_PATH, hasChromium, launchChromium, openHtml } from './chromium';
import { sampleDashboardHtml } from './sampleReport';

async function main(): Promise<void> {
	const outDir = resolve(process.argv[2] ?? join(__dirname, '..', '..', 'docs', 'images'));
	mkdirSync(outDir, { recursive: true });
	const html = sampleDashboardHtml();
	const htmlPath = join(outDir, 'report-dashboard.html');
	writeFileSync(htmlPath, html);
	console.log(`wrote ${htmlPath}`);
	if (!hasChromium()) throw new Error(`${CHROMIUM_PATH} is missing: apt-get install -y chromium`);

	const browser = await launchChromium();
	try {
		const shots: Array<{ file: string; width: number; height: number }> = [{ file: 'report-dashboard.png', width: 1280, height: 900 }];
		if (process.env.PHONE_SHOT) shots.push({ file: 'report-dashboard-phone.png', width: 390, height: 844 });
		for (const shot of shots) {
			const { page, requests, errors } = await openHtml(browser, html, { width: shot.width, height: shot.height }, shot.width < 600 ? 2 : 1);
			if (requests.length > 0 || errors.length > 0) throw new Error(`the page fetched ${JSON.stringify(requests)} or logged ${JSON.stringify(errors)}`);
			const pngPath = join(outDir, shot.file);
			await page.screenshot({ path: pngPath, fullPage: true });
			console.log(`wrote ${pngPath}`);
			await page.context().close();
		}
	} finally {
		await browser.close();
	}
}

main().catch((err) => {
	console.error(err);
	process.exitCode = 1;
});
