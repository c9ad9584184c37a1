// The companion story through a real nginx, configured exactly as the README documents (test/support/nginx.ts):
// dev-chat as the chat server, mamgate as its companion, every client call through nginx's address only (dev-chat's
// in-process control methods set users, sessions, license). nginx missing is a failure with the command to run.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { type DevChat, startDevChat } from '../../server/devchat/dev-chat.ts';
import { startNginx, type TestNginx } from '../support/nginx.ts';
import { call, startTestService, type TestService } from '../support/service.ts';

const TENANT = '11111111-2222-4333-8444-555555555555';
const CLIENT = '66666666-7777-4888-9999-000000000000';
const MOBILE = 'Mattermost Mobile/2.22.0+612 (iOS; 17.5; iPhone15,2)';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const REQUIRED = 'ent.intune.enrollment.required.app_error';

async function eventually(what: string, check: () => Promise<boolean>, withinMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < withinMs) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`${what} did not happen within ${withinMs} ms`);
}

/** The WebSocket upgrade through nginx: 'open' with the first message, or the refused upgrade's status. */
async function upgrade(url: string, headers: Record<string, string>): Promise<{ status: number; first?: any; mamError?: string }> {
  const socket = new WebSocket(url, { headers });
  try {
    return await new Promise((resolve, reject) => {
      socket.once('unexpected-response', (_req, res) => {
        resolve({ status: res.statusCode ?? 0, mamError: res.headers['x-mam-error'] as string | undefined });
        res.resume();
      });
      socket.once('message', (data) => resolve({ status: 101, first: JSON.parse(String(data)) }));
      socket.once('error', reject);
      setTimeout(() => reject(new Error('no answer to the upgrade within 5 s')), 5000).unref();
    });
  } finally {
    socket.terminate();
  }
}

describe('companion of a chat server, through nginx', () => {
  let chat: DevChat;
  let service: TestService;
  let nginx: TestNginx;
  let serviceClosed = false;
  let seq = 0;

  const me = (token: string | undefined, userAgent: string) =>
    call(`${nginx.url}/api/v4/users/me`, { headers: { 'user-agent': userAgent, ...(token ? { authorization: `Bearer ${token}` } : {}) } });

  const report = (token: string, status: string, eventId: string, extra: Record<string, unknown> = {}) =>
    call(`${nginx.url}/plugins/mamgate/api/v1/enrollment`, { token, headers: { 'user-agent': MOBILE }, body: { event_id: eventId, status, ...extra } });

  /** An office365 user of the chat server with a mobile session, imported into mamgate from the bulk export. */
  async function protectedUser() {
    const n = ++seq;
    const objectId = `7a1b2c3d-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const user = chat.addUser({ username: `phone${n}`, email: `phone${n}@example.com`, auth_service: 'office365', auth_data: objectId });
    const session = chat.addSession({ user_id: user.id, device_id: `apple_rn:phone${n}`, props: { isMobile: 'true', os: 'iOS' } });
    const imported = await call(`${nginx.url}/plugins/mamgate/api/v1/admin/users/import`, {
      token: service.adminToken,
      body: chat.exportJsonl(),
      headers: { 'content-type': 'application/x-ndjson' },
    });
    assert.equal(imported.status, 200, imported.text);
    return { user, token: session.token, sessionId: session.id };
  }

  before(async () => {
    chat = await startDevChat();
    const admin = chat.addUser({ username: 'sysadmin', email: 'admin@example.com', roles: 'system_user system_admin' });
    const adminToken = chat.addSession({ user_id: admin.id }).token;
    chat.patchConfig({ IntuneSettings: { Enable: true, TenantId: TENANT, ClientId: CLIENT, AuthService: 'office365' }, Office365Settings: { Enable: true } });
    chat.setLicense({ IsLicensed: true, SkuShortName: 'advanced' });
    service = await startTestService({ env: { chatServerUrl: chat.url, chatServerToken: adminToken, chatServerPollMs: 200 } });
    nginx = await startNginx({ mamgateUrl: service.url, chatServerUrl: chat.url });
  });
  after(async () => {
    await nginx?.stop();
    if (!serviceClosed) await service?.close();
    await chat?.stop();
  });

  test('a web session passes: 200 from the chat server, and the gate saw its token and User-Agent', async () => {
    const user = chat.addUser({ username: 'webuser', email: 'web@example.com', auth_service: 'office365', auth_data: 'ffffffff-0000-4000-8000-000000000001' });
    const { token } = chat.addSession({ user_id: user.id });
    chat.resetStats();
    const answer = await me(token, BROWSER);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.id, user.id);
    assert.ok(answer.headers.get('x-version-id'), "dev-chat's own header: the answer came from the chat server");
    assert.equal(answer.headers.get('x-mam-error'), null);
    // The gate asked the chat server who this token is (so Authorization reached it) and dev-chat served the call.
    assert.ok((chat.stats().calls['GET /api/v4/users/{user_id}'] ?? 0) >= 2, JSON.stringify(chat.stats().calls));
  });

  test('the session cookie reaches the gate as well: a held mobile session in MMAUTHTOKEN is refused', async () => {
    const held = await protectedUser();
    const answer = await call(`${nginx.url}/api/v4/users/me`, { headers: { 'user-agent': MOBILE, cookie: `MMAUTHTOKEN=${held.token}` } });
    assert.equal(answer.status, 403, answer.text);
    assert.equal(answer.headers.get('x-mam-error'), REQUIRED);
  });

  test('a protected mobile session is held (403, X-Mam-Error) until its enrollment report, then passes', async () => {
    const held = await protectedUser();
    const refused = await me(held.token, MOBILE);
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.headers.get('x-mam-error'), REQUIRED);
    assert.equal(refused.body.id, REQUIRED);
    const reported = await report(held.token, 'enrolled', 'nginx-e1');
    assert.equal(reported.status, 200, reported.text);
    assert.equal(reported.body.action, 'continue');
    const allowed = await me(held.token, MOBILE);
    assert.equal(allowed.status, 200, allowed.text);
    assert.equal(allowed.body.id, held.user.id);
  });

  test('the pre-sign-in routes are not gated: a held session still reads config/client and license/client', async () => {
    const held = await protectedUser();
    assert.equal((await me(held.token, MOBILE)).status, 403);
    for (const path of ['/api/v4/config/client?format=old', '/api/v4/license/client?format=old']) {
      const answer = await call(`${nginx.url}${path}`, { token: held.token, headers: { 'user-agent': MOBILE } });
      assert.equal(answer.status, 200, `${path}: ${answer.text}`);
    }
  });

  test('a license downgrade on the chat server frees a held session within 1 s', async () => {
    const held = await protectedUser();
    assert.equal((await me(held.token, MOBILE)).status, 403);
    chat.setLicense({ IsLicensed: true, SkuShortName: 'professional' });
    try {
      const freedAfter = await eventually('freed', async () => (await me(held.token, MOBILE)).status === 200, 1000);
      assert.ok(freedAfter < 1000);
    } finally {
      chat.setLicense({ IsLicensed: true, SkuShortName: 'advanced' });
    }
    await eventually('held again', async () => (await me(held.token, MOBILE)).status === 403, 1000);
  });

  test('a failed enrollment report ends the session on the chat server within 1 s', async () => {
    const failing = await protectedUser();
    const answer = await report(failing.token, 'failed', 'nginx-f1', { error_code: 'AADSTS650057' });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.action, 'remove_server');
    await eventually('session gone on dev-chat', async () => !chat.sessionsOf(failing.user.id).some((s) => s.id === failing.sessionId), 1000);
    // Through nginx the token is refused; once mamgate asks the chat server again, the refusal is the chat
    // server's own (session_expired).
    await eventually(
      "the chat server's refusal through nginx",
      async () => {
        const later = await me(failing.token, BROWSER);
        return later.status === 401 && later.headers.get('x-mam-error') === 'api.context.session_expired.app_error';
      },
      1000,
    );
  });

  test('an unknown token → 401', async () => {
    const answer = await me('nosuchtoken0000000000000000', BROWSER);
    assert.equal(answer.status, 401, answer.text);
    assert.equal(answer.headers.get('x-mam-error'), 'api.context.session_expired.app_error');
    assert.equal(answer.body.id, 'api.context.session_expired.app_error');
  });

  test("the WebSocket: a held mobile session's upgrade is refused with 403, a web session's upgrade gets hello", async () => {
    const wsUrl = `${nginx.url.replace(/^http/, 'ws')}/api/v4/websocket`;
    const held = await protectedUser();
    const refused = await upgrade(wsUrl, { authorization: `Bearer ${held.token}`, 'user-agent': MOBILE });
    assert.equal(refused.status, 403);
    assert.equal(refused.mamError, REQUIRED);
    const user = chat.addUser({ username: 'websocket', email: 'ws@example.com' });
    const web = chat.addSession({ user_id: user.id });
    const opened = await upgrade(wsUrl, { authorization: `Bearer ${web.token}`, 'user-agent': BROWSER });
    assert.equal(opened.status, 101);
    assert.equal(opened.first?.event, 'hello');
    assert.equal(opened.first?.broadcast?.user_id, user.id);
  });

  test('mamgate down → 503 (not the 500 nginx makes of a failed auth request)', async () => {
    const user = chat.addUser({ username: 'beforedown', email: 'down@example.com' });
    const { token } = chat.addSession({ user_id: user.id });
    assert.equal((await me(token, BROWSER)).status, 200);
    serviceClosed = true;
    await service.close();
    const answer = await me(token, BROWSER);
    assert.equal(answer.status, 503, answer.text);
    assert.equal(answer.headers.get('x-mam-error'), 'mamgate.gate.unreachable');
    const noToken = await me(undefined, BROWSER);
    assert.equal(noToken.status, 503, 'every gated call, with or without a token');
  });
});
