import { Browser } from 'playwright-core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderProtocolPhoto } from '../../scripts/demo/protocol-image';
import { checkScreen, launchBrowser, logIn, newPage } from '../support/browser';
import { MOSCOW_CSV } from '../support/data';
import { bearer, TestContext, TestUser } from '../support/test-context';

/** An observer sends a report with two photos from a phone, once on a good network, once through a cut. */
describe('web UI: observer report (Chromium)', () => {
  let ctx: TestContext;
  let browser: Browser;
  let observer: TestUser;
  let slug: string;
  let photos: string[];

  beforeAll(async () => {
    browser = await launchBrowser();
    ctx = await TestContext.create({ webUi: true, worker: true });
    const admin = await ctx.newUser('admin');
    const election = await ctx.newElection(admin);
    slug = election.slug;
    await ctx
      .http()
      .post(`/api/elections/${slug}/precincts`)
      .set(...bearer(admin))
      .attach('file', MOSCOW_CSV)
      .expect(201);
    observer = await ctx.newUser('observer');
    const template = election.template as unknown as Parameters<typeof renderProtocolPhoto>[0];
    const values = Object.fromEntries(template.lines.map((l) => [String(l.n), 100 + l.n]));
    const dir = mkdtempSync(join(tmpdir(), 'votecheck-photos-'));
    photos = [];
    for (const [i, rotate] of [0, 3].entries()) {
      const file = join(dir, `protocol-${i + 1}.jpg`);
      writeFileSync(
        file,
        await renderProtocolPhoto(template, values, { region: 'город Москва', number: '592' }, { rotate }),
      );
      photos.push(file);
    }
  });

  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  const myReports = async () =>
    (
      await ctx
        .http()
        .get('/api/reports?mine=true')
        .set(...bearer(observer))
        .expect(200)
    ).body.items as Array<{ id: string }>;

  async function fillReport(page: import('playwright-core').Page, number: string) {
    await page.goto(`${ctx.url}/report`);
    await page.locator('#report-election').selectOption(slug);
    await page.locator('#precinct-region').fill('город Москва');
    await page.locator('#precinct-number').fill(number);
    await page.locator('input[type=file][multiple]').setInputFiles(photos);
    await page.getByRole('img', { name: 'Photo 2' }).waitFor();
    await page.locator('#report-comment').fill('Протокол вывешен в 23:40');
  }

  it('sends a report with two photos and shows it in "My reports"', async () => {
    const { context, page, consoleErrors } = await newPage(browser);
    await logIn(page, ctx.url, observer);
    await fillReport(page, '592');
    await checkScreen(page, 'observer-report-form');
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.waitForURL((u) => u.pathname === '/reports');
    await page.locator('[data-report-id]').first().waitFor({ timeout: 30_000 });
    await checkScreen(page, 'observer-my-reports');
    const items = await myReports();
    expect(items).toHaveLength(1);
    const report = (
      await ctx
        .http()
        .get(`/api/reports/${items[0].id}`)
        .set(...bearer(observer))
        .expect(200)
    ).body;
    expect(report.photos).toHaveLength(2);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('survives a network cut during the upload and still makes exactly one report', async () => {
    const before = (await myReports()).length;
    const { context, page } = await newPage(browser);
    await logIn(page, ctx.url, observer);
    await fillReport(page, '593');
    let attempts = 0;
    // The first upload dies mid-way and the phone goes offline; the network returns later.
    await page.route('**/api/elections/*/reports', async (route) => {
      attempts++;
      if (attempts === 1) {
        await context.setOffline(true);
        return route.abort('internetdisconnected');
      }
      return route.continue();
    });
    await page.getByRole('button', { name: 'Send report' }).click();
    await page.waitForURL((u) => u.pathname === '/reports');
    await page.locator('[data-client-report-id]').first().waitFor();
    await checkScreen(page, 'observer-outbox-offline');
    await context.setOffline(false);
    await page.locator('[data-report-id]').nth(before).waitFor({ timeout: 60_000 });
    const items = await myReports();
    expect(items).toHaveLength(before + 1);
    expect(attempts).toBeGreaterThanOrEqual(2);
    await checkScreen(page, 'observer-outbox-sent');
    await context.close();
  });
});
