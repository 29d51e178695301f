import { importOfficialResults } from '../support/analysis';
import { Browser, chromium } from 'playwright-core';
import { join } from 'node:path';
import { ARTIFACTS, DESKTOP, ensureChromium, newPage, PHONE, screenshot } from '../support/browser';
import { MOSCOW_CSV } from '../support/data';
import { TestContext } from '../support/test-context';

/** Each chart on its own, to be looked at beside the full pages. */
const chartShot = (name: string) => join(ARTIFACTS, 'screens', `${name}.png`);

describe('e-voting and forensics pages in a browser', () => {
  let ctx: TestContext;
  let browser: Browser;
  let slug: string;

  beforeAll(async () => {
    ctx = await TestContext.create({ worker: true, webUi: true });
    const admin = await ctx.newUser('admin');
    const election = await ctx.newElection(admin);
    slug = election.slug;
    await importOfficialResults(ctx, admin, slug, MOSCOW_CSV);
    // Same flags as the shared launcher; the profile goes through playwright's own temp dir.
    browser = await chromium.launch({
      executablePath: ensureChromium(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await ctx.close();
  });

  for (const [device, options] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`shows the e-voting reversals with a labelled chart (${device})`, async () => {
      const { context, page, consoleErrors } = await newPage(browser, options);
      await page.goto(`${ctx.url}/results/${slug}/evoting`);
      await page.locator('figure.chart svg').first().waitFor();
      await page
        .getByText(/10 of 15|10 округах из 15/)
        .first()
        .waitFor();
      const svg = page.locator('figure.chart svg').first();
      await expect(svg.getAttribute('aria-label')).resolves.toBeTruthy();
      const texts = await svg.locator('text').allTextContents();
      expect(texts.some((t) => /%/.test(t))).toBe(true);
      expect(await page.locator('tbody tr').count()).toBe(15);
      await screenshot(page, `analysis-evoting-${device}`);
      await page
        .locator('figure.chart')
        .first()
        .screenshot({ path: chartShot(`analysis-evoting-chart-${device}`) });
      expect(consoleErrors).toEqual([]);
      await context.close();
    });

    it(`shows the forensic histograms and heatmap with labelled axes (${device})`, async () => {
      const { context, page, consoleErrors } = await newPage(browser, options);
      await page.goto(`${ctx.url}/results/${slug}/forensics`);
      await page.locator('figure.chart svg').nth(2).waitFor();
      const charts = page.locator('figure.chart svg');
      expect(await charts.count()).toBe(3);
      for (let i = 0; i < 3; i++) {
        const texts = await charts.nth(i).locator('text').allTextContents();
        expect(texts.some((t) => /%/.test(t))).toBe(true);
      }
      expect(await charts.nth(0).locator('rect').count()).toBeGreaterThan(50);
      await screenshot(page, `analysis-forensics-${device}`);
      for (const [i, name] of ['turnout', 'leader-share', 'heatmap'].entries()) {
        await page
          .locator('figure.chart')
          .nth(i)
          .screenshot({ path: chartShot(`analysis-forensics-${name}-${device}`) });
      }
      expect(consoleErrors).toEqual([]);
      await context.close();
    });
  }
});
