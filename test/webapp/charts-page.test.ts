// The charts page (issue 18) in Chromium against a real service (PostgreSQL, real sign-ins from the development
// issuer): data made through the product — sign-ins (and a refused one), enrollment reports with different causes,
// gate refusals of a session that has not enrolled, two identity reports — is drawn as non-blank charts whose
// totals and tables are the numbers the admin API answers, per hour and per day; at 1280 and 400 px wide. Before
// any of it, each chart says there is nothing to draw instead of showing an empty canvas.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import { adminUrl, configureIntune, eventId, gate, intuneEnv, report, signIn as signInMobile } from '../support/intune.ts';
import { call, startTestService, type TestService } from '../support/service.ts';
import { assertLoopbackOnly, launchChromium, openPage, screenshot, signIn } from './support/browser.ts';
import { ensureWebappBuilt } from './support/build.ts';
import { seriesName } from '../../webapp/src/admin/charts/series.ts';
import { ALIGNMENT_LABELS } from '../../webapp/src/shared/labels.ts';

const PAGE_OVERFLOW = 'document.documentElement.scrollWidth - document.documentElement.clientWidth';
const KINDS = ['enrollments', 'gate-refusals', 'sign-ins'] as const;
const CHARTS = [...KINDS, 'alignment'] as const;

interface StatsAnswer {
  total: number;
  series: { group: string; key: string; total: number }[];
}

interface AlignmentAnswer {
  statuses: string[];
  reports: { total: number; summary: Record<string, number> }[];
}

/** The parts of a canvas the ink check reads (the test's TypeScript has no DOM library). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

/** The sum of the canvas's alpha channel: 0 for a canvas nothing was drawn on. */
async function inkOf(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((element) => {
    const canvas = element as unknown as CanvasLike;
    const context = canvas.getContext('2d');
    if (!context || canvas.width === 0 || canvas.height === 0) return 0;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let ink = 0;
    for (let i = 3; i < data.length; i += 4) ink += data[i]!;
    return ink;
  });
}

/** Each series of a chart's table with its total, as the page shows them. */
async function tableTotals(page: Page, id: string): Promise<Record<string, number>> {
  const card = page.locator(`[data-chart="${id}"]`);
  const details = card.locator('details.chart-numbers');
  if (!(await details.evaluate((d) => (d as unknown as { open: boolean }).open))) await details.locator('summary').click();
  const totals: Record<string, number> = {};
  for (const row of await card.getByTestId(`${id}-table`).locator('tbody tr').all()) {
    totals[(await row.getAttribute('data-series'))!] = Number(await row.locator('td[data-total]').innerText());
  }
  return totals;
}

/** The table's column headings after Series and Total: the buckets (or reports) where something was counted. */
async function tableColumns(page: Page, id: string): Promise<string[]> {
  const headings = await page.getByTestId(`${id}-table`).locator('thead th').allTextContents();
  return headings.slice(2);
}

describe('Charts page', () => {
  let idp: DevIdp;
  let service: TestService;
  let browser: Browser;
  const api = (path: string, options: { method?: string } = {}) => call(adminUrl(service.url, path), { token: service.adminToken, ...options });

  before(async () => {
    ensureWebappBuilt();
    idp = await startDevIdp();
    service = await startTestService({ env: intuneEnv(idp) });
    await configureIntune(service.url, service.adminToken);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
    await idp?.stop();
  });

  test('before anything happened, each chart says so instead of drawing an empty canvas', async () => {
    const tab = await openPage(browser, { width: 1280, height: 1000 });
    const { page } = tab;
    await signIn(page, service.url, service.adminToken, 'charts');
    for (const kind of KINDS) {
      assert.equal((await api(`stats/${kind}`)).body.total, 0, `${kind}: nothing counted yet`);
      await page.getByTestId(`${kind}-empty`).filter({ hasText: 'Nothing in this range.' }).waitFor();
    }
    await page.getByTestId('alignment-empty').filter({ hasText: 'No identity-alignment report has completed yet.' }).waitFor();
    assert.equal(await page.locator('canvas').count(), 0, 'no canvas is drawn');
    await page.getByRole('radio', { name: /day/ }).check();
    for (const kind of KINDS) await page.getByTestId(`${kind}-empty`).filter({ hasText: 'Nothing in this range.' }).waitFor();
    assert.equal(await page.locator('canvas').count(), 0, 'per day either');
    await screenshot(page, 'charts-empty');
    await tab.close();
  });

  describe('with data made through the product', () => {
    before(async () => {
      const ann = await signInMobile(service.url, idp, { email: 'ann.chart@example.com', deviceId: 'ann-phone' });
      const bob = await signInMobile(service.url, idp, { email: 'bob.chart@example.com', deviceId: 'bob-phone' });
      const cid = await signInMobile(service.url, idp, { email: 'cid.chart@example.com', deviceId: 'cid-phone' });
      const refusedSignIn = await call(`${service.url}/oauth/intune`, { body: { access_token: 'not-a-token', device_id: 'x' } });
      assert.equal(refusedSignIn.status, 401, refusedSignIn.text);
      for (const [user, body] of [
        [ann, { status: 'enrolled' }],
        [bob, { status: 'declined', error_code: 'AADSTS53005' }],
        [cid, { status: 'failed', error_code: 'AADSTS650057' }],
      ] as const) {
        const answer = await report(service.url, user.token, { event_id: eventId('chart'), ...body });
        assert.equal(answer.status, 200, answer.text);
      }
      // A session that never enrolled: the gate refuses it, and the refusals are written to the audit log.
      const dan = await signInMobile(service.url, idp, { email: 'dan.chart@example.com', deviceId: 'dan-phone' });
      for (let i = 0; i < 3; i++) assert.equal((await gate(service.url, dan.token)).status, 403);
      for (let tries = 0; tries < 100 && (await api('stats/gate-refusals')).body.total === 0; tries++) await new Promise((r) => setTimeout(r, 50));

      for (let i = 0; i < 2; i++) {
        const started = await api('reports/identity-alignment', { method: 'POST' });
        assert.equal(started.status, 202, started.text);
        let run = started.body;
        for (let tries = 0; tries < 400 && (run.status === 'queued' || run.status === 'running'); tries++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          run = (await api(`reports/identity-alignment/${started.body.id}`)).body;
        }
        assert.equal(run.status, 'completed', JSON.stringify(run));
      }
    });

    async function expectChartsMatchApi(page: Page, bucket: 'hour' | 'day') {
      for (const kind of KINDS) {
        const answer = (await api(`stats/${kind}?bucket=${bucket}`)).body as StatsAnswer;
        assert.ok(answer.total > 0, `${kind} per ${bucket}: the seeded data is counted (${JSON.stringify(answer)})`);
        await page.getByTestId(`${kind}-total`).filter({ hasText: `${answer.total} in all` }).waitFor();
        assert.ok((await inkOf(page, `${kind}-canvas`)) > 0, `${kind} per ${bucket}: the chart is drawn`);
        const expected = Object.fromEntries(answer.series.map((s) => [seriesName(s.group, s.key), s.total]));
        assert.deepEqual(await tableTotals(page, kind), expected, `${kind} per ${bucket}: the table reads the API's numbers`);
      }
    }

    test('each chart is drawn from the seeded data, its totals and table are the API’s, per hour and per day (1280 px)', async () => {
      const tab = await openPage(browser, { width: 1280, height: 1000 });
      const { page } = tab;
      await signIn(page, service.url, service.adminToken, 'charts');
      await page.getByRole('heading', { name: 'Charts', level: 1 }).waitFor();

      await expectChartsMatchApi(page, 'hour');
      const enrollments = await tableTotals(page, 'enrollments');
      assert.equal(enrollments.enrolled, 1);
      assert.equal(enrollments['declined: conditional_access_app_protection'], 1, JSON.stringify(enrollments));
      assert.equal(enrollments['failed: missing_mam_permission'], 1, JSON.stringify(enrollments));
      // The names are the page's own words, checked here as written (not through the page's naming function).
      assert.deepEqual(await tableTotals(page, 'sign-ins'), { success: 4, 'refused: ent.intune.validate_token.invalid_token': 1 });
      assert.deepEqual(await tableTotals(page, 'gate-refusals'), { 'refused: ent.intune.enrollment.required': 3 });

      const alignment = (await api('stats/alignment?reports=10')).body as AlignmentAnswer;
      assert.equal(alignment.reports.length, 2);
      await page.getByTestId('alignment-total').filter({ hasText: `${alignment.reports.reduce((n, r) => n + r.total, 0)} in all` }).waitFor();
      assert.ok((await inkOf(page, 'alignment-canvas')) > 0, 'the alignment chart is drawn');
      // Every status is a row (a status at 0 too), with the users it had across the reports.
      const perStatus = Object.fromEntries(
        alignment.statuses.map((status) => [ALIGNMENT_LABELS[status as keyof typeof ALIGNMENT_LABELS], alignment.reports.reduce((n, r) => n + (r.summary[status] ?? 0), 0)]),
      );
      assert.deepEqual(await tableTotals(page, 'alignment'), perStatus);
      // Two reports run one after the other (in the same second, often): each has a column of its own.
      const reports = await tableColumns(page, 'alignment');
      assert.equal(reports.length, 2, JSON.stringify(reports));
      assert.match(reports[0]!, /^#1 \d\d-\d\d \d\d:\d\d$/);
      assert.match(reports[1]!, /^#2 \d\d-\d\d \d\d:\d\d$/);

      await screenshot(page, 'charts-1280-hour');
      await page.getByRole('radio', { name: /day/ }).check();
      await expectChartsMatchApi(page, 'day');
      await screenshot(page, 'charts-1280-day');
      assertLoopbackOnly(tab.requests);
      await tab.close();
    });

    test('at 400 px wide the charts fit the page (no horizontal scrolling) and still draw', async () => {
      const tab = await openPage(browser, { width: 400, height: 900 });
      const { page } = tab;
      await signIn(page, service.url, service.adminToken, 'charts');
      await page.getByTestId('enrollments-canvas').waitFor();
      for (const id of CHARTS) {
        assert.ok((await inkOf(page, `${id}-canvas`)) > 0, `${id}: drawn at 400 px`);
        const box = await page.getByTestId(`${id}-canvas`).boundingBox();
        assert.ok(box && box.width <= 400, `${id}: ${box?.width} px wide`);
      }
      assert.equal(await page.evaluate(PAGE_OVERFLOW), 0, 'no horizontal overflow');
      await screenshot(page, 'charts-400');
      // The numbers opened: a wide table scrolls inside its card, the page does not.
      for (const id of CHARTS) await tableTotals(page, id);
      assert.equal(await page.evaluate(PAGE_OVERFLOW), 0, 'no horizontal overflow with the tables open');
      await screenshot(page, 'charts-400-numbers');
      await tab.close();
    });
  });
});
