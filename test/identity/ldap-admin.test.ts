// The on-demand LDAP sync through its two doors: the admin API (POST runs a sync and answers the run row, GET lists
// runs; a failure answers a catalogue error) and `mamgate ldap sync` beside a running service.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API_BASE } from '../../server/http/app.ts';
import { cliEnv, runCli } from '../support/cli.ts';
import { call, startTestService, type TestService } from '../support/service.ts';
import { ldapSettingsFor, personEntry, startTestDirectory, type TestDirectory } from '../support/slapd.ts';

describe('LDAP sync through the admin API and the CLI', { timeout: 120_000 }, () => {
  let service: TestService;
  let directory: TestDirectory;
  const sync = () => `${service.url}${API_BASE}/admin/ldap/sync`;

  before(async () => {
    [service, directory] = await Promise.all([
      startTestService(),
      startTestDirectory({
        entries: [
          personEntry({ uid: 'alice', mail: 'alice@example.com', aadObjectId: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE' }),
          personEntry({ uid: 'bob', mail: 'bob@example.com' }),
        ],
      }),
    ]);
    await service.ctx.db('users').insert({ id: 'u-alice', username: 'alice', email: 'alice@example.com', auth_service: 'office365' });
    const saved = await call(`${service.url}${API_BASE}/admin/settings`, { method: 'PUT', token: service.adminToken, body: { LdapSettings: ldapSettingsFor(directory) } });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
  });
  after(async () => {
    await Promise.all([service?.close(), directory?.stop()]);
  });

  test('admin API: POST runs a sync and answers its row; GET lists runs newest first; a failure answers 502', async () => {
    assert.equal((await call(sync(), { method: 'POST' })).status, 401, 'admin token required');

    const ran = await call(sync(), { method: 'POST', token: service.adminToken });
    assert.equal(ran.status, 200, ran.text);
    assert.equal(ran.body.status, 'succeeded');
    assert.equal(ran.body.entries, 2);
    assert.equal(ran.body.matched, 1);
    assert.equal(ran.body.without_id, 1);
    assert.equal(ran.body.trigger, 'manual');
    assert.match(ran.body.requested_by, /^admin-token:/);
    const identity = await service.ctx.db('identities').where({ user_id: 'u-alice', source: 'ldap' }).first();
    assert.equal(identity.object_id, 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');

    await directory.takeDown();
    try {
      const failed = await call(sync(), { method: 'POST', token: service.adminToken });
      assert.equal(failed.status, 502, failed.text);
      assert.equal(failed.body.id, 'mamgate.ldap.unavailable.app_error');
      assert.match(failed.body.message, /connection refused/);
      assert.ok(failed.body.next_step);
      assert.ok(!failed.text.includes(directory.bindPassword));
    } finally {
      await directory.bringUp();
    }

    const listed = await call(`${sync()}?limit=10`, { token: service.adminToken });
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(
      listed.body.items.map((r: { id: number; status: string; error_id: string | null }) => [r.id, r.status, r.error_id]),
      [
        [ran.body.id + 1, 'failed', 'mamgate.ldap.unavailable.app_error'],
        [ran.body.id, 'succeeded', null],
      ],
    );
    assert.equal((await call(`${sync()}?limit=0`, { token: service.adminToken })).body.id, 'mamgate.request.invalid_query_param.app_error');
    const before = Number((await service.ctx.db('ldap_sync_runs').count({ n: '*' }).first())?.n);
    const badMode = await call(`${sync()}?mode=partial`, { method: 'POST', token: service.adminToken });
    assert.equal(badMode.status, 400);
    assert.equal(badMode.body.id, 'mamgate.request.invalid_query_param.app_error');
    assert.equal(Number((await service.ctx.db('ldap_sync_runs').count({ n: '*' }).first())?.n), before, 'a refused mode starts no sync');
    assert.equal((await service.ctx.db('audit_log').where({ action: 'ldap.sync' })).length, 2, 'both manual syncs audited');
  });

  test('CLI: `mamgate ldap sync` beside the running service prints the run summary; a failure exits 1 with the error id', async () => {
    const env = cliEnv({ DATABASE_URL: service.database!.url, MAMGATE_DATA_DIR: service.dataDir, LOG_LEVEL: 'warn' });
    const ok = await runCli(['ldap', 'sync'], env);
    assert.equal(ok.code, 0, ok.stderr);
    const [summary, written] = ok.stdout.trim().split('\n');
    assert.match(summary!, /^ldap sync run \d+ succeeded \(full\) in \d+\.\d s: 2 entries, 1 matched to accounts, 1 without a GUID in the id attribute$/);
    assert.match(written!, /^\d+ entries written; watermark \d{14}\.\d{6}Z#[0-9a-f]{6}#[0-9a-f]{3}#[0-9a-f]{6}$/);
    const latest = await service.ctx.db('ldap_sync_runs').orderBy('id', 'desc').first();
    assert.match(latest.requested_by, /^cli:/, 'requested by the operator, through the service');
    assert.ok(ok.stdout.includes(`run ${latest.id} `));

    // Nothing changed since: the incremental sync reads nothing (the contextCSN did not move).
    const incremental = await runCli(['ldap', 'sync', '--incremental'], env);
    assert.equal(incremental.code, 0, incremental.stderr);
    assert.match(incremental.stdout, /succeeded \(incremental\) in \d+\.\d s: 0 entries/);
    assert.match(incremental.stdout, /0 entries written, 0 accounts re-classified; watermark \d{14}\.\d{6}Z#[0-9a-f]{6}#[0-9a-f]{3}#[0-9a-f]{6}/);
    const count = async () => Number((await service.ctx.db('ldap_sync_runs').count({ n: '*' }).first())?.n);
    const runs = await count();
    const both = await runCli(['ldap', 'sync', '--full', '--incremental'], env);
    assert.equal(both.code, 1);
    assert.match(both.stderr, /give --full or --incremental, not both/);
    assert.match(both.stderr, /id: mamgate\.cli\.usage\.app_error/);
    assert.equal(await count(), runs, 'the refused one ran nothing');

    await directory.takeDown();
    try {
      const failed = await runCli(['ldap', 'sync'], env);
      assert.equal(failed.code, 1, failed.stdout);
      assert.match(failed.stderr, /id: mamgate\.ldap\.unavailable\.app_error/);
      assert.equal(failed.stdout, '');
    } finally {
      await directory.bringUp();
    }
  });
});
