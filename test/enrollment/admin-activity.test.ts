// Admin activity: enrollment reports and the audit log (filters, paging, admin token required), session revocation,
// and the request id of every audited decision matching the X-Request-Id of its answer.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import {
  adminUrl,
  CLIENT_ID,
  configureIntune,
  eventId,
  gate,
  intuneEnv,
  report,
  signIn,
  type SignedIn,
  TENANT,
} from '../support/intune.ts';
import { type ApiAnswer, call, startTestService, type TestService } from '../support/service.ts';

describe('admin activity: enrollments, audit, revocation', () => {
  let idp: DevIdp;
  let service: TestService;
  let alice: SignedIn;
  let bob: SignedIn;
  let carol: SignedIn;
  before(async () => {
    idp = await startDevIdp();
    service = await startTestService({ env: intuneEnv(idp) });
    await configureIntune(service.url, service.adminToken);
    alice = await signIn(service.url, idp, { deviceId: 'aa-alice' });
    bob = await signIn(service.url, idp, { deviceId: 'aa-bob' });
    carol = await signIn(service.url, idp, { deviceId: 'aa-carol' });
    const reports: [SignedIn, Record<string, unknown>][] = [
      [alice, { status: 'declined', error_code: 'AADSTS53005' }],
      [alice, { status: 'declined', error_code: '-50005' }],
      [alice, { status: 'enrolled' }],
      [bob, { status: 'declined', error_code: 225 }],
      [bob, { status: 'declined', error_code: 'AADSTS53005' }],
      [carol, { status: 'enrolled' }],
      [carol, { status: 'failed', error_code: 'AADSTS650057' }],
    ];
    for (const [user, body] of reports) {
      const answer = await report(service.url, user.token, { event_id: eventId('aa'), ...body });
      assert.equal(answer.status, 200, answer.text);
    }
  });
  after(async () => {
    await service?.close();
    await idp?.stop();
  });

  // token null: no Authorization header at all.
  const enrollments = (query = '', token: string | null = service.adminToken) =>
    call(adminUrl(service.url, `enrollments${query}`), { token: token ?? undefined });
  const auditPage = (query = '', token: string | null = service.adminToken) =>
    call(adminUrl(service.url, `audit${query}`), { token: token ?? undefined });

  /** Every item over all pages of `limit`, following next_before. */
  async function allPages(fetchPage: (query: string) => Promise<ApiAnswer>, filter: string, limit: number) {
    const items: { id: number }[] = [];
    let before: number | null = null;
    for (let page = 0; page < 100; page++) {
      const answer: ApiAnswer = await fetchPage(`?limit=${limit}${filter}${before === null ? '' : `&before=${before}`}`);
      assert.equal(answer.status, 200, answer.text);
      assert.ok(answer.body.items.length <= limit);
      items.push(...answer.body.items);
      before = answer.body.next_before;
      if (before === null) return items;
      assert.equal(before, answer.body.items[answer.body.items.length - 1].id);
    }
    assert.fail('paging did not end');
  }

  test('both lists need the admin token', async () => {
    for (const fetchPage of [enrollments, auditPage]) {
      for (const token of [null, 'mga_wrong', alice.token]) {
        const answer = await fetchPage('', token);
        assert.equal(answer.status, 401);
        assert.equal(answer.body.id, 'mamgate.admin.unauthorized.app_error');
      }
    }
    const revoke = await call(adminUrl(service.url, `users/${bob.userId}/sessions/revoke`), { method: 'POST', token: bob.token });
    assert.equal(revoke.status, 401);
    assert.equal((await gate(service.url, bob.token)).status, 403, 'a refused revoke ends nothing');
  });

  test('enrollments: newest first, each with its cause explained', async () => {
    const answer = await enrollments();
    assert.equal(answer.status, 200);
    assert.equal(answer.body.items.length, 7);
    assert.equal(answer.body.next_before, null);
    const ids = answer.body.items.map((i: { id: number }) => i.id);
    assert.deepEqual(ids, [...ids].sort((x, y) => y - x));
    const failed = answer.body.items[0];
    assert.equal(failed.status, 'failed');
    assert.equal(failed.user_id, carol.userId);
    assert.equal(failed.cause, 'missing_mam_permission');
    assert.equal(failed.tenant_id, TENANT);
    assert.equal(failed.device_id, 'aa-carol');
    assert.match(failed.cause_summary, /AADSTS650057/);
    assert.ok(failed.next_step);
    assert.ok(!Number.isNaN(Date.parse(failed.created_at)));
  });

  test('enrollments filtered by state, user and cause, alone and together', async () => {
    const cases: [string, number, (item: Record<string, unknown>) => boolean][] = [
      ['?state=declined', 4, (i) => i.status === 'declined'],
      ['?status=enrolled', 2, (i) => i.status === 'enrolled'],
      ['?state=failed', 1, (i) => i.status === 'failed'],
      [`?user_id=${alice.userId}`, 3, (i) => i.user_id === alice.userId],
      ['?cause=conditional_access_app_protection', 2, (i) => i.cause === 'conditional_access_app_protection'],
      [`?cause=conditional_access_app_protection&user_id=${bob.userId}`, 1, (i) => i.user_id === bob.userId && i.cause === 'conditional_access_app_protection'],
      [`?state=enrolled&user_id=${bob.userId}`, 0, () => false],
      ['?cause=no_such_cause', 0, () => false],
    ];
    for (const [query, count, matches] of cases) {
      const answer = await enrollments(query);
      assert.equal(answer.status, 200, query);
      assert.equal(answer.body.items.length, count, query);
      for (const item of answer.body.items) assert.ok(matches(item), `${query}: ${JSON.stringify(item)}`);
    }
  });

  test('enrollments paged with limit, before and next_before: every item once, in order', async () => {
    const everything = (await enrollments()).body.items.map((i: { id: number }) => i.id);
    for (const limit of [1, 2, 3, 7]) {
      const paged = (await allPages(enrollments, '', limit)).map((i) => i.id);
      assert.deepEqual(paged, everything, `limit ${limit}`);
    }
    const declined = (await allPages(enrollments, '&state=declined', 3)).map((i) => i.id);
    assert.equal(declined.length, 4);
    const first = await enrollments('?limit=2');
    assert.equal(first.body.next_before, first.body.items[1].id);
    const second = await enrollments(`?limit=2&before=${first.body.next_before}`);
    assert.ok(second.body.items.every((i: { id: number }) => i.id < first.body.next_before));
    for (const query of ['?limit=0', '?limit=501', '?limit=abc', '?before=0', '?before=-3', '?limit=1.5']) {
      const answer = await enrollments(query);
      assert.equal(answer.status, 400, query);
      assert.equal(answer.body.id, 'mamgate.request.invalid_query_param.app_error', query);
    }
  });

  test('audit paged and filtered by action', async () => {
    // The first test's gate refusal is written in the background (batched, within a second): wait until it is, so
    // the log holds still between the reads below.
    for (let i = 0; i < 100 && (await auditPage('?action=gate.refused')).body.items.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal((await auditPage('?action=gate.refused')).body.items.length, 1);
    const full = await auditPage('?limit=500');
    assert.equal(full.status, 200);
    const ids = full.body.items.map((i: { id: number }) => i.id);
    assert.deepEqual(ids, [...ids].sort((x, y) => y - x));
    const paged = (await allPages(auditPage, '', 4)).map((i) => i.id);
    assert.deepEqual(paged, ids);

    const logins = await allPages(auditPage, '&action=login.intune', 2);
    assert.equal(logins.length, 3);
    for (const item of logins as unknown as Record<string, unknown>[]) assert.equal(item.action, 'login.intune');
    const declined = (await auditPage('?action=enrollment.declined')).body.items;
    assert.equal(declined.length, 4);
    assert.ok(declined.every((i: Record<string, unknown>) => typeof i.request_id === 'string' && i.request_id !== ''));
    assert.equal((await auditPage('?action=nothing.like.this')).body.items.length, 0);
    assert.equal((await auditPage('?limit=0')).status, 400);
  });

  test('every decision is audited with the request id of its answer', async () => {
    const auditOf = async (requestId: string) => {
      const rows = (await auditPage('?limit=500')).body.items.filter((i: { request_id: string }) => i.request_id === requestId);
      assert.equal(rows.length, 1, `one audit entry for request ${requestId}`);
      return rows[0];
    };

    // Sign-in, accepted: our request id is kept.
    const signedIn = await signIn(service.url, idp, { deviceId: 'aa-requests', headers: { 'x-request-id': 'login-ok-00000001' } });
    assert.equal(signedIn.answer.headers.get('x-request-id'), 'login-ok-00000001');
    const login = await auditOf('login-ok-00000001');
    assert.equal(login.action, 'login.intune');
    assert.equal(login.outcome, 'success');
    assert.equal(login.target, `user:${signedIn.userId}`);

    // Sign-in, refused (a token for another audience): the id the server chose.
    const refusedToken = idp.mint({ tenant: TENANT, aud: '00000003-0000-0000-c000-000000000000', oid: signedIn.oid, scp: 'User.Read' });
    const refused = await call(`${service.url}/oauth/intune`, { body: { access_token: refusedToken } });
    assert.equal(refused.status, 401, refused.text);
    const refusedId = refused.headers.get('x-request-id')!;
    assert.equal(refused.body.request_id, refusedId);
    const refusal = await auditOf(refusedId);
    assert.equal(refusal.action, 'login.intune');
    assert.equal(refusal.outcome, 'refused');
    assert.equal(refusal.details.error_id, refused.body.id);
    assert.ok(!JSON.stringify(refusal).includes(refusedToken.split('.')[2]!), 'the token is not in the audit log');

    // Enrollment report.
    const id = eventId('aa-req');
    const reported = await report(service.url, signedIn.token, { event_id: id, status: 'declined', error_code: '225' });
    const reportId = reported.headers.get('x-request-id')!;
    const reportAudit = await auditOf(reportId);
    assert.equal(reportAudit.action, 'enrollment.declined');
    assert.equal(reportAudit.details.event_id, id);
    assert.equal(reportAudit.details.user_id, signedIn.userId);
    assert.equal((await service.ctx.db('enrollment_events').where({ event_id: id }).first()).request_id, reportId);

    // Settings saved, and refused.
    const saved = await call(adminUrl(service.url, 'settings'), {
      method: 'PUT',
      token: service.adminToken,
      body: { LdapSettings: { SyncIntervalMinutes: 90 } },
      headers: { 'x-request-id': 'settings-save-0001' },
    });
    assert.equal(saved.status, 200, saved.text);
    const save = await auditOf('settings-save-0001');
    assert.equal(save.action, 'settings.save');
    assert.equal(save.outcome, 'success');
    assert.deepEqual(save.details.changed, ['LdapSettings.SyncIntervalMinutes']);
    const badSave = await call(adminUrl(service.url, 'settings'), {
      method: 'PUT',
      token: service.adminToken,
      body: { IntuneSettings: { Enable: true, TenantId: 'not-a-guid', ClientId: CLIENT_ID, AuthService: 'office365', EnableUserCreation: true } },
    });
    assert.equal(badSave.status, 400);
    const badSaveAudit = await auditOf(badSave.headers.get('x-request-id')!);
    assert.equal(badSaveAudit.action, 'settings.save');
    assert.equal(badSaveAudit.outcome, 'refused');
    assert.equal(badSaveAudit.details.error_id, 'model.config.is_valid.intune_tenant_id_format.app_error');

    // License saved.
    const license = await call(adminUrl(service.url, 'license'), {
      method: 'PUT',
      token: service.adminToken,
      body: { IsLicensed: true, SkuShortName: 'advanced' },
    });
    assert.equal((await auditOf(license.headers.get('x-request-id')!)).action, 'license.save');

    // Revocation: every live session of the user ends, on this node at once.
    const second = await signIn(service.url, idp, { oid: signedIn.oid, deviceId: 'aa-requests-2' });
    const revoked = await call(adminUrl(service.url, `users/${signedIn.userId}/sessions/revoke`), {
      method: 'POST',
      token: service.adminToken,
      headers: { 'x-request-id': 'revoke-request-0001' },
    });
    assert.equal(revoked.status, 200, revoked.text);
    assert.equal(revoked.body.revoked, 2);
    const revokeAudit = await auditOf('revoke-request-0001');
    assert.equal(revokeAudit.action, 'sessions.revoke');
    assert.equal(revokeAudit.target, `user:${signedIn.userId}`);
    assert.equal(revokeAudit.details.sessions.length, 2);
    assert.ok(revokeAudit.actor.startsWith('admin-token:'));
    for (const token of [signedIn.token, second.token]) assert.equal((await gate(service.url, token)).status, 401);
    assert.equal((await gate(service.url, alice.token)).status, 204, "other users' sessions are untouched");
  });

  test('revoking the sessions of an unknown user → 404, nothing audited', async () => {
    const before = (await auditPage('?action=sessions.revoke&limit=500')).body.items.length;
    const answer = await call(adminUrl(service.url, 'users/no-such-user-id/sessions/revoke'), { method: 'POST', token: service.adminToken });
    assert.equal(answer.status, 404);
    assert.equal(answer.body.id, 'mamgate.admin.user_not_found.app_error');
    assert.match(answer.body.message, /no-such-user-id/);
    assert.equal((await auditPage('?action=sessions.revoke&limit=500')).body.items.length, before);
  });
});
