// Scheduled LDAP syncs: none while LDAP is off; then one every SyncIntervalMinutes, by one node at a time even
// when two nodes check together; incremental unless no good full pass started within FullSyncIntervalHours.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type LdapSchedule, startLdapSchedule } from '../../server/identity/ldap/schedule.ts';
import { saveSettings } from '../../server/settings/service.ts';
import { ldapSettingsFor, personEntry, startTestDirectory, type TestDirectory } from '../support/slapd.ts';
import { startTestService, type TestService } from '../support/service.ts';

const ACTOR = { name: 'test', requestId: null };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('scheduled LDAP sync', { timeout: 60_000 }, () => {
  let service: TestService;
  let directory: TestDirectory;
  let nodes: LdapSchedule[] = [];
  const db = () => service.ctx.db;
  const runs = async () => (await db()('ldap_sync_runs').orderBy('id')) as { id: number; status: string; trigger: string; requested_by: string }[];

  async function waitForRuns(count: number, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const done = (await runs()).filter((r) => r.status !== 'running');
      if (done.length >= count) return;
      await sleep(25);
    }
    assert.fail(`fewer than ${count} finished runs after ${timeoutMs} ms: ${JSON.stringify(await runs())}`);
  }

  before(async () => {
    [service, directory] = await Promise.all([
      startTestService(),
      startTestDirectory({ entries: [personEntry({ uid: 'alice', mail: 'alice@example.com', aadObjectId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' })] }),
    ]);
  });
  after(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await Promise.all([service?.close(), directory?.stop()]);
  });

  test('nothing runs while LDAP is disabled', async () => {
    await saveSettings(service.ctx, { LdapSettings: ldapSettingsFor(directory, { Enable: false }) }, ACTOR);
    nodes = [startLdapSchedule(service.ctx, { firstCheckMs: 0, checkEveryMs: 20 })];
    await sleep(300);
    assert.deepEqual(await runs(), []);
    await nodes[0]!.stop();
    nodes = [];
  });

  test('two nodes checking together: one sync, then none until the interval has passed', async () => {
    await saveSettings(service.ctx, { LdapSettings: ldapSettingsFor(directory, { SyncIntervalMinutes: 60 }) }, ACTOR);
    nodes = [startLdapSchedule(service.ctx, { firstCheckMs: 0, checkEveryMs: 20 }), startLdapSchedule(service.ctx, { firstCheckMs: 0, checkEveryMs: 20 })];
    await waitForRuns(1);
    await sleep(300);
    const first = await runs();
    assert.equal(first.length, 1, JSON.stringify(first));
    assert.deepEqual(
      { status: first[0]!.status, trigger: first[0]!.trigger, requested_by: first[0]!.requested_by },
      { status: 'succeeded', trigger: 'schedule', requested_by: 'schedule' },
    );
    assert.equal((await db()('identities').where({ source: 'ldap' })).length, 0, 'no account yet: nothing to record');

    // Once the interval has passed (the last run started 61 minutes ago), exactly one more sync runs.
    await db()('ldap_sync_runs').update({ started_at: db().raw("now() - interval '61 minutes'") });
    await waitForRuns(2);
    await sleep(300);
    assert.equal((await runs()).length, 2);

    await Promise.all(nodes.map((node) => node.stop()));
    nodes = [];
    await db()('ldap_sync_runs').update({ started_at: db().raw("now() - interval '61 minutes'") });
    await sleep(200);
    assert.equal((await runs()).length, 2, 'stopped schedules run nothing');
  });

  test('a scheduled sync is incremental after a recent full pass, and full once FullSyncIntervalHours have passed', async () => {
    await db()('ldap_sync_runs').delete();
    await saveSettings(service.ctx, { LdapSettings: ldapSettingsFor(directory, { SyncIntervalMinutes: 60, FullSyncIntervalHours: 24 }) }, ACTOR);
    const kinds = async () => ((await db()('ldap_sync_runs').orderBy('id')) as { kind: string; status: string }[]).map((r) => `${r.kind}:${r.status}`);
    nodes = [startLdapSchedule(service.ctx, { firstCheckMs: 0, checkEveryMs: 20 })];
    await waitForRuns(1);
    assert.deepEqual(await kinds(), ['full:succeeded'], 'no full pass yet: the first is full');
    await db()('ldap_sync_runs').update({ started_at: db().raw("now() - interval '61 minutes'") });
    await waitForRuns(2);
    assert.deepEqual(await kinds(), ['full:succeeded', 'incremental:succeeded'], 'the full pass is an hour old: incremental');
    await db()('ldap_sync_runs').update({ started_at: db().raw("now() - interval '25 hours'") });
    await waitForRuns(3);
    assert.deepEqual(await kinds(), ['full:succeeded', 'incremental:succeeded', 'full:succeeded'], 'the full pass is 25 hours old: full');
    await saveSettings(service.ctx, { LdapSettings: ldapSettingsFor(directory, { SyncIntervalMinutes: 60, FullSyncIntervalHours: 0 }) }, ACTOR);
    await db()('ldap_sync_runs').update({ started_at: db().raw("now() - interval '61 minutes'") });
    await waitForRuns(4);
    assert.equal((await kinds())[3], 'full:succeeded', 'FullSyncIntervalHours 0: every scheduled sync is full');
    await Promise.all(nodes.map((node) => node.stop()));
    nodes = [];
  });
});
