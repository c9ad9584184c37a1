// The MAM Tunnel save-time rules through the real admin API (PUT …/admin/settings) on PostgreSQL: catalogue ids,
// the field each names, and nothing stored when a save is refused.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { API_BASE } from '../../server/http/app.ts';
import { type ApiAnswer, call, startTestService, type TestService } from '../support/service.ts';
import { CLIENT_ID, TENANT } from '../token/fixtures.ts';
import { goodTunnelSettings, SITE_ID, TEST_CERT_PEM, TUNNEL_CLIENT, trustedRoots } from './fixtures.ts';

const ID = (name: string) => `model.config.is_valid.${name}.app_error`;

function doc(tunnel: Record<string, unknown>, intune: Record<string, unknown> = {}) {
  return {
    Office365Settings: { Enable: true },
    IntuneSettings: { Enable: true, TenantId: TENANT, ClientId: CLIENT_ID, AuthService: 'office365', TunnelClientId: TUNNEL_CLIENT, ...intune },
    TunnelSettings: tunnel,
  };
}

describe('MAM Tunnel settings: save-time rules', () => {
  let service: TestService;
  before(async () => {
    service = await startTestService();
  });
  after(() => service.close());

  const settingsUrl = () => `${service.url}${API_BASE}/admin/settings`;
  const put = (body: unknown) => call(settingsUrl(), { method: 'PUT', token: service.adminToken, body });
  const get = () => call(settingsUrl(), { token: service.adminToken });

  beforeEach(async () => {
    const reset = await put({ IntuneSettings: {}, Office365Settings: {}, TunnelSettings: {} });
    assert.equal(reset.status, 200, reset.text);
  });

  /** A refusal: 400, the expected first id and field, every listed id, and the stored settings untouched. */
  async function assertRefused(body: unknown, expected: [string, string][]): Promise<ApiAnswer> {
    const before = await get();
    const answer = await put(body);
    assert.equal(answer.status, 400, answer.text);
    assert.equal(answer.body.id, ID(expected[0]![0]));
    assert.equal(answer.body.field, expected[0]![1]);
    assert.deepEqual(
      answer.body.field_errors.map((e: { id: string; field: string }) => [e.id, e.field]),
      expected.map(([id, field]) => [ID(id), field]),
    );
    assert.ok(answer.body.next_step);
    const afterwards = await get();
    assert.equal(afterwards.headers.get('x-settings-version'), before.headers.get('x-settings-version'), 'nothing stored');
    assert.deepEqual(afterwards.body, before.body);
    return answer;
  }

  test('a complete tunnel configuration is stored (site id lower case)', async () => {
    const answer = await put(doc({ ...goodTunnelSettings(), SiteId: SITE_ID.toUpperCase() }));
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.TunnelSettings.SiteId, SITE_ID);
    assert.equal(answer.body.TunnelSettings.ServerAddress, 'tunnel.contoso.com:443');
  });

  test('no tunnel keys at all is fine, with or without a TunnelClientId', async () => {
    assert.equal((await put(doc({}))).status, 200);
    assert.equal((await put(doc({}, { TunnelClientId: '' }))).status, 200);
  });

  test('a partial configuration → tunnel_incomplete, naming every missing key', async () => {
    const answer = await assertRefused(doc({ ConnectionType: 'MicrosoftProtect', ConnectionName: 'mam-tunnel-vpn' }), [
      ['tunnel_incomplete', 'TunnelSettings.SiteId'],
    ]);
    assert.match(answer.body.message, /TunnelSettings\.SiteId, TunnelSettings\.ServerAddress are missing/);
    const one = await assertRefused(doc({ ...goodTunnelSettings(), ConnectionName: '' }), [['tunnel_incomplete', 'TunnelSettings.ConnectionName']]);
    assert.match(one.body.message, /TunnelSettings\.ConnectionName is missing/);
  });

  test('a blank value counts as missing', async () => {
    await assertRefused(doc({ ...goodTunnelSettings(), ServerAddress: '   ' }), [['tunnel_incomplete', 'TunnelSettings.ServerAddress']]);
  });

  test('SiteId not a GUID → tunnel_site_id', async () => {
    const answer = await assertRefused(doc({ ...goodTunnelSettings(), SiteId: 'contoso-site' }), [['tunnel_site_id', 'TunnelSettings.SiteId']]);
    assert.match(answer.body.message, /contoso-site/);
  });

  test('ServerAddress not host:port 1–65535 → tunnel_server_address', async () => {
    for (const value of ['tunnel.contoso.com', 'tunnel.contoso.com:0', 'tunnel.contoso.com:65536', 'https://tunnel.contoso.com', ':443', '2606:4700::1:443']) {
      await assertRefused(doc({ ...goodTunnelSettings(), ServerAddress: value }), [['tunnel_server_address', 'TunnelSettings.ServerAddress']]);
    }
    for (const value of ['tunnel.contoso.com:1', '20.30.40.50:65535', '[2606:4700::1]:443']) {
      assert.equal((await put(doc({ ...goodTunnelSettings(), ServerAddress: value }))).status, 200, value);
    }
  });

  test('tunnel configured without TunnelClientId → tunnel_client_id (the tunnel-enabled client switch)', async () => {
    await assertRefused(doc(goodTunnelSettings(), { TunnelClientId: '' }), [['tunnel_client_id', 'IntuneSettings.TunnelClientId']]);
    // A TunnelClientId that is not a GUID keeps its own (existing) rule, once.
    await assertRefused(doc(goodTunnelSettings(), { TunnelClientId: 'tunnel-app' }), [
      ['intune_tunnel_client_id_format', 'IntuneSettings.TunnelClientId'],
    ]);
  });

  test('trusted roots must parse → tunnel_trusted_roots', async () => {
    for (const value of [
      'MIIB...',
      '{"trustedRootCertificate":"MIIB"}',
      '[{"displayName":"Root"}]',
      JSON.stringify([{ trustedRootCertificate: 'bm90IGEgY2VydGlmaWNhdGU=' }]),
      '[]',
    ]) {
      await assertRefused(doc({ ...goodTunnelSettings(), TrustedRootCertificates: value }), [
        ['tunnel_trusted_roots', 'TunnelSettings.TrustedRootCertificates'],
      ]);
    }
    assert.equal((await put(doc({ ...goodTunnelSettings(), TrustedRootCertificates: trustedRoots(TEST_CERT_PEM) }))).status, 200);
    assert.equal((await put(doc({ ...goodTunnelSettings(), TrustedRootCertificates: '' }))).status, 200);
  });

  test('PAC URL must be http(s) → tunnel_proxy_pac_url', async () => {
    await assertRefused(doc({ ...goodTunnelSettings(), ProxyPacUrl: 'proxy.contoso.com/proxy.pac' }), [['tunnel_proxy_pac_url', 'TunnelSettings.ProxyPacUrl']]);
    await assertRefused(doc({ ...goodTunnelSettings(), ProxyPacUrl: 'file:///proxy.pac' }), [['tunnel_proxy_pac_url', 'TunnelSettings.ProxyPacUrl']]);
    assert.equal((await put(doc({ ...goodTunnelSettings(), ProxyPacUrl: 'http://wpad.contoso.com/wpad.dat' }))).status, 200);
  });

  test('proxy address and port go together → tunnel_proxy', async () => {
    const base = { ...goodTunnelSettings(), ProxyPacUrl: '' };
    await assertRefused(doc({ ...base, ProxyAddress: 'proxy.contoso.com' }), [['tunnel_proxy', 'TunnelSettings.ProxyPort']]);
    await assertRefused(doc({ ...base, ProxyPort: 8080 }), [['tunnel_proxy', 'TunnelSettings.ProxyAddress']]);
    await assertRefused(doc({ ...base, ProxyAddress: 'http://proxy.contoso.com', ProxyPort: 8080 }), [['tunnel_proxy', 'TunnelSettings.ProxyAddress']]);
    assert.equal((await put(doc({ ...base, ProxyAddress: 'proxy.contoso.com', ProxyPort: 8080 }))).status, 200);
  });

  test('several problems at once: every one listed, in rule order', async () => {
    await assertRefused(
      doc({ ConnectionType: 'MicrosoftProtect', SiteId: 'site-1', ServerAddress: 'tunnel', ProxyPacUrl: 'pac' }, { TunnelClientId: '' }),
      [
        ['tunnel_incomplete', 'TunnelSettings.ConnectionName'],
        ['tunnel_site_id', 'TunnelSettings.SiteId'],
        ['tunnel_server_address', 'TunnelSettings.ServerAddress'],
        ['tunnel_proxy_pac_url', 'TunnelSettings.ProxyPacUrl'],
      ],
    );
  });

  test('checked only while Intune MAM is on, like the other Intune fields; switching it on checks the stored values', async () => {
    const partial = { ConnectionType: 'MicrosoftProtect', ConnectionName: 'mam-tunnel-vpn' };
    const off = await put(doc(partial, { Enable: false }));
    assert.equal(off.status, 200, off.text);
    await assertRefused(
      { Office365Settings: { Enable: true }, IntuneSettings: { Enable: true, TenantId: TENANT, ClientId: CLIENT_ID, AuthService: 'office365' } },
      [['tunnel_incomplete', 'TunnelSettings.SiteId']],
    );
  });
});
