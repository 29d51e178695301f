import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const ARTIFACTS = join(__dirname, '..', 'artifacts');

/**
 * Debian's Chromium, installed with apt when missing (as root; playwright's own browser
 * download is never used). Flags keep it off the network: the machine has none.
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.getuid?.() !== 0) {
    throw new Error(`Browser tests need Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
    stdio: 'ignore',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return CHROMIUM;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: ensureChromium(),
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
}

export const PHONE = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'en-GB',
};
export const DESKTOP = { viewport: { width: 1280, height: 860 }, locale: 'en-GB' };

/**
 * A page that records console errors and failed requests, so a test can assert there were none.
 */
export async function newPage(
  browser: Browser,
  options: Parameters<Browser['newContext']>[0] = PHONE,
): Promise<{ context: BrowserContext; page: Page; consoleErrors: string[] }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  return { context, page, consoleErrors };
}

/** Saves a full-page screenshot under test/artifacts/screens/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = join(ARTIFACTS, 'screens');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Form controls that a screen reader could not name: no <label for>, no wrapping <label>, no
 * aria-label(ledby). Returns a short description of each, so a failing test says which.
 */
export async function unlabelledControls(page: Page): Promise<string[]> {
  // Runs in the page; typed loosely because the test project has no DOM library.
  return page.evaluate(`Array.from(document.querySelectorAll('input, select, textarea'))
    .filter((el) => el.type !== 'hidden')
    .filter((el) => {
      const named = Array.from(el.labels || []).some((l) => (l.textContent || '').trim().length > 0);
      return !named && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby');
    })
    .map((el) => el.tagName.toLowerCase() + '#' + (el.id || '?') + '[name=' + (el.getAttribute('name') || '') + ']')`);
}

/**
 * Waits until `expression` is truthy in the page. Not `page.waitForFunction`: it evaluates a
 * string with eval inside the page, which the UI's Content-Security-Policy refuses.
 */
export async function waitUntil(page: Page, expression: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`still false after ${timeoutMs} ms: ${expression}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** How far the page is wider than the viewport (0 when nothing sticks out sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}

/** The checks every screen must pass: labelled controls, nothing wider than the phone. */
export async function checkScreen(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  const unlabelled = await unlabelledControls(page);
  if (unlabelled.length) throw new Error(`${name}: controls without a label: ${unlabelled.join(', ')}`);
  const overflow = await horizontalOverflow(page);
  if (overflow > 0) throw new Error(`${name}: the page is ${overflow} px wider than the viewport`);
}

/** Logs in through the login form and waits until the page has left /login. */
export async function logIn(page: Page, baseUrl: string, user: { email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.locator('#login-email').fill(user.email);
  await page.locator('#login-password').fill(user.password);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}
