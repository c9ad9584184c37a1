// The preflight against a fully good setup (every check passes), then one broken thing at a time, each yielding
// its failing check and next step. Real parts: the development issuer over HTTP, a private slapd, PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import { syncDirectory } from '../../server/identity/ldap/sync.ts';
import { checkReadiness } from '../../server/observability/readiness.ts';
import { currentSettings } from '../../server/settings/service.ts';
import { adminUrl, configureIntune, intuneEnv, report, saveLicense, saveSettings, signIn } from '../support/intune.ts';
import { cliEnv, runCli } from '../support/cli.ts';
import { call, startTestService, storeSettingsUnvalidated, type TestService } from '../support/service.ts';
import { ldapSettingsFor, personEntry, startTestDirectory, type TestDirectory } from '../support/slapd.ts';

const OID = '7d0c6a1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f';
const EMAIL = 'jane.preflight@example.com';

interface Check {
  id: string;
  state: 'pass' | 'warn' | 'fail';
  evidence: string;
  next_step: string;
  error_id?: string;
}

describe('preflight', { timeout: 180_000 }, () => {
  let idp: DevIdp;
  let directory: TestDirectory;
  let service: TestService;

  const preflight = async (): Promise<Map<string, Check>> => {
    const answer = await call(adminUrl(service.url, 'preflight'), { token: service.adminToken });
    assert.equal(answer.status, 200, answer.text);
    return new Map((answer.body.checks as Check[]).map((c) => [c.id, c]));
  };

  async function runReport(): Promise<void> {
    const started = await call(adminUrl(service.url, 'reports/identity-alignment'), { method: 'POST', token: service.adminToken });
    for (let i = 0; i < 200; i++) {
      const status = await call(adminUrl(service.url, `reports/identity-alignment/${started.body.id}`), { token: service.adminToken });
      if (status.body.status === 'completed') return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('report did not complete');
  }

  /** Writes a settings document as an older version or another tool might have: no validation. */
  async function storeUnvalidated(change: (s: Awaited<ReturnType<typeof currentSettings>>['settings']) => void): Promise<() => Promise<void>> {
    const { settings } = await currentSettings(service.ctx.db);
    const original = structuredClone(settings);
    change(settings);
    await storeSettingsUnvalidated(service, settings, 'test');
    return () => storeSettingsUnvalidated(service, original, 'test');
  }

  before(async () => {
    idp = await startDevIdp();
    directory = await startTestDirectory({ entries: [personEntry({ uid: 'jane', mail: EMAIL, aadObjectId: OID.toUpperCase() })] });
    service = await startTestService({ env: intuneEnv(idp) });
    await configureIntune(service.url, service.adminToken, { userCreation: true });
    const ldap = await saveSettings(service.url, service.adminToken, { LdapSettings: ldapSettingsFor(directory) });
    assert.equal(ldap.status, 200, ldap.text);
    await signIn(service.url, idp, { oid: OID, email: EMAIL, deviceId: 'phone-1' });
    await syncDirectory(service.ctx, { name: 'test', requestId: null });
    await runReport();
  });
  after(async () => {
    await service?.close();
    await directory?.stop();
    await idp?.stop();
  });

  test('a fully good setup: every check passes', async () => {
    const checks = await preflight();
    for (const check of checks.values()) assert.equal(check.state, 'pass', `${check.id}: ${check.evidence} / ${check.next_step}`);
    assert.match(checks.get('jwks')!.evidence, /signing key/);
    assert.match(checks.get('ldap')!.evidence, /1 sampled, 1 with msDS-aadObjectId/);
    assert.match(checks.get('identity_alignment')!.evidence, /aligned 1/);
    assert.match(checks.get('recent_tokens')!.evidence, /1 v2 sign-in/);
    // Standalone: no chat server check; Graph is off, so the checks only Graph can answer do not apply.
    assert.ok(!checks.has('chat_server'));
    for (const id of ['graph_credentials', 'graph_conditional_access', 'graph_mam_service_principal', 'graph_mam_consent', 'graph_tunnel_gateway', 'graph_evidence']) {
      assert.match(checks.get(id)!.evidence, /GraphSettings\.Enable is off: not applicable/, id);
    }
  });

  test('/readyz in client evidence mode says nothing about Graph', async () => {
    const ready = await call(`${service.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.equal(ready.body.graph, undefined);
    const direct = await checkReadiness(service.ctx.db, service.link, { status: () => ({ last_sweep_at: null, last_error_id: 'mamgate.graph.unavailable.app_error', watched: 0, due: 0 }) });
    assert.equal(direct.graph, undefined);
  });

  test('the CLI prints every check and exits 0 when nothing fails', async () => {
    const cli = await runCli(['preflight'], cliEnv({ MAMGATE_DATA_DIR: service.dataDir, DATABASE_URL: service.database!.url }));
    assert.equal(cli.code, 0, cli.stdout + cli.stderr);
    assert.match(cli.stdout, /PASS {2}License is Enterprise Advanced/);
    assert.match(cli.stdout, /0 failed/);
  });

  test('license below the tier → license fails with NotLicensed, and the CLI exits 1', async () => {
    await saveLicense(service.url, service.adminToken, 'professional');
    try {
      const check = (await preflight()).get('license')!;
      assert.equal(check.state, 'fail');
      assert.equal(check.error_id, 'ent.intune.login.not_licensed.app_error');
      assert.match(check.next_step, /Enterprise Advanced/);
      const cli = await runCli(['preflight'], cliEnv({ MAMGATE_DATA_DIR: service.dataDir, DATABASE_URL: service.database!.url }));
      assert.equal(cli.code, 1);
      assert.match(cli.stdout, /FAIL {2}License/);
    } finally {
      await saveLicense(service.url, service.adminToken, 'advanced');
    }
  });

  test("the tenant's keys unreachable → jwks fails with jwks_init", async () => {
    idp.setJwksMode('down');
    try {
      const check = (await preflight()).get('jwks')!;
      assert.equal(check.state, 'fail');
      assert.equal(check.error_id, 'ent.intune.validate_token.jwks_init.app_error');
      assert.match(check.evidence, /HTTP 503/);
    } finally {
      idp.setJwksMode('up');
    }
  });

  test('LDAP bind refused → ldap fails, and names the service account (never the password)', async () => {
    await saveSettings(service.url, service.adminToken, { LdapSettings: ldapSettingsFor(directory, { BindPassword: 'wrong-password' }) });
    try {
      const check = (await preflight()).get('ldap')!;
      assert.equal(check.state, 'fail');
      assert.equal(check.error_id, 'mamgate.ldap.bind_failed.app_error');
      assert.match(check.evidence, /mamgate-svc/);
      assert.ok(!JSON.stringify(check).includes('wrong-password'));
    } finally {
      await saveSettings(service.url, service.adminToken, { LdapSettings: ldapSettingsFor(directory) });
    }
  });

  test('the protected provider switched off behind the API → provider and settings checks fail', async () => {
    const restore = await storeUnvalidated((s) => {
      s.Office365Settings.Enable = false;
    });
    try {
      const checks = await preflight();
      assert.equal(checks.get('provider_enabled')!.state, 'fail');
      assert.equal(checks.get('provider_enabled')!.error_id, 'model.config.is_valid.intune_requires_office365.app_error');
      assert.equal(checks.get('settings_valid')!.state, 'fail');
    } finally {
      await restore();
    }
  });

  test('the msmamservice scope → intune_scope warns and explains the audience', async () => {
    await saveSettings(service.url, service.adminToken, {
      IntuneSettings: { ...(await currentSettings(service.ctx.db)).settings.IntuneSettings, IntuneScope: 'https://msmamservice.api.application/.default' },
    });
    try {
      const check = (await preflight()).get('intune_scope')!;
      assert.equal(check.state, 'warn');
      assert.match(check.evidence, /Mobile Application Management service/);
    } finally {
      const { settings } = await currentSettings(service.ctx.db);
      await saveSettings(service.url, service.adminToken, { IntuneSettings: { ...settings.IntuneSettings, IntuneScope: '' } });
    }
  });

  test('a token refused for a missing oid → recent_tokens fails with MissingAuthAccountError advice', async () => {
    const token = idp.mint({ tenant: (await currentSettings(service.ctx.db)).settings.IntuneSettings.TenantId, aud: (await currentSettings(service.ctx.db)).settings.IntuneSettings.ClientId, azp: '9ac649f1-4f77-44d6-9792-b2f54ab3c9a7', scp: 'login.mattermost', omit: ['oid'] });
    const refused = await call(`${service.url}/oauth/intune`, { body: { access_token: token } });
    assert.equal(refused.body.id, 'ent.intune.validate_token.missing_claims.app_error');
    try {
      const check = (await preflight()).get('recent_tokens')!;
      assert.equal(check.state, 'fail');
      assert.equal(check.error_id, 'ent.intune.validate_token.missing_claims.app_error');
      assert.match(check.next_step, /accessTokenAcceptedVersion = 2/);
    } finally {
      await service.ctx.db('audit_log').where({ action: 'login.intune', outcome: 'refused' }).delete();
    }
  });

  test('an enrollment failure with AADSTS650057 → enrollment_failures fails with the consent next step', async () => {
    const session = await signIn(service.url, idp, { oid: OID, email: EMAIL, deviceId: 'phone-2' });
    const answer = await report(service.url, session.token, { event_id: 'pf-1', status: 'failed', error_code: 'AADSTS650057' });
    assert.equal(answer.status, 200, answer.text);
    try {
      const check = (await preflight()).get('enrollment_failures')!;
      assert.equal(check.state, 'fail');
      assert.match(check.evidence, /missing_mam_permission/);
      assert.match(check.next_step, /admin consent/);
    } finally {
      await service.ctx.db('enrollment_events').delete();
    }
  });

  test('a misaligned user in the latest report → identity_alignment fails', async () => {
    await service.ctx.db('users').insert({ id: 'misaligned1', username: 'mis', email: 'mis@example.com', auth_service: 'office365', auth_data: '11111111-2222-4333-8444-555555555555' });
    await service.ctx.db('identities').insert({ user_id: 'misaligned1', source: 'oauth', tenant_id: '', object_id: '99999999-2222-4333-8444-555555555555', attribute: 'oid' });
    await service.ctx.db('directory_entries').insert({ dn: 'uid=mis,dc=x', user_id: 'misaligned1', object_id: '11111111-2222-4333-8444-555555555555', sync_run_id: 0 });
    await service.ctx.db('identities').insert({ user_id: 'misaligned1', source: 'ldap', tenant_id: '', object_id: '11111111-2222-4333-8444-555555555555', attribute: 'msDS-aadObjectId' });
    await runReport();
    try {
      const check = (await preflight()).get('identity_alignment')!;
      assert.equal(check.state, 'fail');
      assert.match(check.evidence, /mismatch 1/);
      assert.equal(check.error_id, 'ent.intune.login.user_mismatch.app_error');
    } finally {
      await service.ctx.db('users').where({ id: 'misaligned1' }).delete();
      await service.ctx.db('directory_entries').where({ dn: 'uid=mis,dc=x' }).delete();
      await runReport();
    }
  });

  test('an unsupported directory attribute in the latest report → identity_alignment cites the error the user really meets', async () => {
    // The directory holds objectGUID-style bytes, not msDS-aadObjectId: sign-in lets the user in (the account's auth
    // data is the objectId) and the user meets EnrollmentFailed later — not user_mismatch, which sign-in never
    // answers them (sign-in-rules.ts, as the report predicts it).
    const objectId = '11111111-2222-4333-8444-55555555eeee';
    await service.ctx.db('users').insert({ id: 'objectguid1', username: 'og', email: 'og@example.com', auth_service: 'office365', auth_data: objectId });
    await service.ctx.db('directory_entries').insert({ dn: 'uid=og,dc=x', user_id: 'objectguid1', object_id: null, raw_value: '0x1f2e3d4c', sync_run_id: 0 });
    await service.ctx.db('identities').insert({ user_id: 'objectguid1', source: 'ldap', tenant_id: '', object_id: null, raw_value: '0x1f2e3d4c', attribute: 'msDS-aadObjectId' });
    await runReport();
    try {
      const check = (await preflight()).get('identity_alignment')!;
      assert.equal(check.state, 'fail');
      assert.match(check.evidence, /unsupported_attribute 1/);
      assert.equal(check.error_id, 'ent.intune.enrollment.failed.app_error');
    } finally {
      await service.ctx.db('users').where({ id: 'objectguid1' }).delete();
      await service.ctx.db('directory_entries').where({ dn: 'uid=og,dc=x' }).delete();
      await runReport();
    }
  });

  test('a broken tunnel configuration → tunnel fails with the validator findings', async () => {
    const restore = await storeUnvalidated((s) => {
      s.TunnelSettings.ConnectionType = 'MicrosoftProtect';
      s.TunnelSettings.ConnectionName = 'mam-tunnel';
      s.TunnelSettings.SiteId = 'not-a-guid';
      s.TunnelSettings.ServerAddress = 'tunnel.contoso.com:99999';
      s.IntuneSettings.TunnelClientId = 'b1b2b3b4-c5c6-4d7d-8e9e-f0f1f2f3f4f5';
    });
    try {
      const check = (await preflight()).get('tunnel')!;
      assert.equal(check.state, 'fail');
      assert.match(check.evidence, /site_id|server_address/i);
      assert.ok(check.next_step.length > 10);
    } finally {
      await restore();
    }
  });

  test('tunnel keys set → each prerequisite this server cannot see warns "confirm in the … admin center", with the consent link', async () => {
    const restore = await storeUnvalidated((s) => {
      s.TunnelSettings.ConnectionType = 'MicrosoftProtect';
      s.TunnelSettings.ConnectionName = 'mam-tunnel';
      s.TunnelSettings.SiteId = '4a8e2f1c-7b3d-4c5e-9f60-1a2b3c4d5e6f';
      s.TunnelSettings.ServerAddress = 'tunnel.contoso.com:443';
      s.TunnelSettings.BypassedUrls = ['sts.contoso.com'];
      s.IntuneSettings.TunnelClientId = 'b1b2b3b4-c5c6-4d7d-8e9e-f0f1f2f3f4f5';
    });
    try {
      const checks = await preflight();
      assert.equal(checks.get('tunnel')!.state, 'pass', checks.get('tunnel')!.evidence);
      for (const id of ['tunnel_identity_keys', 'tunnel_policy', 'tunnel_in_app_sign_in', 'tunnel_gateway_service_principal', 'tunnel_admin_consent', 'tunnel_license']) {
        const check = checks.get(id)!;
        assert.ok(check, id);
        assert.equal(check.state, 'warn', `${id} is never passed unseen: ${check.evidence}`);
        assert.match(check.evidence, /^to confirm, this server cannot see it: /, id);
        assert.match(check.next_step, /^Confirm in the Microsoft (Intune|Entra) admin center/, id);
      }
      assert.match(checks.get('tunnel_identity_keys')!.next_step, /IntuneMAMUPN = \{\{userprincipalname\}\}/);
      assert.match(checks.get('tunnel_gateway_service_principal')!.evidence, /3678c9e9-9681-447a-974d-d19f668fcd88/);
      assert.match(checks.get('tunnel_gateway_service_principal')!.next_step, /mst-ca-provisioning\.ps1/);
      const tenant = (await currentSettings(service.ctx.db)).settings.IntuneSettings.TenantId;
      // MAMGATE_ENTRA_AUTHORITY is the development issuer here: the link follows it, not login.microsoftonline.com.
      assert.ok(checks.get('tunnel_admin_consent')!.next_step.includes(`${idp.url}/${tenant}/adminconsent?client_id=b1b2b3b4-c5c6-4d7d-8e9e-f0f1f2f3f4f5`), checks.get('tunnel_admin_consent')!.next_step);
      assert.match(checks.get('tunnel_license')!.evidence, /Plan 2 or the Microsoft Intune Suite/);
      // Graph is off: its own look-up of the service principal does not apply, so this check asks the operator.
      assert.match(checks.get('graph_tunnel_gateway')!.evidence, /not applicable/);
    } finally {
      await restore();
    }
    const off = await preflight();
    assert.match(off.get('tunnel_license')!.evidence, /not applicable/);
    assert.equal(off.get('tunnel_license')!.state, 'pass');
  });

  test('the preflight needs an admin token', async () => {
    const answer = await call(adminUrl(service.url, 'preflight'));
    assert.equal(answer.status, 401);
  });
});
