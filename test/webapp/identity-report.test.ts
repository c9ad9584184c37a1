// The Identity alignment page in Chromium against a real service with a seeded population (users and identities
// inserted into PostgreSQL): run a report with live progress, read the summary, filter the mismatch rows, search a
// user, open a row's detail, and download the CSV, compared byte for byte with the API's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { API_BASE } from '../../server/http/app.ts';
import { call, startTestService, type TestService } from '../support/service.ts';
import { assertLoopbackOnly, attributesOf, launchChromium, openPage, type RecordedPage, screenshot, signIn, TABLET, waitForCount } from './support/browser.ts';
import { ensureWebappBuilt } from './support/build.ts';

const TENANT = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const guid = (n: number) => `${String(n).padStart(8, '0')}-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`;
const SEEN_AT = new Date('2026-10-01T08:30:00Z');

describe('Identity alignment page', () => {
  let service: TestService;
  let browser: Browser;
  let tab: RecordedPage;
  let reportId = '';
  const reports = () => `${service.url}${API_BASE}/admin/reports/identity-alignment`;

  async function user(id: string, authService: string, authData: string | null, sources: { oauth?: string; saml?: string; ldap?: string }) {
    const db = service.ctx.db;
    await db('users').insert({ id, username: id, email: `${id}@example.com`, auth_service: authService, auth_data: authData });
    for (const source of ['oauth', 'saml'] as const) {
      const value = sources[source];
      if (value) {
        await db('identities').insert({ user_id: id, source, tenant_id: TENANT, object_id: value, raw_value: value, attribute: source, seen_at: SEEN_AT });
      }
    }
    if (sources.ldap) {
      await db('directory_entries').insert({ dn: `uid=${id},dc=example,dc=com`, user_id: id, email: `${id}@example.com`, username: id, object_id: sources.ldap, raw_value: sources.ldap, sync_run_id: 1 });
      await db('identities').insert({ user_id: id, source: 'ldap', tenant_id: TENANT, object_id: sources.ldap, raw_value: sources.ldap, attribute: 'msDS-aadObjectId', seen_at: SEEN_AT });
    }
  }

  before(async () => {
    ensureWebappBuilt();
    service = await startTestService({ env: { entraAuthority: 'http://127.0.0.1:9' } });
    const saved = await call(`${service.url}${API_BASE}/admin/settings`, {
      method: 'PUT',
      token: service.adminToken,
      body: { LdapSettings: { Enable: true, Url: 'ldap://127.0.0.1:9', BaseDn: 'dc=example,dc=com', SyncIntervalMinutes: 0 } },
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    await user('ada', 'office365', guid(1), { oauth: guid(1), ldap: guid(1) });
    await user('grace', 'saml', guid(2), { saml: guid(2), ldap: guid(2) });
    await user('alan', 'office365', guid(14), { oauth: guid(14), ldap: guid(14) });
    await user('bob-oauth', 'office365', guid(3), { oauth: guid(4), ldap: guid(3) });
    await user('bea-ldap', 'saml', guid(5), { saml: guid(5), ldap: guid(6) });
    await user('carl', 'office365', null, { ldap: guid(7) });
    await user('dup-one', 'office365', guid(9), { ldap: guid(9) });
    await user('dup-two', 'saml', guid(10), { saml: guid(9), ldap: guid(10) });
    await user('fay', 'office365', guid(13), { oauth: guid(13) });
    browser = await launchChromium();
    tab = await openPage(browser);
  });
  after(async () => {
    await browser?.close();
    await service?.close();
  });

  test('a report runs with live progress and its summary counts every status', async () => {
    const { page } = tab;
    await signIn(page, service.url, service.adminToken, 'identity');
    await page.getByRole('heading', { name: 'Identity alignment', level: 1 }).waitFor();
    await page.getByText('No report has run yet').waitFor();
    await page.getByRole('button', { name: 'Start a new report' }).click();
    await page.getByText(/Report completed .*: 9 users checked\./).waitFor();
    assert.equal(await page.getByLabel('Progress').getAttribute('value'), '1');
    const progressLive = page.locator('.progress-text');
    assert.equal(await progressLive.getAttribute('aria-live'), 'polite');

    const listed = await call(`${reports()}?limit=1`, { token: service.adminToken });
    reportId = listed.body[0].id;
    const status = await call(`${reports()}/${reportId}`, { token: service.adminToken });
    assert.equal(status.body.status, 'completed');
    for (const [name, count] of Object.entries(status.body.summary as Record<string, number>)) {
      const chip = page.locator(`.status-chip[data-status="${name}"] .chip-count`);
      assert.equal(await chip.innerText(), String(count), `${name} count shown`);
    }
    assert.equal(status.body.summary.mismatch, 2);
    await waitForCount(page.locator('[data-testid="report-rows"] tbody tr'), 9);
    await screenshot(page, 'identity-01-report-completed');
  });

  test('the mismatch rows are shown by the status filter, and search finds a user', async () => {
    const { page } = tab;
    const rows = page.locator('[data-testid="report-rows"] tbody tr');
    await page.getByLabel('Status', { exact: true }).selectOption('mismatch');
    await waitForCount(rows, 2);
    const ids = await attributesOf(rows, 'data-user-id');
    assert.deepEqual(ids.sort(), ['bea-ldap', 'bob-oauth']);
    assert.deepEqual(await attributesOf(rows, 'data-status'), ['mismatch', 'mismatch']);
    assert.equal(await page.locator('.status-chip[data-status="mismatch"]').getAttribute('aria-pressed'), 'true');
    const api = await call(`${reports()}/${reportId}/rows?status=mismatch`, { token: service.adminToken });
    assert.deepEqual(api.body.items.map((r: { user_id: string }) => r.user_id).sort(), [...ids].sort());
    await screenshot(page, 'identity-02-mismatch-filter');

    await page.getByLabel('Search users').fill('BEA');
    await waitForCount(rows, 1);
    assert.equal(await rows.first().getAttribute('data-user-id'), 'bea-ldap');
    await page.getByLabel('Search users').fill('');
    await waitForCount(rows, 2);
  });

  test("a row's detail shows each source's value and when it was seen", async () => {
    const { page } = tab;
    const opener = page.getByRole('button', { name: 'Details for bob-oauth' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'bob-oauth' });
    await dialog.waitFor();
    const text = await dialog.innerText();
    assert.match(text, new RegExp(`Account auth data\\s+${guid(3)}`));
    assert.match(text, new RegExp(`Sign-in token \\(oid\\)\\s+${guid(4)}\\s+\\S+`));
    assert.match(text, new RegExp(`LDAP \\(msDS-aadObjectId\\)\\s+${guid(3)}`));
    assert.match(text, /SAML \(objectidentifier\)\s+not seen/);
    assert.match(text, /2026-10-01T08:30:00\+00:00/, "seen time as ISO-8601 in the reader's zone (UTC)");
    assert.match(text, /UserMismatch/);
    await screenshot(page, 'identity-03-row-detail');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await page.locator(':focus').textContent())?.trim(), 'Details for bob-oauth', 'focus returns to the opener');
  });

  test('the CSV download equals the API export (filtered and whole)', async () => {
    const { page } = tab;
    const [filtered] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    assert.equal(filtered.suggestedFilename(), `identity-alignment-${reportId}-mismatch.csv`);
    const filteredText = readFileSync((await filtered.path())!, 'utf8');
    const apiFiltered = await call(`${reports()}/${reportId}/download?format=csv&status=mismatch`, { token: service.adminToken });
    assert.equal(filteredText, apiFiltered.text);
    const lines = filteredText.trimEnd().split('\r\n');
    assert.equal(lines.length, 3, 'header and the two mismatch rows');
    assert.ok(lines.slice(1).every((line) => line.includes(',"mismatch",')));

    await page.getByLabel('Status', { exact: true }).selectOption('');
    await waitForCount(page.locator('[data-testid="report-rows"] tbody tr'), 9);
    const [whole] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const wholeText = readFileSync((await whole.path())!, 'utf8');
    const apiWhole = await call(`${reports()}/${reportId}/download?format=csv`, { token: service.adminToken });
    assert.equal(wholeText, apiWhole.text);
    const apiRows = await call(`${reports()}/${reportId}/rows?limit=1000`, { token: service.adminToken });
    assert.equal(wholeText.trimEnd().split('\r\n').length, apiRows.body.items.length + 1);
    await page.getByText(`Downloaded identity-alignment-${reportId}.csv.`).waitFor();
    await screenshot(page, 'identity-04-downloaded');
    assertLoopbackOnly(tab.requests);
    await tab.close();
  });

  test('the report reads well at tablet width: the page does not scroll sideways, the table scrolls in its frame', async () => {
    const small = await openPage(browser, TABLET);
    await signIn(small.page, service.url, service.adminToken, 'identity');
    await waitForCount(small.page.locator('[data-testid="report-rows"] tbody tr'), 9);
    assert.equal(await small.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'), 0);
    await screenshot(small.page, 'identity-05-tablet');
    assertLoopbackOnly(small.requests);
    await small.close();
  });
});
