// The database goes away (a TCP proxy in front of PostgreSQL is cut) and comes back: the gate fails closed with the
// 503 AppError, an enrollment report is refused and stores nothing, and the node recovers by itself — having
// caught up on what changed meanwhile — with every report accepted before the outage still stored.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../server/db/connect.ts';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import { revokeSessions } from '../../server/sessions/revoke-sessions.ts';
import { configureIntune, eventId, gate, gateBecomes, intuneEnv, pollUntil, report, sessionUrl, signIn } from '../support/intune.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { call, startTestService, type TestService } from '../support/service.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const UNAVAILABLE = 'mamgate.database.unavailable.app_error';

describe('database outage', () => {
  let idp: DevIdp;
  let database: TestDatabase;
  let proxy: TcpProxy;
  let service: TestService;
  before(async () => {
    idp = await startDevIdp();
    database = await createTestDatabase();
    const direct = new URL(database.url);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    service = await startTestService({
      databaseUrl: proxy.urlFor(database.url),
      env: intuneEnv(idp, { feedStaleMs: 1000, feedPollMs: 200 }),
    });
    await configureIntune(service.url, service.adminToken);
  });
  after(async () => {
    proxy?.restore();
    await service?.close();
    await proxy?.close();
    await database?.drop();
    await idp?.stop();
  });

  test('fails closed while the database is away, recovers by itself, loses no accepted report', async () => {
    const stays = await signIn(service.url, idp, { deviceId: 'out-stays' });
    const pending = await signIn(service.url, idp, { deviceId: 'out-pending' });
    const revokedMeanwhile = await signIn(service.url, idp, { deviceId: 'out-revoked' });
    const accepted: string[] = [];
    for (const [user, statuses] of [
      [stays, ['declined', 'enrolled']],
      [pending, ['declined']],
      [revokedMeanwhile, ['enrolled']],
    ] as const) {
      for (const status of statuses) {
        const id = eventId('before');
        const answer = await report(service.url, user.token, { event_id: id, status });
        assert.equal(answer.status, 200, answer.text);
        accepted.push(id);
      }
    }
    assert.equal((await gate(service.url, stays.token)).status, 204);
    assert.equal((await gate(service.url, revokedMeanwhile.token)).status, 204);
    assert.equal((await gate(service.url, pending.token)).status, 403);

    proxy.cut();
    try {
      // Within the staleness bound the node may still answer from memory; then it must refuse, and keep refusing.
      let last = await gate(service.url, stays.token);
      const refused = await pollUntil(async () => {
        last = await gate(service.url, stays.token);
        assert.ok(last.status === 204 || last.status === 503, `during the outage: ${last.status} ${last.text}`);
        return last.status === 503;
      }, 5000);
      assert.ok(refused, 'the gate did not fail closed within 5 s');
      assert.equal(last.body.id, UNAVAILABLE);
      assert.equal(last.body.status_code, 503);
      assert.equal(last.headers.get('x-mam-error'), UNAVAILABLE);
      assert.ok(last.headers.get('retry-after'));
      for (let i = 0; i < 20; i++) {
        for (const token of [stays.token, pending.token, revokedMeanwhile.token, undefined, 'mgs_unknown']) {
          const answer = await gate(service.url, token);
          assert.equal(answer.status, 503, `call ${i}: ${answer.text}`);
          assert.equal(answer.body.id, UNAVAILABLE);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }

      // A report now cannot be decided: 503, nothing stored (checked after the database is back).
      const lostId = eventId('during');
      const during = await report(service.url, pending.token, { event_id: lostId, status: 'enrolled' });
      assert.equal(during.status, 503, during.text);
      assert.equal(during.body.id, UNAVAILABLE);
      const status = await call(sessionUrl(service.url), { token: stays.token });
      assert.equal(status.status, 503);

      // Meanwhile another node (straight to PostgreSQL) ends a session this node remembers as enrolled.
      const other = openDatabase({ databaseUrl: database.url, dataDir: service.dataDir });
      try {
        await other.transaction((trx) => revokeSessions(trx, revokedMeanwhile.userId, null, 'revoked_during_outage'));
      } finally {
        await other.destroy();
      }

      proxy.restore();
      // Back by itself, with no restart; and never the stale 204 for the session revoked meanwhile.
      const back = await gateBecomes(service.url, stays.token, 204, 15_000);
      assert.equal(back.headers.get('x-mam-state'), 'enrolled');
      const revoked = await gate(service.url, revokedMeanwhile.token);
      assert.equal(revoked.status, 401, revoked.text);
      assert.equal((await gate(service.url, pending.token)).status, 403);

      const stored = await service.ctx.db('enrollment_events').pluck('event_id');
      for (const id of accepted) assert.ok(stored.includes(id), `report ${id} accepted before the outage is stored`);
      assert.ok(!stored.includes(lostId), 'the refused report stored nothing');
      assert.equal((await service.ctx.db('audit_log').whereRaw("details->>'event_id' = ?", [lostId])).length, 0);

      // The client retries the refused report: accepted now.
      const retried = await report(service.url, pending.token, { event_id: lostId, status: 'enrolled' });
      assert.equal(retried.status, 200, retried.text);
      assert.equal((await gate(service.url, pending.token)).status, 204);
    } finally {
      proxy.restore();
    }
  });

  test('a second outage: the session revoked while the node was cut off never passes again', async () => {
    const user = await signIn(service.url, idp, { deviceId: 'out-second' });
    assert.equal((await report(service.url, user.token, { event_id: eventId(), status: 'enrolled' })).status, 200);
    assert.equal((await gate(service.url, user.token)).status, 204);
    proxy.cut();
    try {
      await gateBecomes(service.url, user.token, 503, 5000);
      const other = openDatabase({ databaseUrl: database.url, dataDir: service.dataDir });
      try {
        await other.transaction((trx) => revokeSessions(trx, user.userId, null, 'revoked_during_outage'));
      } finally {
        await other.destroy();
      }
      proxy.restore();
      let seen204 = false;
      const ended = await pollUntil(async () => {
        const answer = await gate(service.url, user.token);
        if (answer.status === 204) seen204 = true;
        return answer.status === 401;
      }, 15_000);
      assert.ok(ended, 'the gate did not answer 401 after the database came back');
      assert.equal(seen204, false, 'the gate answered from memory that was older than the outage');
    } finally {
      proxy.restore();
    }
  });
});
