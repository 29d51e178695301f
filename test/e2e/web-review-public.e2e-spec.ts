import { ProtocolTemplate, ProtocolValues } from '@app/domain';
import { Browser, Page } from 'playwright-core';
import { renderProtocolPhoto } from '../../scripts/demo/protocol-image';
import { unfalsify } from '../../scripts/demo/seed';
import { checkScreen, DESKTOP, launchBrowser, logIn, newPage, waitUntil } from '../support/browser';
import { MOSCOW_CSV } from '../support/data';
import { moscowCsv, moscowValues } from '../support/official';
import { eventually, postReport } from '../support/reports';
import { bearer, TestContext, TestUser } from '../support/test-context';

const PRECINCT = '592';
const SHIFT = 100;

/**
 * The whole evening in the browser: a report waits for review, two moderators transcribe it
 * (one with the keyboard only) and disagree on one line, a coordinator arbitrates, the official
 * results are imported through the upload page, and the public list shows the precinct with the
 * votes moved to ЕР and the protocol photo.
 */
describe('web UI: review, arbitration, official import and the public list (Chromium)', () => {
  let ctx: TestContext;
  let browser: Browser;
  let slug: string;
  let template: ProtocolTemplate;
  let coordinator: TestUser;
  let moderators: TestUser[];
  let reportId: string;
  /** What the signed protocol says: the official numbers before 100 votes were moved to ЕР. */
  let counted: ProtocolValues;

  beforeAll(async () => {
    browser = await launchBrowser();
    // A short lock, so that the page's own extension is seen within the test.
    ctx = await TestContext.create({ webUi: true, worker: true, env: { REVIEW_LOCK_SECONDS: '15' } });
    const admin = await ctx.newUser('admin');
    coordinator = await ctx.newUser('coordinator');
    moderators = [await ctx.newUser('moderator'), await ctx.newUser('moderator')];
    const observer = await ctx.newUser('observer');
    const election = await ctx.newElection(admin);
    slug = election.slug;
    template = election.template as unknown as ProtocolTemplate;
    await ctx
      .http()
      .post(`/api/elections/${slug}/precincts`)
      .set(...bearer(admin))
      .attach('file', MOSCOW_CSV)
      .expect(201);

    const official = Object.fromEntries(moscowValues(PRECINCT).map((v, i) => [String(template.lines[i].n), v]));
    counted = unfalsify(official, SHIFT);
    const photo = await renderProtocolPhoto(template, counted, { region: 'город Москва', number: PRECINCT });
    const res = await postReport(ctx, slug, observer, {
      region: 'город Москва',
      number: PRECINCT,
      photos: [{ data: photo, name: 'protocol.jpg' }],
    }).expect(202);
    reportId = res.body.id;
    await eventually(async () => (await reportStatus()) === 'awaiting_review', 60_000);
  });

  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  async function reportStatus(): Promise<string> {
    const [row] = await ctx.db.query(`SELECT status FROM reports WHERE id = $1`, [reportId]);
    return row.status;
  }

  async function attributes(page: Page, selector: string, name: string): Promise<Array<string | null>> {
    return Promise.all((await page.locator(selector).all()).map((el) => el.getAttribute(name)));
  }

  /** Waits for the task screen: the protocol photo loaded and the lock countdown running. */
  async function waitForTask(page: Page): Promise<void> {
    await page.locator('#line-1').waitFor();
    await page
      .getByRole('timer')
      .getByText(/Reserved for you/)
      .waitFor();
    await waitUntil(page, `Array.from(document.images).some((i) => i.complete && i.naturalWidth > 0)`);
  }

  it('a moderator transcribes the protocol with the keyboard only', async () => {
    const { context, page, consoleErrors } = await newPage(browser, DESKTOP);
    await logIn(page, ctx.url, moderators[0]);
    await page.goto(`${ctx.url}/review`);
    // "Next task" has the focus: Enter claims, the first line gets the focus, Enter moves on
    // and Enter on the last line submits.
    await page.getByRole('button', { name: 'Next task' }).waitFor();
    await page.keyboard.press('Enter');
    await waitForTask(page);
    await checkScreen(page, 'moderator-task');
    // While the moderator is busy (keys pressed), the page extends the lock before it runs out.
    const lockExpiry = async () =>
      (await ctx.db.query(`SELECT max(lock_expires_at) AS t FROM review_tasks WHERE report_id = $1`, [reportId]))[0]
        .t as Date;
    const firstExpiry = await lockExpiry();
    await eventually(async () => {
      await page.keyboard.press('Shift');
      return (await lockExpiry()) > firstExpiry;
    }, 30_000);
    for (const line of template.lines) {
      await page.keyboard.type(String(counted[String(line.n)]));
      await page.keyboard.press('Enter');
    }
    await page.getByText('Saved. Report status:').waitFor();
    await checkScreen(page, 'moderator-saved');
    expect(await reportStatus()).toBe('in_review');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('a second moderator misreads the ЕР line and the report goes to arbitration', async () => {
    const { context, page, consoleErrors } = await newPage(browser);
    await logIn(page, ctx.url, moderators[1]);
    await page.goto(`${ctx.url}/review`);
    await page.getByRole('button', { name: 'Next task' }).click();
    await waitForTask(page);
    for (const line of template.lines) {
      const value = counted[String(line.n)] + (line.n === 17 ? 10 : 0);
      await page.locator(`#line-${line.n}`).fill(String(value));
    }
    await page.getByRole('button', { name: 'Submit' }).click();
    // ЕР + 10 breaks "valid = sum of votes": the moderator is asked to confirm what they read.
    await page.locator('#confirm-violations').click();
    await page.getByText('Saved. Report status:').waitFor();
    expect(await reportStatus()).toBe('needs_arbitration');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('a coordinator sees both transcriptions, the differing line highlighted, and settles it', async () => {
    const { context, page, consoleErrors } = await newPage(browser, DESKTOP);
    await logIn(page, ctx.url, coordinator);
    await page.goto(`${ctx.url}/arbitrate`);
    await page.getByRole('button', { name: 'Next task' }).click();
    await waitForTask(page);
    await page.locator('.protocol-line.differs').first().waitFor();
    const differing = await attributes(page, '.protocol-line.differs', 'data-line-row');
    expect(differing).toEqual(['17']);
    await checkScreen(page, 'coordinator-arbitration');
    // Agreed lines come filled in; only the ЕР line is left, and it has the focus.
    expect(await page.locator('#line-1').inputValue()).toBe(String(counted['1']));
    expect(await page.locator('#line-17').inputValue()).toBe('');
    await page.keyboard.type(String(counted['17']));
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByText('Saved. Report status:').waitFor();
    expect(await reportStatus()).toBe('reviewed');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('a coordinator imports the official results through the upload page', async () => {
    const { context, page, consoleErrors } = await newPage(browser);
    await logIn(page, ctx.url, coordinator);
    await page.goto(`${ctx.url}/admin/imports`);
    await page.locator('#imports-election').selectOption(slug);
    await page.locator('#official-file').setInputFiles(MOSCOW_CSV);
    await page
      .locator('form', { has: page.locator('#official-file') })
      .getByRole('button', { name: 'Upload' })
      .click();
    await page.locator('[data-import-id]').getByText('Import finished.').waitFor({ timeout: 120_000 });
    await checkScreen(page, 'coordinator-official-import');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('the public list shows the precinct with the moved votes, and its page the photo', async () => {
    const expected = { n: 17, key: 'er', observed: counted['17'], official: counted['17'] + SHIFT, delta: SHIFT };
    await eventually(async () => {
      const { body } = await ctx.http().get(`/api/elections/${slug}/discrepancies`).expect(200);
      return body.total === 1;
    }, 60_000);
    const { context, page, consoleErrors } = await newPage(browser);
    await page.goto(`${ctx.url}/results/${slug}`);
    const card = page.locator('.discrepancy', { hasText: `precinct ${PRECINCT}` });
    await card.waitFor();
    const row = card.locator('tr', { hasText: '17. er' });
    expect(await row.locator('td').allInnerTexts()).toEqual([
      expected.official.toLocaleString('en-GB'),
      expected.observed.toLocaleString('en-GB'),
      `+${expected.delta}`,
    ]);
    // The card carries the protocol photo's thumbnail, served to anyone now.
    await waitUntil(page, `document.querySelector('.discrepancy img.thumb')?.naturalWidth > 0`);
    await checkScreen(page, 'public-discrepancies');

    await card.getByRole('link', { name: `город Москва, precinct ${PRECINCT}` }).click();
    await page.locator('table.precinct-lines').waitFor();
    await waitUntil(page, `Array.from(document.images).some((i) => i.complete && i.naturalWidth > 0)`);
    const deltas = await attributes(page, 'tr.differs', 'data-line');
    // The shift moved ballots from "cancelled" to "issued in the room", into the box, valid, ЕР.
    expect(deltas.sort()).toEqual(['10', '17', '4', '6', '8'].sort());
    await checkScreen(page, 'public-precinct');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('a corrected official version lists the precinct it changed, with both values', async () => {
    const corrected = moscowCsv((rows) => {
      const row = rows.find((r) => r[4] === 'УИК №1500')!;
      row[21] = String(Number(row[21]) + 7); // line 17, ЕР
    });
    const { context, page, consoleErrors } = await newPage(browser);
    await logIn(page, ctx.url, coordinator);
    await page.goto(`${ctx.url}/admin/imports`);
    await page.locator('#imports-election').selectOption(slug);
    await page
      .locator('#official-file')
      .setInputFiles({ name: 'corrected.csv', mimeType: 'text/csv', buffer: corrected });
    await page
      .locator('form', { has: page.locator('#official-file') })
      .getByRole('button', { name: 'Upload' })
      .click();
    await page.locator('[data-import-id]').getByText('Import finished.').waitFor({ timeout: 120_000 });
    await page.getByRole('link', { name: 'v2: changes' }).click();
    await page.getByText('Precincts changed between version 1 and version 2: 1.').waitFor();
    const card = page.locator('[data-precinct="1500"]');
    const before = moscowValues('1500')[16];
    expect(await card.locator('tr[data-line="17"] td').allInnerTexts()).toEqual([
      before.toLocaleString('en-GB'),
      (before + 7).toLocaleString('en-GB'),
    ]);
    await checkScreen(page, 'coordinator-import-changes');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
