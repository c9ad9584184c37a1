// The sign-in on the embedded database (PGlite, the default with no DATABASE_URL): the same one-statement write
// as on PostgreSQL, without named prepared statements.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import { API_BASE } from '../../server/http/app.ts';
import { hashToken } from '../../server/util/secret-token.ts';
import { call, startTestService, type TestService } from '../support/service.ts';

const TENANT = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const CLIENT_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const MOBILE_CLIENT = '9ac649f1-4f77-44d6-9792-b2f54ab3c9a7';
const OID = '21111111-2222-4333-8444-555555555555';

describe('POST /oauth/intune on the embedded database', { timeout: 120_000 }, () => {
  let idp: DevIdp;
  let service: TestService;

  before(async () => {
    idp = await startDevIdp();
    service = await startTestService({
      embedded: true,
      env: { entraAuthority: idp.url, jwksCooldownMs: 50, loginRatePerIpPerMinute: 0, loginRatePerTenantPerMinute: 0 },
    });
    const admin = (path: string, body: unknown) => call(`${service.url}${API_BASE}/admin/${path}`, { method: 'PUT', token: service.adminToken, body });
    await admin('license', { IsLicensed: true, SkuShortName: 'advanced' });
    const saved = await admin('settings', {
      Office365Settings: { Enable: true },
      IntuneSettings: { Enable: true, TenantId: TENANT, ClientId: CLIENT_ID, AuthService: 'office365', EnableUserCreation: true },
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
  });
  after(async () => {
    await service?.close();
    await idp?.stop();
  });

  const signIn = (deviceId: string) =>
    call(`${service.url}/oauth/intune`, {
      body: {
        access_token: idp.mint({ tenant: TENANT, aud: CLIENT_ID, azp: MOBILE_CLIENT, scp: 'login.mattermost', oid: OID, email: 'emb@example.com' }),
        device_id: deviceId,
      },
    });

  test('creates the account, opens a session, and a second sign-in on the device replaces it', async () => {
    const first = await signIn('emb-device');
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.username, 'emb');
    const second = await signIn('emb-device');
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.equal(second.body.id, first.body.id, 'the account made by the first sign-in is found by the second');

    const db = service.ctx.db;
    const firstRow = await db('sessions').where({ token_hash: hashToken(first.headers.get('token')!) }).first();
    const secondRow = await db('sessions').where({ token_hash: hashToken(second.headers.get('token')!) }).first();
    assert.equal(firstRow.revoked_reason, 'replaced_by_new_session_on_device');
    assert.equal(secondRow.revoked_at, null);
    assert.equal(secondRow.mam_state, 'pending');
    const audits = await db('audit_log').where({ action: 'login.intune', outcome: 'success' }).orderBy('id');
    assert.deepEqual(
      audits.map((a) => [a.target, a.details.user_created, a.details.replaced_sessions]),
      [
        [`user:${first.body.id}`, true, []],
        [`user:${first.body.id}`, false, [firstRow.id]],
      ],
    );
    const identity = await db('identities').where({ user_id: first.body.id, source: 'oauth' }).first();
    assert.equal(identity.object_id, OID);
    assert.equal((await call(`${service.url}${API_BASE}/gate`, { token: first.headers.get('token')! })).status, 401);
    assert.equal((await call(`${service.url}${API_BASE}/gate`, { token: second.headers.get('token')! })).status, 403);
  });
});
