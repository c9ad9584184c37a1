// The token side of MAM Tunnel through POST /oauth/intune with tokens minted by the development issuer: a token
// whose azp is TunnelClientId is refused while the tunnel keys are absent and accepted once they are configured;
// an expired one answers 401 token_expired so the client renews silently and retries.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import { intuneEnv, saveLicense, saveSettings } from '../support/intune.ts';
import { call, startTestService, type TestService } from '../support/service.ts';
import { CLIENT_ID, MOBILE_CLIENT, TENANT } from '../token/fixtures.ts';
import { goodTunnelSettings, TUNNEL_CLIENT } from './fixtures.ts';

describe('MAM Tunnel sign-in: the tunnel-enabled client id', () => {
  let idp: DevIdp;
  let service: TestService;
  before(async () => {
    idp = await startDevIdp();
    service = await startTestService({ env: intuneEnv(idp) });
    await saveLicense(service.url, service.adminToken, 'advanced');
  });
  after(async () => {
    await service.close();
    await idp.stop();
  });

  const configure = (tunnel: Record<string, unknown>) =>
    saveSettings(service.url, service.adminToken, {
      Office365Settings: { Enable: true },
      IntuneSettings: { Enable: true, TenantId: TENANT, ClientId: CLIENT_ID, AuthService: 'office365', EnableUserCreation: true, TunnelClientId: TUNNEL_CLIENT },
      TunnelSettings: tunnel,
    });
  const signIn = (azp: string, expOffset?: number) => {
    const oid = randomUUID();
    const token = idp.mint({ tenant: TENANT, aud: CLIENT_ID, azp, oid, scp: 'login.mattermost', email: `u${oid.slice(0, 8)}@example.com`, expOffset });
    return call(`${service.url}/oauth/intune`, { body: { access_token: token, device_id: `device-${oid.slice(0, 8)}` } });
  };

  test('tunnel keys absent: the tunnel client is refused (the standard client still signs in)', async () => {
    await configure({});
    const refused = await signIn(TUNNEL_CLIENT);
    assert.equal(refused.status, 401, refused.text);
    assert.equal(refused.body.id, 'ent.intune.validate_token.invalid_token.app_error');
    assert.match(refused.body.message, /not allowed/);
    const standard = await signIn(MOBILE_CLIENT);
    assert.equal(standard.status, 200, standard.text);
  });

  test('tunnel keys configured: the tunnel client signs in; removing the keys refuses it again', async () => {
    await configure(goodTunnelSettings());
    const accepted = await signIn(TUNNEL_CLIENT);
    assert.equal(accepted.status, 200, accepted.text);
    assert.ok(accepted.headers.get('token'));
    assert.equal((await signIn(MOBILE_CLIENT)).status, 200, 'the standard client keeps working in tunnel mode');

    await configure({});
    const refused = await signIn(TUNNEL_CLIENT);
    assert.equal(refused.status, 401, refused.text);
    assert.equal(refused.body.id, 'ent.intune.validate_token.invalid_token.app_error');
  });

  test('an expired tunnel-client token → 401 token_expired (renew silently, retry once)', async () => {
    await configure(goodTunnelSettings());
    const expired = await signIn(TUNNEL_CLIENT, -600);
    assert.equal(expired.status, 401, expired.text);
    assert.equal(expired.body.id, 'ent.intune.validate_token.token_expired.app_error');
    assert.match(expired.body.next_step, /renews the token silently and retries once/);
    const renewed = await signIn(TUNNEL_CLIENT);
    assert.equal(renewed.status, 200, renewed.text);
  });
});
