// mamgate's Mattermost-shaped answers read by the chat server's own JavaScript client (@mattermost/client's Client4,
// unmodified): the wire format is checked by code nobody here wrote. Client4 parses a body only when Content-Type is
// exactly application/json, as the chat server sends it; anything else reaches its caller as text, and a refusal as
// a ClientError with no status and no id.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import mm from '@mattermost/client';
import { API_BASE } from '../../server/http/app.ts';
import { CLIENT_ID, eventId, MOBILE_CLIENT, startIntuneService, TENANT, type IntuneService } from '../support/intune.ts';

const { Client4, ClientError } = mm;

type Fetched = { data: unknown; headers: Headers };

/**
 * The mobile app's calls Client4 has no method for, made through Client4's own fetch (as server/chatserver/
 * connection.ts does). The sign-in reads the Token header the way Client4's login does, so it goes through
 * doFetchWithResponse, private to the typings only.
 */
class MobileClient extends Client4 {
  private fetchWithResponse(url: string, options: { method: string; body?: string }): Promise<Fetched> {
    return (this as unknown as { doFetchWithResponse(url: string, options: object): Promise<Fetched> }).doFetchWithResponse(url, options);
  }

  async loginByIntune(accessToken: string): Promise<Record<string, unknown>> {
    const { data, headers } = await this.fetchWithResponse(`${this.getUrl()}/oauth/intune`, {
      method: 'post',
      body: JSON.stringify({ access_token: accessToken, device_id: 'client4-device' }),
    });
    const token = headers.get('Token');
    if (token) this.setToken(token);
    return data as Record<string, unknown>;
  }

  plugin<T>(path: string, options: { method: string; body?: string } = { method: 'get' }): Promise<T> {
    return this.doFetch<T>(`${this.getUrl()}${API_BASE}${path}`, options);
  }
}

/** Awaits a refusal as Client4 raises it: a ClientError carrying the chat server's status_code and id. */
async function refusedWith(promise: Promise<unknown>, status: number, id: string): Promise<void> {
  const error = await promise.then(
    () => assert.fail(`expected ${status} ${id}, but the call succeeded`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ClientError, `expected a ClientError, got ${String(error)}`);
  const { status_code, server_error_id } = error as { status_code?: number; server_error_id?: string };
  assert.equal(status_code, status, `status_code of ${String(error)}`);
  assert.equal(server_error_id, id);
}

describe('mamgate through the chat server\'s JavaScript client (Client4)', () => {
  let intune: IntuneService;
  let client: MobileClient;
  const mint = (claims: Record<string, unknown> = {}) =>
    intune.idp.mint({ tenant: TENANT, aud: CLIENT_ID, azp: MOBILE_CLIENT, oid: randomUUID(), scp: 'login.mattermost', email: `c4-${randomUUID().slice(0, 8)}@example.com`, ...claims });

  before(async () => {
    intune = await startIntuneService();
    client = new MobileClient();
    client.setUrl(intune.service.url);
  });
  after(async () => {
    await intune.close();
  });

  test('getClientConfig (format=old) is read as JSON: the Intune keys are there', async () => {
    const config = (await client.getClientConfig()) as unknown as Record<string, unknown>;
    assert.equal(typeof config, 'object', `read as ${typeof config}`);
    assert.equal(config.IntuneMAMEnabled, 'true');
    assert.equal(config.IntuneAuthService, 'office365');
    assert.equal(typeof config.IntuneScope, 'string');
  });

  test('getClientLicenseOld is read as JSON', async () => {
    const license = (await client.getClientLicenseOld()) as unknown as Record<string, unknown>;
    assert.equal(typeof license, 'object', `read as ${typeof license}`);
    assert.equal(license.IsLicensed, 'true');
    assert.equal(license.SkuShortName, 'advanced');
  });

  test('a refused Intune sign-in is a ClientError with status_code and server_error_id', async () => {
    const anonymous = new MobileClient();
    anonymous.setUrl(intune.service.url);
    await refusedWith(anonymous.loginByIntune(mint({ aud: randomUUID() })), 401, 'ent.intune.validate_token.invalid_token.app_error');
    await refusedWith(anonymous.loginByIntune('not-a-token'), 401, 'ent.intune.validate_token.invalid_token.app_error');
  });

  test('the Intune sign-in answers the user as JSON and the session token; the gate refuses a bogus token as a ClientError', async () => {
    const user = await client.loginByIntune(mint());
    assert.equal(typeof user, 'object', `read as ${typeof user}`);
    assert.equal(typeof user.id, 'string');
    assert.equal(user.auth_service, 'office365');
    assert.ok(client.getToken().startsWith('mgs_'), 'the Token header became the client\'s token');

    const stranger = new MobileClient();
    stranger.setUrl(intune.service.url);
    stranger.setToken('mgs_not-a-session');
    await refusedWith(stranger.plugin('/gate'), 401, 'api.context.session_expired.app_error');
  });

  test('the session status and the enrollment report, with the session token', async () => {
    const status = await client.plugin<{ user_id: string; mam: { required: boolean; state: string; action: string } }>('/session');
    assert.equal(typeof status, 'object', `read as ${typeof status}`);
    assert.equal(status.mam.action, 'enroll');
    const answer = await client.plugin<{ state: string; action: string }>('/enrollment', {
      method: 'post',
      body: JSON.stringify({ event_id: eventId('c4'), status: 'enrolled' }),
    });
    assert.equal(typeof answer, 'object', `read as ${typeof answer}`);
    assert.deepEqual([answer.state, answer.action], ['enrolled', 'continue']);
    await refusedWith(
      client.plugin('/enrollment', { method: 'post', body: JSON.stringify({ event_id: eventId('c4'), status: 'maybe' }) }),
      400,
      'mamgate.enrollment.invalid_status.app_error',
    );
  });

  test('the admin API with an admin token, and its refusal without one', async () => {
    const admin = new MobileClient();
    admin.setUrl(intune.service.url);
    admin.setToken(intune.service.adminToken);
    const settings = await admin.plugin<{ IntuneSettings: { TenantId: string } }>('/admin/settings');
    assert.equal(typeof settings, 'object', `read as ${typeof settings}`);
    assert.equal(settings.IntuneSettings.TenantId, TENANT);
    const anonymous = new MobileClient();
    anonymous.setUrl(intune.service.url);
    const refusal = await anonymous.plugin('/admin/settings').then(
      () => assert.fail('the admin API answered without a token'),
      (e: unknown) => e as { status_code?: number; server_error_id?: string },
    );
    assert.ok(refusal instanceof ClientError);
    assert.equal(refusal.status_code, 401);
    assert.equal(typeof refusal.server_error_id, 'string');
  });
});
