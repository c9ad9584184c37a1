// The Identity page's directory sync in Chromium against a real service and slapd: a full sync, then a change in
// the directory and "Sync changes" (incremental: one entry read), the watermark shown; /metrics says the same.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Attribute, Change, Client } from 'ldapts';
import type { Browser } from 'playwright-core';
import { API_BASE } from '../../server/http/app.ts';
import { ldapSettingsFor, PEOPLE_DN, personEntry, startTestDirectory, type TestDirectory } from '../support/slapd.ts';
import { call, startTestService, type TestService } from '../support/service.ts';
import { launchChromium, openPage, type RecordedPage, signIn } from './support/browser.ts';
import { ensureWebappBuilt } from './support/build.ts';

describe('Identity page: directory sync', () => {
  let service: TestService;
  let directory: TestDirectory;
  let browser: Browser;
  let tab: RecordedPage;

  before(async () => {
    ensureWebappBuilt();
    [service, directory] = await Promise.all([
      startTestService({ env: { entraAuthority: 'http://127.0.0.1:9' } }),
      startTestDirectory({ entries: ['ann', 'ben', 'cy'].map((uid) => personEntry({ uid, mail: `${uid}@example.com` })), modifiedAt: '20260101000000Z' }),
    ]);
    const saved = await call(`${service.url}${API_BASE}/admin/settings`, {
      method: 'PUT',
      token: service.adminToken,
      body: { LdapSettings: ldapSettingsFor(directory, { SyncIntervalMinutes: 0 }) },
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    browser = await launchChromium();
    tab = await openPage(browser);
  });
  after(async () => {
    await browser?.close();
    await Promise.all([service?.close(), directory?.stop()]);
  });

  test('a full sync, then only the changed entry; the watermark on the page and in /metrics', async () => {
    const { page } = tab;
    await signIn(page, service.url, service.adminToken, 'identity');
    const status = page.getByTestId('ldap-sync-status');
    await status.getByText('No directory sync has run yet.').waitFor();
    await page.getByRole('button', { name: 'Full sync' }).click();
    await status.getByText(/Sync \d+ \(full\) succeeded .*: 3 entries read, 3 written\./).waitFor();
    await page.getByTestId('ldap-watermark').getByText(/Watermark \d{14}\.\d{6}Z#[0-9a-f]{6}#[0-9a-f]{3}#[0-9a-f]{6} \(entryCSN on ldap:\/\/127\.0\.0\.1:\d+\)/).waitFor();

    const root = new Client({ url: directory.url });
    await root.bind(directory.rootDn, directory.rootPassword);
    await root.modify(`uid=ben,${PEOPLE_DN}`, new Change({ operation: 'replace', modification: new Attribute({ type: 'mail', values: ['ben.new@example.com'] }) }));
    await root.unbind();
    await page.getByRole('button', { name: 'Sync changes' }).click();
    await status.getByText(/Sync \d+ \(incremental\) succeeded .*: 1 entry read, 1 written, 0 accounts classified again\./).waitFor();

    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    assert.match(metrics, /mamgate_ldap_last_sync_kind\{kind="incremental"\} 1/);
    assert.match(metrics, /mamgate_ldap_last_sync_entries_read 1\b/);
    const age = Number(/^mamgate_ldap_watermark_age_seconds (\S+)$/m.exec(metrics)?.[1]);
    assert.ok(age >= 0 && age < 600, `watermark age ${age}`);
    assert.match(metrics, /^mamgate_ldap_last_full_sync_age_seconds \d/m);
  });
});
