// GET admin/evidence against a real service (PostgreSQL): each protected chat user's evidence with the imported
// account, whether the server verified it (Graph) or a client reported it, the refusal and its catalogue message,
// the age of the record; newest first, paged with next_before, filtered by state, source and user; bad query
// values answer the catalogue's 400; an admin token is required.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API_BASE } from '../../server/http/app.ts';
import { call, startTestService, type TestService } from '../support/service.ts';

const OID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const HOUR = 3_600_000;

describe('admin evidence list', () => {
  let service: TestService;
  const now = Date.now();
  const evidence = (query = '', token: string | null = service.adminToken) =>
    call(`${service.url}${API_BASE}/admin/evidence${query}`, { token: token ?? undefined });

  before(async () => {
    service = await startTestService();
    const db = service.ctx.db;
    await db('users').insert([
      { id: 'cu-ann', username: 'ann', email: 'Ann@example.com', auth_service: 'office365', auth_data: OID(1) },
      { id: 'cu-ben', username: 'ben', email: 'ben@example.com', auth_service: 'office365', auth_data: OID(2) },
      { id: 'cu-cat', username: 'cat', email: 'cat@example.com', auth_service: 'office365', auth_data: OID(3) },
      { id: 'cu-dan', username: 'dan', email: 'dan@example.com', auth_service: 'office365', auth_data: OID(4) },
    ]);
    const lastSync = new Date(now - 2 * HOUR).toISOString();
    await db('user_evidence').insert([
      {
        // Verified by Graph, synced 2 h ago, valid for 10 h more.
        user_id: 'cu-ann',
        state: 'enrolled',
        source: 'graph',
        updated_at: new Date(now - 60_000),
        details: {
          outcome: 'verified',
          checked_at: new Date(now - 60_000).toISOString(),
          max_sync_age_hours: 12,
          evidence: {
            registration_id: 'reg-ann',
            app_id: 'com.mattermost.rnbeta',
            platform: 'ios',
            last_sync: lastSync,
            policies: ['Chat protection'],
            flags: [],
            read_at: new Date(now - 60_000).toISOString(),
          },
          valid_until: new Date(now + 10 * HOUR).toISOString(),
        },
      },
      {
        // Graph found only another app's registration.
        user_id: 'cu-ben',
        state: 'pending',
        source: 'graph',
        updated_at: new Date(now - 120_000),
        details: {
          outcome: 'other_app',
          checked_at: new Date(now - 120_000).toISOString(),
          max_sync_age_hours: 12,
          registration: {
            registration_id: 'reg-ben',
            user_id: OID(2),
            app_id: 'com.microsoft.outlook',
            platform: 'android',
            last_sync: lastSync,
            policies: [],
            flags: [],
          },
          refusal_id: 'mamgate.graph.evidence.other_app.app_error',
          refusal_params: { AppId: 'com.microsoft.outlook' },
        },
      },
      // A client's report, not verified.
      { user_id: 'cu-cat', state: 'declined', source: 'client_report', updated_at: new Date(now - 3 * HOUR), details: { event_id: 'e1', cause: 'msal_cancelled' } },
      // Verified once, but the last sync is now older than the limit.
      {
        user_id: 'cu-dan',
        state: 'enrolled',
        source: 'graph',
        updated_at: new Date(now - 20 * HOUR),
        details: {
          outcome: 'verified',
          checked_at: new Date(now - 20 * HOUR).toISOString(),
          max_sync_age_hours: 12,
          evidence: {
            registration_id: 'reg-dan',
            app_id: 'com.mattermost.rn',
            platform: 'android',
            last_sync: new Date(now - 21 * HOUR).toISOString(),
            policies: ['Chat protection'],
            flags: [],
            read_at: new Date(now - 20 * HOUR).toISOString(),
          },
          valid_until: new Date(now - 9 * HOUR).toISOString(),
        },
      },
      // Evidence of a chat user who was never imported.
      { user_id: 'cu-ghost', state: 'enrolled', source: 'client_report', updated_at: new Date(now - 30 * HOUR), details: { event_id: 'e2', cause: 'none' } },
    ]);
    // 30 more client reports at the same instant: paging must not lose or repeat rows on ties.
    const tie = new Date(now - 40 * HOUR);
    await db('user_evidence').insert(
      Array.from({ length: 30 }, (_, i) => ({
        user_id: `cu-bulk-${String(i).padStart(2, '0')}`,
        state: i % 2 === 0 ? 'enrolled' : 'failed',
        source: 'client_report',
        updated_at: tie,
        details: { event_id: `b${i}`, cause: i % 2 === 0 ? 'none' : 'missing_mam_permission' },
      })),
    );
    await db('chat_revocations').insert([
      { user_id: 'cu-ben', reason: 'evidence_lost' },
      { user_id: 'cu-cat', reason: 'evidence_lost', done_at: new Date() },
    ]);
  });
  after(async () => {
    await service?.close();
  });

  test('one row per user, newest first, with the account, the verified flag, the refusal message and the ages', async () => {
    const answer = await evidence('?limit=5');
    assert.equal(answer.status, 200, answer.text);
    const items = answer.body.items as Record<string, any>[];
    assert.deepEqual(
      items.map((i) => i.user_id),
      ['cu-ann', 'cu-ben', 'cu-cat', 'cu-dan', 'cu-ghost'],
    );
    const [ann, ben, cat, dan, ghost] = items as [any, any, any, any, any];
    assert.equal(ann.username, 'ann');
    assert.equal(ann.email, 'Ann@example.com');
    assert.equal(ann.source, 'graph');
    assert.equal(ann.verified, true);
    assert.equal(ann.outcome, 'verified');
    assert.equal(ann.refusal_id, null);
    assert.equal(ann.refusal_message, null);
    assert.equal(ann.registration.app_id, 'com.mattermost.rnbeta');
    assert.equal(ann.registration.platform, 'ios');
    assert.deepEqual(ann.registration.policies, ['Chat protection']);
    assert.ok(Math.abs(ann.registration.last_sync_age_seconds - 7200) < 120, String(ann.registration.last_sync_age_seconds));
    assert.ok(Math.abs(ann.age_seconds - 60) < 60, String(ann.age_seconds));
    assert.ok(Date.parse(ann.valid_until) > now);
    assert.equal(typeof ann.checked_at, 'string');
    assert.equal(ann.revocation_pending, false);

    assert.equal(ben.verified, true);
    assert.equal(ben.state, 'pending');
    assert.equal(ben.outcome, 'other_app');
    assert.equal(ben.refusal_id, 'mamgate.graph.evidence.other_app.app_error');
    assert.ok(ben.refusal_message.length > 0);
    assert.doesNotMatch(ben.refusal_message, /\{\{/);
    assert.ok(ben.next_step.length > 0);
    assert.equal(ben.registration.app_id, 'com.microsoft.outlook');
    assert.equal(ben.valid_until, null);
    assert.equal(ben.revocation_pending, true);

    assert.equal(cat.source, 'client_report');
    assert.equal(cat.verified, false);
    assert.equal(cat.outcome, 'declined');
    assert.equal(cat.cause, 'msal_cancelled');
    assert.equal(cat.refusal_id, 'ent.intune.enrollment.declined.app_error');
    assert.match(cat.refusal_message, /declined/);
    assert.equal(cat.registration, null);
    assert.equal(cat.revocation_pending, false, 'a confirmed revocation is not pending');
    assert.ok(Math.abs(cat.age_seconds - 3 * 3600) < 120);

    assert.equal(dan.outcome, 'verified');
    assert.equal(dan.refusal_id, 'mamgate.graph.evidence.stale.app_error', 'verified evidence past its valid_until is stale');
    assert.match(dan.refusal_message, /more than 12 hours ago/);

    assert.equal(ghost.username, null);
    assert.equal(ghost.email, null);
    assert.equal(ghost.refusal_id, null);
    assert.equal(typeof answer.body.next_before, 'string');
  });

  test('pages through every row once with next_before, ties included', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer = await evidence(`?limit=7${cursor ? `&before=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(answer.status, 200, answer.text);
      seen.push(...answer.body.items.map((i: { user_id: string }) => i.user_id));
      cursor = answer.body.next_before;
      pages++;
    } while (cursor && pages < 20);
    assert.equal(seen.length, 35);
    assert.equal(new Set(seen).size, 35);
    const all = await evidence('?limit=500');
    assert.deepEqual(seen, all.body.items.map((i: { user_id: string }) => i.user_id));
    assert.equal(all.body.next_before, null);
  });

  test('filters by state, source and user (id, username or email)', async () => {
    const graph = await evidence('?source=graph');
    assert.deepEqual(graph.body.items.map((i: { user_id: string }) => i.user_id), ['cu-ann', 'cu-ben', 'cu-dan']);
    assert.ok(graph.body.items.every((i: { verified: boolean }) => i.verified));
    const reports = await evidence('?source=client_report&limit=500');
    assert.equal(reports.body.items.length, 32);
    assert.ok(reports.body.items.every((i: { verified: boolean }) => !i.verified));
    const failed = await evidence('?state=failed&limit=500');
    assert.equal(failed.body.items.length, 15);
    assert.ok(failed.body.items.every((i: { state: string; refusal_id: string }) => i.state === 'failed' && i.refusal_id === 'ent.intune.enrollment.failed.app_error'));
    const enrolledGraph = await evidence('?state=enrolled&source=graph');
    assert.deepEqual(enrolledGraph.body.items.map((i: { user_id: string }) => i.user_id), ['cu-ann', 'cu-dan']);
    for (const user of ['cu-cat', 'cat', 'CAT@example.com']) {
      const one = await evidence(`?user=${encodeURIComponent(user)}`);
      assert.deepEqual(one.body.items.map((i: { user_id: string }) => i.user_id), ['cu-cat'], user);
    }
    assert.deepEqual((await evidence('?user=nobody')).body.items, []);
  });

  test('bad query values answer the catalogue 400 naming the parameter', async () => {
    for (const [query, field] of [
      ['?state=verified', 'state'],
      ['?source=client', 'source'],
      ['?limit=0', 'limit'],
      ['?limit=501', 'limit'],
      ['?limit=ten', 'limit'],
      ['?before=not-a-cursor!', 'before'],
      ['?before=', 'before'],
      [`?before=${Buffer.from('2026-01-01~x').toString('base64url')}`, 'before'],
      ['?before=a&before=b', 'before'],
    ] as const) {
      const answer = await evidence(query);
      assert.equal(answer.status, 400, `${query}: ${answer.text}`);
      assert.equal(answer.body.id, 'mamgate.request.invalid_query_param.app_error', query);
      assert.match(answer.body.message, new RegExp(`Invalid query parameter: ${field} `), query);
      assert.ok(answer.body.next_step, query);
    }
  });

  test('needs an admin token', async () => {
    const answer = await evidence('', null);
    assert.equal(answer.status, 401);
  });
});
