// The identity report and Intune sign-in decide the error a user meets from one rule table (sign-in-rules.ts): for
// an account in every report status, the report's predicted error is what POST /oauth/intune really answers — or,
// when sign-in lets the user in, the enrollment error the report names for later.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { classifySomeUsers } from '../../server/identity/report/classify-users.ts';
import { ALIGNMENT_STATUSES } from '../../server/identity/report/statuses.ts';
import { currentSettings } from '../../server/settings/service.ts';
import { adminUrl, saveSettings, startIntuneService, TENANT, CLIENT_ID, MOBILE_CLIENT, type IntuneService } from '../support/intune.ts';
import { call } from '../support/service.ts';

const guid = (n: number) => `${String(n).padStart(8, '0')}-abcd-4bbb-8ccc-${String(n).padStart(12, '0')}`;
const TWIN = 'abcdef01-2222-4333-8444-5555555555ab';
const LATER = 'ent.intune.enrollment.failed.app_error';

let started: IntuneService;
before(async () => {
  started = await startIntuneService({ userCreation: true });
  await saveSettings(started.service.url, started.service.adminToken, {
    LdapSettings: { Enable: true, Url: 'ldap://127.0.0.1:389', BaseDn: 'dc=example,dc=com' },
  });
});
after(() => started.close());

interface Case {
  id: string;
  authService: string;
  authData: string | null;
  /** The directory's value: a GUID, null (no msDS-aadObjectId), or absent (no directory entry). */
  ldap?: { objectId: string | null; raw?: string };
  /** The token's oid. */
  oid: string;
  status: string;
}

const CASES: Case[] = [
  { id: 'aligned', authService: 'office365', authData: guid(1).toUpperCase(), ldap: { objectId: guid(1) }, oid: guid(1), status: 'aligned' },
  { id: 'mismatch', authService: 'office365', authData: guid(2), ldap: { objectId: guid(3) }, oid: guid(3), status: 'mismatch' },
  { id: 'no-auth-data', authService: 'office365', authData: null, ldap: { objectId: guid(4) }, oid: guid(4), status: 'missing_source' },
  { id: 'email-account', authService: '', authData: null, ldap: { objectId: null }, oid: guid(14), status: 'missing_source' },
  { id: 'no-directory-id', authService: 'office365', authData: guid(7), ldap: { objectId: null }, oid: guid(7), status: 'missing_source' },
  { id: 'twin-upper', authService: 'office365', authData: TWIN.toUpperCase(), ldap: { objectId: TWIN }, oid: TWIN, status: 'duplicate_object_id' },
  { id: 'twin-lower', authService: 'office365', authData: TWIN, ldap: { objectId: TWIN }, oid: TWIN, status: 'duplicate_object_id' },
  { id: 'email-as-id', authService: 'office365', authData: 'email-as-id@example.com', ldap: { objectId: guid(5) }, oid: guid(5), status: 'unsupported_attribute' },
  { id: 'objectguid', authService: 'office365', authData: guid(6), ldap: { objectId: null, raw: '0x1f2e3d4c' }, oid: guid(6), status: 'unsupported_attribute' },
  { id: 'not-in-directory', authService: 'office365', authData: guid(8), oid: guid(8), status: 'not_in_directory' },
];

test('for every report status, the error the report predicts is the one sign-in answers', async () => {
  const { service, idp } = started;
  const db = service.ctx.db;
  for (const c of CASES) {
    await db('users').insert({ id: c.id, username: c.id, email: `${c.id}@example.com`, auth_service: c.authService, auth_data: c.authData });
    if (c.ldap) {
      const raw = c.ldap.raw ?? c.ldap.objectId;
      await db('identities').insert({ user_id: c.id, source: 'ldap', tenant_id: TENANT, object_id: c.ldap.objectId, raw_value: raw, attribute: 'msDS-aadObjectId' });
    }
  }
  const reports = adminUrl(service.url, 'reports/identity-alignment');
  const startedRun = await call(reports, { method: 'POST', token: service.adminToken });
  assert.equal(startedRun.status, 202, startedRun.text);
  let run = startedRun.body;
  for (let i = 0; i < 200 && ['queued', 'running'].includes(run.status); i++) {
    await new Promise((r) => setTimeout(r, 50));
    run = (await call(`${reports}/${startedRun.body.id}`, { token: service.adminToken })).body;
  }
  assert.equal(run.status, 'completed', JSON.stringify(run));
  const rows = (await call(`${reports}/${run.id}/rows?limit=1000`, { token: service.adminToken })).body.items as Record<string, string | null>[];
  const rowOf = new Map(rows.map((row) => [row.user_id, row]));

  // An incremental sync classifies only the accounts it touched, by the same rules: the same statuses, and a twin
  // classified alone is still a duplicate (the other account's claim is looked up, not taken from the set).
  const { settings } = await currentSettings(db);
  const facts = { ldapEnabled: settings.LdapSettings.Enable, protectedService: settings.IntuneSettings.AuthService, creationEnabled: settings.IntuneSettings.EnableUserCreation };
  const byStatus: Record<string, number> = {};
  for (const row of rows) byStatus[row.status!] = (byStatus[row.status!] ?? 0) + 1;
  assert.deepEqual(await classifySomeUsers(db, CASES.map((c) => c.id), facts), byStatus);
  assert.deepEqual(await classifySomeUsers(db, ['twin-upper'], facts), { duplicate_object_id: 1 });
  assert.deepEqual(await classifySomeUsers(db, ['aligned', 'mismatch'], facts), { aligned: 1, mismatch: 1 });

  const seen = new Set<string>();
  for (const c of CASES) {
    const row = rowOf.get(c.id)!;
    assert.equal(row.status, c.status, `${c.id}: ${row.next_step}`);
    seen.add(c.status);
    const access = idp.mint({ tenant: TENANT, aud: CLIENT_ID, azp: MOBILE_CLIENT, scp: 'login.mattermost', oid: c.oid, email: `${c.id}@example.com` });
    const answer = await call(`${service.url}/oauth/intune`, { body: { access_token: access, device_id: `device-${c.id}` } });
    if (answer.status === 200) {
      assert.equal(answer.body.id, c.id, `${c.id}: signed in to its own account`);
      assert.ok(row.error_id === null || row.error_id === LATER, `${c.id}: sign-in let the user in, the report predicted ${row.error_id}`);
    } else {
      assert.equal(answer.body.id, row.error_id, `${c.id}: sign-in answered ${answer.status} ${answer.body.id}; the report: ${row.error_id}`);
      assert.equal(answer.body.mam_error, row.mam_error, c.id);
    }
  }
  assert.deepEqual([...seen].sort(), [...ALIGNMENT_STATUSES].sort(), 'every status is covered');
});
