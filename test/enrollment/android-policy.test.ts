// IntuneSettings.AndroidPolicy for mamgate's own sessions (standalone): the sign-in (POST /oauth/intune) and the
// gate under each value. The platform comes from the push device id (android_rn:…, apple_rn:…) and the app's
// User-Agent; an iOS client is never changed by the setting.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { DevIdp } from '../../server/devidp/dev-idp.ts';
import {
  CLIENT_ID,
  countRows,
  eventId,
  eventually,
  gate,
  type IntuneService,
  MOBILE_CLIENT,
  report,
  saveSettings,
  sessionUrl,
  startIntuneService,
  TENANT,
} from '../support/intune.ts';
import { call, type TestService } from '../support/service.ts';

const ANDROID_AGENT = 'Mattermost Mobile/2.22.0+612 (Android; 14; Pixel 8)';
const IOS_AGENT = 'Mattermost Mobile/2.22.0+612 (iOS; 17.5; iPhone15,2)';
const ANDROID_ERROR = 'mamgate.intune.android_not_supported.app_error';

describe('Android clients of the standalone sign-in and gate (IntuneSettings.AndroidPolicy)', () => {
  let idp: DevIdp;
  let service: TestService;
  let started: IntuneService | undefined;
  before(async () => {
    started = await startIntuneService();
    ({ idp, service } = started);
  });
  after(() => started?.close());

  // A section is saved whole: the Intune settings startIntuneService saved, with the policy.
  const intune = (value: string) => ({
    IntuneSettings: { Enable: true, TenantId: TENANT, ClientId: CLIENT_ID, AuthService: 'office365', EnableUserCreation: true, AndroidPolicy: value },
  });
  const setPolicy = (value: string) => saveSettings(service.url, service.adminToken, intune(value));

  /** POST /oauth/intune as a given client; the answer, whatever it is. */
  function signInFrom(client: { deviceId?: string; userAgent?: string }) {
    const oid = randomUUID();
    const access = idp.mint({ tenant: TENANT, aud: CLIENT_ID, azp: MOBILE_CLIENT, oid, scp: 'login.mattermost', email: `a${oid.slice(0, 8)}@example.com` });
    const body: Record<string, string> = { access_token: access };
    if (client.deviceId) body.device_id = client.deviceId;
    return call(`${service.url}/oauth/intune`, { body, headers: client.userAgent ? { 'user-agent': client.userAgent } : {} }).then((answer) => ({ answer, oid }));
  }

  test('the default is refuse: an Android sign-in (device id or User-Agent) gets 403 android_not_supported, no account, no session', async () => {
    const device = `android_rn:${randomUUID()}`;
    for (const client of [{ deviceId: device }, { userAgent: ANDROID_AGENT }, { deviceId: 'android_rnbeta:beta-token', userAgent: IOS_AGENT }]) {
      const { answer, oid } = await signInFrom(client);
      assert.equal(answer.status, 403, `${JSON.stringify(client)}: ${answer.text}`);
      assert.equal(answer.body.id, ANDROID_ERROR);
      assert.match(answer.body.next_step, /Operator: .*AndroidPolicy/);
      assert.match(answer.body.next_step, /User: /);
      assert.equal(await countRows(service.ctx.db, 'users', { auth_data: oid }), 0, 'no account was created');
    }
    assert.equal(await countRows(service.ctx.db, 'sessions', { device_id: device }), 0);
    const audited = await service.ctx.db('audit_log').where({ action: 'login.intune', outcome: 'refused' }).whereRaw("details->>'error_id' = ?", [ANDROID_ERROR]);
    assert.equal(audited.length, 3);
  });

  test('iOS is untouched by every value: signed in, then held until evidence', async () => {
    for (const value of ['refuse', 'allow_unprotected', 'require_enrollment']) {
      await setPolicy(value);
      const { answer } = await signInFrom({ deviceId: `apple_rn:${randomUUID()}`, userAgent: IOS_AGENT });
      assert.equal(answer.status, 200, `${value}: ${answer.text}`);
      const held = await gate(service.url, answer.headers.get('token')!, { 'user-agent': IOS_AGENT });
      assert.equal(held.status, 403, value);
      assert.equal(held.body.id, 'ent.intune.enrollment.required.app_error', value);
    }
  });

  test('require_enrollment: Android signs in and is held like iOS until its evidence: 403 required → enrolled → 204', async () => {
    await setPolicy('require_enrollment');
    const { answer } = await signInFrom({ deviceId: `android_rn:${randomUUID()}`, userAgent: ANDROID_AGENT });
    assert.equal(answer.status, 200, answer.text);
    const token = answer.headers.get('token')!;
    const held = await gate(service.url, token, { 'user-agent': ANDROID_AGENT });
    assert.equal(held.status, 403);
    assert.equal(held.body.id, 'ent.intune.enrollment.required.app_error');
    assert.equal((await report(service.url, token, { event_id: eventId('android'), status: 'enrolled' })).status, 200);
    const allowed = await gate(service.url, token, { 'user-agent': ANDROID_AGENT });
    assert.equal(allowed.status, 204, allowed.text);
    assert.equal(allowed.headers.get('x-mam-state'), 'enrolled');
  });

  test('refuse at the gate: an Android session (from its device id, or the User-Agent alone) is refused, not left pending', async () => {
    await setPolicy('require_enrollment');
    const { answer } = await signInFrom({ deviceId: `android_rn:${randomUUID()}` });
    const byDevice = answer.headers.get('token')!;
    const { answer: plain } = await signInFrom({});
    const noDevice = plain.headers.get('token')!;
    await setPolicy('refuse');
    const refused = await gate(service.url, byDevice);
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.id, ANDROID_ERROR);
    assert.equal(refused.headers.get('x-mam-error'), ANDROID_ERROR);
    const status = await call(sessionUrl(service.url), { token: byDevice });
    assert.equal(status.body.mam.allowed, false);
    assert.equal(status.body.mam.error_id, ANDROID_ERROR);
    const byAgent = await gate(service.url, noDevice, { 'user-agent': ANDROID_AGENT });
    assert.equal(byAgent.body.id, ANDROID_ERROR);
    assert.equal((await gate(service.url, noDevice)).body.id, 'ent.intune.enrollment.required.app_error', 'no Android signal: the usual hold');
  });

  test('allow_unprotected: Android signs in and passes the gate without evidence, and both are audited', async () => {
    await setPolicy('allow_unprotected');
    const { answer } = await signInFrom({ deviceId: `android_rn:${randomUUID()}`, userAgent: ANDROID_AGENT });
    assert.equal(answer.status, 200, answer.text);
    const token = answer.headers.get('token')!;
    const login = await service.ctx.db('audit_log').where({ action: 'login.intune', outcome: 'success', target: `user:${answer.body.id}` }).first();
    assert.equal(login?.details.android_unprotected, true, JSON.stringify(login));
    assert.equal(login?.details.platform, 'android');
    const passed = await gate(service.url, token, { 'user-agent': ANDROID_AGENT });
    assert.equal(passed.status, 204, passed.text);
    assert.equal(passed.headers.get('x-mam-state'), 'android_unprotected');
    const status = await call(sessionUrl(service.url), { token, headers: { 'user-agent': ANDROID_AGENT } });
    assert.deepEqual({ state: status.body.mam.state, allowed: status.body.mam.allowed }, { state: 'android_unprotected', allowed: true });
    await eventually(
      'the pass is in the audit log',
      async () => (await service.ctx.db('audit_log').where({ action: 'gate.android_unprotected' }).whereRaw("details->>'user_id' = ?", [answer.body.id])).length === 1,
      3000,
    );
  });

  test('Android attempts are counted from the audit log: the admin activity API and the preflight check say how many and what happened', async () => {
    const attempts = async () => (await call(`${service.url}/plugins/mamgate/api/v1/admin/android-attempts`, { token: service.adminToken })).body;
    const start = await attempts();
    await setPolicy('refuse');
    assert.equal((await signInFrom({ deviceId: `android_rn:${randomUUID()}` })).answer.status, 403);
    await setPolicy('allow_unprotected');
    const { answer } = await signInFrom({ userAgent: ANDROID_AGENT });
    await setPolicy('require_enrollment');
    assert.equal((await signInFrom({ deviceId: `android_rn:${randomUUID()}` })).answer.status, 200);
    await signInFrom({ deviceId: `apple_rn:${randomUUID()}` }); // iOS: not counted
    await setPolicy('allow_unprotected');
    assert.equal((await gate(service.url, answer.headers.get('token')!, { 'user-agent': ANDROID_AGENT })).status, 204);
    let now = start;
    await eventually(
      'the gate pass is written',
      async () => {
        now = await attempts();
        return now.allowed_unprotected - start.allowed_unprotected === 2; // the sign-in and the gate pass
      },
      3000,
    );
    assert.equal(now.refused - start.refused, 1);
    assert.equal(now.held_for_evidence - start.held_for_evidence, 1);
    assert.equal(now.total - start.total, 4);
    const preflight = await call(`${service.url}/plugins/mamgate/api/v1/admin/preflight`, { token: service.adminToken });
    const check = JSON.stringify(preflight.body.checks ?? preflight.body).includes('android_clients')
      ? (preflight.body.checks as { id: string; state: string; evidence: string; error_id?: string }[]).find((c) => c.id === 'android_clients')
      : undefined;
    assert.equal(check?.state, 'warn', preflight.text.slice(0, 300));
    assert.match(check!.evidence, new RegExp(`${now.total} protected Android attempt\\(s\\): ${now.refused} refused, ${now.allowed_unprotected} let through unprotected`));
    assert.equal(check!.error_id, ANDROID_ERROR);
  });

  test('a value other than the three is refused with its catalogue error, and nothing is saved', async () => {
    const saved = await call(`${service.url}/plugins/mamgate/api/v1/admin/settings`, {
      method: 'PUT',
      token: service.adminToken,
      body: intune('sometimes'),
    });
    assert.equal(saved.status, 400, saved.text);
    assert.equal(saved.body.id, 'model.config.is_valid.intune_android_policy.app_error');
    const current = await call(`${service.url}/plugins/mamgate/api/v1/admin/settings`, { token: service.adminToken });
    assert.notEqual(current.body.IntuneSettings?.AndroidPolicy ?? current.body.settings?.IntuneSettings?.AndroidPolicy, 'sometimes');
  });
});
