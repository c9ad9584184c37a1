// Two (and three) mamgate nodes on one PostgreSQL database: what an admin changes on A reaches B's gate within 1 s
// (settings, license, session revocation), a change committed out of sequence order is not lost, a node that
// misses every NOTIFY still follows by polling, and B's event stream delivers config_changed, license_changed,
// session_revoked, with Last-Event-ID replay.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import { revokeSessions } from '../../server/sessions/revoke-sessions.ts';
import {
  adminUrl,
  configureIntune,
  eventId,
  eventsUrl,
  gate,
  gateBecomes,
  insertSession,
  insertUser,
  intuneEnv,
  pollUntil,
  report,
  saveLicense,
  saveSettings,
  setIntune,
  signIn,
  TENANT,
} from '../support/intune.ts';
import { call, startTestService, type TestService } from '../support/service.ts';
import { openEventStream } from '../support/sse.ts';

const WITHIN = 1000;

describe('several nodes on one database', () => {
  let idp: DevIdp;
  let a: TestService;
  let b: TestService;
  before(async () => {
    idp = await startDevIdp();
    // Polling every 200 ms: the bounds below hold even if a notification were lost.
    const env = intuneEnv(idp, { feedPollMs: 200 });
    a = await startTestService({ env });
    b = await startTestService({ databaseUrl: a.database!.url, env });
    await configureIntune(a.url, a.adminToken);
  });
  after(async () => {
    await b?.close();
    await a?.close();
    await idp?.stop();
  });

  let interval = 60;
  /** A settings save that changes nothing the gate cares about. */
  const touchSettings = () => saveSettings(a.url, a.adminToken, { LdapSettings: { SyncIntervalMinutes: ++interval } });

  /** Intune on with an Enterprise Advanced license, as seen by B's gate for a pending session. */
  async function protectedOnBoth(probe: string): Promise<void> {
    await configureIntune(a.url, a.adminToken);
    await gateBecomes(b.url, probe, 403, 3000);
  }

  test('toggling Intune on A: B refuses pending sessions within 1 s, and allows them again when it is off', async () => {
    const pending = await signIn(a.url, idp, { deviceId: 'mn-toggle-P' });
    const enrolled = await signIn(a.url, idp, { deviceId: 'mn-toggle-Q' });
    assert.equal((await report(a.url, enrolled.token, { event_id: eventId(), status: 'enrolled' })).status, 200);
    await protectedOnBoth(pending.token);

    await setIntune(a.url, a.adminToken, false);
    await gateBecomes(b.url, pending.token, 204, WITHIN);
    // A session made while Intune was off (state not_required), for the protected provider.
    const userId = await insertUser(b.ctx.db, { authService: 'office365', authData: crypto.randomUUID() });
    const older = await insertSession(b.ctx.db, { userId, isMobile: true, authService: 'office365', deviceId: 'mn-toggle-R', tenantId: TENANT });
    for (const token of [pending.token, enrolled.token, older.token]) {
      const answer = await gate(b.url, token);
      assert.equal(answer.status, 204);
      assert.equal(answer.headers.get('x-mam-state'), 'not_required');
    }

    await setIntune(a.url, a.adminToken, true);
    const refused = await gateBecomes(b.url, pending.token, 403, WITHIN);
    assert.equal(refused.body.id, 'ent.intune.enrollment.required.app_error');
    const olderRefused = await gateBecomes(b.url, older.token, 403, WITHIN);
    assert.equal(olderRefused.body.id, 'ent.intune.enrollment.required.app_error');
    const still = await gate(b.url, enrolled.token);
    assert.equal(still.status, 204);
    assert.equal(still.headers.get('x-mam-state'), 'enrolled');
    const status = await call(`${b.url}/plugins/mamgate/api/v1/session`, { token: older.token });
    assert.equal(status.body.mam.action, 'enroll');
  });

  test('license downgrade on A: B allows within 1 s; upgrade: B refuses again within 1 s', async () => {
    const user = await signIn(a.url, idp, { deviceId: 'mn-license' });
    await protectedOnBoth(user.token);

    await saveLicense(a.url, a.adminToken, 'professional');
    const allowed = await gateBecomes(b.url, user.token, 204, WITHIN);
    assert.equal(allowed.headers.get('x-mam-state'), 'not_required');

    await saveLicense(a.url, a.adminToken, 'advanced');
    await gateBecomes(b.url, user.token, 403, WITHIN);

    await saveLicense(a.url, a.adminToken, null);
    await gateBecomes(b.url, user.token, 204, WITHIN);
    await saveLicense(a.url, a.adminToken, 'entry');
    await gateBecomes(b.url, user.token, 403, WITHIN);
  });

  test('admin revoke on A: B answers 401 within 1 s', async () => {
    const user = await signIn(a.url, idp, { deviceId: 'mn-revoke' });
    await protectedOnBoth(user.token);
    assert.equal((await report(b.url, user.token, { event_id: eventId(), status: 'enrolled' })).status, 200);
    assert.equal((await gate(b.url, user.token)).status, 204, 'B remembers the enrolled session');
    const revoked = await call(adminUrl(a.url, `users/${user.userId}/sessions/revoke`), { method: 'POST', token: a.adminToken });
    assert.equal(revoked.status, 200, revoked.text);
    assert.equal(revoked.body.revoked, 1);
    const answer = await gateBecomes(b.url, user.token, 401, WITHIN);
    assert.equal(answer.body.id, 'api.context.session_expired.app_error');
  });

  test('a change committed after a later one (out of sequence order) still reaches B', async () => {
    const user = await signIn(a.url, idp, { deviceId: 'mn-order' });
    await protectedOnBoth(user.token);
    assert.equal((await report(a.url, user.token, { event_id: eventId(), status: 'enrolled' })).status, 200);
    await gateBecomes(b.url, user.token, 204, WITHIN);

    // A revocation takes its change number first but commits last, after a settings save B has already read.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let recorded!: () => void;
    const inserted = new Promise<void>((resolve) => (recorded = resolve));
    const slow = a.ctx.db.transaction(async (trx) => {
      await revokeSessions(trx, user.userId, null, 'test_slow_commit');
      recorded();
      await held;
    });
    try {
      await inserted;
      await touchSettings();
      const latest = Number((await a.ctx.db('changes').max('seq as seq').first())?.seq);
      assert.ok(await pollUntil(() => b.ctx.changes.lastSeq() >= latest, 3000), 'B read the settings change');
      assert.equal((await gate(b.url, user.token)).status, 204, 'the revocation is not committed yet');
    } finally {
      release();
      await slow;
    }
    const answer = await gateBecomes(b.url, user.token, 401, WITHIN);
    assert.equal(answer.body.id, 'api.context.session_expired.app_error');
  });

  test("B's event stream: config_changed and license_changed, Last-Event-ID replay, session_revoked ends it", async () => {
    const user = await signIn(a.url, idp, { deviceId: 'mn-events' });
    await protectedOnBoth(user.token);
    const headers = { authorization: `Bearer ${user.token}` };

    const stream = await openEventStream(eventsUrl(b.url), headers);
    let firstId: string;
    try {
      assert.equal(stream.status, 200);
      assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
      await touchSettings();
      const configChanged = await stream.next(WITHIN + 2000);
      assert.equal(configChanged.event, 'config_changed');
      assert.ok(configChanged.id && /^\d+$/.test(configChanged.id));
      const config = JSON.parse(configChanged.data).config;
      assert.equal(config.IntuneMAMEnabled, 'true');
      assert.equal(config.IntuneAuthService, 'office365');
      assert.equal(config.EnableSignUpWithOffice365, 'true');
      firstId = configChanged.id;

      await saveLicense(a.url, a.adminToken, 'entry');
      const licenseChanged = await stream.next(WITHIN + 2000);
      assert.equal(licenseChanged.event, 'license_changed');
      assert.equal(JSON.parse(licenseChanged.data).license.SkuShortName, 'entry');
      assert.ok(Number(licenseChanged.id) > Number(firstId));
    } finally {
      stream.close();
    }

    // While the client is away: Intune off, on again, another license.
    await setIntune(a.url, a.adminToken, false);
    await setIntune(a.url, a.adminToken, true);
    await saveLicense(a.url, a.adminToken, 'advanced');

    const again = await openEventStream(eventsUrl(b.url), { ...headers, 'last-event-id': firstId });
    try {
      assert.equal(again.status, 200);
      const replayed = [];
      for (let i = 0; i < 4; i++) replayed.push(await again.next(3000));
      assert.deepEqual(
        replayed.map((e) => e.event),
        ['license_changed', 'config_changed', 'config_changed', 'license_changed'],
      );
      const ids = replayed.map((e) => Number(e.id));
      assert.deepEqual([...ids].sort((x, y) => x - y), ids, 'in order');
      assert.ok(ids[0]! > Number(firstId));
      assert.equal(JSON.parse(replayed[3]!.data).license.SkuShortName, 'advanced');

      const revoked = await call(adminUrl(a.url, `users/${user.userId}/sessions/revoke`), { method: 'POST', token: a.adminToken });
      assert.equal(revoked.status, 200);
      const ending = await again.next(WITHIN + 2000);
      assert.equal(ending.event, 'session_revoked');
      assert.equal(JSON.parse(ending.data).reason, 'revoked_by_admin');
      assert.ok(await again.ended(3000), 'the stream ends after session_revoked');
    } finally {
      again.close();
    }
    const refused = await call(eventsUrl(b.url), { headers });
    assert.equal(refused.status, 401);
  });
});

describe('a node that hears no notifications', () => {
  let idp: DevIdp;
  let a: TestService;
  let deaf: TestService;
  before(async () => {
    idp = await startDevIdp();
    const env = intuneEnv(idp, { feedPollMs: 200 });
    a = await startTestService({ env });
    deaf = await startTestService({ databaseUrl: a.database!.url, env });
    // Its LISTEN connection stays open, but nothing it receives wakes the feed: only the poll is left.
    const listener = (deaf.ctx.changes as unknown as { listener?: { removeAllListeners(event: string): unknown } }).listener;
    assert.ok(listener, 'the node listens (otherwise this test proves nothing)');
    listener.removeAllListeners('notification');
    await configureIntune(a.url, a.adminToken);
  });
  after(async () => {
    await deaf?.close();
    await a?.close();
    await idp?.stop();
  });

  test('toggle, license and revoke on A still reach it within 1 s by polling', async () => {
    const user = await signIn(a.url, idp, { deviceId: 'deaf-1' });
    await gateBecomes(deaf.url, user.token, 403, 3000);
    await setIntune(a.url, a.adminToken, false);
    await gateBecomes(deaf.url, user.token, 204, WITHIN);
    await setIntune(a.url, a.adminToken, true);
    await gateBecomes(deaf.url, user.token, 403, WITHIN);
    await saveLicense(a.url, a.adminToken, 'enterprise');
    await gateBecomes(deaf.url, user.token, 204, WITHIN);
    const revoked = await call(adminUrl(a.url, `users/${user.userId}/sessions/revoke`), { method: 'POST', token: a.adminToken });
    assert.equal(revoked.status, 200);
    await gateBecomes(deaf.url, user.token, 401, WITHIN);
  });
});
