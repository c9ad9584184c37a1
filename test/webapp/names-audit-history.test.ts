// Names, readable audit and history (issue 18) in Chromium against a real service (PostgreSQL, real sign-ins from
// the development issuer): users by username and email linking to their page; "End all sessions" asks, and only
// after confirming are the sessions ended (the gate refuses their tokens); audit entries as sentences with the raw
// entry on demand and filters that combine; ISO-8601 times in the reader's zone; settings history with a diff
// (secrets masked); admin tokens listed and revoked; an honest "queued" report and the earlier reports with their
// summary and downloads. Every page at 1280 and 400 px wide.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createAdminToken } from '../../server/admin/tokens.ts';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import { adminUrl, configureIntune, eventId, gate, intuneEnv, report, type SignedIn, signIn as signInMobile } from '../support/intune.ts';
import { call, startTestService, type TestService } from '../support/service.ts';
import { ALIGNMENT_STATUSES } from '../../server/identity/report/statuses.ts';
import { ALIGNMENT_LABELS } from '../../webapp/src/shared/labels.ts';
import { assertLoopbackOnly, attributesOf, launchChromium, openPage, screenshot, signIn, waitForCount } from './support/browser.ts';
import { ensureWebappBuilt } from './support/build.ts';

const SECRET = 's3cret-bind-password-1234';
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/;
const PAGE_OVERFLOW = 'document.documentElement.scrollWidth - document.documentElement.clientWidth';

describe('Names, readable audit and history pages', () => {
  let idp: DevIdp;
  let service: TestService;
  let browser: Browser;
  let ops: { id: string; token: string };
  let oldCi: { id: string; token: string };
  let ann: SignedIn;
  let annTablet: SignedIn;
  let bob: SignedIn;
  const names: Record<string, { username: string; email: string }> = {};
  const completedReports: { id: string; summary: Record<string, number> }[] = [];
  const api = (path: string, token = service.adminToken, options: { method?: string; body?: unknown } = {}) =>
    call(adminUrl(service.url, path), { token, ...options });

  before(async () => {
    ensureWebappBuilt();
    idp = await startDevIdp();
    service = await startTestService({ env: intuneEnv(idp) });
    await configureIntune(service.url, service.adminToken);
    const db = service.ctx.db;
    const made = await createAdminToken(db, 'ops laptop', { name: 'cli:ops', requestId: null });
    ops = { id: made.info.id, token: made.token };
    const ci = await createAdminToken(db, 'old ci', { name: 'cli:ops', requestId: null });
    oldCi = { id: ci.info.id, token: ci.token };

    ann = await signInMobile(service.url, idp, { email: 'ann.lee@example.com', deviceId: 'ann-phone' });
    annTablet = await signInMobile(service.url, idp, { oid: ann.oid, deviceId: 'ann-tablet' });
    bob = await signInMobile(service.url, idp, { email: 'bob.ray@example.com', deviceId: 'bob-phone' });
    for (const user of [ann, bob]) {
      const row = await db('users').where({ id: user.userId }).first();
      names[user.userId] = { username: row.username, email: row.email };
    }
    for (const [user, body] of [
      [ann, { status: 'declined', error_code: 'AADSTS53005' }],
      [ann, { status: 'enrolled' }],
      [bob, { status: 'failed', error_code: 'AADSTS650057' }],
    ] as const) {
      const answer = await report(service.url, user.token, { event_id: eventId('n'), ...body });
      assert.equal(answer.status, 200, answer.text);
    }

    // Two saves by the "ops laptop" token: LDAP on, then another base DN and a bind password (a secret).
    const ldap = { Enable: true, Url: 'ldap://127.0.0.1:9', BaseDn: 'dc=example,dc=com', SyncIntervalMinutes: 0 };
    assert.equal((await api('settings', ops.token, { method: 'PUT', body: { LdapSettings: ldap } })).status, 200);
    const second = await api('settings', ops.token, {
      method: 'PUT',
      body: { LdapSettings: { ...ldap, BaseDn: 'dc=example,dc=org', BindDn: 'cn=reader,dc=example,dc=org', BindPassword: SECRET } },
    });
    assert.equal(second.status, 200, second.text);

    // Two completed identity reports by "ops laptop", then one queued that has not started.
    for (let i = 0; i < 2; i++) {
      const started = await api('reports/identity-alignment', ops.token, { method: 'POST' });
      assert.equal(started.status, 202, started.text);
      let run = started.body;
      for (let tries = 0; tries < 400 && (run.status === 'queued' || run.status === 'running'); tries++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        run = (await api(`reports/identity-alignment/${started.body.id}`)).body;
      }
      assert.equal(run.status, 'completed', JSON.stringify(run));
      completedReports.unshift({ id: run.id, summary: run.summary });
      await db('report_runs').where({ id: run.id }).update({ created_at: new Date(Date.now() - (2 - i) * 3_600_000) });
    }
    await db('report_runs').insert({ id: 'queued-run-0001', kind: 'identity-alignment', status: 'queued', requested_by: `admin-token:${ops.id}` });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await service?.close();
    await idp?.stop();
  });

  async function auditRows(page: Page) {
    return page.getByRole('region', { name: 'Audit log table' }).locator('tbody tr');
  }

  async function applyAudit(page: Page, values: Partial<Record<'Action' | 'Actor' | 'User' | 'From' | 'Until', string>>) {
    const form = page.getByRole('form', { name: 'Filter the audit log' });
    for (const label of ['Action', 'Actor', 'User', 'From', 'Until'] as const) {
      await form.getByLabel(label, { exact: true }).fill(values[label] ?? '');
    }
    await form.getByRole('button', { name: 'Apply filters' }).click();
  }

  test('the audit log reads as sentences, shows the raw entry on demand, and its filters combine', async () => {
    const tab = await openPage(browser, { width: 1280, height: 900 });
    const { page } = tab;
    await signIn(page, service.url, service.adminToken, 'activity');
    await page.getByRole('heading', { name: 'Enrollments and audit', level: 1 }).waitFor();
    assert.equal((await page.locator('.time-zone').innerText()).trim(), 'Times: UTC (UTC+00:00)');

    // Enrollment reports name the user and link to their page.
    const enrollments = page.getByRole('region', { name: 'Enrollment reports table' });
    await waitForCount(enrollments.locator('tbody tr'), 3);
    const annLink = enrollments.getByRole('link', { name: names[ann.userId]!.username }).first();
    assert.equal(await annLink.getAttribute('href'), `/plugins/mamgate/admin/users/${ann.userId}`);
    assert.ok((await enrollments.innerText()).includes(names[ann.userId]!.email));
    assert.doesNotMatch(await enrollments.innerText(), new RegExp(ann.userId), 'no raw user id where a name is known');

    const rows = await auditRows(page);
    const total = (await api('audit?limit=500')).body.items.length;
    await waitForCount(rows, Math.min(25, total));
    // Every time is ISO-8601 in the reader's zone (UTC here), the UTC instant in dateTime.
    for (const time of await rows.locator('time').all()) {
      assert.match((await time.innerText()).trim(), ISO_UTC);
      assert.ok(!Number.isNaN(Date.parse((await time.getAttribute('datetime'))!)));
    }

    const history = (await api('settings/history')).body as { version: number; saved_by: string }[];
    const opsSaves = history.filter((v) => v.saved_by === `admin-token:${ops.id}`).map((v) => v.version);
    assert.equal(opsSaves.length, 2);
    await applyAudit(page, { Action: 'settings.save', Actor: 'ops laptop' });
    await waitForCount(rows, 2);
    const saveText = await rows.first().innerText();
    assert.match(saveText, new RegExp(`Admin token “ops laptop” saved settings version ${opsSaves[0]}, changing `));
    for (const key of ['LdapSettings.BaseDn', 'LdapSettings.BindDn', 'LdapSettings.BindPassword']) assert.ok(saveText.includes(key), saveText);
    assert.match(saveText, /\(1 secret among them\)\./);
    assert.doesNotMatch(await page.content(), new RegExp(SECRET), 'the secret never reaches the page');

    // The raw entry is there on demand.
    const raw = rows.first().locator('details.raw-entry');
    assert.equal(await raw.locator('pre').isVisible(), false);
    await raw.locator('summary').click();
    const rawText = await raw.locator('pre').innerText();
    assert.equal(JSON.parse(rawText).action, 'settings.save');
    assert.equal(JSON.parse(rawText).actor, `admin-token:${ops.id}`);
    await screenshot(page, 'audit-01-sentences-1280');

    // User (by email) and action together: Ann's two sign-ins, named.
    await applyAudit(page, { Action: 'login.intune', User: names[ann.userId]!.email });
    // The previous filter also showed two rows: wait for the sign-ins themselves, then for nothing else.
    await waitForCount(rows.filter({ hasText: 'signed in on a mobile device through Intune' }), 2);
    await waitForCount(rows, 2);
    for (const text of await rows.allInnerTexts()) {
      assert.ok(text.includes(`${names[ann.userId]!.username} (${names[ann.userId]!.email}) signed in on a mobile device through Intune`), text);
    }
    // User alone: her sign-ins and enrollment reports, nobody else's.
    await applyAudit(page, { User: names[ann.userId]!.username });
    const annApi = await api(`audit?user=${ann.userId}&limit=100`);
    await waitForCount(rows, annApi.body.items.length);
    assert.deepEqual(
      [...new Set(annApi.body.items.map((i: { action: string }) => i.action))].sort(),
      ['enrollment.declined', 'enrollment.enrolled', 'login.intune'],
    );
    assert.match(await rows.nth(0).innerText(), /reported Intune enrollment enrolled/);
    // A time range in the future: nothing.
    await applyAudit(page, { User: names[ann.userId]!.username, From: '2099-01-01T00:00:00' });
    await page.getByText('No audit entry matches these filters.').waitFor();

    // The service combines every filter, and refuses bad ones with the catalogue's error.
    const sinceNow = new Date(Date.now() - 3_600_000).toISOString();
    const combined = await api(`audit?action=login.intune&user=${ann.userId}&actor=anonymous&since=${sinceNow}&until=2099-01-01T00:00:00Z`);
    assert.equal(combined.status, 200, combined.text);
    assert.equal(combined.body.items.length, 2);
    assert.equal((await api(`audit?action=login.intune&user=${ann.userId}&actor=gate`)).body.items.length, 0);
    for (const [query, field] of [
      ['action=a&action=b', 'action'],
      ['since=yesterday', 'since'],
      ['since=2026-12-07T10:00:00Z&until=2026-12-07T09:00:00Z', 'until'],
      ['limit=0', 'limit'],
      ['colour=red', 'colour'],
    ]) {
      const bad = await api(`audit?${query}`);
      assert.equal(bad.status, 400, query);
      assert.equal(bad.body.id, 'mamgate.request.invalid_query_param.app_error', query);
      assert.equal(bad.body.field, field, `${query}: ${bad.text}`);
    }
    assertLoopbackOnly(tab.requests);
    await tab.close();
  });

  test("a user's page: sessions, evidence, history, identity sources; End all sessions asks first, then ends them", async () => {
    const tab = await openPage(browser, { width: 1280, height: 900 });
    const { page } = tab;
    await signIn(page, service.url, service.adminToken, 'activity');
    const { username, email } = names[ann.userId]!;
    await page.getByRole('region', { name: 'Enrollment reports table' }).getByRole('link', { name: username }).first().click();
    await page.getByRole('heading', { name: username, level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/plugins/mamgate/admin/users/${ann.userId}`);
    assert.ok((await page.locator('main').innerText()).includes(email));

    const sessions = page.getByRole('region', { name: 'Sessions table' }).locator('tbody tr');
    await waitForCount(sessions, 2);
    assert.deepEqual(await attributesOf(sessions, 'data-live'), ['true', 'true']);
    const sessionText = await page.getByRole('region', { name: 'Sessions table' }).innerText();
    assert.ok(sessionText.includes('ann-phone') && sessionText.includes('ann-tablet'), sessionText);
    await waitForCount(page.getByRole('region', { name: 'Enrollment history table' }).locator('tbody tr'), 2);
    const identities = await page.getByRole('region', { name: 'Identity sources table' }).innerText();
    assert.match(identities, new RegExp(`Sign-in token \\(oid\\)\\s+${ann.oid}`));
    assert.match(await page.getByRole('region', { name: 'User audit table' }).innerText(), /signed in on a mobile device through Intune/);
    await screenshot(page, 'user-01-1280');

    // Verify now asks the service to read Graph; without Graph configured it answers the catalogue's error.
    const direct = await api(`users/${ann.userId}/evidence/verify`, service.adminToken, { method: 'POST' });
    assert.equal(direct.body.id, 'mamgate.graph.not_configured.app_error', direct.text);
    await page.getByRole('button', { name: 'Verify now' }).click();
    const verifyAlert = page.locator('section', { has: page.getByRole('heading', { name: 'Evidence' }) }).getByRole('alert');
    await verifyAlert.waitFor();
    assert.equal((await verifyAlert.innerText()).trim(), `Verify now failed: ${direct.body.message} Next step: ${direct.body.next_step}`);

    // Cancel: nothing ends.
    await page.getByRole('button', { name: 'End all sessions' }).click();
    const dialog = page.getByRole('dialog', { name: `End every session of ${username}?` });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /2 live sessions here/);
    await screenshot(page, 'user-02-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await gate(service.url, ann.token)).status, 204, 'cancelled: the session still opens the gate');
    assert.equal(await service.ctx.db('sessions').where({ user_id: ann.userId }).whereNotNull('revoked_at').count('* as n').first().then((r) => Number(r?.n)), 0);

    // Confirm: both sessions end; the gate refuses them; Bob is untouched.
    const bobBefore = (await gate(service.url, bob.token)).status;
    await page.getByRole('button', { name: 'End all sessions' }).click();
    await dialog.getByRole('button', { name: 'End sessions' }).click();
    await page.getByText(`Ended 2 sessions of ${username}.`).waitFor();
    for (const token of [ann.token, annTablet.token]) assert.equal((await gate(service.url, token)).status, 401);
    assert.equal((await gate(service.url, bob.token)).status, bobBefore, "another user's session is untouched");
    await page.locator('[data-live="false"]').nth(1).waitFor();
    assert.match(await page.getByRole('region', { name: 'Sessions table' }).innerText(), /ended: revoked_by_admin/);
    assert.match(await page.locator('.toolbar-status').first().innerText(), /0 live sessions/);
    await page.getByText(`Admin token “test” ended 2 sessions of ${username} (${email}).`).waitFor();
    await screenshot(page, 'user-03-revoked');

    // An unknown user is the catalogue's 404, shown on the page; a malformed id is a 400.
    assert.equal((await api('users/nobody-at-all')).body.id, 'mamgate.admin.user_not_found.app_error');
    const malformed = await api('users/%20bad%20id');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.field, 'id');
    await page.goto(`${service.url}/plugins/mamgate/admin/users/nobody-at-all`);
    await page.getByRole('alert').getByText('No user has the id "nobody-at-all".').waitFor();
    await tab.close();
  });

  test('settings history shows what each version changed, secrets masked', async () => {
    const tab = await openPage(browser, { width: 1280, height: 900 });
    const { page } = tab;
    await signIn(page, service.url, service.adminToken, 'activity');
    await page.getByRole('link', { name: 'Settings history' }).click();
    await page.getByRole('heading', { name: 'Settings history', level: 1 }).waitFor();
    const history = (await api('settings/history')).body as { version: number }[];
    const versions = page.getByRole('list', { name: 'Saved versions' }).locator('li');
    await waitForCount(versions, history.length);
    const newest = history[0]!.version;
    const list = await versions.first().innerText();
    assert.match(list, new RegExp(`Version ${newest}`));
    assert.match(list, /by Admin token “ops laptop”/);

    const diff = page.getByRole('list', { name: `Differences of version ${newest}` });
    await diff.waitFor();
    const baseDn = diff.locator('li[data-key="LdapSettings.BaseDn"]');
    assert.equal((await baseDn.locator('del').innerText()).replace(/^before:\s*/, '').trim(), 'dc=example,dc=com');
    assert.equal((await baseDn.locator('ins').innerText()).replace(/^after:\s*/, '').trim(), 'dc=example,dc=org');
    const secret = diff.locator('li[data-key="LdapSettings.BindPassword"]');
    assert.match(await secret.innerText(), /secret: changed, values hidden/);
    assert.doesNotMatch(await page.content(), new RegExp(SECRET));
    await waitForCount(diff.locator('li'), 3);
    await page.getByText('Against version').waitFor();
    await screenshot(page, 'history-01-diff');

    // The version before: LDAP switched on.
    await versions.nth(1).getByRole('button').click();
    const older = page.getByRole('list', { name: `Differences of version ${history[1]!.version}` });
    await older.waitFor();
    assert.match(await older.locator('li[data-key="LdapSettings.Enable"]').innerText(), /false[\s\S]*true/);

    // Against the defaults: more changes than against the version before.
    await page.getByLabel('Compared with').selectOption('0');
    await page.getByText('Against the defaults').waitFor();
    const againstDefaults = await api(`settings/history/${history[1]!.version}/diff?against=0`);
    await waitForCount(older.locator('li'), againstDefaults.body.changes.length);

    assert.equal((await api('settings/history/99999/diff')).body.id, 'mamgate.settings.version_not_found.app_error');
    for (const path of ['settings/history/abc/diff', `settings/history/${newest}/diff?against=-1`]) {
      const bad = await api(path);
      assert.equal(bad.status, 400, path);
      assert.equal(bad.body.id, 'mamgate.request.invalid_query_param.app_error');
    }
    await tab.close();
  });

  test('admin tokens are listed by name with their last use, and revoked after a confirmation', async () => {
    const tab = await openPage(browser, { width: 1280, height: 900 });
    const { page } = tab;
    await signIn(page, service.url, service.adminToken, 'admin-tokens');
    await page.getByRole('heading', { name: 'Admin tokens', level: 1 }).waitFor();
    const table = page.getByRole('region', { name: 'Admin tokens table' });
    await waitForCount(table.locator('tbody tr'), 3);
    const ciRow = table.locator(`tr[data-token-id="${oldCi.id}"]`);
    assert.match(await ciRow.innerText(), /old ci[\s\S]*by The command line \(ops\)[\s\S]*never[\s\S]*active/);
    const opsRow = await table.locator(`tr[data-token-id="${ops.id}"]`).innerText();
    assert.match(opsRow, /ops laptop/);
    assert.match(opsRow, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00[\s\S]*active/, 'a last use is shown');

    await ciRow.getByRole('button', { name: 'Revoke old ci' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke admin token “old ci”?' });
    await dialog.waitFor();
    await screenshot(page, 'tokens-01-confirm');
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await page.getByText('Revoked admin token “old ci”').waitFor();
    await table.locator(`tr[data-token-id="${oldCi.id}"][data-revoked="true"]`).waitFor();
    assert.equal((await api('audit', oldCi.token)).status, 401, 'the revoked token is refused');
    assert.equal((await api('admin-tokens/no_such_token/revoke', service.adminToken, { method: 'POST' })).body.id, 'mamgate.admin.token_not_found.app_error');
    assert.equal((await api('admin-tokens/bad%20id/revoke', service.adminToken, { method: 'POST' })).status, 400);
    await screenshot(page, 'tokens-02-revoked');

    // The audit log names the revoked token too.
    await page.getByRole('link', { name: 'Enrollments and audit' }).click();
    await applyAudit(page, { Action: 'admin_token.revoke' });
    await waitForCount(await auditRows(page), 1);
    assert.match(await (await auditRows(page)).first().innerText(), new RegExp(`Admin token “test” revoked admin token “old ci” \\(${oldCi.id}\\)\\.`));
    await tab.close();
  });

  test('the identity page says "queued" honestly and lists the earlier reports with their summary and downloads', async () => {
    const tab = await openPage(browser, { width: 1280, height: 900 });
    const { page } = tab;
    await signIn(page, service.url, service.adminToken, 'identity');
    const status = page.locator('.progress-text');
    await status.getByText('Report queued: it starts in a moment and has not counted the users yet.').waitFor();
    assert.doesNotMatch(await page.locator('main').innerText(), /0 of 0|\(0%\)/);
    assert.match(await page.locator('.report-status').innerText(), /Report queued-run-0001, started \S+ by Admin token “ops laptop”\./);

    const earlier = page.getByRole('region', { name: 'Earlier reports table' }).locator('tbody tr');
    await waitForCount(earlier, 2);
    assert.deepEqual(await attributesOf(earlier, 'data-report-id'), completedReports.map((r) => r.id));
    const first = await earlier.first().innerText();
    assert.match(first, /by Admin token “ops laptop”/);
    assert.match(first, /completed/);
    for (const status of ALIGNMENT_STATUSES) {
      const shown = `${completedReports[0]!.summary[status] ?? 0} ${ALIGNMENT_LABELS[status]}`;
      assert.ok(first.includes(shown), `${shown} in ${first}`);
    }
    const download = page.waitForEvent('download');
    await earlier.first().getByRole('button', { name: `CSV of report ${completedReports[0]!.id}` }).click();
    const file = await (await download).path();
    const fromApi = await call(adminUrl(service.url, `reports/identity-alignment/${completedReports[0]!.id}/download?format=csv`), { token: service.adminToken });
    assert.equal(readFileSync(file, 'utf8'), fromApi.text);
    await page.getByText(`Downloaded identity-alignment-${completedReports[0]!.id}.csv.`).waitFor();
    await screenshot(page, 'identity-queued-earlier-1280');
    await tab.close();
  });

  test("times follow the reader's time zone", async () => {
    const tab = await openPage(browser, { width: 1280, height: 900 }, { timezoneId: 'Europe/Berlin' });
    const { page } = tab;
    await signIn(page, service.url, service.adminToken, 'admin-tokens');
    const zone = (await page.locator('.time-zone').innerText()).trim();
    assert.match(zone, /^Times: Europe\/Berlin \(UTC\+0[12]:00\)$/);
    const time = page.getByRole('region', { name: 'Admin tokens table' }).locator('time').first();
    await time.waitFor();
    const utc = new Date((await time.getAttribute('datetime'))!);
    const shown = (await time.innerText()).trim();
    assert.match(shown, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$/);
    assert.equal(new Date(shown).getTime(), Math.floor(utc.getTime() / 1000) * 1000, 'the shown time is the same instant');
    await tab.close();
  });

  test('every page reads well 400 px wide', async () => {
    const tab = await openPage(browser, { width: 400, height: 900 });
    const { page } = tab;
    await signIn(page, service.url, service.adminToken, `users/${bob.userId}`);
    await page.getByRole('heading', { name: names[bob.userId]!.username, level: 1 }).waitFor();
    await waitForCount(page.getByRole('region', { name: 'Sessions table' }).locator('tbody tr'), 1);
    const shots: [string, () => Promise<void>][] = [
      ['user-04-400', async () => {}],
      [
        'audit-02-400',
        async () => {
          await page.goto(`${service.url}/plugins/mamgate/admin/activity`);
          await waitForCount(await auditRows(page), Math.min(25, (await api('audit?limit=500')).body.items.length));
          await (await auditRows(page)).first().locator('summary').click();
        },
      ],
      [
        'history-02-400',
        async () => {
          await page.goto(`${service.url}/plugins/mamgate/admin/settings-history`);
          await page.locator('.diff-line').first().waitFor();
        },
      ],
      [
        'tokens-03-400',
        async () => {
          await page.goto(`${service.url}/plugins/mamgate/admin/admin-tokens`);
          await waitForCount(page.getByRole('region', { name: 'Admin tokens table' }).locator('tbody tr'), 3);
        },
      ],
      [
        'identity-queued-400',
        async () => {
          await page.goto(`${service.url}/plugins/mamgate/admin/identity`);
          await waitForCount(page.getByRole('region', { name: 'Earlier reports table' }).locator('tbody tr'), 2);
        },
      ],
    ];
    for (const [name, open] of shots) {
      await open();
      assert.equal(await page.evaluate(PAGE_OVERFLOW), 0, `${name}: no sideways scrolling`);
      await screenshot(page, name);
    }
    assertLoopbackOnly(tab.requests);
    await tab.close();
  });
});
