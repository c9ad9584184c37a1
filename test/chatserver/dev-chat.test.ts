// The chat-server stand-in through @mattermost/client, the way mamgate talks to Mattermost: token locations and
// Mattermost's 401/403/400 ids and shapes, sanitised users and sessions, revocation, the sanitised config, client
// config and license, the WebSocket (both ways of authenticating, hello, ping, config/license events, revocation
// closing the socket, reconnects), the failure modes, the counters and the bulk export.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import mm from '@mattermost/client';
import { WebSocket } from 'ws';
import { runDevChat } from '../../server/cli/commands/dev-chat.ts';
import { type ChatSession, type ChatUser, type DevChat, startDevChat } from '../../server/devchat/dev-chat.ts';

const { Client4, WebSocketClient, ClientError } = mm;
type Client4Type = InstanceType<typeof Client4>;
type SocketClient = InstanceType<typeof WebSocketClient>;

// WebSocketClient reads the global WebSocket (WebSocket.OPEN) in ping/sendMessage; Node 20 has none.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

const FAKE = '********************************';
const OID = '3f1c5a2e-9d7b-4c61-8e0a-2b4d6f8a1c3e';

let chat: DevChat;
let counter = 0;

function person(overrides: Partial<Parameters<DevChat['addUser']>[0]> = {}): ChatUser {
  counter++;
  return chat.addUser({ username: `user${counter}`, email: `user${counter}@example.com`, auth_service: 'office365', auth_data: `${OID}-${counter}`, ...overrides });
}

function signedIn(user: ChatUser, overrides: Partial<Parameters<DevChat['addSession']>[0]> = {}): ChatSession {
  return chat.addSession({ user_id: user.id, props: { os: 'iOS' }, ...overrides });
}

function client(token?: string): Client4Type {
  const c = new Client4();
  c.setUrl(chat.url);
  if (token) c.setToken(token);
  return c;
}

async function rejectsWith(promise: Promise<unknown>, status: number, id: string): Promise<InstanceType<typeof ClientError>> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ClientError, String(error));
    assert.equal(error.status_code, status, error.message);
    assert.equal(error.server_error_id, id);
    return error;
  }
  assert.fail(`expected ${status} ${id}`);
}

async function raw(path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(`${chat.url}${path}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
}

async function eventually(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

interface Socket {
  client: SocketClient;
  messages: { event?: string; data?: Record<string, unknown>; seq?: number }[];
  reconnects: number;
  /** Reconnections the client saw as a new connection (a new connection_id in hello): its events may be lost. */
  missed: number;
}

/** Every client a test opened, closed after it so none keeps reconnecting into the next test. */
const openSockets = new Set<{ close(): void }>();

/** A WebSocketClient on `ws`, optionally sending headers on the upgrade, recording every event. */
function socket(token?: string, headers: Record<string, string> = {}): Socket {
  const opened: Socket = {
    client: new WebSocketClient({
      newWebSocketFn: (url: string) => new WebSocket(url, { headers }) as unknown as globalThis.WebSocket,
      minWebSocketRetryTime: 50,
      reconnectJitterRange: 10,
      maxWebSocketFails: 7,
      maxWebSocketRetryTime: 1000,
      clientPingInterval: 30_000,
    }),
    messages: [],
    reconnects: 0,
    missed: 0,
  };
  openSockets.add(opened.client);
  // Mattermost's own clients always listen for missed messages; without a listener WebSocketClient does not reset
  // its sequence on a new connection_id and drops the connection (through CloseEvent, which Node 20 lacks).
  opened.client.addMissedMessageListener(() => opened.missed++);
  opened.client.addMessageListener((msg) => opened.messages.push(msg as Socket['messages'][number]));
  opened.client.addReconnectListener(() => opened.reconnects++);
  opened.client.initialize(`${chat.url.replace(/^http/, 'ws')}/api/v4/websocket`, token);
  return opened;
}

const events = (s: Socket, name: string) => s.messages.filter((m) => m.event === name);

/** A bare `ws` connection, for what WebSocketClient hides (challenge replies, closes, refused upgrades). */
function bareSocket(path = '/api/v4/websocket', headers: Record<string, string> = {}) {
  const ws = new WebSocket(`${chat.url.replace(/^http/, 'ws')}${path}`, { headers });
  openSockets.add(ws);
  const received: Record<string, unknown>[] = [];
  ws.on('message', (data) => received.push(JSON.parse(data.toString())));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, received, closed, opened };
}

describe('dev-chat', () => {
  before(async () => {
    chat = await startDevChat({ secretPluginKeys: { mamgate: ['SharedSecret'] }, webSocketAuthTimeoutMs: 500 });
  });
  after(async () => {
    await chat.stop();
  });
  afterEach(() => {
    for (const s of openSockets) s.close();
    openSockets.clear();
    chat.setMode('up');
  });

  test('listens on loopback and makes 26-character Mattermost-style ids and tokens', () => {
    assert.match(chat.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const session = signedIn(person());
    for (const id of [session.id, session.token, session.user_id]) assert.match(id, /^[ybndrfg8ejkmcpqxot1uwisza345h769]{26}$/);
  });

  test('ping needs no session', async () => {
    const pong = (await client().ping(false)) as unknown as Record<string, string>;
    assert.equal(pong.status, 'OK');
  });

  test('/users/me answers with the token in a Bearer or Token header or the MMAUTHTOKEN cookie', async () => {
    const user = person();
    const { token } = signedIn(user);
    assert.equal((await client(token).getMe()).id, user.id);
    const locations: Record<string, string>[] = [{ Authorization: `Token ${token}` }, { Cookie: `MMAUTHTOKEN=${token}` }, { Authorization: `bearer ${token}` }];
    for (const headers of locations) {
      const answer = await raw('/api/v4/users/me', { headers });
      assert.equal(answer.status, 200, JSON.stringify(headers));
      assert.equal(answer.body.id, user.id);
    }
  });

  test('a query-string token is refused for a normal session and accepted for an OAuth one', async () => {
    const user = person();
    const plain = await raw(`/api/v4/users/me?access_token=${signedIn(user).token}`);
    assert.equal(plain.status, 401);
    assert.equal(plain.body.id, 'api.context.token_provided.app_error');
    const oauth = await raw(`/api/v4/users/me?access_token=${signedIn(user, { is_oauth: true }).token}`);
    assert.equal(oauth.status, 200);
  });

  test('unknown, missing, expired and deactivated-user tokens are a 401 session_expired AppError', async () => {
    const expired = signedIn(person(), { expires_at: Date.now() - 1000 });
    const deactivated = signedIn(person({ delete_at: Date.now() }));
    await rejectsWith(client('nosuchtoken').getMe(), 401, 'api.context.session_expired.app_error');
    await rejectsWith(client().getMe(), 401, 'api.context.session_expired.app_error');
    await rejectsWith(client(expired.token).getMe(), 401, 'api.context.session_expired.app_error');
    await rejectsWith(client(deactivated.token).getMe(), 401, 'api.context.session_expired.app_error');
    const answer = await raw('/api/v4/users/me', { headers: { Authorization: 'Bearer nosuchtoken' } });
    assert.deepEqual(Object.keys(answer.body), ['id', 'message', 'detailed_error', 'request_id', 'status_code']);
    assert.equal(answer.body.request_id, answer.headers.get('x-request-id'));
    assert.equal(answer.body.detailed_error, '', 'wiped without ServiceSettings.EnableDeveloper');
    assert.equal(answer.headers.get('content-type'), 'application/json');
  });

  test('the user comes back sanitised: no password, auth_data blanked, auth_service and roles kept', async () => {
    const user = person({ first_name: 'Jane', last_name: 'Doe', roles: 'system_user' });
    const me = (await client(signedIn(user).token).getMe()) as unknown as Record<string, unknown>;
    assert.equal(me.auth_data, '');
    assert.equal('password' in me, false);
    assert.equal(me.auth_service, 'office365');
    assert.equal(me.roles, 'system_user');
    assert.equal(me.first_name, 'Jane');
    assert.equal(me.delete_at, 0);
    assert.equal(me.username, user.username);
  });

  test('/users/{id}: oneself and admins only, sanitised for admins too', async () => {
    const jane = person();
    const other = person();
    const admin = person({ roles: 'system_user system_admin' });
    const janeClient = client(signedIn(jane).token);
    assert.equal((await janeClient.getUser(jane.id)).id, jane.id);
    await rejectsWith(janeClient.getUser(other.id), 403, 'api.context.permissions.app_error');
    const seen = (await client(signedIn(admin).token).getUser(other.id)) as unknown as Record<string, unknown>;
    assert.equal(seen.auth_data, '');
    assert.equal(seen.auth_service, 'office365');
    await rejectsWith(janeClient.getUser('not-an-id'), 400, 'api.context.invalid_url_param.app_error');
  });

  test('sessions are listed without tokens, revoked one by one or all at once, and stop working at once', async () => {
    const user = person();
    const first = signedIn(user, { device_id: 'apple_rn-v2:abc' });
    const second = signedIn(user, { props: { isMobile: 'true' } });
    const own = client(first.token);
    const listed = await own.getSessions(user.id);
    assert.equal(listed.length, 2);
    for (const session of listed) assert.equal(session.token, '');
    assert.deepEqual(listed.map((s) => s.id).sort(), [first.id, second.id].sort());
    assert.equal(listed.find((s) => s.id === first.id)!.device_id, 'apple_rn-v2:abc');

    const before = chat.stats().revocations;
    assert.deepEqual(await own.revokeSession(user.id, second.id), { status: 'OK' });
    await rejectsWith(client(second.token).getMe(), 401, 'api.context.session_expired.app_error');
    assert.equal(chat.stats().revocations, before + 1);
    assert.deepEqual(
      chat.sessionsOf(user.id).map((s) => s.id),
      [first.id],
    );

    await rejectsWith(own.revokeSession(user.id, 'unknownsessionidxxxxxxxxxx'), 400, 'app.session.get.app_error');
    const noId = await raw(`/api/v4/users/${user.id}/sessions/revoke`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${first.token}` },
      body: '{}',
    });
    assert.equal(noId.status, 400);
    assert.equal(noId.body.id, 'api.context.invalid_param.app_error');
    const someoneElse = signedIn(person());
    await rejectsWith(own.revokeSession(user.id, someoneElse.id), 400, 'api.context.invalid_url_param.app_error');
    await rejectsWith(own.getSessions(someoneElse.user_id), 403, 'api.context.permissions.app_error');
    await rejectsWith(own.revokeAllSessionsForUser(someoneElse.user_id), 403, 'api.context.permissions.app_error');

    signedIn(user);
    assert.deepEqual(await own.revokeAllSessionsForUser(user.id), { status: 'OK' });
    assert.deepEqual(chat.sessionsOf(user.id), []);
    await rejectsWith(own.getMe(), 401, 'api.context.session_expired.app_error');
  });

  test('an admin can list and revoke another user\'s sessions', async () => {
    const admin = client(signedIn(person({ roles: 'system_user system_admin' })).token);
    const target = signedIn(person());
    assert.equal((await admin.getSessions(target.user_id)).length, 1);
    await admin.revokeSession(target.user_id, target.id);
    await rejectsWith(client(target.token).getMe(), 401, 'api.context.session_expired.app_error');
  });

  test('a cookie-authenticated POST needs X-Requested-With or the CSRF token', async () => {
    const session = signedIn(person());
    const path = `/api/v4/users/${session.user_id}/sessions/revoke/all`;
    const bare = await raw(path, { method: 'POST', headers: { Cookie: `MMAUTHTOKEN=${session.token}` } });
    assert.equal(bare.status, 401);
    assert.equal(bare.body.id, 'api.context.session_expired.app_error');
    const xhr = await raw(path, { method: 'POST', headers: { Cookie: `MMAUTHTOKEN=${session.token}`, 'X-Requested-With': 'XMLHttpRequest' } });
    assert.equal(xhr.status, 200);
  });

  test('/config is for system admins, with secrets and secret plugin settings obfuscated and plugin keys lower-cased', async () => {
    chat.patchConfig({
      Office365Settings: { Enable: true, Id: 'client-id', Secret: 'o365-secret' },
      PluginSettings: { Plugins: { mamgate: { SharedSecret: 'plugin-secret', ApiBaseUrl: 'https://mamgate.example.com' } } },
    });
    await rejectsWith(client(signedIn(person()).token).getConfig(), 403, 'api.context.permissions.app_error');
    const config = (await client(signedIn(person({ roles: 'system_admin system_user' })).token).getConfig()) as unknown as Record<
      string,
      Record<string, unknown>
    >;
    assert.equal(config.SqlSettings!.DataSource, FAKE);
    assert.equal(config.SqlSettings!.AtRestEncryptKey, FAKE);
    assert.equal(config.FileSettings!.PublicLinkSalt, FAKE);
    assert.equal(config.Office365Settings!.Secret, FAKE);
    assert.equal(config.Office365Settings!.Id, 'client-id');
    assert.equal(config.EmailSettings!.SMTPPassword, '', 'an empty password is not replaced');
    assert.deepEqual(config.IntuneSettings, { Enable: false, TenantId: '', ClientId: '', AuthService: '' });
    const plugins = config.PluginSettings!.Plugins as Record<string, Record<string, unknown>>;
    assert.deepEqual(plugins.mamgate, { sharedsecret: FAKE, apibaseurl: 'https://mamgate.example.com' });
    const unauthenticated = await raw('/api/v4/config');
    assert.equal(unauthenticated.status, 401);
  });

  test('the client config shows the Intune keys only under an Enterprise Advanced license', async () => {
    chat.setLicense({ IsLicensed: false });
    chat.patchConfig({ IntuneSettings: { Enable: true, TenantId: 'tenant', ClientId: 'app-id', AuthService: 'office365' } });
    const unlicensed = await client().getClientConfig();
    assert.equal('IntuneMAMEnabled' in unlicensed, false);
    assert.equal(typeof unlicensed.Version, 'string');
    assert.equal(typeof unlicensed.BuildNumber, 'string');
    chat.setLicense({ IsLicensed: true, SkuShortName: 'professional' });
    assert.equal('IntuneMAMEnabled' in (await client().getClientConfig()), false);
    chat.setLicense({ IsLicensed: true, SkuShortName: 'advanced' });
    const licensed = (await client().getClientConfig()) as unknown as Record<string, string>;
    assert.equal(licensed.IntuneMAMEnabled, 'true');
    assert.equal(licensed.IntuneScope, 'api://app-id/login.mattermost');
    assert.equal(licensed.IntuneAuthService, 'office365');
    chat.patchConfig({ IntuneSettings: { ClientId: '' } });
    const incomplete = (await client().getClientConfig()) as unknown as Record<string, string>;
    assert.equal(incomplete.IntuneMAMEnabled, 'false');
    assert.equal('IntuneScope' in incomplete, false);
    chat.setLicense({ IsLicensed: false });
  });

  test('the client license: IsLicensed only when unlicensed; sanitised without admin rights; complete for admins', async () => {
    chat.setLicense({ IsLicensed: false });
    assert.deepEqual(await client().getClientLicenseOld(), { IsLicensed: 'false' });
    chat.setLicense({ IsLicensed: true, SkuShortName: 'advanced', SkuName: 'Enterprise Advanced', ExpiresAt: 1_900_000_000_000 });
    const anonymous = (await client().getClientLicenseOld()) as unknown as Record<string, string>;
    assert.equal(anonymous.IsLicensed, 'true');
    assert.equal(anonymous.SkuShortName, 'advanced');
    for (const hidden of ['Id', 'SkuName', 'ExpiresAt', 'IssuedAt', 'StartsAt', 'Name', 'Email']) assert.equal(hidden in anonymous, false, hidden);
    const user = (await client(signedIn(person()).token).getClientLicenseOld()) as unknown as Record<string, string>;
    assert.equal('Id' in user, false);
    const admin = (await client(signedIn(person({ roles: 'system_user system_admin' })).token).getClientLicenseOld()) as unknown as Record<
      string,
      string
    >;
    assert.match(admin.Id!, /^[a-z0-9]{26}$/);
    assert.equal(admin.SkuName, 'Enterprise Advanced');
    assert.equal(admin.ExpiresAt, '1900000000000');
    for (const value of Object.values(admin)) assert.equal(typeof value, 'string');
    chat.setLicense({ IsLicensed: false });
  });

  test('every answer carries X-Request-Id and X-Version-Id; unknown routes are a 404 AppError, wrong methods 405', async () => {
    for (const path of ['/api/v4/system/ping', '/api/v4/users/me', '/api/v4/no/such/route']) {
      const answer = await raw(path);
      assert.match(answer.headers.get('x-request-id') ?? '', /^[a-z0-9]{26}$/, path);
      assert.match(answer.headers.get('x-version-id') ?? '', /^11\.3\.0\.dev\.[0-9a-f]{32}\.(true|false)$/, path);
    }
    const missing = await raw('/api/v4/no/such/route');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.id, 'api.context.404.app_error');
    assert.equal(missing.body.detailed_error, '');
    chat.patchConfig({ ServiceSettings: { EnableDeveloper: true } });
    assert.match(String((await raw('/api/v4/no/such/route')).body.detailed_error), /no\/such\/route/, 'detailed in developer mode');
    chat.patchConfig({ ServiceSettings: { EnableDeveloper: false } });
    const wrongMethod = await fetch(`${chat.url}/api/v4/users/me`, { method: 'DELETE' });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'GET');
  });

  test('WebSocket: the authentication challenge is answered OK, then hello; ping is answered pong', async () => {
    const session = signedIn(person());
    const bare = bareSocket();
    await bare.opened;
    bare.ws.send(JSON.stringify({ seq: 1, action: 'ping' }));
    await eventually(() => bare.received.length === 1, 'the refusal of an unauthenticated ping');
    assert.equal(bare.received[0]!.status, 'FAIL');
    assert.equal((bare.received[0]!.error as Record<string, unknown>).id, 'api.web_socket_router.not_authenticated.app_error');
    bare.ws.send(JSON.stringify({ seq: 2, action: 'authentication_challenge', data: { token: session.token } }));
    await eventually(() => bare.received.length === 3, 'the challenge reply and hello');
    assert.deepEqual(bare.received[1], { status: 'OK', seq_reply: 2 });
    const hello = bare.received[2] as { event: string; data: Record<string, string>; broadcast: Record<string, unknown>; seq: number };
    assert.equal(hello.event, 'hello');
    assert.equal(hello.seq, 0);
    assert.equal(hello.broadcast.user_id, session.user_id);
    assert.match(hello.data.server_version!, /^11\.3\.0\.dev\./);
    assert.match(hello.data.connection_id!, /^[a-z0-9]{26}$/);
    assert.equal(typeof hello.data.server_hostname, 'string');
    bare.ws.send(JSON.stringify({ seq: 3, action: 'ping' }));
    await eventually(() => bare.received.length === 4, 'pong');
    assert.equal(bare.received[3]!.seq_reply, 3);
    assert.equal((bare.received[3]!.data as Record<string, unknown>).text, 'pong');
    bare.ws.close();

    const s = socket(session.token);
    await eventually(() => events(s, 'hello').length === 1, 'hello through WebSocketClient');
    const pong = await new Promise<Record<string, unknown>>((resolve) => s.client.ping((msg) => resolve(msg)));
    assert.equal(pong.status, 'OK');
    assert.equal((pong.data as Record<string, unknown>).text, 'pong');
    s.client.close();
  });

  test('WebSocket: a token on the upgrade (header or cookie) authenticates at once; in the query string it is refused', async () => {
    const session = signedIn(person());
    const locations: Record<string, string>[] = [{ Authorization: `Bearer ${session.token}` }, { Cookie: `MMAUTHTOKEN=${session.token}` }];
    for (const headers of locations) {
      const s = socket(undefined, headers);
      await eventually(() => events(s, 'hello').length === 1, `hello for ${Object.keys(headers)[0]}`);
      s.client.close();
    }
    const elsewhere = new WebSocket(`${chat.url.replace(/^http/, 'ws')}/api/v4/websocketx`);
    assert.equal(await new Promise<number>((resolve) => elsewhere.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))), 404);
    const refused = new WebSocket(`${chat.url.replace(/^http/, 'ws')}/api/v4/websocket?access_token=${session.token}`);
    const status = await new Promise<number>((resolve) => refused.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    assert.equal(status, 401);
    await eventually(() => chat.stats().concurrent === 0, 'the refused upgrade to leave the concurrency counter');
  });

  test('WebSocket: a bad token on the upgrade leaves the socket unauthenticated; a bad challenge or no challenge closes it', async () => {
    const bad = bareSocket('/api/v4/websocket', { Authorization: 'Bearer nosuchtoken' });
    await bad.opened;
    bad.ws.send(JSON.stringify({ seq: 1, action: 'authentication_challenge', data: { token: 'nosuchtoken' } }));
    await bad.closed;
    assert.deepEqual(bad.received, []);
    const silent = bareSocket();
    await silent.opened;
    await silent.closed; // webSocketAuthTimeoutMs: 500
  });

  test('WebSocket: config_changed and license_changed reach every authenticated connection', async () => {
    const user = signedIn(person());
    const admin = signedIn(person({ roles: 'system_user system_admin' }));
    const sockets = [socket(user.token), socket(admin.token)];
    const unauthenticated = bareSocket();
    await unauthenticated.opened;
    for (const s of sockets) await eventually(() => events(s, 'hello').length === 1, 'hello');
    const patched = await fetch(`${chat.url}/dev/config`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ TeamSettings: { SiteName: 'Contoso Chat' } }),
    });
    assert.equal(patched.status, 200);
    const licensed = await fetch(`${chat.url}/dev/license`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ IsLicensed: true, SkuShortName: 'advanced' }),
    });
    assert.equal(licensed.status, 200);
    for (const s of sockets) {
      await eventually(() => events(s, 'license_changed').length === 1, 'license_changed');
      const config = events(s, 'config_changed')[0]!.data!.config as Record<string, string>;
      assert.equal(config.SiteName, 'Contoso Chat');
      const license = events(s, 'license_changed')[0]!.data!.license as Record<string, string>;
      assert.equal(license.IsLicensed, 'true');
      assert.equal(license.SkuShortName, 'advanced');
      assert.equal('Id' in license, false, 'the event carries the sanitised license');
      assert.deepEqual(
        s.messages.map((m) => m.seq),
        [0, 1, 2],
        'seq counts up from hello',
      );
    }
    assert.deepEqual(unauthenticated.received, []);
    unauthenticated.ws.close();
    for (const s of sockets) s.client.close();
    chat.setLicense({ IsLicensed: false });
  });

  test('WebSocket: revoking a session closes its sockets and no other', async () => {
    const user = person();
    const revoked = signedIn(user);
    const kept = signedIn(user);
    const doomed = bareSocket('/api/v4/websocket', { Authorization: `Bearer ${revoked.token}` });
    const survivor = bareSocket('/api/v4/websocket', { Authorization: `Bearer ${kept.token}` });
    await Promise.all([doomed.opened, survivor.opened]);
    await client(kept.token).revokeSession(user.id, revoked.id);
    await doomed.closed;
    await sleep(50);
    assert.equal(survivor.ws.readyState, WebSocket.OPEN);
    survivor.ws.close();
  });

  test('WebSocket: closeWebSockets drops connections and WebSocketClient reconnects with a new hello', async () => {
    const s = socket(signedIn(person()).token);
    await eventually(() => events(s, 'hello').length === 1, 'first hello');
    assert.ok(chat.stats().webSockets.open >= 1);
    chat.closeWebSockets();
    await eventually(() => s.reconnects === 1 && events(s, 'hello').length === 2, 'reconnect and second hello');
    const [first, second] = events(s, 'hello').map((m) => m.data!.connection_id);
    assert.notEqual(first, second, 'a new connection, not a resumed one');
    assert.equal(s.missed, 1);
    s.client.ping(); // still usable: authenticated again by the challenge on reconnect
  });

  test('mode down answers 503; hang holds calls until the mode changes; slow delays them', async () => {
    const me = client(signedIn(person()).token);
    chat.setMode('down');
    await rejectsWith(me.getMe(), 503, 'api.context.server_busy.app_error');

    chat.resetStats();
    chat.setMode('hang');
    let settled = 0;
    const held = [me.getMe(), me.getMe(), me.getClientConfig()].map((p) => p.then(() => settled++));
    await eventually(() => chat.stats().concurrent === 3, 'three held calls');
    await sleep(100);
    assert.equal(settled, 0);
    const stats = (await (await fetch(`${chat.url}/dev/stats`)).json()) as { concurrent: number; maxConcurrent: number; mode: string };
    assert.deepEqual([stats.concurrent, stats.maxConcurrent, stats.mode], [3, 3, 'hang'], 'the control API is not held');
    chat.setMode('up');
    await Promise.all(held);
    assert.equal(chat.stats().concurrent, 0);
    assert.equal(chat.stats().maxConcurrent, 3);
    assert.equal(chat.stats().calls['GET /api/v4/users/{user_id}'], 2);

    const mode = await fetch(`${chat.url}/dev/mode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'slow', delayMs: 200 }),
    });
    assert.equal(mode.status, 200);
    const started = Date.now();
    await me.getMe();
    assert.ok(Date.now() - started >= 190, `slow took ${Date.now() - started} ms`);
    chat.setMode('up');
  });

  test('stop() ends calls held in hang mode instead of waiting for them', async () => {
    const other = await startDevChat();
    const user = other.addUser({ username: 'held', email: 'held@example.com' });
    const { token } = other.addSession({ user_id: user.id });
    other.setMode('hang');
    const call = fetch(`${other.url}/api/v4/users/me`, { headers: { Authorization: `Bearer ${token}` } });
    await eventually(() => other.stats().concurrent === 1, 'the held call');
    await other.stop();
    await assert.rejects(call);
  });

  test('the control API validates its bodies', async () => {
    const unknownUser = await fetch(`${chat.url}/dev/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 'nosuchuserxxxxxxxxxxxxxxxx' }),
    });
    assert.equal(unknownUser.status, 400);
    const extraField = await fetch(`${chat.url}/dev/users`, { method: 'POST', body: JSON.stringify({ username: 'x', email: 'x@example.com', admin: true }) });
    assert.equal(extraField.status, 400);
    const badMode = await fetch(`${chat.url}/dev/mode`, { method: 'POST', body: JSON.stringify({ mode: 'sideways' }) });
    assert.equal(badMode.status, 400);
    const created = await fetch(`${chat.url}/dev/users`, {
      method: 'POST',
      body: JSON.stringify({ username: 'Mixed.Case', email: 'Mixed@Example.com', auth_service: 'saml', auth_data: 'nameid-1' }),
    });
    assert.equal(created.status, 201);
    const user = (await created.json()) as ChatUser;
    assert.equal(user.username, 'mixed.case');
    const session = await fetch(`${chat.url}/dev/sessions`, {
      method: 'POST',
      body: JSON.stringify({ user_id: user.id, props: { os: 'iOS', isMobile: true }, device_id: 'apple_rn-v2:x' }),
    });
    const created2 = (await session.json()) as ChatSession;
    assert.equal(created2.props.isMobile, 'true');
    assert.equal((await client(created2.token).getMe()).id, user.id);
  });

  test('the bulk export has a version line, then one user line per user carrying auth_service and auth_data', async () => {
    const user = person({ first_name: 'Ada', last_name: 'Lovelace', auth_data: 'entra-object-id' });
    const text = await (await fetch(`${chat.url}/dev/export`)).text();
    assert.equal(text, chat.exportJsonl().replace(/"created":"[^"]+"/, (m) => text.match(/"created":"[^"]+"/)?.[0] ?? m));
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; version?: number; user?: Record<string, unknown> });
    assert.equal(lines[0]!.type, 'version');
    assert.equal(lines[0]!.version, 1);
    assert.ok(lines.slice(1).every((line) => line.type === 'user'));
    const exported = lines.find((line) => line.user?.username === user.username)!.user!;
    assert.equal(exported.auth_service, 'office365');
    assert.equal(exported.auth_data, 'entra-object-id');
    assert.equal(exported.first_name, 'Ada');
    assert.equal(exported.email, user.email);
  });

  test('runDevChat prints the URL and sample curl lines, then stops', async () => {
    const lines: string[] = [];
    const output = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(`err: ${line}`) };
    await runDevChat({ port: 0, host: '127.0.0.1' }, output as never, Promise.resolve());
    assert.match(lines[0]!, /^chat server: http:\/\/127\.0\.0\.1:\d+/);
    assert.ok(lines.some((line) => line.includes('/dev/users')));
    assert.ok(lines.some((line) => line.includes('/dev/sessions')));
    assert.ok(!lines.some((line) => line.startsWith('err:')));
  });
});
