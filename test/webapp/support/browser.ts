// Debian's Chromium driven by playwright-core (no Playwright browser download): one browser per test file, one
// context per test, every request the page makes recorded so a test can show none left the loopback.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { TEST_OUTPUT_DIR } from '../../support/test-env.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const SCREENSHOT_DIR = path.join(TEST_OUTPUT_DIR, 'screenshots');

export const LAPTOP = { width: 1366, height: 900 };
export const TABLET = { width: 768, height: 1024 };

export async function launchChromium(): Promise<Browser> {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: npm test's pretest installs Debian's chromium (apt-get install chromium)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

export interface RecordedPage {
  context: BrowserContext;
  page: Page;
  /** Every URL the page requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** timezoneId: the reader's time zone (UTC unless a test shows another). */
export async function openPage(browser: Browser, viewport = LAPTOP, options: { timezoneId?: string } = {}): Promise<RecordedPage> {
  const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'en-GB', timezoneId: options.timezoneId ?? 'UTC' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return {
    context,
    page,
    requests,
    async close() {
      await context.close();
      assert.deepEqual(errors, [], 'the page raised no uncaught error');
    },
  };
}

/** Only the service on loopback (and the page's own data:/blob: URLs) may be asked for anything. */
export function assertLoopbackOnly(requests: string[]): void {
  assert.ok(requests.length > 0, 'requests were recorded');
  const outside = requests.filter((url) => {
    const parsed = new URL(url);
    if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return false;
    return !['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  });
  assert.deepEqual(outside, [], 'no request left the loopback');
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9-]+/gi, '-').toLowerCase()}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export function adminPagesUrl(serviceUrl: string, page = ''): string {
  return `${serviceUrl}/plugins/mamgate/admin/${page}`;
}

/** Opens an admin page; a 404 here means the route is not mounted (server/http/app.ts: adminPagesRoutes). */
export async function gotoPages(page: Page, serviceUrl: string, at = ''): Promise<void> {
  const response = await page.goto(adminPagesUrl(serviceUrl, at));
  assert.equal(
    response?.status(),
    200,
    `GET ${adminPagesUrl(serviceUrl, at)} answers the admin pages (is adminPagesRoutes mounted at /plugins/mamgate/admin in server/http/app.ts?)`,
  );
}

/** Signs in through the form and waits for the signed-in frame. */
export async function signIn(page: Page, serviceUrl: string, token: string, at = ''): Promise<void> {
  await gotoPages(page, serviceUrl, at);
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Waits until the locator matches exactly `count` elements (playwright-core has no `expect`; the pages' CSP forbids
 * the string predicates of waitForFunction). */
export async function waitForCount(locator: Locator, count: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = -1;
  while (Date.now() < deadline) {
    seen = await locator.count();
    if (seen === count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`expected ${count} elements for ${String(locator)}, saw ${seen}`);
}

/** One attribute of every element the locator matches, in document order. */
export async function attributesOf(locator: Locator, name: string): Promise<(string | null)[]> {
  const count = await locator.count();
  const values: (string | null)[] = [];
  for (let i = 0; i < count; i++) values.push(await locator.nth(i).getAttribute(name));
  return values;
}
