import { Browser } from 'playwright-core';
import { checkScreen, launchBrowser, logIn, newPage } from '../support/browser';
import { MOSCOW_CSV } from '../support/data';
import { TestContext, TestUser } from '../support/test-context';

/**
 * The screens whose backend is the foundation: log in, elections and templates, invites,
 * register with an invite, precinct import. Phone-sized, in English, then Russian.
 */
describe('web UI: accounts and administration (Chromium)', () => {
  let ctx: TestContext;
  let browser: Browser;
  let coordinator: TestUser;
  const slug = `web-${Date.now().toString(36)}`;

  beforeAll(async () => {
    browser = await launchBrowser();
    ctx = await TestContext.create({ webUi: true });
    coordinator = await ctx.newUser('coordinator');
  });

  afterAll(async () => {
    await browser?.close();
    await ctx?.close();
  });

  it('serves the UI at client routes and never at /api', async () => {
    const route = await ctx.http().get('/results/some-election').set('Accept', 'text/html').expect(200);
    expect(route.headers['content-type']).toMatch(/^text\/html/);
    expect(route.headers['cache-control']).toBe('no-cache');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(route.text)![1];
    const js = await ctx.http().get(asset).expect(200);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // An API path is answered by the API, also when a browser asks for a page, and holds no UI files.
    const api = await ctx.http().get('/api/nope').set('Accept', 'text/html').expect(404);
    expect(api.body).toMatchObject({ statusCode: 404, message: 'Cannot GET /api/nope' });
    await ctx.http().get(`/api${asset}`).expect(404);
  });

  it('sends protective headers: a Content-Security-Policy on the UI, none on the API', async () => {
    const page = await ctx.http().get('/').set('Accept', 'text/html').expect(200);
    const policy = page.headers['content-security-policy'];
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain('unsafe-eval');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const api = await ctx.http().get('/api/health').expect(200);
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    expect(api.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(api.headers['content-security-policy']).toBeUndefined();
    // The API docs run inline scripts of their own: no page policy of the UI there.
    const docs = await ctx.http().get('/api/docs').expect(200);
    expect(docs.headers['content-security-policy']).toBeUndefined();
  });

  it('a coordinator logs in, creates an election, an invite and imports precincts; an observer registers', async () => {
    const { context, page, consoleErrors } = await newPage(browser);

    // Wrong password: a clear message and still on the login page.
    await page.goto(`${ctx.url}/login`);
    await page.getByLabel('E-mail').fill(coordinator.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('Wrong e-mail or password.').waitFor();
    await checkScreen(page, 'login-wrong-password');
    // Chromium logs the (expected) 401 answer itself; nothing else may be logged.
    expect(consoleErrors).toEqual([expect.stringContaining('401')]);
    consoleErrors.length = 0;

    await logIn(page, ctx.url, coordinator);
    expect(new URL(page.url()).pathname).toBe('/admin');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await checkScreen(page, 'admin-home');

    // Elections and templates.
    await page.getByRole('link', { name: 'Elections and templates' }).click();
    await page.getByLabel('Short name in addresses').fill(slug);
    await page.getByLabel('Name', { exact: true }).fill('Duma 2021 (browser test)');
    await page.getByLabel('Date').fill('2021-09-19');
    await page.getByRole('button', { name: 'Create election' }).click();
    await page.getByText(`Election ${slug} created.`).waitFor();
    const summary = page.locator('details summary', { hasText: slug });
    await summary.click();
    // The preset's template is shown: 26 numbered lines and the control ratios.
    await page.getByText('L10 = L13 + L14').first().waitFor();
    await checkScreen(page, 'admin-elections');
    const created = await ctx.http().get(`/api/elections/${slug}`).expect(200);
    expect(created.body.template.lines).toHaveLength(26);

    // Invites.
    await page.goto(`${ctx.url}/admin/invites`);
    await page.getByLabel('Role').selectOption('observer');
    await page.locator('#invite-election').selectOption(slug);
    await page.getByLabel('How many people can use it').fill('2');
    await page.getByRole('button', { name: 'Create invite' }).click();
    const link = await page.locator('#invite-link').inputValue();
    expect(link).toMatch(new RegExp(`^${ctx.url}/register\\?code=`));
    await page.locator('table code', { hasText: new URL(link).searchParams.get('code')! }).waitFor();
    await checkScreen(page, 'admin-invites');

    // Precinct import: the Moscow file of 2021.
    await page.goto(`${ctx.url}/admin/imports`);
    await page.locator('#imports-election').selectOption(slug);
    await page.locator('#precincts-file').setInputFiles(MOSCOW_CSV);
    await page
      .locator('form', { has: page.locator('#precincts-file') })
      .getByRole('button', { name: 'Upload' })
      .click();
    await page.getByText('3,660 new, 0 updated, 3,660 in the file').waitFor({ timeout: 30_000 });
    await checkScreen(page, 'admin-imports-precincts');
    const { body } = await ctx
      .http()
      .get(`/api/elections/${slug}/precincts?region=${encodeURIComponent('город Москва')}`);
    expect(body.total).toBe(3660);

    // A newcomer opens the invite link on another phone, registers and lands on the report form.
    const observer = await newPage(browser);
    await observer.page.goto(link);
    await checkScreen(observer.page, 'register');
    expect(await observer.page.getByLabel('Invite code').inputValue()).toBe(new URL(link).searchParams.get('code'));
    const email = `observer-${Date.now()}@test.votecheck.local`;
    await observer.page.getByLabel('E-mail').fill(email);
    await observer.page.getByLabel('Password').fill('observer-password-1');
    await observer.page.getByRole('button', { name: 'Register' }).click();
    await observer.page.waitForURL((u) => u.pathname === '/report');
    const [{ role }] = await ctx.db.query(`SELECT role FROM users WHERE email = $1`, [email]);
    expect(role).toBe('observer');

    expect(consoleErrors).toEqual([]);
    expect(observer.consoleErrors).toEqual([]);
    await observer.context.close();
    await context.close();
  });

  it('switches to Russian and remembers the choice', async () => {
    const { context, page, consoleErrors } = await newPage(browser);
    await page.goto(`${ctx.url}/login`);
    await page.getByLabel('Language').selectOption('ru');
    await page.getByRole('button', { name: 'Войти' }).waitFor();
    await page.reload();
    expect(await page.evaluate('document.documentElement.lang')).toBe('ru');
    await checkScreen(page, 'login-ru');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
