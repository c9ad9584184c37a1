// A failed sync changes nothing of the last good data and its run row says why, with a catalogue error id and
// never the password: directory down, wrong password, a server that does not answer, a connection lost in the
// middle of the paged search, and another sync holding the lock.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../server/errors/app-error.ts';
import { LDAP_SYNC_LOCK_KEY } from '../../server/db/stores/sync-run-store.ts';
import { runSync, syncDirectory } from '../../server/identity/ldap/sync.ts';
import { saveSettings } from '../../server/settings/service.ts';
import { ldapSettingsFor, personEntry, startTestDirectory, type TestDirectory } from '../support/slapd.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { startTogether } from '../support/start-together.ts';

const COUNT = 300;
const ACTOR = { name: 'test', requestId: null };
const WRONG_PASSWORD = 'Wrong-Password-7f3a9c';
const guid = (n: number) => `${String(n).padStart(8, '0')}-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`;

function* people(): Generator<string> {
  for (let i = 0; i < COUNT; i += 1) yield personEntry({ uid: `user${i}`, mail: `user${i}@example.com`, aadObjectId: guid(i) });
}

interface Proxy {
  port: number;
  close(): Promise<void>;
}

/** Listens and never answers: every LDAP operation times out. */
async function silentServer(): Promise<Proxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Passes LDAP traffic through, then cuts the connection once the server has sent `cutAfterBytes`. */
async function cuttingProxy(targetPort: number, cutAfterBytes: number): Promise<Proxy & { cuts: () => number }> {
  let cuts = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    let sent = 0;
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      if (sent > cutAfterBytes) {
        cuts += 1;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    cuts: () => cuts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('a failed LDAP sync', { timeout: 120_000 }, () => {
  let service: TestService;
  let directory: TestDirectory;
  let goodRunId: number;
  const db = () => service.ctx.db;

  async function configure(overrides: Record<string, unknown> = {}) {
    await saveSettings(service.ctx, { LdapSettings: ldapSettingsFor(directory, overrides) }, ACTOR);
  }

  /** The last good data: every directory entry and every ldap identity. */
  async function snapshot() {
    return {
      entries: await db()('directory_entries').orderBy('dn'),
      identities: await db()('identities').where({ source: 'ldap' }).orderBy('user_id'),
    };
  }

  /** Runs a sync that must fail, and returns its AppError and its run row. */
  async function failingSync(options: Parameters<typeof syncDirectory>[2] = {}) {
    const before = await snapshot();
    const error = await syncDirectory(service.ctx, ACTOR, options).then(
      () => assert.fail('the sync should have failed'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof AppError, String(error));
    const row = await db()('ldap_sync_runs').orderBy('id', 'desc').first();
    assert.equal(row.status, 'failed');
    assert.equal(row.error_id, error.id);
    assert.equal(row.error, error.message);
    assert.ok(row.finished_at);
    assert.deepEqual(await snapshot(), before, 'the last good data is unchanged');
    return { error, row };
  }

  function assertNoPassword(text: string) {
    assert.ok(!text.includes(directory.bindPassword), 'the real password is never written');
    assert.ok(!text.includes(WRONG_PASSWORD), 'the tried password is never written');
  }

  before(async () => {
    [service, directory] = await startTogether(startTestService(), startTestDirectory({ entries: people() }));
    const users = Array.from({ length: COUNT }, (_, i) => ({ id: `u${i}`, username: `user${i}`, email: `user${i}@example.com`, auth_service: 'office365' }));
    await db().batchInsert('users', users, 500);
    await configure();
    const good = await syncDirectory(service.ctx, ACTOR);
    assert.equal(good.entries, COUNT);
    goodRunId = good.id;
  });
  after(async () => {
    await Promise.all([service?.close(), directory?.stop()]);
  });

  test('slapd stopped: 502 unavailable, connection refused, data kept', async () => {
    await configure();
    await directory.takeDown();
    try {
      const { error, row } = await failingSync();
      assert.equal(error.id, 'mamgate.ldap.unavailable.app_error');
      assert.equal(error.status, 502);
      assert.match(row.error, /could not be reached: connection refused \(ECONNREFUSED\)/);
      assert.ok(row.error.includes(`127.0.0.1:${directory.port}`));
    } finally {
      await directory.bringUp();
    }
    const entries = await db()('directory_entries').where({ sync_run_id: goodRunId }).count('* as n');
    assert.equal(Number((entries[0] as { n: number }).n), COUNT, 'the entries of the last good run are there');
  });

  test('wrong password: 502 bind_failed naming the bind DN, never a password', async () => {
    await configure({ BindPassword: WRONG_PASSWORD });
    const { error, row } = await failingSync();
    assert.equal(error.id, 'mamgate.ldap.bind_failed.app_error');
    assert.equal(error.status, 502);
    assert.ok(row.error.includes(directory.bindDn));
    assert.match(row.error, /LDAP result 49/);
    assertNoPassword(JSON.stringify(error.toBody('r')));
    assertNoPassword(JSON.stringify(await db()('ldap_sync_runs')));
    assertNoPassword(service.logs.join('\n'));
  });

  test('a server that never answers: 504 timeout, data kept', async () => {
    const silent = await silentServer();
    try {
      await configure({ Url: `ldap://127.0.0.1:${silent.port}` });
      const started = Date.now();
      const { error, row } = await failingSync({ timeouts: { connectMs: 2000, operationMs: 300 } });
      assert.ok(Date.now() - started < 10_000, 'bounded by the timeout');
      assert.equal(error.id, 'mamgate.ldap.timeout.app_error');
      assert.equal(error.status, 504);
      assert.match(row.error, /did not answer the bind within 0\.3 s/);
    } finally {
      await silent.close();
    }
  });

  test('the connection lost in the middle of the paged search: the partial read is rolled back', async () => {
    const proxy = await cuttingProxy(directory.port, 20_000);
    try {
      await configure({ Url: `ldap://127.0.0.1:${proxy.port}` });
      const { error, row } = await failingSync({ pageSize: 50 });
      assert.equal(proxy.cuts(), 1, 'the proxy cut the search after some pages had arrived');
      assert.equal(error.id, 'mamgate.ldap.unavailable.app_error');
      assert.match(row.error, /lost during the search/);
    } finally {
      await proxy.close();
    }
  });

  test('another sync holds the lock: a manual sync answers 409 sync_in_progress; a scheduled one skips without a row', async () => {
    await configure();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = db().transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(?::bigint)', [LDAP_SYNC_LOCK_KEY]);
      locked();
      await held;
    });
    try {
      await lockTaken;
      const { error } = await failingSync();
      assert.equal(error.id, 'mamgate.ldap.sync_in_progress.app_error');
      assert.equal(error.status, 409);
      const rowsBefore = await db()('ldap_sync_runs').count('* as n');
      const skipped = await runSync(service.ctx, { trigger: 'schedule', actor: { name: 'schedule', requestId: null } });
      assert.equal(skipped, undefined);
      assert.deepEqual(await db()('ldap_sync_runs').count('* as n'), rowsBefore, 'the skipped scheduled attempt left no row');
    } finally {
      release();
      await holder;
    }
  });

  test('after the failures a sync succeeds again and replaces the data', async () => {
    await configure();
    const run = await syncDirectory(service.ctx, ACTOR);
    assert.equal(run.status, 'succeeded');
    assert.equal(run.entries, COUNT);
    // Each entry was written by a sync that succeeded (an unchanged entry keeps the run that wrote it): nothing of
    // the failed runs' partial reads is left.
    const [kept] = (await db()('directory_entries').count('* as n')) as { n: number }[];
    assert.equal(Number(kept!.n), COUNT);
    const fromFailed = await db()('directory_entries')
      .whereNotIn('sync_run_id', db()('ldap_sync_runs').where({ status: 'succeeded' }).select('id'))
      .count('* as n');
    assert.equal(Number((fromFailed[0] as { n: number }).n), 0);
    const failed = await db()('ldap_sync_runs').where({ status: 'failed' }).select('error_id').orderBy('id');
    assert.deepEqual(
      failed.map((r: { error_id: string }) => r.error_id),
      [
        'mamgate.ldap.unavailable.app_error',
        'mamgate.ldap.bind_failed.app_error',
        'mamgate.ldap.timeout.app_error',
        'mamgate.ldap.unavailable.app_error',
        'mamgate.ldap.sync_in_progress.app_error',
      ],
    );
  });

  test('a run left running by a node that stopped is marked interrupted by the next sync; a recent one is left alone', async () => {
    await configure();
    const [stale] = (await db()('ldap_sync_runs')
      .insert({ status: 'running', trigger: 'schedule', requested_by: 'schedule', started_at: new Date(Date.now() - 2 * 3_600_000) })
      .returning('id')) as { id: number }[];
    const [recent] = (await db()('ldap_sync_runs').insert({ status: 'running', trigger: 'manual', requested_by: 'other-node' }).returning('id')) as { id: number }[];
    const run = await syncDirectory(service.ctx, ACTOR);
    assert.equal(run.status, 'succeeded');
    const row = await db()('ldap_sync_runs').where({ id: stale!.id }).first();
    assert.equal(row.status, 'failed');
    assert.equal(row.error_id, 'mamgate.ldap.sync_interrupted.app_error');
    assert.match(row.error, /stopped before it finished/);
    assert.ok(row.finished_at);
    assert.equal((await db()('ldap_sync_runs').where({ id: recent!.id }).first()).status, 'running', 'within the minute: maybe about to try the lock');
    await db()('ldap_sync_runs').whereIn('id', [stale!.id, recent!.id]).delete();
  });
});
