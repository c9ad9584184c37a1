// The report over more users than one page, on PostgreSQL and on embedded PGlite: every user exactly once, in id
// order, each with its own sources (the page boundaries of the sources read and of the export must lose nothing).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API_BASE } from '../../server/http/app.ts';
import { call, startTestService, type TestService } from '../support/service.ts';

const TENANT = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const USERS = 2_345; // three pages of sources, two export pages
const guid = (n: number) => `${String(n).padStart(8, '0')}-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`;
const idOf = (i: number) => `user${String(i).padStart(5, '0')}`;

for (const embedded of [false, true]) {
  describe(`identity report over several pages (${embedded ? 'PGlite' : 'PostgreSQL'})`, () => {
    let service: TestService;
    const reports = () => `${service.url}${API_BASE}/admin/reports/identity-alignment`;

    before(async () => {
      service = await startTestService({ embedded });
      const db = service.ctx.db;
      const users = Array.from({ length: USERS }, (_, i) => ({ id: idOf(i), username: idOf(i), email: `${idOf(i)}@example.com`, auth_service: 'office365', auth_data: guid(i) }));
      await db.batchInsert('users', users, 500);
      // Every third user has an OAuth identity that disagrees: a mismatch only that user may show.
      const identities = users.map((u, i) => ({ user_id: u.id, source: 'oauth', tenant_id: TENANT, object_id: i % 3 === 0 ? guid(i + 100_000) : guid(i), raw_value: guid(i), attribute: 'oid' }));
      await db.batchInsert('identities', identities, 500);
    });
    after(() => service.close());

    test('each user once, in order, with its own status; the CSV has every row', async () => {
      const started = await call(reports(), { method: 'POST', token: service.adminToken });
      assert.equal(started.status, 202);
      let run = started.body;
      for (let i = 0; i < 200 && (run.status === 'queued' || run.status === 'running'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        run = (await call(`${reports()}/${run.id}`, { token: service.adminToken })).body;
      }
      assert.equal(run.status, 'completed', JSON.stringify(run));
      assert.deepEqual({ total: run.total, aligned: run.summary.aligned, mismatch: run.summary.mismatch }, { total: USERS, aligned: USERS - Math.ceil(USERS / 3), mismatch: Math.ceil(USERS / 3) });

      const seen: { user_id: string; status: string }[] = [];
      let afterSeq: number | null = 0;
      while (afterSeq !== null) {
        const page: { body: { items: { user_id: string; status: string }[]; next_after: number | null } } = await call(`${reports()}/${run.id}/rows?limit=1000&after=${afterSeq}`, { token: service.adminToken });
        seen.push(...page.body.items);
        afterSeq = page.body.next_after;
      }
      assert.deepEqual(
        seen.map((row) => `${row.user_id} ${row.status}`),
        Array.from({ length: USERS }, (_, i) => `${idOf(i)} ${i % 3 === 0 ? 'mismatch' : 'aligned'}`),
      );

      const answer = await fetch(`${reports()}/${run.id}/download?format=csv`, { headers: { authorization: `Bearer ${service.adminToken}` } });
      const lines = (await answer.text()).split('\r\n').slice(1, -1);
      assert.equal(lines.length, USERS);
      assert.deepEqual(
        lines.map((line) => line.split(',')[0]),
        Array.from({ length: USERS }, (_, i) => `"${idOf(i)}"`), // every value quoted
      );
      const mismatches = await call(`${reports()}/${run.id}/rows?status=mismatch&limit=1000`, { token: service.adminToken });
      assert.ok(mismatches.body.items.every((row: { user_id: string }) => Number(row.user_id.slice(4)) % 3 === 0));
    });

    test('the first page has no lower bound: an account whose id sorts first (even the empty string) is reported', async () => {
      await service.ctx.db('users').insert({ id: '', username: 'empty-id', email: 'empty-id@example.com', auth_service: 'office365', auth_data: guid(99_999) });
      const started = await call(reports(), { method: 'POST', token: service.adminToken });
      let run = started.body;
      for (let i = 0; i < 200 && (run.status === 'queued' || run.status === 'running'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        run = (await call(`${reports()}/${run.id}`, { token: service.adminToken })).body;
      }
      assert.equal(run.status, 'completed', JSON.stringify(run));
      assert.equal(run.total, USERS + 1);
      const first = await call(`${reports()}/${run.id}/rows?limit=2`, { token: service.adminToken });
      assert.deepEqual(
        first.body.items.map((row: { user_id: string }) => row.user_id),
        ['', idOf(0)],
      );
    });
  });
}
