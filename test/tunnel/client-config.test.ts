// The pre-login config (GET /api/v4/config/client) with and without the MAM Tunnel keys, through the real routes:
// with them the client is told to require the tunnel and enroll with TunnelClientId; without them nothing changes
// for anyone (seed 000).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { TUNNEL_CLIENT_CONFIG_KEYS } from '../../server/clientconfig/client-config.ts';
import { settingsStore } from '../../server/db/stores/settings-store.ts';
import { API_BASE } from '../../server/http/app.ts';
import { defaultSettings } from '../../server/settings/model.ts';
import { call, startTestService, type TestService } from '../support/service.ts';
import { CLIENT_ID, TENANT } from '../token/fixtures.ts';
import { goodTunnelSettings, SITE_ID, TUNNEL_CLIENT } from './fixtures.ts';

const INTUNE = { Enable: true, TenantId: TENANT, ClientId: CLIENT_ID, AuthService: 'office365' };

describe('pre-login config and MAM Tunnel', () => {
  let service: TestService;
  before(async () => {
    service = await startTestService();
  });
  after(() => service.close());

  const admin = (path: string, body: unknown) => call(`${service.url}${API_BASE}/admin/${path}`, { method: 'PUT', token: service.adminToken, body });
  const clientConfig = async () => {
    const answer = await call<Record<string, string>>(`${service.url}/api/v4/config/client?format=old`);
    assert.equal(answer.status, 200);
    for (const value of Object.values(answer.body)) assert.equal(typeof value, 'string');
    return answer.body;
  };
  async function save(body: Record<string, unknown>): Promise<void> {
    const answer = await admin('settings', { Office365Settings: { Enable: true }, ...body });
    assert.equal(answer.status, 200, answer.text);
  }
  const noTunnelKeys = (config: Record<string, string>) => {
    for (const key of TUNNEL_CLIENT_CONFIG_KEYS) assert.equal(key in config, false, `${key} must be absent`);
  };

  beforeEach(async () => {
    assert.equal((await admin('license', { IsLicensed: true, SkuShortName: 'advanced' })).status, 200);
  });

  test('without tunnel keys nothing changes: the same answer as before the tunnel existed, whatever else is set', async () => {
    await save({ IntuneSettings: INTUNE, TunnelSettings: {} });
    const baseline = await clientConfig();
    assert.deepEqual(Object.keys(baseline).sort(), ['BuildNumber', 'EnableLdap', 'EnableSaml', 'EnableSignUpWithOffice365', 'IntuneAuthService', 'IntuneMAMEnabled', 'IntuneScope', 'Version']);
    noTunnelKeys(baseline);
    // A TunnelClientId and the optional keys alone do not turn the tunnel on.
    await save({
      IntuneSettings: { ...INTUNE, TunnelClientId: TUNNEL_CLIENT },
      TunnelSettings: { ProxyPacUrl: 'https://proxy.contoso.com/proxy.pac', BypassedUrls: ['sts.contoso.com'] },
    });
    assert.deepEqual(await clientConfig(), baseline);
  });

  test('with the four keys: requireMAMTunnel, the tunnel client id and the key values', async () => {
    await save({ IntuneSettings: { ...INTUNE, TunnelClientId: TUNNEL_CLIENT.toUpperCase() }, TunnelSettings: goodTunnelSettings() });
    const config = await clientConfig();
    assert.equal(config.IntuneMAMEnabled, 'true');
    assert.equal(config.requireMAMTunnel, 'true');
    assert.equal(config.MAMTunnelClientId, TUNNEL_CLIENT);
    assert.equal(config.MAMTunnelConnectionType, 'MicrosoftProtect');
    assert.equal(config.MAMTunnelConnectionName, 'mam-tunnel-vpn');
    assert.equal(config.MAMTunnelSiteId, SITE_ID);
    assert.equal(config.MAMTunnelServerAddress, 'tunnel.contoso.com:443');
    assert.equal(config.IntuneScope, `api://${CLIENT_ID}/login.mattermost`, 'the Intune keys are unchanged');
    // Removing the keys takes every tunnel key away again.
    await save({ IntuneSettings: { ...INTUNE, TunnelClientId: TUNNEL_CLIENT }, TunnelSettings: {} });
    noTunnelKeys(await clientConfig());
  });

  test('only beside the Intune keys: Intune off, or a license below the tier, sends no tunnel key', async () => {
    await save({ IntuneSettings: { ...INTUNE, Enable: false, TunnelClientId: TUNNEL_CLIENT }, TunnelSettings: goodTunnelSettings() });
    const off = await clientConfig();
    assert.equal(off.IntuneMAMEnabled, 'false');
    noTunnelKeys(off);

    await save({ IntuneSettings: { ...INTUNE, TunnelClientId: TUNNEL_CLIENT }, TunnelSettings: goodTunnelSettings() });
    assert.equal((await admin('license', { IsLicensed: true, SkuShortName: 'enterprise' })).status, 200);
    const belowTier = await clientConfig();
    assert.equal('IntuneMAMEnabled' in belowTier, false);
    noTunnelKeys(belowTier);
  });

  test('a stored document whose tunnel values break the rules (written around the API) sends no tunnel key', async () => {
    const doc = defaultSettings();
    doc.Office365Settings.Enable = true;
    Object.assign(doc.IntuneSettings, INTUNE, { TunnelClientId: TUNNEL_CLIENT });
    Object.assign(doc.TunnelSettings, goodTunnelSettings(), { ServerAddress: 'tunnel.contoso.com' });
    await settingsStore.insert(service.ctx.db, doc, 'test:bad-tunnel', null);
    const config = await clientConfig();
    assert.equal(config.IntuneMAMEnabled, 'true', 'Intune itself stays on');
    noTunnelKeys(config);
  });
});
