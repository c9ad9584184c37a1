// The enrollment flow through HTTP on one node: Intune sign-in → gate refuses → enrollment report → gate allows;
// declined, failed (the session and every other session of that user on that device end), replays, reuse of an
// enrollment on the same device, error-code classification, and refused report bodies.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DevIdp } from '../../server/devidp/dev-idp.ts';
import {
  countRows,
  eventId,
  gate,
  gateUrl,
  insertSession,
  report,
  sessionUrl,
  signIn,
  TENANT,
  type IntuneService,
  startIntuneService,
} from '../support/intune.ts';
import { call, type TestService } from '../support/service.ts';

describe('enrollment flow through HTTP', () => {
  let idp: DevIdp;
  let service: TestService;
  let started: IntuneService | undefined;
  before(async () => {
    started = await startIntuneService();
    ({ idp, service } = started);
  });
  after(() => started?.close());

  const sessionRow = (id: string) => service.ctx.db('sessions').where({ id }).first();
  const sessionIdOf = async (userId: string, deviceId: string | null) => {
    const query = service.ctx.db('sessions').where({ user_id: userId }).whereNull('revoked_at');
    if (deviceId === null) query.whereNull('device_id');
    else query.where({ device_id: deviceId });
    const rows = await query;
    assert.equal(rows.length, 1, 'exactly one live session');
    return rows[0].id as string;
  };

  test('sign in → gate 403 required → report enrolled → gate 204', async () => {
    const user = await signIn(service.url, idp, { deviceId: 'dev-flow-1' });
    assert.equal(user.answer.body.auth_service, 'office365');

    const refused = await gate(service.url, user.token, { 'x-request-id': 'flow-request-0001' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.id, 'ent.intune.enrollment.required.app_error');
    assert.equal(refused.body.status_code, 403);
    assert.equal(refused.headers.get('x-mam-error'), 'ent.intune.enrollment.required.app_error');
    assert.equal(refused.headers.get('x-request-id'), 'flow-request-0001');
    assert.equal(refused.body.request_id, 'flow-request-0001');

    const before = await call(sessionUrl(service.url), { token: user.token });
    assert.equal(before.status, 200);
    assert.equal(before.body.user_id, user.userId);
    assert.deepEqual(
      { required: before.body.mam.required, state: before.body.mam.state, allowed: before.body.mam.allowed, action: before.body.mam.action },
      { required: true, state: 'pending', allowed: false, action: 'enroll' },
    );
    assert.equal(before.body.mam.error_id, 'ent.intune.enrollment.required.app_error');

    const id = eventId('enrolled');
    const answer = await report(service.url, user.token, { event_id: id, status: 'enrolled' });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.body, { event_id: id, cause: 'none', state: 'enrolled', action: 'continue', wipe: false });

    const allowed = await gate(service.url, user.token);
    assert.equal(allowed.status, 204, allowed.text);
    assert.equal(allowed.headers.get('x-mam-state'), 'enrolled');
    assert.equal(allowed.headers.get('x-user-id'), user.userId);
    assert.equal(allowed.headers.get('x-mam-error'), null);

    const afterwards = await call(sessionUrl(service.url), { token: user.token });
    assert.deepEqual(
      { required: afterwards.body.mam.required, state: afterwards.body.mam.state, allowed: afterwards.body.mam.allowed, action: afterwards.body.mam.action },
      { required: true, state: 'enrolled', allowed: true, action: 'none' },
    );
    assert.equal(afterwards.body.mam.error_id, undefined);
  });

  test('the node that took a report answers from the new state on its very next gate call', async () => {
    // The gate remembers the pending session; the report must not leave that memory behind on this node.
    for (let round = 0; round < 20; round++) {
      const user = await signIn(service.url, idp, { deviceId: `dev-ryw-${round}` });
      assert.equal((await gate(service.url, user.token)).status, 403);
      assert.equal((await report(service.url, user.token, { event_id: eventId('ryw'), status: 'enrolled' })).status, 200);
      const allowed = await gate(service.url, user.token);
      assert.equal(allowed.status, 204, `round ${round}: ${allowed.text}`);
    }
  });

  test('the gate reads the session token from Authorization: Bearer, the Token header and the MMAUTHTOKEN cookie', async () => {
    const user = await signIn(service.url, idp, { deviceId: 'dev-places' });
    await report(service.url, user.token, { event_id: eventId(), status: 'enrolled' });
    const cookie = (user.answer.headers.getSetCookie?.() ?? []).find((c) => c.startsWith('MMAUTHTOKEN='));
    assert.ok(cookie, 'the sign-in sets the MMAUTHTOKEN cookie');
    const ways: [string, Record<string, string>][] = [
      ['Authorization: Bearer', { authorization: `Bearer ${user.token}` }],
      ['Authorization: Token', { authorization: `Token ${user.token}` }],
      ['Token header', { token: user.token }],
      ['MMAUTHTOKEN cookie', { cookie: `MMUSERID=${user.userId}; MMAUTHTOKEN=${user.token}; MMCSRF=x` }],
      ['the cookie as the sign-in set it', { cookie: cookie.split(';')[0]! }],
    ];
    for (const [label, headers] of ways) {
      const answer = await call(gateUrl(service.url), { headers });
      assert.equal(answer.status, 204, `${label}: ${answer.text}`);
      assert.equal(answer.headers.get('x-user-id'), user.userId, label);
    }
  });

  test('a report carried by the MMAUTHTOKEN cookie needs X-CSRF-Token = MMCSRF or X-Requested-With; a header token needs neither', async () => {
    const user = await signIn(service.url, idp, { deviceId: 'dev-csrf' });
    const set = user.answer.headers.getSetCookie().map((c) => c.split(';')[0]!);
    const csrf = set.find((c) => c.startsWith('MMCSRF='))!.slice('MMCSRF='.length);
    const cookie = set.join('; ');
    const sessionId = await sessionIdOf(user.userId, 'dev-csrf');
    for (const [label, headers] of [
      ['the cookie alone', { cookie }],
      ['a wrong X-CSRF-Token', { cookie, 'x-csrf-token': 'not-the-cookie-value' }],
      ['X-Requested-With of another value', { cookie, 'x-requested-with': 'fetch' }],
    ] as const) {
      const id = eventId('csrf');
      const refused = await report(service.url, undefined, { event_id: id, status: 'failed', error_code: 'MAMEnrollmentFailed' }, headers);
      assert.equal(refused.status, 403, `${label}: ${refused.text}`);
      assert.equal(refused.body.id, 'mamgate.session.csrf_failed.app_error', label);
      assert.equal(await countRows(service.ctx.db, 'enrollment_events', { event_id: id }), 0, `${label}: nothing stored`);
      assert.equal((await sessionRow(sessionId)).revoked_at, null, `${label}: the session did not end`);
    }
    for (const [label, headers] of [
      ['X-CSRF-Token = MMCSRF', { cookie, 'x-csrf-token': csrf }],
      ['X-Requested-With: XMLHttpRequest', { cookie, 'x-requested-with': 'XMLHttpRequest' }],
    ] as const) {
      const accepted = await report(service.url, undefined, { event_id: eventId('csrf-ok'), status: 'declined' }, headers);
      assert.equal(accepted.status, 200, `${label}: ${accepted.text}`);
      assert.equal(accepted.body.action, 'retry', label);
    }
    // A token in a header (with a cookie or without) is the mobile app's way: no CSRF proof.
    const bearer = await report(service.url, user.token, { event_id: eventId('csrf-bearer'), status: 'enrolled' }, { cookie });
    assert.equal(bearer.status, 200, bearer.text);
    const tokenHeader = await report(service.url, undefined, { event_id: eventId('csrf-token'), status: 'enrolled' }, { token: user.token });
    assert.equal(tokenHeader.status, 200, tokenHeader.text);
  });

  test('no token, an unknown token, an expired session, a revoked session → 401 session_expired', async () => {
    const user = await signIn(service.url, idp, { deviceId: 'dev-expired' });
    const expired = await insertSession(service.ctx.db, {
      userId: user.userId,
      isMobile: true,
      authService: 'office365',
      deviceId: 'dev-expired-2',
      tenantId: TENANT,
      objectId: user.oid,
      mamState: 'enrolled',
      expiresAt: new Date(Date.now() - 1000),
    });
    // A second sign-in on the same device ends the first session.
    const replacement = await signIn(service.url, idp, { oid: user.oid, deviceId: 'dev-expired' });
    for (const [label, headers] of [
      ['no token', {}],
      ['an unknown token', { authorization: 'Bearer mgs_not-a-session-token' }],
      ['a malformed cookie', { cookie: 'MMAUTHTOKEN=%E0%A4%A' }],
      ['an expired session', { authorization: `Bearer ${expired.token}` }],
      ['a session replaced by a sign-in on the same device', { authorization: `Bearer ${user.token}` }],
    ] as const) {
      const answer = await call(gateUrl(service.url), { headers });
      assert.equal(answer.status, 401, `${label}: ${answer.text}`);
      assert.equal(answer.body.id, 'api.context.session_expired.app_error', label);
      assert.equal(answer.headers.get('x-mam-error'), 'api.context.session_expired.app_error', label);
      const status = await call(sessionUrl(service.url), { headers });
      assert.equal(status.status, 401, `session status, ${label}`);
    }
    assert.equal((await gate(service.url, replacement.token)).status, 403);
  });

  test('declined → retry, gate 403 declined; enrolled later → 204', async () => {
    const user = await signIn(service.url, idp, { deviceId: 'dev-declined' });
    const id = eventId('declined');
    const answer = await report(service.url, user.token, { event_id: id, status: 'declined', error_code: '219' });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.event_id, id);
    assert.equal(answer.body.action, 'retry');
    assert.equal(answer.body.wipe, false);
    assert.equal(answer.body.state, 'declined');
    assert.equal(answer.body.mam_error, 'EnrollmentDeclined');
    assert.equal(answer.body.cause, 'msal_cancelled');
    assert.ok(answer.body.next_step);

    const refused = await gate(service.url, user.token);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.id, 'ent.intune.enrollment.declined.app_error');
    assert.equal(refused.body.mam_error, 'EnrollmentDeclined');
    assert.equal(refused.headers.get('x-mam-error'), 'ent.intune.enrollment.declined.app_error');
    const status = await call(sessionUrl(service.url), { token: user.token });
    assert.equal(status.body.mam.action, 'retry');
    assert.equal(status.body.mam.allowed, false);

    assert.equal((await report(service.url, user.token, { event_id: eventId(), status: 'enrolled' })).status, 200);
    assert.equal((await gate(service.url, user.token)).status, 204);
  });

  test('failed → remove_server with wipe; the session of that user on that device ends, other devices untouched', async () => {
    const first = await signIn(service.url, idp, { deviceId: 'dev-fail-D' });
    const firstSessionId = await sessionIdOf(first.userId, 'dev-fail-D');
    const otherDevice = await signIn(service.url, idp, { oid: first.oid, deviceId: 'dev-fail-E' });
    // (No second live session of the same user on the same device can exist: sessions_one_live_per_device.)
    const web = await insertSession(service.ctx.db, { userId: first.userId, isMobile: false, authService: 'office365' });
    // Another user on the same device is someone else's business.
    const neighbour = await signIn(service.url, idp, { deviceId: 'dev-fail-D' });
    assert.equal((await report(service.url, neighbour.token, { event_id: eventId(), status: 'enrolled' })).status, 200);

    // Every one of them is in the gate's memory before the failure.
    assert.equal((await gate(service.url, first.token)).status, 403);
    assert.equal((await gate(service.url, otherDevice.token)).status, 403);
    assert.equal((await gate(service.url, web.token)).status, 204);
    assert.equal((await gate(service.url, neighbour.token)).status, 204);

    const id = eventId('failed');
    const answer = await report(service.url, first.token, { event_id: id, status: 'failed', error_code: 'AADSTS650057' });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.action, 'remove_server');
    assert.equal(answer.body.wipe, true);
    assert.equal(answer.body.cause, 'missing_mam_permission');
    assert.equal(answer.body.state, 'failed');
    assert.equal(answer.body.mam_error, 'EnrollmentFailed');
    assert.equal(answer.body.ended_sessions, 1);
    assert.match(answer.body.next_step, /Mobile Application Management/);

    const failedGate = await gate(service.url, first.token);
    assert.equal(failedGate.status, 401);
    assert.equal(failedGate.body.id, 'ent.intune.enrollment.failed.app_error');
    assert.equal((await gate(service.url, otherDevice.token)).status, 403, 'the session on another device is untouched');
    assert.equal((await gate(service.url, web.token)).status, 204, 'the web session is untouched');
    assert.equal((await gate(service.url, neighbour.token)).status, 204, "another user's session on the device is untouched");

    assert.equal((await sessionRow(firstSessionId)).revoked_reason, 'enrollment_failed');
    await sessionIdOf(first.userId, 'dev-fail-E'); // still exactly one live session on device E
    // The session status and further reports answer that the session is gone.
    assert.equal((await call(sessionUrl(service.url), { token: first.token })).body.id, 'ent.intune.enrollment.failed.app_error');
    const late = await report(service.url, first.token, { event_id: eventId(), status: 'enrolled' });
    assert.equal(late.status, 401);
    assert.equal((await gate(service.url, first.token)).status, 401, 'a report after the failure does not revive the session');
    // Its replay still gets the first answer.
    const replay = await report(service.url, first.token, { event_id: id, status: 'failed', error_code: 'AADSTS650057' });
    assert.equal(replay.status, 200);
    assert.deepEqual(replay.body, answer.body);
  });

  test('failed because the user cancelled (-50005) or another retryable cause → taken as declined: retry, nothing removed', async () => {
    for (const [code, cause] of [['-50005', 'msal_cancelled'], ['204', 'intune_network']] as const) {
      const user = await signIn(service.url, idp, { deviceId: `dev-cancel-${code}` });
      const sessionId = await sessionIdOf(user.userId, `dev-cancel-${code}`);
      const answer = await report(service.url, user.token, { event_id: eventId('cancel'), status: 'failed', error_code: code });
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.body.cause, cause);
      assert.equal(answer.body.action, 'retry', 'its own next step asks the user to retry');
      assert.equal(answer.body.wipe, false);
      assert.equal(answer.body.state, 'declined');
      assert.equal(answer.body.mam_error, 'EnrollmentDeclined');
      assert.equal(answer.body.treated_as, 'declined');
      assert.match(answer.body.treated_as_reason, /retry/);
      assert.equal(answer.body.ended_sessions, undefined);
      assert.equal((await sessionRow(sessionId)).revoked_at, null, 'the session is not ended');
      const refused = await gate(service.url, user.token);
      assert.equal(refused.status, 403, 'the gate shows the enrollment prompt again');
      assert.equal(refused.body.id, 'ent.intune.enrollment.declined.app_error');
      assert.equal((await report(service.url, user.token, { event_id: eventId(), status: 'enrolled' })).status, 200);
      assert.equal((await gate(service.url, user.token)).status, 204, 'a retry that enrolls is let through');
    }
  });

  test('failed from a session without a device id ends that session only', async () => {
    const deviceless = await signIn(service.url, idp);
    const onDevice = await signIn(service.url, idp, { oid: deviceless.oid, deviceId: 'dev-nodevice-F' });
    const web = await insertSession(service.ctx.db, { userId: deviceless.userId, isMobile: false, authService: 'office365' });
    const answer = await report(service.url, deviceless.token, { event_id: eventId(), status: 'failed', error_code: 'AADSTS53005' });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.ended_sessions, 1);
    assert.equal((await gate(service.url, deviceless.token)).status, 401);
    assert.equal((await gate(service.url, onDevice.token)).status, 403, 'the session on device F is untouched');
    assert.equal((await gate(service.url, web.token)).status, 204, 'the web session is untouched');
  });

  test('a replayed event_id returns the first answer and changes nothing', async () => {
    const user = await signIn(service.url, idp, { deviceId: 'dev-replay' });
    const declinedId = eventId('declined');
    const first = await report(service.url, user.token, { event_id: declinedId, status: 'declined', error_code: 'AADSTS53005' });
    assert.equal(first.status, 200);
    assert.equal((await report(service.url, user.token, { event_id: eventId(), status: 'enrolled' })).status, 200);
    assert.equal((await gate(service.url, user.token)).status, 204);

    const db = service.ctx.db;
    const sessionId = await sessionIdOf(user.userId, 'dev-replay');
    const counts = async () => ({
      events: await countRows(db, 'enrollment_events'),
      // What a report writes to the audit log (entries of other writers, such as the gate's batched refusals of
      // earlier tests, may land meanwhile and are not the replay's).
      audit: Number(((await db('audit_log').where('action', 'like', 'enrollment.%').count('* as n').first()) as { n: number | string }).n),
      changes: await countRows(db, 'changes'),
      state: (await sessionRow(sessionId)).mam_state,
      enrollment: (await db('enrollments').where({ tenant_id: TENANT, object_id: user.oid, device_id: 'dev-replay' }).first()).state,
    });
    const before = await counts();
    // The replay says "declined" again, even with another body: the first answer stands, nothing moves.
    for (const body of [
      { event_id: declinedId, status: 'declined', error_code: 'AADSTS53005' },
      { event_id: declinedId, status: 'failed', error_code: 'AADSTS650057' },
    ]) {
      const replay = await report(service.url, user.token, body);
      assert.equal(replay.status, 200);
      assert.deepEqual(replay.body, first.body);
    }
    assert.deepEqual(await counts(), before);
    assert.deepEqual(before.state, 'enrolled');
    assert.equal((await gate(service.url, user.token)).status, 204);
  });

  test('an enrollment is reused by a new sign-in of the same user on the same device only', async () => {
    const user = await signIn(service.url, idp, { deviceId: 'dev-reuse-D' });
    assert.equal((await report(service.url, user.token, { event_id: eventId(), status: 'enrolled' })).status, 200);

    const again = await signIn(service.url, idp, { oid: user.oid, deviceId: 'dev-reuse-D' });
    const allowed = await gate(service.url, again.token);
    assert.equal(allowed.status, 204, allowed.text);
    assert.equal(allowed.headers.get('x-mam-state'), 'enrolled');
    assert.equal((await gate(service.url, user.token)).status, 401, 'the older session on the device was replaced');

    const elsewhere = await signIn(service.url, idp, { oid: user.oid, deviceId: 'dev-reuse-E' });
    const refused = await gate(service.url, elsewhere.token);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.id, 'ent.intune.enrollment.required.app_error');

    const otherUser = await signIn(service.url, idp, { deviceId: 'dev-reuse-D' });
    assert.equal((await gate(service.url, otherUser.token)).status, 403, "another user's sign-in on the device is not enrolled");

    const deviceless = await signIn(service.url, idp, { oid: user.oid });
    assert.equal((await gate(service.url, deviceless.token)).status, 403, 'a sign-in without a device id is not enrolled');
  });

  test('error codes are classified and stored with the event', async () => {
    const user = await signIn(service.url, idp, { deviceId: 'dev-classify' });
    const cases: [Record<string, unknown>, string][] = [
      [{ error_code: 'AADSTS650057' }, 'missing_mam_permission'],
      [{ error_code: 'AADSTS650052' }, 'no_mam_service_principal'],
      [{ error_code: 'AADSTS53005' }, 'conditional_access_app_protection'],
      [{ error_code: '-50005' }, 'msal_cancelled'],
      [{ error_code: 225 }, 'intune_not_targeted'],
      [{ error_code: '200' }, 'intune_not_licensed'],
      [{ error_code: 'E_SOMETHING_ELSE', error_message: 'boom' }, 'unknown'],
      [{ error_message: 'MSAL: AADSTS650052: the app needs access to a service' }, 'no_mam_service_principal'],
      [{}, 'none'],
    ];
    for (const [extra, cause] of cases) {
      const id = eventId('classify');
      const answer = await report(service.url, user.token, { event_id: id, status: 'declined', ...extra });
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.body.cause, cause, JSON.stringify(extra));
      const row = await service.ctx.db('enrollment_events').where({ event_id: id }).first();
      assert.equal(row.cause, cause);
      assert.equal(row.status, 'declined');
      assert.equal(row.error_code, extra.error_code === undefined ? null : String(extra.error_code));
      assert.equal(row.error_message, extra.error_message ?? null);
      assert.equal(row.user_id, user.userId);
      assert.equal(row.device_id, 'dev-classify');
      assert.equal(row.tenant_id, TENANT);
    }
    const admin = await call(`${service.url}/plugins/mamgate/api/v1/admin/enrollments?user_id=${user.userId}&cause=intune_not_targeted`, {
      token: service.adminToken,
    });
    assert.equal(admin.status, 200);
    assert.equal(admin.body.items.length, 1);
    assert.match(admin.body.items[0].cause_summary, /no app protection policy/);
  });

  test('bad report bodies → 400 catalogue errors, and nothing is stored', async () => {
    const user = await signIn(service.url, idp, { deviceId: 'dev-bad-body' });
    const eventsBefore = await countRows(service.ctx.db, 'enrollment_events');
    const cases: [unknown, string, string?][] = [
      [{ status: 'enrolled' }, 'mamgate.request.invalid_body_param.app_error', 'event_id'],
      [{ event_id: '', status: 'enrolled' }, 'mamgate.request.invalid_body_param.app_error', 'event_id'],
      [{ event_id: 'has spaces in it', status: 'enrolled' }, 'mamgate.request.invalid_body_param.app_error', 'event_id'],
      [{ event_id: 'x'.repeat(129), status: 'enrolled' }, 'mamgate.request.invalid_body_param.app_error', 'event_id'],
      [{ event_id: eventId() }, 'mamgate.request.invalid_body_param.app_error', 'status'],
      [{ event_id: eventId(), status: 'maybe' }, 'mamgate.enrollment.invalid_status.app_error'],
      [{ event_id: eventId(), status: 'ENROLLED' }, 'mamgate.enrollment.invalid_status.app_error'],
      [{ event_id: eventId(), status: 'declined', error_code: { nested: true } }, 'mamgate.request.invalid_body_param.app_error', 'error_code'],
      [{ event_id: eventId(), status: 'declined', error_message: 'm'.repeat(4097) }, 'mamgate.request.invalid_body_param.app_error', 'error_message'],
      [[], 'mamgate.request.invalid_body_param.app_error'],
      ['{"event_id": "x", ', 'mamgate.request.malformed_json.app_error'],
    ];
    for (const [body, id, field] of cases) {
      const answer = await report(service.url, user.token, body);
      assert.equal(answer.status, 400, `${JSON.stringify(body).slice(0, 80)}: ${answer.text}`);
      assert.equal(answer.body.id, id, JSON.stringify(body).slice(0, 80));
      assert.equal(answer.body.status_code, 400);
      if (field) assert.equal(answer.body.field, field);
    }
    const noToken = await report(service.url, undefined, { event_id: eventId(), status: 'enrolled' });
    assert.equal(noToken.status, 401);
    assert.equal(noToken.body.id, 'api.context.session_expired.app_error');
    const wrongToken = await report(service.url, 'mgs_unknown', { event_id: eventId(), status: 'enrolled' });
    assert.equal(wrongToken.status, 401);
    assert.equal(await countRows(service.ctx.db, 'enrollment_events'), eventsBefore);
    assert.equal((await gate(service.url, user.token)).status, 403);
  });
});
