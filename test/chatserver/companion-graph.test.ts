// Enrollment verified by the server in companion mode: a protected mobile user of the chat server (dev-chat) is let
// through only when Microsoft Graph (the development Graph in dev-idp) shows an Intune registration of the
// Mattermost app for their objectId, with an applied policy, synced within the limit and not flagged. A client's
// own "enrolled" opens nothing; it only asks for a check. Lost evidence ends the user's mobile sessions on the chat
// server; Graph outages leave verified evidence valid and change nothing else.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DevChat } from '../../server/devchat/dev-chat.ts';
import type { DevIdp } from '../../server/devidp/dev-idp.ts';
import { GRAPH_APP, registerGraphApp, SECRET } from '../graph/fixtures.ts';
import { eventually } from '../support/intune.ts';
import { type GraphCompanion, startGraphCompanion } from '../support/graph-companion.ts';
import { call, type TestService } from '../support/service.ts';

const CLIENT = '66666666-7777-4888-9999-000000000000';
const MOBILE = 'Mattermost Mobile/2.22.0+612 (iOS; 17.5; iPhone15,2)';
const GATE = '/plugins/mamgate/api/v1/gate';
const ADMIN = '/plugins/mamgate/api/v1/admin';
const HOUR = 3_600_000;


function registration(n: number, change: Record<string, unknown> = {}) {
  return {
    id: `reg-${n}`,
    '@odata.type': '#microsoft.graph.iosManagedAppRegistration',
    appIdentifier: { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: 'com.mattermost.rn' },
    lastSyncDateTime: new Date(Date.now() - 10 * 60_000).toISOString(),
    flaggedReasons: [],
    appliedPolicies: [{ id: 'policy-1', displayName: 'Mattermost iOS protection' }],
    ...change,
  };
}

describe('companion mode with Graph evidence', () => {
  let idp: DevIdp;
  let chat: DevChat;
  let service: TestService;
  let seq = 0;

  const gate = (token: string) => call(`${service.url}${GATE}`, { headers: { 'user-agent': MOBILE, authorization: `Bearer ${token}` } });
  const verify = (userId: string) => call(`${service.url}${ADMIN}/users/${userId}/evidence/verify`, { method: 'POST', token: service.adminToken });

  async function protectedUser() {
    const n = ++seq;
    const objectId = `7a2b3c4d-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const user = chat.addUser({ username: `graph${n}`, email: `graph${n}@example.com`, auth_service: 'office365', auth_data: objectId });
    const session = chat.addSession({ user_id: user.id, device_id: `apple_rn:g${n}`, props: { isMobile: 'true' } });
    const line = JSON.stringify({ type: 'user', user: { username: user.username, email: user.email, auth_service: 'office365', auth_data: objectId } });
    const imported = await call(`${service.url}${ADMIN}/users/import`, { token: service.adminToken, body: `${line}\n`, headers: { 'content-type': 'application/x-ndjson' } });
    assert.equal(imported.body.imported, 1, imported.text);
    return { user, objectId, token: session.token, sessionId: session.id };
  }

  let started: GraphCompanion | undefined;
  before(async () => {
    started = await startGraphCompanion({ apiAppId: CLIENT, prepareIdp: (dev) => registerGraphApp(dev) });
    ({ idp, chat, service } = started);
  });
  after(() => started?.close());

  test('no registration: refused; the first check is at once and its finding is the answer', async () => {
    const user = await protectedUser();
    const first = await gate(user.token);
    assert.equal(first.status, 403);
    assert.equal(first.body.id, 'ent.intune.enrollment.required.app_error');
    await eventually('checked', async () => (await gate(user.token)).body.id === 'mamgate.graph.evidence.none.app_error', 3000);
  });

  test("the client's own 'enrolled' opens nothing without a registration (a modified client cannot pass)", async () => {
    const user = await protectedUser();
    const reported = await call(`${service.url}/plugins/mamgate/api/v1/enrollment`, {
      token: user.token,
      headers: { 'user-agent': MOBILE },
      body: { event_id: 'lie-1', status: 'enrolled' },
    });
    assert.equal(reported.status, 200, reported.text);
    await new Promise((r) => setTimeout(r, 2500));
    const answer = await gate(user.token);
    assert.equal(answer.status, 403);
    assert.equal(answer.body.id, 'mamgate.graph.evidence.none.app_error');
  });

  test("a registration appears and the client's report asks for a check: allowed within seconds", async () => {
    const user = await protectedUser();
    assert.equal((await gate(user.token)).status, 403);
    idp.graph.setRegistrations(user.objectId, [registration(100 + seq)]);
    await call(`${service.url}/plugins/mamgate/api/v1/enrollment`, { token: user.token, headers: { 'user-agent': MOBILE }, body: { event_id: 'real-1', status: 'enrolled' } });
    await eventually('allowed', async () => (await gate(user.token)).status === 204, 4000);
    const evidence = await verify(user.user.id);
    assert.equal(evidence.body.outcome, 'verified');
    assert.equal(evidence.body.evidence.evidence.registration_id, `reg-${100 + seq}`);
    assert.equal(evidence.body.evidence.evidence.app_id, 'com.mattermost.rn');
  });

  test('a pending user is re-checked by itself with backoff: allowed when the registration appears, without any report', async () => {
    const user = await protectedUser();
    assert.equal((await gate(user.token)).status, 403);
    await eventually('first check', async () => (await gate(user.token)).body.id === 'mamgate.graph.evidence.none.app_error', 3000);
    idp.graph.setRegistrations(user.objectId, [registration(200 + seq)]);
    await eventually('allowed by a backoff re-check', async () => (await gate(user.token)).status === 204, 9000);
  });

  test('each outcome is refused with its own error: other app, no policy, stale', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ appIdentifier: { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: 'com.microsoft.outlook' } }, 'mamgate.graph.evidence.other_app.app_error'],
      [{ appliedPolicies: [] }, 'mamgate.graph.evidence.no_policy.app_error'],
      [{ lastSyncDateTime: new Date(Date.now() - 13 * HOUR).toISOString() }, 'mamgate.graph.evidence.stale.app_error'],
    ];
    for (const [change, id] of cases) {
      const user = await protectedUser();
      idp.graph.setRegistrations(user.objectId, [registration(300 + seq, change)]);
      const checked = await verify(user.user.id);
      assert.equal(checked.status, 200, checked.text);
      assert.equal(checked.body.verified, false);
      const answer = await gate(user.token);
      assert.equal(answer.status, 403, id);
      assert.equal(answer.body.id, id);
    }
  });

  test('another user’s registration proves nothing for this one', async () => {
    const user = await protectedUser();
    idp.graph.setRegistrations('7a2b3c4d-ffff-4000-8000-000000000000', [registration(400)]);
    const checked = await verify(user.user.id);
    assert.equal(checked.body.outcome, 'none');
  });

  test('a rooted device flag: evidence lost, refused with its own error, mobile sessions ended on the chat server', async () => {
    const user = await protectedUser();
    idp.graph.setRegistrations(user.objectId, [registration(500 + seq)]);
    const verified = await verify(user.user.id);
    assert.equal(verified.body.verified, true, verified.text);
    assert.equal((await gate(user.token)).status, 204);
    idp.graph.setRegistrations(user.objectId, [registration(500 + seq, { flaggedReasons: ['rootedDevice'] })]);
    const checked = await verify(user.user.id);
    assert.equal(checked.body.lost, true, checked.text);
    const refused = await gate(user.token);
    assert.notEqual(refused.status, 204);
    await eventually('session revoked on the chat server', async () => !chat.sessionsOf(user.user.id).some((s) => s.id === user.sessionId), 2000);
    const signedInAgain = chat.addSession({ user_id: user.user.id, device_id: 'apple_rn:again', props: { isMobile: 'true' } });
    // Once the chat server has confirmed the revocation, a new sign-in meets the flag itself.
    await eventually('refused for the flag', async () => (await gate(signedInAgain.token)).body.id === 'mamgate.graph.evidence.rooted_device.app_error', 2000);
    const audit = await call(`${service.url}${ADMIN}/audit?action=enrollment.evidence_lost`, { token: service.adminToken });
    assert.ok(audit.text.includes(user.user.id) && audit.text.includes('flagged'), audit.text.slice(0, 400));
  });

  test('Graph down: verified evidence stays valid, a check fails with 503 and changes nothing; throttling is waited out', async () => {
    const user = await protectedUser();
    idp.graph.setRegistrations(user.objectId, [registration(600 + seq)]);
    assert.equal((await verify(user.user.id)).body.verified, true);
    idp.graph.setFault({ mode: 'down' });
    try {
      const failed = await verify(user.user.id);
      assert.equal(failed.status, 503);
      assert.match(failed.body.id, /^mamgate\.graph\./);
      assert.equal((await gate(user.token)).status, 204, 'verified evidence still holds');
    } finally {
      idp.graph.setFault({ mode: 'up' });
    }
    idp.graph.setFault({ throttle: { times: 1, retryAfterSeconds: 1 } });
    const throttled = await verify(user.user.id);
    assert.equal(throttled.body.verified, true);
  });

  test('many requests of a pending user cost a bounded number of Graph calls', async () => {
    const user = await protectedUser();
    const before = idp.graph.stats().calls.managedAppRegistrations ?? 0;
    for (let i = 0; i < 100; i++) await gate(user.token);
    const after = idp.graph.stats().calls.managedAppRegistrations ?? 0;
    assert.ok(after - before <= 2, `${after - before} list calls for 100 requests`);
  });

  test('the client secret and Graph tokens never reach a log line or an answer', async () => {
    const effective = await call(`${service.url}${ADMIN}/settings/effective`, { token: service.adminToken });
    assert.equal(effective.body.settings.GraphSettings.ClientId, GRAPH_APP);
    assert.equal(effective.body.sources['GraphSettings.ClientId'], 'plugin_settings');
    assert.ok(!effective.text.includes(SECRET));
    assert.ok(!service.logs.some((line) => line.includes(SECRET) || /eyJ[\w-]+\.eyJ/.test(line)));
  });
});
