// POST /plugins/mamgate/api/v1/admin/tunnel/validate through the real service: a body with Graph objects, an
// empty body (the stored settings), the stored app configuration cross-checked against a posted gateway, and the
// refusals every admin route gives.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API_BASE } from '../../server/http/app.ts';
import { saveSettings } from '../support/intune.ts';
import { call, startTestService, type TestService } from '../support/service.ts';
import { CLIENT_ID, TENANT } from '../token/fixtures.ts';
import { goodAppConfig, goodServerConfiguration, goodSite, goodTunnelSettings, TUNNEL_CLIENT } from './fixtures.ts';

describe('admin API: tunnel validate', () => {
  let service: TestService;
  before(async () => {
    service = await startTestService();
  });
  after(() => service.close());

  const validateUrl = () => `${service.url}${API_BASE}/admin/tunnel/validate`;
  const validate = (body?: unknown) => call(validateUrl(), { method: 'POST', token: service.adminToken, body });
  const intune = (tunnelClientId: string, tunnel: Record<string, unknown> = {}) =>
    saveSettings(service.url, service.adminToken, {
      Office365Settings: { Enable: true },
      IntuneSettings: { Enable: true, TenantId: TENANT, ClientId: CLIENT_ID, AuthService: 'office365', TunnelClientId: tunnelClientId },
      TunnelSettings: tunnel,
    });

  test('empty body → the stored settings (none configured: one note)', async () => {
    for (const answer of [await validate(), await validate({})]) {
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.headers.get('cache-control'), 'no-store');
      assert.deepEqual(answer.body.summary, { error: 0, warning: 0, info: 1 });
      assert.equal(answer.body.findings[0].rule, 'appconfig.required');
      assert.deepEqual(answer.body.checked, { appConfig: 'stored settings', serverConfiguration: false, site: false });
    }
  });

  test('a good gateway: no findings once this server knows the tunnel-enabled client id', async () => {
    const gateway = { appConfig: goodAppConfig(), serverConfiguration: goodServerConfiguration(), site: goodSite() };
    const unknownClient = await validate(gateway);
    assert.equal(unknownClient.status, 200, unknownClient.text);
    assert.deepEqual(
      unknownClient.body.findings.map((f: { rule: string; field: string }) => [f.rule, f.field]),
      [['appconfig.tunnel_client_id', 'IntuneSettings.TunnelClientId']],
    );
    await intune(TUNNEL_CLIENT);
    const answer = await validate(gateway);
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.body.findings, []);
    assert.deepEqual(answer.body.summary, { error: 0, warning: 0, info: 0 });
    assert.deepEqual(answer.body.checked, { appConfig: 'app configuration', serverConfiguration: true, site: true });
  });

  test('a broken gateway: findings with severity, rule, field, value, message, fix; the summary counts them', async () => {
    const answer = await validate({
      serverConfiguration: { ...goodServerConfiguration(), network: '172.17.0.0/16', routeIncludes: ['0.0.0.0/0'], disableUdpConnections: true },
      site: { ...goodSite(), publicAddress: '10.1.2.3' },
    });
    assert.equal(answer.status, 200, answer.text);
    const findings = answer.body.findings as { severity: string; rule: string; field: string; value: unknown; message: string; fix: string }[];
    const rules = findings.map((f) => f.rule);
    for (const rule of ['network.overlap.bridge', 'routes.default_route', 'udp.disabled', 'site.public_address']) assert.ok(rules.includes(rule), rule);
    const bridge = findings.find((f) => f.rule === 'network.overlap.bridge')!;
    assert.deepEqual(Object.keys(bridge).sort(), ['field', 'fix', 'message', 'rule', 'severity', 'value']);
    assert.equal(bridge.severity, 'error');
    assert.equal(bridge.field, 'serverConfiguration.network');
    assert.equal(bridge.value, '172.17.0.0/16');
    const count = (s: string) => findings.filter((f) => f.severity === s).length;
    assert.deepEqual(answer.body.summary, { error: count('error'), warning: count('warning'), info: count('info') });
  });

  test('without appConfig the stored TunnelSettings are cross-checked against the posted gateway', async () => {
    await intune(TUNNEL_CLIENT, goodTunnelSettings());
    const stored = await validate();
    assert.deepEqual(stored.body.findings, []);
    // What no stored value shows is listed to confirm; the consent link is on this service's Entra authority.
    const consent = stored.body.prerequisites.find((p: { rule: string }) => p.rule === 'prerequisite.admin_consent');
    assert.ok(consent, stored.text);
    assert.equal(consent.url, `${service.ctx.entraAuthority}/${TENANT}/adminconsent?client_id=${TUNNEL_CLIENT}`);
    assert.ok(stored.body.prerequisites.some((p: { rule: string }) => p.rule === 'prerequisite.identity_keys'));
    const answer = await validate({ serverConfiguration: { ...goodServerConfiguration(), listenPort: 8443 }, site: goodSite() });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.checked.appConfig, 'stored settings');
    const mismatch = answer.body.findings.find((f: { rule: string }) => f.rule === 'match.server_address');
    assert.ok(mismatch, answer.text);
    assert.equal(mismatch.field, 'TunnelSettings.ServerAddress');
    assert.match(mismatch.fix, /tunnel\.contoso\.com:8443/);
  });

  test('refusals: no admin token → 401; unknown parts or wrong types → 400 invalid_body_param; not JSON → 415', async () => {
    const anonymous = await call(validateUrl(), { method: 'POST', body: {} });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.id, 'mamgate.admin.unauthorized.app_error');
    for (const [body, field] of [
      [{ gateway: {} }, 'gateway'],
      [{ site: 'tunnel.contoso.com' }, 'site'],
      [[goodSite()], '(body)'],
    ] as const) {
      const answer = await validate(body);
      assert.equal(answer.status, 400, answer.text);
      assert.equal(answer.body.id, 'mamgate.request.invalid_body_param.app_error');
      assert.equal(answer.body.field, field);
    }
    const text = await call(validateUrl(), {
      method: 'POST',
      token: service.adminToken,
      body: 'network=172.17.0.0/16',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(text.status, 415);
  });
});
