// The Preflight and Enrollments-and-audit pages in Chromium against a real service (PostgreSQL). Preflight shows
// a failing check, with evidence and next step, for a broken setting stored in the database, and passes it after
// the fix and a re-run. The activity tables page through seeded enrollment reports and audit entries and filter.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { audit } from '../../server/audit/audit.ts';
import { settingsStore } from '../../server/db/stores/settings-store.ts';
import { API_BASE } from '../../server/http/app.ts';
import { defaultSettings } from '../../server/settings/model.ts';
import { call, startTestService, type TestService } from '../support/service.ts';
import {
  assertLoopbackOnly,
  attributesOf,
  launchChromium,
  openPage,
  type RecordedPage,
  screenshot,
  signIn,
  TABLET,
  waitForCount,
} from './support/browser.ts';
import { ensureWebappBuilt } from './support/build.ts';

const TENANT = '3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8';
const CLIENT = '0a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d';

describe('Preflight and Enrollments and audit pages', () => {
  let service: TestService;
  let browser: Browser;
  let tab: RecordedPage;
  const api = (path: string, options: { method?: string; body?: unknown } = {}) =>
    call(`${service.url}${API_BASE}/admin${path}`, { token: service.adminToken, ...options });

  before(async () => {
    ensureWebappBuilt();
    // Signing keys are fetched from a loopback port that refuses at once: the check fails fast, no request leaves.
    service = await startTestService({ env: { entraAuthority: 'http://127.0.0.1:9' } });
    assert.equal((await api('/license', { method: 'PUT', body: { IsLicensed: true, SkuShortName: 'advanced' } })).status, 200);
    browser = await launchChromium();
    tab = await openPage(browser);
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  test('preflight shows a failing check with evidence and next step for a broken setting, and passes it after the fix', async () => {
    // A settings version the save path would refuse (written by hand or by an older release): Intune on with a
    // tenant that is not a GUID.
    const broken = defaultSettings();
    broken.Office365Settings.Enable = true;
    Object.assign(broken.IntuneSettings, { Enable: true, TenantId: 'contoso.onmicrosoft.com', ClientId: CLIENT, AuthService: 'office365' });
    await settingsStore.insert(service.ctx.db, broken, 'test:broken', null);

    const { page } = tab;
    await signIn(page, service.url, service.adminToken, 'preflight');
    await page.getByRole('heading', { name: 'Preflight', level: 1 }).waitFor();
    const check = page.locator('[data-check-id="settings_valid"]');
    await check.waitFor();
    assert.equal(await check.getAttribute('data-state'), 'fail');
    const text = await check.innerText();
    assert.match(text, /Fail/);
    assert.match(text, /Settings are valid/);
    assert.match(text, /Evidence: IntuneSettings\.TenantId: IntuneSettings\.TenantId "contoso\.onmicrosoft\.com" is not a GUID/);
    assert.match(text, /Next step: Copy the Directory \(tenant\) ID from the Entra admin center/);
    assert.match(text, /model\.config\.is_valid\.intune_tenant_id_format\.app_error/);

    // Every check of the API is on the page with its state.
    const report = await api('/preflight');
    assert.equal(report.status, 200);
    await waitForCount(page.locator('[data-check-id]'), report.body.checks.length);
    for (const c of report.body.checks as { id: string; state: string }[]) {
      const state = await page.locator(`[data-check-id="${c.id}"]`).getAttribute('data-state');
      if (c.id !== 'recent_tokens' && c.id !== 'signing_keys') assert.equal(state, c.state, c.id);
    }
    const status = page.locator('.toolbar-status');
    assert.match(await status.innerText(), /Ran .*: \d+ failures?, \d+ warnings?, \d+ passed\./);
    assert.equal(await status.getAttribute('aria-live'), 'polite');
    await screenshot(page, 'preflight-01-broken-setting');

    // Only the failures, then fix the setting and run again.
    await page.getByLabel('Failures').check();
    const shown = await attributesOf(page.locator('[data-check-id]'), 'data-state');
    assert.ok(shown.length > 0 && shown.every((s) => s === 'fail'));
    const fixed = await api('/settings', {
      method: 'PUT',
      body: { IntuneSettings: { ...broken.IntuneSettings, TenantId: TENANT }, Office365Settings: { Enable: true } },
    });
    assert.equal(fixed.status, 200, JSON.stringify(fixed.body));
    await page.getByLabel('All checks').check();
    await page.getByRole('button', { name: 'Run preflight again' }).click();
    await page.getByRole('button', { name: 'Run preflight again' }).waitFor();
    await page.locator('[data-check-id="settings_valid"][data-state="pass"]').waitFor();
    await screenshot(page, 'preflight-02-after-fix');
  });

  test('preflight reads well at tablet width', async () => {
    const small = await openPage(browser, TABLET);
    await signIn(small.page, service.url, service.adminToken, 'preflight');
    await small.page.locator('[data-check-id="settings_valid"]').waitFor();
    assert.equal(await small.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'), 0);
    await screenshot(small.page, 'preflight-03-tablet');
    assertLoopbackOnly(small.requests);
    await small.close();
  });

  test('enrollment reports page and filter by state', async () => {
    const db = service.ctx.db;
    await db('users').insert([
      { id: 'u-ann', username: 'ann', email: 'ann@example.com', auth_service: 'office365', auth_data: TENANT },
      { id: 'u-ben', username: 'ben', email: 'ben@example.com', auth_service: 'office365', auth_data: CLIENT },
    ]);
    const expires = new Date(Date.now() + 3_600_000);
    await db('sessions').insert([
      { id: 's-ann', token_hash: 'h-ann', user_id: 'u-ann', device_id: 'ann-phone', is_mobile: true, auth_service: 'office365', mam_state: 'pending', expires_at: expires },
      { id: 's-ben', token_hash: 'h-ben', user_id: 'u-ben', device_id: 'ben-phone', is_mobile: true, auth_service: 'office365', mam_state: 'pending', expires_at: expires },
    ]);
    const events = Array.from({ length: 30 }, (_, i) => ({
      event_id: `e${i}`,
      session_id: i % 3 === 0 ? 's-ben' : 's-ann',
      user_id: i % 3 === 0 ? 'u-ben' : 'u-ann',
      tenant_id: TENANT,
      device_id: i % 3 === 0 ? 'ben-phone' : 'ann-phone',
      status: i % 3 === 0 ? 'failed' : i % 3 === 1 ? 'declined' : 'enrolled',
      error_code: i % 3 === 0 ? 'AADSTS650057' : null,
      cause: i % 3 === 0 ? 'missing_mam_permission' : i % 3 === 1 ? 'msal_cancelled' : 'none',
      answer: JSON.stringify({}),
    }));
    await db('enrollment_events').insert(events);

    const { page } = tab;
    await page.getByRole('link', { name: 'Enrollments and audit' }).click();
    await page.getByRole('heading', { name: 'Enrollments and audit', level: 1 }).waitFor();
    // The count of protected Android clients, from GET admin/android-attempts.
    const android = await api('/android-attempts');
    const androidSection = page.locator('section', { has: page.getByRole('heading', { name: 'Protected Android clients' }) });
    await androidSection.getByText(`${android.body.total} in the last 7 days: ${android.body.refused} refused`).waitFor();
    const table = page.getByRole('region', { name: 'Enrollment reports table' });
    await waitForCount(table.locator('tbody tr'), 25);
    const section = page.locator('section', { has: page.getByRole('heading', { name: 'Enrollment reports' }) });
    await section.getByRole('button', { name: 'Older' }).click();
    await waitForCount(table.locator('tbody tr'), 5);
    await section.getByRole('button', { name: 'Newer' }).click();
    await waitForCount(table.locator('tbody tr'), 25);

    await page.getByLabel('State').selectOption('failed');
    await section.getByRole('button', { name: 'Apply filters' }).click();
    await waitForCount(table.locator('tbody tr'), 10);
    const text = await table.innerText();
    assert.match(text, /AADSTS650057: the mobile app registration lacks the Microsoft Mobile Application Management permission/);
    assert.doesNotMatch(text, /declined|enrolled/);
    const apiFailed = await api('/enrollments?state=failed&limit=50');
    assert.equal(apiFailed.body.items.length, 10);
    await screenshot(page, 'activity-01-enrollments-failed');
  });

  test('the audit log pages and filters by action', async () => {
    for (let i = 0; i < 30; i++) {
      await audit(service.ctx.db, { name: 'test-seed', requestId: null }, { action: 'report.identity.start', target: `report:r${i}`, outcome: 'success' });
    }
    const { page } = tab;
    const section = page.locator('section', { has: page.getByRole('heading', { name: 'Audit log' }) });
    const table = page.getByRole('region', { name: 'Audit log table' });
    await page.reload();
    await waitForCount(table.locator('tbody tr'), 25);
    await page.getByLabel('Action').fill('settings.save');
    await section.getByRole('button', { name: 'Apply filters' }).click();
    const saves = await api('/audit?action=settings.save&limit=100');
    await waitForCount(table.locator('tbody tr'), saves.body.items.length);
    assert.ok(saves.body.items.length >= 1);
    const actions = await attributesOf(table.locator('tbody tr'), 'data-action');
    assert.ok(actions.every((a) => a === 'settings.save'));
    assert.ok((await table.locator('.audit-sentence').allInnerTexts()).every((t) => / saved settings version \d+, changing /.test(t) || / tried to save the settings; refused/.test(t)));
    await screenshot(page, 'activity-02-audit-filtered');

    await page.getByLabel('Action').fill('');
    await section.getByRole('button', { name: 'Apply filters' }).click();
    await waitForCount(table.locator('tbody tr'), 25);
    await section.getByRole('button', { name: 'Older' }).click();
    const all = await api('/audit?limit=500');
    await waitForCount(table.locator('tbody tr'), Math.min(25, all.body.items.length - 25));
    await screenshot(page, 'activity-03-audit-older');
    assertLoopbackOnly(tab.requests);
    await tab.close();
  });
});
