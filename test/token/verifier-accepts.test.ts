// Tokens the verifier must accept, minted by the dev issuer over HTTP and verified against its real JWKS endpoint.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import { MAM_SERVICE_APP_ID, MAM_SERVICE_RESOURCE } from '../../server/token/expectations.ts';
import { TokenVerifier } from '../../server/token/verifier.ts';
import { CLIENT_ID, MOBILE_CLIENT, mintOverHttp, settingsWith, TENANT, TUNNEL_CLIENT, USER_OID, validV2 } from './fixtures.ts';

describe('TokenVerifier accepts', () => {
  let idp: DevIdp;
  let verifier: TokenVerifier;
  before(async () => {
    idp = await startDevIdp();
    verifier = new TokenVerifier({ authority: idp.url, cooldownMs: 0, backgroundRefreshMs: 0 });
  });
  after(async () => {
    verifier.close();
    await idp.stop();
  });

  test('a valid v2 user token, returning the identity it carries', async () => {
    const token = await mintOverHttp(idp, validV2({ scp: 'openid login.mattermost profile', upn: 'jane@contoso.com', preferred_username: 'jane@contoso.com', given_name: 'Jane', family_name: 'Doe', name: 'Jane Doe' }));
    const verified = await verifier.verify(token, settingsWith());
    const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp as number;
    assert.deepEqual(verified, {
      oid: USER_OID,
      tid: TENANT,
      version: '2.0',
      clientId: MOBILE_CLIENT,
      scopes: ['openid', 'login.mattermost', 'profile'],
      email: 'jane@example.com',
      upn: 'jane@contoso.com',
      preferredUsername: 'jane@contoso.com',
      givenName: 'Jane',
      familyName: 'Doe',
      name: 'Jane Doe',
      expiresAt: exp * 1000,
    });
  });

  test('ids in upper case are compared and returned in lower case', async () => {
    const token = await mintOverHttp(idp, validV2({ oid: USER_OID.toUpperCase(), azp: MOBILE_CLIENT.toUpperCase(), aud: CLIENT_ID.toUpperCase() }));
    const verified = await verifier.verify(token, settingsWith((s) => (s.IntuneSettings.TenantId = TENANT.toUpperCase())));
    assert.equal(verified.oid, USER_OID);
    assert.equal(verified.clientId, MOBILE_CLIENT);
  });

  test('nbf slightly in the future, within the 60 s skew', async () => {
    const token = await mintOverHttp(idp, validV2({ nbfOffset: 30, iatOffset: 30 }));
    assert.equal((await verifier.verify(token, settingsWith())).oid, USER_OID);
  });

  test('exp just passed, within the skew', async () => {
    const token = await mintOverHttp(idp, validV2({ expOffset: -30 }));
    assert.equal((await verifier.verify(token, settingsWith())).oid, USER_OID);
  });

  test('a v1 token for the api:// App ID URI, with aud as the URI or the client GUID', async () => {
    for (const aud of [`api://${CLIENT_ID}`, `api://${CLIENT_ID}/`, CLIENT_ID]) {
      const token = await mintOverHttp(idp, validV2({ version: '1.0', aud, azp: undefined, appid: MOBILE_CLIENT }));
      const verified = await verifier.verify(token, settingsWith());
      assert.equal(verified.version, '1.0', aud);
      assert.equal(verified.clientId, MOBILE_CLIENT);
    }
  });

  test('the MAM service scope (.default): v1 with the resource URI, v2 with its app id; no permission word needed', async () => {
    const settings = settingsWith((s) => (s.IntuneSettings.IntuneScope = `${MAM_SERVICE_RESOURCE}/.default`));
    const v1 = await mintOverHttp(idp, validV2({ version: '1.0', aud: MAM_SERVICE_RESOURCE, scp: 'DeviceManagementManagedApps.ReadWrite' }));
    assert.equal((await verifier.verify(v1, settings)).version, '1.0');
    const v2 = await mintOverHttp(idp, validV2({ aud: MAM_SERVICE_APP_ID, scp: 'DeviceManagementManagedApps.ReadWrite' }));
    assert.deepEqual((await verifier.verify(v2, settings)).scopes, ['DeviceManagementManagedApps.ReadWrite']);
  });

  test('a resource named by its client GUID: v2 with that GUID as aud', async () => {
    const settings = settingsWith((s) => (s.IntuneSettings.IntuneScope = `${CLIENT_ID}/login.mattermost`));
    const token = await mintOverHttp(idp, validV2());
    assert.equal((await verifier.verify(token, settings)).version, '2.0');
  });

  test('the tunnel client id when the tunnel keys are configured', async () => {
    const settings = settingsWith((s) => {
      s.IntuneSettings.TunnelClientId = TUNNEL_CLIENT;
      Object.assign(s.TunnelSettings, { ConnectionType: 'MicrosoftTunnel', ConnectionName: 'Contoso', SiteId: 'site-1', ServerAddress: 'tunnel.contoso.com' });
    });
    const token = await mintOverHttp(idp, validV2({ azp: TUNNEL_CLIENT }));
    assert.equal((await verifier.verify(token, settings)).clientId, TUNNEL_CLIENT);
  });
});
