// The Mobile Security › Microsoft Intune page in Chromium against a real service (PostgreSQL): sign-in, the
// server's validation shown next to the field with nothing saved, a fixed save that persists across reload, the
// license explanation below the tier, sign-out and a 401 returning to the form.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createAdminToken, revokeAdminToken } from '../../server/admin/tokens.ts';
import { API_BASE } from '../../server/http/app.ts';
import { call, startTestService, type TestService } from '../support/service.ts';
import {
  assertLoopbackOnly,
  gotoPages,
  launchChromium,
  openPage,
  type RecordedPage,
  screenshot,
  signIn,
  TABLET,
} from './support/browser.ts';
import { ensureWebappBuilt } from './support/build.ts';

const TENANT = '3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8';
const CLIENT = '0a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d';

describe('Mobile Security › Microsoft Intune page', () => {
  let service: TestService;
  let browser: Browser;
  let tab: RecordedPage;
  const settingsUrl = () => `${service.url}${API_BASE}/admin/settings`;
  const setLicense = (body: unknown) =>
    call(`${service.url}${API_BASE}/admin/license`, { method: 'PUT', token: service.adminToken, body });

  before(async () => {
    ensureWebappBuilt();
    service = await startTestService({ env: { entraAuthority: 'http://127.0.0.1:9' } });
    browser = await launchChromium();
    assert.equal((await setLicense({ IsLicensed: true, SkuShortName: 'advanced' })).status, 200);
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  test('sign-in refuses a wrong token and accepts the admin token', async () => {
    tab = await openPage(browser);
    const { page } = tab;
    await gotoPages(page, service.url);
    await page.getByLabel('Admin token').fill('mga_not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The service did not accept this token').waitFor();
    assert.equal(await page.getByLabel('Admin token').getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'intune-01-sign-in-refused');

    await page.getByLabel('Admin token').fill(service.adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Microsoft Intune' }).waitFor();
    assert.equal(await page.evaluate('sessionStorage.length'), 1, 'the token is kept in sessionStorage only');
    assert.equal(await page.evaluate('localStorage.length'), 0);
    await screenshot(page, 'intune-02-signed-in');
  });

  test("fields follow Mattermost's labels and placeholders and are disabled while the toggle is off", async () => {
    const { page } = tab;
    const tenant = page.getByLabel('Tenant ID:');
    const client = page.getByLabel('Application (Client) ID:');
    assert.equal(await tenant.getAttribute('placeholder'), 'E.g.: "12345678-1234-1234-1234-123456789012"');
    assert.equal(await client.getAttribute('placeholder'), 'E.g.: "87654321-4321-4321-4321-210987654321"');
    for (const label of ['Tenant ID:', 'Application (Client) ID:', 'Auth Provider:', 'Identity Attribute:', 'Intune Scope:', 'Allowed Mobile Client IDs:', 'Tunnel Server Address:']) {
      assert.equal(await page.getByLabel(label).isDisabled(), true, `${label} disabled while Intune is off`);
    }
    // Keyboard: the switch takes focus and Space turns it on.
    const toggle = page.getByRole('switch', { name: 'Enable Microsoft Intune MAM:' });
    await toggle.focus();
    await page.keyboard.press('Space');
    assert.equal(await toggle.isChecked(), true);
    await page.screenshot({ path: (await screenshot(page, 'intune-03a-keyboard-focus')), fullPage: false });
    assert.equal(await tenant.isDisabled(), false);
    await page.getByText('Unsaved changes').waitFor();
    // Only enabled providers are offered: none yet, then Office 365 once its sign-in is switched on.
    const provider = page.getByLabel('Auth Provider:');
    assert.deepEqual(await provider.locator('option').allTextContents(), ['Select an auth provider']);
    await page.getByRole('switch', { name: 'Enable Office 365 (Entra ID) Sign-in:' }).check();
    assert.deepEqual(await provider.locator('option').allTextContents(), ['Select an auth provider', 'OpenID Connect (Office 365)']);
    await screenshot(page, 'intune-03-toggle-on');
  });

  test('an invalid tenant shows the validation message at the field and nothing is saved', async () => {
    const { page } = tab;
    const before = await call(settingsUrl(), { token: service.adminToken });
    await page.getByLabel('Auth Provider:').selectOption('office365');
    await page.getByLabel('Tenant ID:').fill('contoso.onmicrosoft.com');
    await page.getByLabel('Application (Client) ID:').fill(CLIENT);
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    const error = page.locator('#field-IntuneSettings-TenantId-error');
    await error.waitFor();
    assert.match(await error.innerText(), /IntuneSettings\.TenantId "contoso\.onmicrosoft\.com" is not a GUID/);
    assert.equal(await page.getByLabel('Tenant ID:').getAttribute('aria-invalid'), 'true');
    assert.match(String(await page.getByLabel('Tenant ID:').getAttribute('aria-describedby')), /field-IntuneSettings-TenantId-error/);
    const summary = page.getByRole('alert').filter({ hasText: 'The settings were not saved' });
    await summary.waitFor();
    assert.match(await summary.innerText(), /Tenant ID: IntuneSettings\.TenantId/);
    await page.getByText('Unsaved changes').waitFor();
    await screenshot(page, 'intune-04-invalid-tenant');

    const after = await call(settingsUrl(), { token: service.adminToken });
    assert.equal(after.headers.get('x-settings-version'), before.headers.get('x-settings-version'), 'no new version');
    assert.deepEqual(after.body, before.body, 'nothing was saved');
    assert.equal(after.body.IntuneSettings.Enable, false);
  });

  test('the fixed tenant saves, and the values persist across a reload', async () => {
    const { page } = tab;
    await page.getByLabel('Tenant ID:').fill(TENANT.toUpperCase());
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(/Saved: settings version \d+\./).waitFor();
    assert.equal(await page.getByText('Unsaved changes').count(), 0);
    assert.equal(await page.locator('#field-IntuneSettings-TenantId-error').count(), 0);

    const saved = await call(settingsUrl(), { token: service.adminToken });
    assert.equal(saved.body.IntuneSettings.Enable, true);
    assert.equal(saved.body.IntuneSettings.TenantId, TENANT, 'stored lower case');
    assert.equal(saved.body.IntuneSettings.ClientId, CLIENT);
    assert.equal(saved.body.IntuneSettings.AuthService, 'office365');
    assert.equal(saved.body.Office365Settings.Enable, true);
    assert.deepEqual(saved.body.IntuneSettings.AllowedClientIds.length, 2, 'untouched settings keep their values');

    await page.reload();
    await page.getByRole('heading', { name: 'Microsoft Intune' }).waitFor();
    assert.equal(await page.getByRole('switch', { name: 'Enable Microsoft Intune MAM:' }).isChecked(), true);
    assert.equal(await page.getByLabel('Tenant ID:').inputValue(), TENANT);
    assert.equal(await page.getByLabel('Application (Client) ID:').inputValue(), CLIENT);
    assert.equal(await page.getByLabel('Auth Provider:').inputValue(), 'office365');
    assert.equal(await page.getByText('Unsaved changes').count(), 0);
    await screenshot(page, 'intune-05-saved-after-reload');
  });

  test('the page reads well at tablet width', async () => {
    const small = await openPage(browser, TABLET);
    await signIn(small.page, service.url, service.adminToken);
    await small.page.getByRole('heading', { name: 'Microsoft Intune' }).waitFor();
    const overflow = await small.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    assert.equal(overflow, 0, 'no horizontal scrolling at 768 px');
    await screenshot(small.page, 'intune-06-tablet');
    assertLoopbackOnly(small.requests);
    await small.close();
  });

  test('below the license tier the section explains that Enterprise Advanced is needed instead of the form', async () => {
    const { page } = tab;
    assert.equal((await setLicense({ IsLicensed: true, SkuShortName: 'professional' })).status, 200);
    await page.reload();
    const upsell = page.getByTestId('intune-license-required');
    await upsell.waitFor();
    assert.match(await upsell.innerText(), /Protect mobile data with Microsoft Intune App Protection Policies \(MAM\) and Entra ID authentication/);
    assert.match(await upsell.innerText(), /Enterprise Advanced/);
    assert.match(await upsell.innerText(), /professional/);
    assert.equal(await page.getByLabel('Tenant ID:').count(), 0, 'no form below the tier');
    await screenshot(page, 'intune-07-license-below-tier');

    assert.equal((await setLicense({ IsLicensed: false })).status, 200);
    await page.reload();
    await upsell.waitFor();
    assert.match(await upsell.innerText(), /No license is installed/);

    assert.equal((await setLicense({ IsLicensed: true, SkuShortName: 'entry' })).status, 200);
    await page.reload();
    await page.getByLabel('Tenant ID:').waitFor();
    await page.locator('.license-badge', { hasText: 'Entry' }).waitFor();
    await screenshot(page, 'intune-08-entry-license');
  });

  test('sign out forgets the token; a revoked token returns to the sign-in form', async () => {
    const { page } = tab;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    assert.equal(await page.evaluate('sessionStorage.length'), 0);
    await page.reload();
    await page.getByLabel('Admin token').waitFor();

    const { token, info } = await createAdminToken(service.ctx.db, 'browser-test', { name: 'test', requestId: null });
    await page.getByLabel('Admin token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Microsoft Intune' }).waitFor();
    await revokeAdminToken(service.ctx.db, info.id, { name: 'test', requestId: null });
    await page.getByRole('link', { name: 'Preflight' }).click();
    await page.getByLabel('Admin token').waitFor();
    await page.getByText('Signed out: the service no longer accepts this admin token').waitFor();
    assert.equal(await page.evaluate('sessionStorage.length'), 0);
    await screenshot(page, 'intune-09-revoked-token');
    assertLoopbackOnly(tab.requests);
    await tab.close();
  });
});
