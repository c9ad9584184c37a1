// mamgate as the companion of a chat server (dev-chat, following Mattermost's REST API v4 and WebSocket): every
// branch of the gate for the chat server's own sessions, the license and Intune settings taken from the chat
// server (and followed within a second of its events), client evidence per user, revocation on the chat server,
// outages failing closed and recovering, the System Console session as admin credential, and a storm of unknown
// tokens costing one chat-server call each.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type DevChat, startDevChat } from '../../server/devchat/dev-chat.ts';
import { eventually } from '../support/intune.ts';
import { call, startTestService, type TestService } from '../support/service.ts';

const TENANT = '11111111-2222-4333-8444-555555555555';
const CLIENT = '66666666-7777-4888-9999-000000000000';
const MOBILE = 'Mattermost Mobile/2.22.0+612 (iOS; 17.5; iPhone15,2)';
const ANDROID = 'Mattermost Mobile/2.22.0+612 (Android; 14; Pixel 8)';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const GATE = '/plugins/mamgate/api/v1/gate';
const ADMIN = '/plugins/mamgate/api/v1/admin';

const INTUNE_ON = {
  IntuneSettings: { Enable: true, TenantId: TENANT, ClientId: CLIENT, AuthService: 'office365' },
  Office365Settings: { Enable: true },
};


describe('companion of a chat server', () => {
  let chat: DevChat;
  let service: TestService;
  let adminToken: string;
  let objectIdSeq = 0;

  const gate = (token: string | undefined, userAgent = MOBILE) =>
    call(`${service.url}${GATE}`, { headers: { 'user-agent': userAgent, ...(token ? { authorization: `Bearer ${token}` } : {}) } });

  /** A chat user signed in with office365, their mobile session token, and (unless told not to) their import. */
  async function protectedUser(options: { imported?: boolean; authService?: string } = {}) {
    const n = ++objectIdSeq;
    const objectId = `5f1b2c3d-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const user = chat.addUser({
      username: `mobile${n}`,
      email: `mobile${n}@example.com`,
      auth_service: options.authService ?? 'office365',
      auth_data: objectId.toUpperCase(),
    });
    const session = chat.addSession({ user_id: user.id, device_id: `apple_rn:device${n}`, props: { isMobile: 'true' } });
    if (options.imported !== false) {
      const line = JSON.stringify({ type: 'user', user: { username: user.username, email: user.email, auth_service: user.auth_service, auth_data: objectId.toUpperCase() } });
      const imported = await call(`${service.url}${ADMIN}/users/import`, {
        token: service.adminToken,
        body: `{"type":"version","version":1}\n${line}\n`,
        headers: { 'content-type': 'application/x-ndjson' },
      });
      assert.equal(imported.status, 200, imported.text);
      assert.equal(imported.body.imported, 1, imported.text);
    }
    return { user, token: session.token, sessionId: session.id };
  }

  const report = (token: string, status: string, eventId: string, extra: Record<string, unknown> = {}) =>
    call(`${service.url}/plugins/mamgate/api/v1/enrollment`, {
      token,
      headers: { 'user-agent': MOBILE },
      body: { event_id: eventId, status, ...extra },
    });

  before(async () => {
    chat = await startDevChat();
    const admin = chat.addUser({ username: 'sysadmin', email: 'admin@example.com', roles: 'system_user system_admin' });
    adminToken = chat.addSession({ user_id: admin.id }).token;
    chat.patchConfig(INTUNE_ON);
    chat.setLicense({ IsLicensed: true, SkuShortName: 'advanced' });
    service = await startTestService({
      env: { chatServerUrl: chat.url, chatServerToken: adminToken, chatServerPollMs: 200, chatServerStaleMs: 1500 },
    });
  });
  after(async () => {
    await service?.close();
    await chat?.stop();
  });

  test('no token at all passes: the chat server decides (login pages, static files, public routes)', async () => {
    const answer = await gate(undefined);
    assert.equal(answer.status, 204);
    assert.equal(answer.headers.get('x-mam-state'), 'no_token');
  });

  test('a token the chat server refuses → 401 session_expired, remembered: asked once', async () => {
    chat.resetStats();
    const first = await gate('nosuchtoken0000000000000000');
    assert.equal(first.status, 401);
    assert.equal(first.body.id, 'api.context.session_expired.app_error');
    assert.equal(first.headers.get('x-mam-error'), 'api.context.session_expired.app_error');
    const again = await gate('nosuchtoken0000000000000000');
    assert.equal(again.status, 401);
    assert.equal(chat.stats().calls['GET /api/v4/users/{user_id}'], 1);
  });

  test('not the protected method, or not the mobile app → 204 not_required', async () => {
    const local = await protectedUser({ authService: '' });
    const email = await gate(local.token);
    assert.equal(email.status, 204);
    assert.equal(email.headers.get('x-mam-state'), 'not_required');
    const web = await protectedUser();
    const browser = await gate(web.token, BROWSER);
    assert.equal(browser.status, 204);
    assert.equal(browser.headers.get('x-user-id'), web.user.id);
  });

  test('a protected mobile user with no known objectId → 403 MissingAuthAccountError', async () => {
    const unknown = await protectedUser({ imported: false });
    const answer = await gate(unknown.token);
    assert.equal(answer.status, 403);
    assert.equal(answer.body.id, 'mamgate.gate.object_id_unknown.app_error');
    assert.equal(answer.body.mam_error, 'MissingAuthAccountError');
    // … and is in the identity report, with what to do.
    await eventually('remembered', async () => (await service.ctx.db('users').where({ id: unknown.user.id }).first()) !== undefined, 2000);
    const run = await call(`${service.url}${ADMIN}/reports/identity-alignment`, { method: 'POST', token: service.adminToken });
    assert.ok(run.status === 200 || run.status === 202, run.text);
    await eventually(
      'report done',
      async () => (await call(`${service.url}${ADMIN}/reports/identity-alignment/${run.body.id}`, { token: service.adminToken })).body.status === 'completed',
      10_000,
    );
    const rows = await call(`${service.url}${ADMIN}/reports/identity-alignment/${run.body.id}/rows?status=missing_source`, { token: service.adminToken });
    const row = JSON.stringify(rows.body).includes(unknown.user.username);
    assert.ok(row, rows.text.slice(0, 500));
  });

  test('held until evidence: 403 required → client report enrolled → 204, replay answers the same', async () => {
    const held = await protectedUser();
    const refused = await gate(held.token);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.id, 'ent.intune.enrollment.required.app_error');
    const reported = await report(held.token, 'enrolled', 'companion-e1');
    assert.equal(reported.status, 200, reported.text);
    assert.equal(reported.body.action, 'continue');
    const allowed = await gate(held.token);
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('x-mam-state'), 'enrolled');
    const replay = await report(held.token, 'enrolled', 'companion-e1');
    assert.deepEqual(replay.body, reported.body);
  });

  const setAndroidPolicy = async (value: string) => {
    const saved = await call(`${service.url}${ADMIN}/settings`, { method: 'PUT', token: service.adminToken, body: { IntuneSettings: { AndroidPolicy: value } } });
    assert.equal(saved.status, 200, saved.text);
  };

  test('Android, AndroidPolicy refuse (the default): 403 android_not_supported at once, not held; iOS of the same user is held', async () => {
    const user = await protectedUser();
    const android = await gate(user.token, ANDROID);
    assert.equal(android.status, 403, android.text);
    assert.equal(android.body.id, 'mamgate.intune.android_not_supported.app_error');
    assert.equal(android.headers.get('x-mam-error'), 'mamgate.intune.android_not_supported.app_error');
    assert.match(android.body.next_step, /Operator: .*AndroidPolicy/);
    assert.equal((await gate(user.token)).body.id, 'ent.intune.enrollment.required.app_error');
    assert.equal((await gate(user.token, BROWSER)).status, 204, 'a browser is not the mobile app');
  });

  test('Android, AndroidPolicy require_enrollment: held like iOS until evidence: 403 required → report enrolled → 204', async () => {
    await setAndroidPolicy('require_enrollment');
    try {
      const user = await protectedUser();
      await eventually('the policy reached the gate', async () => (await gate(user.token, ANDROID)).body.id === 'ent.intune.enrollment.required.app_error', 2000);
      assert.equal((await report(user.token, 'enrolled', 'companion-android-e1')).status, 200);
      const allowed = await gate(user.token, ANDROID);
      assert.equal(allowed.status, 204, allowed.text);
      assert.equal(allowed.headers.get('x-mam-state'), 'enrolled');
    } finally {
      await setAndroidPolicy('refuse');
    }
  });

  test('Android, AndroidPolicy allow_unprotected: 204 android_unprotected without evidence, audited; iOS still held', async () => {
    await setAndroidPolicy('allow_unprotected');
    try {
      const user = await protectedUser();
      await eventually('the policy reached the gate', async () => (await gate(user.token, ANDROID)).status === 204, 2000);
      const passed = await gate(user.token, ANDROID);
      assert.equal(passed.headers.get('x-mam-state'), 'android_unprotected');
      assert.equal(passed.headers.get('x-user-id'), user.user.id);
      assert.equal((await gate(user.token)).body.id, 'ent.intune.enrollment.required.app_error');
      await eventually(
        'the unprotected pass is in the audit log',
        async () => (await service.ctx.db('audit_log').where({ action: 'gate.android_unprotected' }).whereRaw("details->>'user_id' = ?", [user.user.id])).length === 1,
        3000,
      );
    } finally {
      await setAndroidPolicy('refuse');
    }
  });

  test('a license downgrade on the chat server frees a held session within 1 s; the upgrade holds it again', async () => {
    const held = await protectedUser();
    assert.equal((await gate(held.token)).status, 403);
    chat.setLicense({ IsLicensed: true, SkuShortName: 'professional' });
    await eventually('freed', async () => (await gate(held.token)).status === 204, 1000);
    chat.setLicense({ IsLicensed: true, SkuShortName: 'advanced' });
    await eventually('held again', async () => (await gate(held.token)).status === 403, 1000);
  });

  test('Intune switched off in the System Console frees it within 1 s, even with the WebSocket down (one poll)', async () => {
    const held = await protectedUser();
    assert.equal((await gate(held.token)).status, 403);
    chat.closeWebSockets();
    chat.patchConfig({ IntuneSettings: { Enable: false } });
    await eventually('freed', async () => (await gate(held.token)).status === 204, 1000);
    chat.patchConfig({ IntuneSettings: { Enable: true } });
    await eventually('held again', async () => (await gate(held.token)).status === 403, 1000);
  });

  test('a real enrollment failure: 401 enrollment.failed at once, and the mobile sessions end on the chat server', async () => {
    const failing = await protectedUser();
    const web = chat.addSession({ user_id: failing.user.id });
    const answer = await report(failing.token, 'failed', 'companion-f1', { error_code: 'AADSTS650057' });
    assert.equal(answer.body.action, 'remove_server');
    const refused = await gate(failing.token);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.id, 'ent.intune.enrollment.failed.app_error');
    await eventually(
      'mobile session revoked on the chat server',
      async () => !chat.sessionsOf(failing.user.id).some((s) => s.id === failing.sessionId),
      1000,
    );
    assert.ok(chat.sessionsOf(failing.user.id).some((s) => s.id === web.id), 'the web session is not a mobile session: it stays');
    // The audit entry is written when the request is marked done, in a transaction after the chat server confirmed.
    await eventually(
      'the revocation audited',
      async () => (await call(`${service.url}${ADMIN}/audit?action=chat_sessions.revoke`, { token: service.adminToken })).text.includes(failing.user.id),
      1000,
    );
  });

  test('an admin revoke in mamgate ends the user on the chat server, retried through an outage until confirmed', async () => {
    const user = await protectedUser();
    await report(user.token, 'enrolled', 'companion-r1');
    assert.equal((await gate(user.token)).status, 204);
    chat.setMode('down');
    const revoked = await call(`${service.url}${ADMIN}/users/${user.user.id}/sessions/revoke`, { method: 'POST', token: service.adminToken });
    assert.equal(revoked.status, 200, revoked.text);
    assert.equal(revoked.body.chat_server_revocation, 'queued');
    const meanwhile = await gate(user.token);
    assert.notEqual(meanwhile.status, 204, 'refused while the revocation is pending');
    await new Promise((r) => setTimeout(r, 700));
    assert.ok(chat.sessionsOf(user.user.id).some((s) => s.id === user.sessionId), 'still there while the chat server is down');
    chat.setMode('up');
    await eventually('revoked after recovery', async () => !chat.sessionsOf(user.user.id).some((s) => s.id === user.sessionId), 5000);
  });

  test('chat server down: unknown tokens 503 at once, everything 503 once the view is older than its bound, then recovery', async () => {
    const user = await protectedUser();
    await report(user.token, 'enrolled', 'companion-d1');
    assert.equal((await gate(user.token)).status, 204);
    chat.setMode('down');
    const fresh = await gate('anothertoken000000000000000');
    assert.equal(fresh.status, 503);
    assert.equal(fresh.body.id, 'mamgate.chatserver.unavailable.app_error');
    await eventually('fails closed', async () => (await gate(user.token)).status === 503, 3000);
    const ready = await call(`${service.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.match(ready.body.id, /^mamgate\.chatserver\./);
    chat.setMode('up');
    await eventually('recovers', async () => (await gate(user.token)).status === 204, 3000);
    const readyAgain = await call(`${service.url}/readyz`);
    assert.equal(readyAgain.body.chat_server, 'ok');
  });

  test("what the chat server owns cannot be changed in mamgate; the effective settings say where each value came from", async () => {
    const license = await call(`${service.url}${ADMIN}/license`, { method: 'PUT', token: service.adminToken, body: { IsLicensed: true, SkuShortName: 'entry' } });
    assert.equal(license.status, 409);
    assert.equal(license.body.id, 'mamgate.chatserver.owned_setting.app_error');
    const native = await call(`${service.url}${ADMIN}/settings`, { method: 'PUT', token: service.adminToken, body: { IntuneSettings: { Enable: false } } });
    assert.equal(native.status, 409);
    assert.match(native.body.message, /IntuneSettings\.Enable/);
    // A section sent back as it was read (the stored values) is no edit: accepted.
    const stored = await call(`${service.url}${ADMIN}/settings`, { token: service.adminToken });
    const sentBack = await call(`${service.url}${ADMIN}/settings`, { method: 'PUT', token: service.adminToken, body: { IntuneSettings: stored.body.IntuneSettings } });
    assert.equal(sentBack.status, 200, sentBack.text);
    chat.patchConfig({ PluginSettings: { Plugins: { mamgate: { 'intunesettings.tunnelclientid': 'AAAAAAAA-1111-4222-8333-444444444444' } } } });
    await eventually(
      'plugin setting read',
      async () => (await call(`${service.url}${ADMIN}/settings/effective`, { token: service.adminToken })).body.sources?.['IntuneSettings.TunnelClientId'] === 'plugin_settings',
      1000,
    );
    const effective = await call(`${service.url}${ADMIN}/settings/effective`, { token: service.adminToken });
    assert.equal(effective.body.mode, 'companion');
    assert.equal(effective.body.settings.IntuneSettings.TunnelClientId, 'aaaaaaaa-1111-4222-8333-444444444444');
    assert.equal(effective.body.sources['IntuneSettings.TenantId'], 'chat_server');
    assert.equal(effective.body.sources['IntuneSettings.IdAttribute'], 'mamgate');
    assert.equal(effective.body.sources['ChatServerSettings.Url'], 'environment');
    assert.equal(effective.body.settings.ChatServerSettings.AdminToken, '', 'the environment token is not in the stored settings');
    assert.ok(!effective.text.includes(adminToken));
  });

  test('the System Console session of a system admin is an admin credential; writes need the CSRF header', async () => {
    const cookie = (token: string) => ({ cookie: `MMAUTHTOKEN=${token}; MMCSRF=csrf-value-1`, 'x-requested-with': 'XMLHttpRequest' });
    const asAdmin = await call(`${service.url}${ADMIN}/settings/effective`, { headers: cookie(adminToken) });
    assert.equal(asAdmin.status, 200, asAdmin.text);
    const user = await protectedUser();
    const asUser = await call(`${service.url}${ADMIN}/settings/effective`, { headers: cookie(user.token) });
    assert.equal(asUser.status, 403);
    assert.equal(asUser.body.id, 'mamgate.admin.not_system_admin.app_error');
    const body = { IntuneSettings: { IdAttribute: 'objectId' } };
    const noCsrf = await call(`${service.url}${ADMIN}/settings`, { method: 'PUT', headers: cookie(adminToken), body });
    assert.equal(noCsrf.status, 401);
    assert.equal(noCsrf.body.id, 'mamgate.admin.csrf_failed.app_error');
    const withCsrf = await call(`${service.url}${ADMIN}/settings`, { method: 'PUT', headers: { ...cookie(adminToken), 'x-csrf-token': 'csrf-value-1' }, body });
    assert.equal(withCsrf.status, 200, withCsrf.text);
    const audit = await call(`${service.url}${ADMIN}/audit?action=settings.save`, { token: service.adminToken });
    assert.ok(audit.text.includes('chat-admin:sysadmin'));
  });

  test('a storm of distinct unknown tokens costs one chat-server call each, at most 16 at once', async () => {
    chat.resetStats();
    const tokens = Array.from({ length: 300 }, (_, i) => `stormtoken${String(i).padStart(17, '0')}`);
    const answers = await Promise.all(tokens.map((t) => gate(t)));
    assert.ok(answers.every((a) => a.status === 401));
    await Promise.all(tokens.map((t) => gate(t)));
    const stats = chat.stats();
    assert.equal(stats.calls['GET /api/v4/users/{user_id}'], 300);
    assert.ok(stats.maxConcurrent <= 16, `max concurrent ${stats.maxConcurrent}`);
  });

  test('the admin token never reaches a log line', () => {
    assert.ok(service.logs.length > 0);
    assert.ok(!service.logs.some((line) => line.includes(adminToken)));
  });

  test('/metrics tells an operator how the chat server answers, and never shows a token', async () => {
    const metrics = await call(`${service.url}/metrics`);
    assert.match(metrics.text, /mamgate_chat_server_calls_total\{call="GET \/users\/me",outcome="ok"\} [1-9]/);
    assert.match(metrics.text, /mamgate_chat_server_calls_total\{call="GET \/config",outcome="ok"\} [1-9]/);
    const age = Number(/^mamgate_chat_server_view_age_seconds (\S+)$/m.exec(metrics.text)?.[1]);
    assert.ok(age >= 0 && age < 5, `view age ${age}`);
    assert.match(metrics.text, /mamgate_chat_revocations_pending 0/);
    assert.match(metrics.text, /mamgate_graph_up -1/);
    assert.ok(!metrics.text.includes(adminToken));
  });
});

describe("companion: the chat server's WebSocket events, with the poll too slow to matter", () => {
  let chat: DevChat;
  let service: TestService;

  before(async () => {
    chat = await startDevChat();
    const admin = chat.addUser({ username: 'wsadmin', email: 'wsadmin@example.com', roles: 'system_user system_admin' });
    const adminToken = chat.addSession({ user_id: admin.id }).token;
    chat.patchConfig(INTUNE_ON);
    chat.setLicense({ IsLicensed: true, SkuShortName: 'advanced' });
    service = await startTestService({ env: { chatServerUrl: chat.url, chatServerToken: adminToken, chatServerPollMs: 600_000, chatServerStaleMs: 1_200_000 } });
  });
  after(async () => {
    await service?.close();
    await chat?.stop();
  });

  const effectiveSku = async () =>
    (await call(`${service.url}${ADMIN}/settings/effective`, { token: service.adminToken })).body.settings?.IntuneSettings?.Enable;

  test('config_changed reaches the node within 1 s; after the socket drops, the reconnection catches up', async () => {
    await eventually('connected', () => chat.stats().webSockets.authenticated === 1, 3000);
    chat.patchConfig({ IntuneSettings: { Enable: false } });
    await eventually('config_changed heard', async () => (await effectiveSku()) === false, 1000);
    chat.closeWebSockets();
    chat.patchConfig({ IntuneSettings: { Enable: true } }); // sent while no socket is open: only the reconnection can tell
    await eventually('caught up after reconnecting', async () => (await effectiveSku()) === true, 8000);
    assert.ok(chat.stats().webSockets.opened >= 2);
  });
});
