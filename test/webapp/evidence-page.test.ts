// The Evidence page in Chromium against a real service (PostgreSQL) with evidence rows written to the database:
// usernames and emails, the "verified by Microsoft Graph" and "client report (unverified)" badges, the refusal
// message, last sync as an age with the ISO time in its title, the source filter, "Verify now" answering the
// catalogue's error (no Graph configured here) with its next step, and the page at 1280 and 400 px wide.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { call, startTestService, type TestService } from '../support/service.ts';
import { API_BASE } from '../../server/http/app.ts';
import { assertLoopbackOnly, attributesOf, launchChromium, openPage, screenshot, signIn, waitForCount } from './support/browser.ts';
import { ensureWebappBuilt } from './support/build.ts';

const HOUR = 3_600_000;
/** How far the evidence table scrolls sideways (a string: the test's tsconfig has no DOM types). */
const TABLE_OVERFLOW = "(() => { const el = document.querySelector('.table-wrap'); return el.scrollWidth - el.clientWidth; })()";
const OID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('Evidence page', () => {
  let service: TestService;
  let browser: Browser;
  const now = Date.now();
  const lastSync = new Date(now - 2 * HOUR - 5 * 60_000).toISOString();

  before(async () => {
    ensureWebappBuilt();
    service = await startTestService();
    const db = service.ctx.db;
    await db('users').insert([
      { id: 'cu-ann', username: 'ann', email: 'ann@example.com', auth_service: 'office365', auth_data: OID(1) },
      { id: 'cu-ben', username: 'ben', email: 'ben@example.com', auth_service: 'office365', auth_data: OID(2) },
      { id: 'cu-cat', username: 'cat', email: 'cat@example.com', auth_service: 'office365', auth_data: OID(3) },
    ]);
    await db('user_evidence').insert([
      {
        user_id: 'cu-ann',
        state: 'enrolled',
        source: 'graph',
        updated_at: new Date(now - 5 * 60_000),
        details: {
          outcome: 'verified',
          checked_at: new Date(now - 5 * 60_000).toISOString(),
          max_sync_age_hours: 12,
          evidence: {
            registration_id: 'reg-ann',
            app_id: 'com.mattermost.rnbeta',
            platform: 'ios',
            last_sync: lastSync,
            policies: ['Chat protection'],
            flags: [],
            read_at: new Date(now - 5 * 60_000).toISOString(),
          },
          valid_until: new Date(Date.parse(lastSync) + 12 * HOUR).toISOString(),
        },
      },
      {
        user_id: 'cu-ben',
        state: 'pending',
        source: 'graph',
        updated_at: new Date(now - 30 * 60_000),
        details: {
          outcome: 'no_policy',
          checked_at: new Date(now - 30 * 60_000).toISOString(),
          max_sync_age_hours: 12,
          registration: {
            registration_id: 'reg-ben',
            user_id: OID(2),
            app_id: 'com.mattermost.rn',
            platform: 'android',
            last_sync: new Date(now - 26 * HOUR).toISOString(),
            policies: [],
            flags: [],
          },
          refusal_id: 'mamgate.graph.evidence.no_policy.app_error',
          refusal_params: { AppId: 'com.mattermost.rn' },
        },
      },
      { user_id: 'cu-cat', state: 'declined', source: 'client_report', updated_at: new Date(now - 3 * HOUR), details: { event_id: 'e1', cause: 'msal_cancelled' } },
    ]);
    await db('chat_revocations').insert({ user_id: 'cu-ben', reason: 'evidence_lost' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  test('the table shows users, badges, refusals and ages; Verify now shows the service error and its next step', async () => {
    const tab = await openPage(browser, { width: 1280, height: 900 });
    const { page } = tab;
    await signIn(page, service.url, service.adminToken);
    await page.getByRole('link', { name: 'Evidence' }).click();
    await page.getByRole('heading', { name: 'Enrollment evidence', level: 1 }).waitFor();
    const table = page.getByRole('region', { name: 'Evidence table' });
    const rows = table.locator('tbody tr[data-user-id]');
    await waitForCount(rows, 3);
    assert.deepEqual(await attributesOf(rows, 'data-user-id'), ['cu-ann', 'cu-ben', 'cu-cat']);

    const ann = table.locator('tr[data-user-id="cu-ann"]');
    const annText = await ann.innerText();
    assert.match(annText, /ann/);
    assert.match(annText, /ann@example\.com/);
    assert.match(annText, /Verified by Microsoft Graph/);
    assert.match(annText, /com\.mattermost\.rnbeta/);
    assert.match(annText, /iOS · Chat protection/);
    assert.match(annText, /synced 2 h ago/);
    assert.match(annText, /5 min ago/);
    assert.match(annText, /in 9 h/);
    assert.equal(await ann.locator('time', { hasText: 'synced' }).getAttribute('title'), lastSync);

    const benText = await table.locator('tr[data-user-id="cu-ben"]').innerText();
    assert.match(benText, /Verified by Microsoft Graph/);
    assert.match(benText, /pending/);
    assert.match(benText, /mobile sessions being ended/);
    assert.match(benText, /mamgate\.graph\.evidence\.no_policy\.app_error/);
    assert.match(benText, /Next step: /);
    assert.match(benText, /synced 26 h ago/);

    const catText = await table.locator('tr[data-user-id="cu-cat"]').innerText();
    assert.match(catText, /Client report \(unverified\)/);
    assert.match(catText, /Intune MAM enrollment was declined/);
    assert.match(catText, /not read from Intune/);
    assert.match(catText, /3 h ago/);

    // Source filter: only the client reports.
    await page.getByLabel('Source').selectOption('client_report');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await waitForCount(rows, 1);
    assert.equal(await rows.first().getAttribute('data-user-id'), 'cu-cat');
    await page.getByLabel('Source').selectOption('');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await waitForCount(rows, 3);

    // Verify now: no Graph configured, the service answers the catalogue's error; the page shows it and what to do.
    const direct = await call(`${service.url}${API_BASE}/admin/users/cu-ann/evidence/verify`, { method: 'POST', token: service.adminToken });
    assert.equal(direct.body.id, 'mamgate.graph.not_configured.app_error', direct.text);
    await page.getByRole('button', { name: 'Verify now: ann' }).click();
    const alert = table.getByRole('alert');
    await alert.waitFor();
    const alertText = await alert.innerText();
    assert.match(alertText, /Verify now for ann failed:/);
    assert.ok(alertText.includes(direct.body.message), alertText);
    assert.ok(alertText.includes(`Next step: ${direct.body.next_step}`), alertText);
    assert.match(alertText, /mamgate\.graph\.not_configured\.app_error/);
    assert.equal(await page.getByRole('button', { name: 'Verify now: ann' }).getAttribute('aria-describedby'), 'verify-result-cu-ann');
    assert.equal(await page.evaluate(TABLE_OVERFLOW), 0, 'the table fits 1280 px without scrolling');
    await screenshot(page, 'evidence-01-1280');
    assertLoopbackOnly(tab.requests);
    await tab.close();
  });

  test('reads well 400 px wide: cards, no sideways scrolling', async () => {
    const tab = await openPage(browser, { width: 400, height: 900 });
    const { page } = tab;
    await signIn(page, service.url, service.adminToken, 'evidence');
    const rows = page.getByRole('region', { name: 'Evidence table' }).locator('tbody tr[data-user-id]');
    await waitForCount(rows, 3);
    await page.getByRole('button', { name: 'Verify now: cat' }).click();
    await page.getByRole('alert').waitFor();
    assert.equal(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'), 0);
    assert.equal(await page.evaluate(TABLE_OVERFLOW), 0, 'the table fits without scrolling');
    assert.match(await rows.first().innerText(), /Verified by Microsoft Graph/);
    await screenshot(page, 'evidence-02-400');
    await tab.close();
  });
});
