// Concurrent enrollment reports for one session through two nodes: one row and one audit entry per event, one
// consistent final state (the last event's), and one answer for an event_id sent to both nodes at once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import { configureIntune, eventId, gateBecomes, intuneEnv, report, sessionUrl, signIn } from '../support/intune.ts';
import { call, startTestService, type TestService } from '../support/service.ts';

describe('concurrent enrollment reports on two nodes', () => {
  let idp: DevIdp;
  let a: TestService;
  let b: TestService;
  before(async () => {
    idp = await startDevIdp();
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

  const sessionIdOf = async (token: string) => (await call(sessionUrl(a.url), { token })).body.session_id as string;
  const auditFor = (sessionId: string) =>
    a.ctx.db('audit_log').where({ target: `session:${sessionId}` }).whereLike('action', 'enrollment.%');

  test('20 reports with different event ids, split across A and B: one row and one audit entry each, the last one wins', async () => {
    const user = await signIn(a.url, idp, { deviceId: 'cc-mixed' });
    const sessionId = await sessionIdOf(user.token);
    const reports = Array.from({ length: 20 }, (_, i) => ({
      node: i % 2 === 0 ? a : b,
      body: { event_id: eventId(`cc${i}`), status: i % 3 === 0 ? 'declined' : 'enrolled', error_code: i % 3 === 0 ? '219' : undefined },
    }));
    const answers = await Promise.all(reports.map((r) => report(r.node.url, user.token, r.body)));
    answers.forEach((answer, i) => {
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.body.event_id, reports[i]!.body.event_id);
      assert.equal(answer.body.state, reports[i]!.body.status);
    });

    const rows = await a.ctx.db('enrollment_events').where({ session_id: sessionId }).orderBy('id');
    assert.equal(rows.length, 20);
    assert.deepEqual(new Set(rows.map((r) => r.event_id)), new Set(reports.map((r) => r.body.event_id)));
    const audits = await auditFor(sessionId);
    assert.equal(audits.length, 20);
    assert.deepEqual(new Set(audits.map((r) => r.details.event_id)), new Set(reports.map((r) => r.body.event_id)));
    for (const row of rows) assert.ok(audits.some((r) => r.details.event_id === row.event_id && r.action === `enrollment.${row.status}`));

    const last = rows[rows.length - 1]!;
    const session = await a.ctx.db('sessions').where({ id: sessionId }).first();
    assert.equal(session.mam_state, last.status, 'the session holds the status of the last event');
    const enrollment = await a.ctx.db('enrollments').where({ device_id: 'cc-mixed', object_id: user.oid }).first();
    assert.equal(enrollment.state, last.status);
    assert.equal(enrollment.last_event_id, last.event_id);

    const expected = last.status === 'enrolled' ? 204 : 403;
    await gateBecomes(a.url, user.token, expected, 1000);
    await gateBecomes(b.url, user.token, expected, 1000);
  });

  test('one event_id sent to A and B at once: one row, one audit entry, identical answers', async () => {
    for (let round = 0; round < 8; round++) {
      const user = await signIn(a.url, idp, { deviceId: `cc-same-${round}` });
      const sessionId = await sessionIdOf(user.token);
      const id = eventId('same');
      // Even with different bodies, the first report to commit decides the answer for both.
      const bodies =
        round % 2 === 0
          ? [{ event_id: id, status: 'enrolled' }, { event_id: id, status: 'enrolled' }]
          : [{ event_id: id, status: 'enrolled' }, { event_id: id, status: 'declined', error_code: 'AADSTS53005' }];
      const [fromA, fromB] = await Promise.all([report(a.url, user.token, bodies[0]), report(b.url, user.token, bodies[1])]);
      assert.equal(fromA.status, 200, fromA.text);
      assert.equal(fromB.status, 200, fromB.text);
      assert.deepEqual(fromA.body, fromB.body);
      const rows = await a.ctx.db('enrollment_events').where({ session_id: sessionId });
      assert.equal(rows.length, 1);
      assert.deepEqual(rows[0].answer, fromA.body);
      assert.equal((await auditFor(sessionId)).length, 1);
      const session = await a.ctx.db('sessions').where({ id: sessionId }).first();
      assert.equal(session.mam_state, fromA.body.state);
    }
  });

  test('a failure among concurrent reports: reports after it are refused, every accepted one is stored once', async () => {
    const user = await signIn(a.url, idp, { deviceId: 'cc-failed' });
    const sessionId = await sessionIdOf(user.token);
    const bodies = Array.from({ length: 12 }, (_, i) => ({
      event_id: eventId(`ccf${i}`),
      status: i === 5 ? 'failed' : 'enrolled',
      ...(i === 5 ? { error_code: 'AADSTS650057' } : {}),
    }));
    const answers = await Promise.all(bodies.map((body, i) => report((i % 2 === 0 ? a : b).url, user.token, body)));
    const accepted = answers.filter((answer) => answer.status === 200);
    for (const answer of answers) {
      if (answer.status === 200) continue;
      assert.equal(answer.status, 401, answer.text);
      assert.equal(answer.body.id, 'ent.intune.enrollment.failed.app_error');
    }
    assert.equal(answers[5]!.status, 200, 'the failure itself is accepted');
    const rows = await a.ctx.db('enrollment_events').where({ session_id: sessionId }).orderBy('id');
    assert.equal(rows.length, accepted.length);
    assert.equal(rows[rows.length - 1].status, 'failed', 'nothing is accepted after the failure');
    assert.equal((await auditFor(sessionId)).length, accepted.length);
    const session = await a.ctx.db('sessions').where({ id: sessionId }).first();
    assert.equal(session.mam_state, 'failed');
    assert.ok(session.revoked_at);
    await gateBecomes(a.url, user.token, 401, 1000);
    await gateBecomes(b.url, user.token, 401, 1000);
  });
});
