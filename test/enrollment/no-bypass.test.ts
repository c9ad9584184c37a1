// No bypass: a mobile session of the protected provider that never reports enrollment is never allowed, whatever
// it does; sessions MAM does not cover are allowed. Web sessions (is_mobile false) are not gated: mam-policy.ts
// requires MAM only for mobile sessions (mamRequiredFor: enforcing && isMobile && authService matches), as
// Mattermost enforces Intune only in its mobile app.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { DevIdp } from '../../server/devidp/dev-idp.ts';
import {
  eventId,
  gate,
  gateUrl,
  insertSession,
  insertUser,
  report,
  saveSettings,
  sessionUrl,
  signIn,
  TENANT,
  type IntuneService,
  startIntuneService,
} from '../support/intune.ts';
import { call, type TestService } from '../support/service.ts';

describe('no bypass of the enrollment gate', () => {
  let idp: DevIdp;
  let service: TestService;
  let started: IntuneService | undefined;
  before(async () => {
    started = await startIntuneService();
    ({ idp, service } = started);
  });
  after(() => started?.close());

  test('a protected mobile session that never reports enrollment is refused on every call', async () => {
    const user = await signIn(service.url, idp, { deviceId: 'nb-never' });
    const ways: Record<string, string>[] = [
      { authorization: `Bearer ${user.token}` },
      { token: user.token },
      { cookie: `MMAUTHTOKEN=${user.token}` },
      { authorization: `Bearer ${user.token}`, 'x-forwarded-for': '10.0.0.1', 'x-mam-state': 'enrolled' },
    ];
    for (let i = 0; i < 60; i++) {
      const answer = await call(gateUrl(service.url), { headers: ways[i % ways.length]! });
      assert.equal(answer.status, 403, `call ${i}`);
      assert.equal(answer.body.id, 'ent.intune.enrollment.required.app_error');
      if (i === 20) {
        // An unrelated settings save and a fresh read of everything change nothing.
        await saveSettings(service.url, service.adminToken, { LdapSettings: { SyncIntervalMinutes: 61 } });
        service.gate.sessions.clear();
        service.gate.policies.invalidate();
      }
    }
    const status = await call(sessionUrl(service.url), { token: user.token });
    assert.equal(status.status, 200);
    assert.equal(status.body.mam.required, true);
    assert.equal(status.body.mam.state, 'pending');
    assert.equal(status.body.mam.allowed, false);
    assert.equal(status.body.mam.action, 'enroll');

    // Signing in again on the same device starts pending again: there is no enrollment to reuse.
    const again = await signIn(service.url, idp, { oid: user.oid, deviceId: 'nb-never' });
    assert.equal((await gate(service.url, again.token)).status, 403);
  });

  test('a protected mobile session made another way (not through the Intune sign-in) is refused too', async () => {
    const oid = randomUUID();
    const userId = await insertUser(service.ctx.db, { authService: 'office365', authData: oid });
    for (const mamState of ['not_required', 'pending'] as const) {
      const session = await insertSession(service.ctx.db, {
        userId,
        isMobile: true,
        authService: 'office365',
        deviceId: `nb-other-${mamState}`,
        tenantId: TENANT,
        objectId: oid,
        mamState,
      });
      const answer = await gate(service.url, session.token);
      assert.equal(answer.status, 403, mamState);
      assert.equal(answer.body.id, 'ent.intune.enrollment.required.app_error');
    }
  });

  test('mobile sessions of unprotected users are allowed', async () => {
    for (const authService of ['', 'email', 'saml', 'gitlab']) {
      const userId = await insertUser(service.ctx.db, { authService, authData: authService ? randomUUID() : null });
      const session = await insertSession(service.ctx.db, { userId, isMobile: true, authService, deviceId: `nb-unprotected-${authService}` });
      const answer = await gate(service.url, session.token);
      assert.equal(answer.status, 204, `auth service "${authService}": ${answer.text}`);
      assert.equal(answer.headers.get('x-mam-state'), 'not_required');
      assert.equal(answer.headers.get('x-user-id'), userId);
      const status = await call(sessionUrl(service.url), { token: session.token });
      assert.equal(status.body.mam.required, false);
      assert.equal(status.body.mam.allowed, true);
    }
  });

  test('web sessions (is_mobile false) of the protected provider are not gated', async () => {
    const user = await signIn(service.url, idp, { deviceId: 'nb-web' });
    const web = await insertSession(service.ctx.db, { userId: user.userId, isMobile: false, authService: 'office365' });
    const answer = await gate(service.url, web.token);
    assert.equal(answer.status, 204, answer.text);
    assert.equal(answer.headers.get('x-mam-state'), 'not_required');
    assert.equal((await gate(service.url, user.token)).status, 403, 'the same user on mobile is still refused');
  });

  test("an enrollment report changes only the reporting session: another user's token enrolls nothing here", async () => {
    const victim = await signIn(service.url, idp, { deviceId: 'nb-shared-device' });
    const other = await signIn(service.url, idp, { deviceId: 'nb-shared-device' });
    const victimSessionId = (await call(sessionUrl(service.url), { token: victim.token })).body.session_id;
    assert.ok(victimSessionId);
    assert.equal((await gate(service.url, victim.token)).status, 403);
    const answer = await report(service.url, other.token, {
      event_id: eventId(),
      status: 'enrolled',
      session_id: victimSessionId,
      user_id: victim.userId,
    });
    assert.equal(answer.status, 200);
    assert.equal((await gate(service.url, other.token)).status, 204, 'the reporter is enrolled');
    assert.equal((await gate(service.url, victim.token)).status, 403, 'the other session is not');
    const row = await service.ctx.db('sessions').where({ id: victimSessionId }).first();
    assert.equal(row.mam_state, 'pending');
    assert.equal(await service.ctx.db('enrollment_events').where({ session_id: victimSessionId }).first(), undefined);
  });

  test('other credentials do not open the gate', async () => {
    const user = await signIn(service.url, idp, { deviceId: 'nb-credentials' });
    await report(service.url, user.token, { event_id: eventId(), status: 'enrolled' });
    assert.equal((await gate(service.url, user.token)).status, 204);
    const attempts: [string, string, Record<string, string>][] = [
      ['the token in the query string', `?access_token=${user.token}`, {}],
      ['the admin token', '', { authorization: `Bearer ${service.adminToken}` }],
      ['an unknown bearer before a valid cookie', '', { authorization: 'Bearer mgs_forged', cookie: `MMAUTHTOKEN=${user.token}` }],
      ['the Entra access token', '', { authorization: `Bearer ${idp.mint({ tenant: TENANT, aud: 'x', oid: user.oid })}` }],
    ];
    for (const [label, query, headers] of attempts) {
      const answer = await call(`${gateUrl(service.url)}${query}`, { headers });
      assert.equal(answer.status, 401, label);
      assert.equal(answer.body.id, 'api.context.session_expired.app_error', label);
    }
  });
});
