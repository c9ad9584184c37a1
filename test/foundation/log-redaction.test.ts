// Secrets never leave the request that carries them: after admin calls with the admin token, saves of an LDAP bind
// password (accepted and refused), and failed authentication with a wrong token, none of those values appears in
// the captured logs, in the audit log, or in /metrics.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API_BASE } from '../../server/http/app.ts';
import { currentSettings } from '../../server/settings/service.ts';
import { call, startTestService, type TestService } from '../support/service.ts';

const BIND_PASSWORD = 'Zq7-bind-password-4a1f9c';
const NEW_BIND_PASSWORD = 'Rx2-second-bind-secret-77e0';
const WRONG_TOKEN = 'mga_wrong-token-0f3c9a71d2b84e56aa00ffee';
const WRONG_OPAQUE_TOKEN = 'opaque-wrong-token-5d1e2b9c';

describe('secrets are never logged, audited or exported as metrics', () => {
  let service: TestService;
  let metricsText = '';
  before(async () => {
    service = await startTestService();
    const settingsUrl = `${service.url}${API_BASE}/admin/settings`;
    const licenseUrl = `${service.url}${API_BASE}/admin/license`;
    const admin = { token: service.adminToken };

    // Ordinary admin calls.
    assert.equal((await call(settingsUrl, admin)).status, 200);
    assert.equal((await call(licenseUrl, { ...admin, method: 'PUT', body: { IsLicensed: true, SkuShortName: 'advanced' } })).status, 200);

    // An accepted save of the secret.
    const ldap = { Enable: true, Url: 'ldaps://dc.contoso.com:636', BaseDn: 'DC=contoso,DC=com', BindDn: 'CN=svc', BindPassword: BIND_PASSWORD };
    const saved = await call(settingsUrl, { ...admin, method: 'PUT', body: { LdapSettings: ldap } });
    assert.equal(saved.status, 200, saved.text);

    // Refused saves that carry a (new) secret: a rule failure, a type failure, an unknown key, malformed JSON.
    const refusals = [
      { LdapSettings: { ...ldap, BindPassword: NEW_BIND_PASSWORD, IdAttribute: 'objectGUID' } },
      { LdapSettings: { ...ldap, BindPassword: NEW_BIND_PASSWORD, Enable: 'yes' } },
      { LdapSettings: { ...ldap, BindPassword: NEW_BIND_PASSWORD, Password: NEW_BIND_PASSWORD } },
      `{"LdapSettings": {"BindPassword": "${NEW_BIND_PASSWORD}"`,
      { IntuneSettings: { Enable: true }, LdapSettings: { ...ldap, BindPassword: NEW_BIND_PASSWORD } },
    ];
    for (const body of refusals) {
      const answer = await call(settingsUrl, { ...admin, method: 'PUT', body });
      assert.equal(answer.status, 400, answer.text);
      assert.ok(!answer.text.includes(NEW_BIND_PASSWORD), 'the refusal does not echo the secret');
    }

    // Failing authentication with wrong tokens, in the header and in the query string.
    for (const token of [WRONG_TOKEN, WRONG_OPAQUE_TOKEN]) {
      assert.equal((await call(settingsUrl, { token })).status, 401);
      assert.equal((await call(settingsUrl, { token, method: 'PUT', body: { LdapSettings: ldap } })).status, 401);
      assert.equal((await call(`${settingsUrl}?access_token=${token}`)).status, 401);
    }
    assert.equal((await call(`${service.url}/api/v4/config/client?format=old&access_token=${WRONG_TOKEN}`)).status, 200);

    // The admin token in a query string of an unknown route.
    assert.equal((await call(`${service.url}/nope?token=${service.adminToken}`)).status, 404);

    assert.equal((await currentSettings(service.ctx.db)).settings.LdapSettings.BindPassword, BIND_PASSWORD);
    metricsText = (await call(`${service.url}/metrics`)).text;
  });
  after(() => service.close());

  const secrets = () => [
    ['the admin token', service.adminToken],
    ['the wrong token', WRONG_TOKEN],
    ['the wrong opaque token', WRONG_OPAQUE_TOKEN],
    ['the bind password', BIND_PASSWORD],
    ['the refused bind password', NEW_BIND_PASSWORD],
  ];

  test('the logs captured something of every kind of request', () => {
    const lines = service.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.ok(lines.some((l) => l.status === 401), 'failed authentication is logged');
    assert.ok(lines.some((l) => l.error_id === 'model.config.is_valid.ldap_id_attribute.app_error'), 'refusals are logged');
    assert.ok(lines.some((l) => l.route === '/plugins/mamgate/api/v1/admin/settings' || l.status === 200));
  });

  test('no secret in the logs', () => {
    const all = service.logs.join('\n');
    for (const [label, value] of secrets()) assert.ok(!all.includes(value!), `${label} appears in the logs`);
  });

  test('no secret in any audit row', async () => {
    const rows = await service.ctx.db('audit_log').select('*');
    assert.ok(rows.some((r) => r.action === 'settings.save' && r.outcome === 'refused'), 'refused saves are audited');
    assert.ok(rows.some((r) => r.action === 'settings.save' && r.outcome === 'success'));
    const all = JSON.stringify(rows);
    for (const [label, value] of secrets()) assert.ok(!all.includes(value!), `${label} appears in the audit log`);
  });

  test('the audit of the secret save names the key, not the value', async () => {
    const row = await service.ctx.db('audit_log').where({ action: 'settings.save', outcome: 'success' }).orderBy('id', 'desc').first();
    assert.ok(row.details.changed_secrets.includes('LdapSettings.BindPassword'));
  });

  test('no secret in /metrics', () => {
    assert.match(metricsText, /mamgate_http_requests_total/);
    for (const [label, value] of secrets()) assert.ok(!metricsText.includes(value!), `${label} appears in /metrics`);
  });
});
