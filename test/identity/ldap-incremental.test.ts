// Incremental LDAP syncs against a real slapd and PostgreSQL: after random changes and additions (some in the same
// second as the watermark), an incremental sync leaves the report row for row what a full sync of the same
// directory gives, and the full pass that follows finds nothing to write; deletions are what only the full pass
// sees; another server, a gap and a mode that is not one fall back or are refused, and say so.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Attribute, Change, Client } from 'ldapts';
import { syncDirectory } from '../../server/identity/ldap/sync.ts';
import { startIdentityReport } from '../../server/identity/report/report-jobs.ts';
import { saveSettings } from '../../server/settings/service.ts';
import { ldapSettingsFor, PEOPLE_DN, personEntry, startTestDirectory, type TestDirectory } from '../support/slapd.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { startTogether } from '../support/start-together.ts';

const TENANT = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const ACTOR = { name: 'test', requestId: null };
const PEOPLE = 120;
const USERS = 110;

/** A small seeded generator (mulberry32): the same seed gives the same changes, printed when a round fails. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => String(n).padStart(4, '0');
/** A random version-4 GUID string. */
function guid(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '8';
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

describe('incremental LDAP sync', { timeout: 240_000 }, () => {
  let service: TestService;
  let directory: TestDirectory;
  let other: TestDirectory;
  let root: Client;
  const db = () => service.ctx.db;
  let nextPerson = PEOPLE;

  before(async () => {
    const seeded = random(7);
    const people = Array.from({ length: PEOPLE }, (_, i) =>
      personEntry({
        uid: `p${pad(i)}`,
        // Every fifth entry names its account only by username (no account has this mail).
        mail: i % 5 === 0 ? `p${pad(i)}@elsewhere.example` : `p${pad(i)}@example.com`,
        aadObjectId: i % 7 === 0 ? undefined : guid(seeded),
        // Without an id the entry still gets the aadUser class (objectGUID, never the id), so one can be added later.
        objectGuid: i % 7 === 0 ? Buffer.alloc(16, i) : undefined,
      }),
    );
    [service, directory, other] = await startTogether(startTestService(), startTestDirectory({ entries: people, modifiedAt: '20260101000000Z' }), startTestDirectory({ entries: people.slice(0, 10) }));
    root = new Client({ url: directory.url });
    await root.bind(directory.rootDn, directory.rootPassword);
  });
  after(async () => {
    await root?.unbind().catch(() => undefined);
    await Promise.all([service?.close(), directory?.stop(), other?.stop()]);
  });

  beforeEach(async () => {
    for (const table of ['report_rows', 'report_runs', 'directory_entries', 'identities', 'ldap_sync_runs', 'users']) await db()(table).delete();
    await db()('users').insert(
      Array.from({ length: USERS }, (_, i) => ({ id: `u-${pad(i)}`, username: `p${pad(i)}`, email: `p${pad(i)}@example.com`, auth_service: 'office365' })),
    );
    await saveSettings(service.ctx, { IntuneSettings: { TenantId: TENANT }, LdapSettings: ldapSettingsFor(directory, { SyncIntervalMinutes: 0 }) }, ACTOR);
  });

  /** The report's rows, without what differs by construction between two runs (run id, and when LDAP last saw the user). */
  async function reportRows(): Promise<Record<string, unknown>[]> {
    const report = await startIdentityReport(service.ctx, ACTOR);
    await report.done;
    const rows = (await db()('report_rows').where({ run_id: report.id }).orderBy('seq')) as Record<string, unknown>[];
    assert.equal(rows.length, USERS);
    return rows.map(({ run_id: _run, ldap_seen_at: _seen, ...row }) => row);
  }

  const modify = (uid: string, type: string, values: string[], operation: 'replace' | 'delete' = 'replace') =>
    root.modify(`uid=${uid},${PEOPLE_DN}`, new Change({ operation, modification: new Attribute({ type, values }) }));

  /** One random change to the directory: ids changed or removed, mail moved to another account or doubled, entries added. */
  async function randomChange(rand: () => number): Promise<string> {
    const person = `p${pad(Math.floor(rand() * PEOPLE))}`;
    const account = `p${pad(Math.floor(rand() * USERS))}`;
    const pick = Math.floor(rand() * 6);
    if (pick === 0) await modify(person, 'msDS-aadObjectId', [guid(rand)]);
    else if (pick === 1) await modify(person, 'msDS-aadObjectId', [], 'delete').catch(() => modify(person, 'msDS-aadObjectId', ['not-a-guid']));
    else if (pick === 2) await modify(person, 'mail', [`${account}@example.com`]);
    else if (pick === 3) await modify(person, 'mail', [`${person}@nowhere.example`, `${account}@EXAMPLE.com`]);
    else if (pick === 4) await modify(person, 'uid', [person, account]);
    else {
      // A new entry: for an account that may already have one (then the rules choose between them), with an id.
      const uid = `n${pad(nextPerson++)}`;
      await root.add(`uid=${uid},${PEOPLE_DN}`, {
        objectClass: ['inetOrgPerson', 'aadUser'],
        uid: [uid],
        cn: [uid],
        sn: [uid],
        mail: [`${account}@example.com`],
        'msDS-aadObjectId': [guid(rand)],
      });
      return `add ${uid} for ${account}`;
    }
    return `change ${pick} of ${person} (${account})`;
  }

  test('after random changes and additions, an incremental sync gives the report a full sync gives, row for row', async () => {
    const first = await syncDirectory(service.ctx, ACTOR, { mode: 'incremental' });
    assert.equal(first.kind, 'full', 'no watermark yet: a full pass');
    assert.match(first.fallback_reason ?? '', /no watermark/);
    assert.equal(first.entries, PEOPLE);
    const rand = random(Number(process.env.LDAP_INCREMENTAL_SEED ?? 20261207));
    for (let round = 0; round < 4; round++) {
      const changes: string[] = [];
      for (let k = 0; k < 8; k++) changes.push(await randomChange(rand));
      const incremental = await syncDirectory(service.ctx, ACTOR, { mode: 'incremental' });
      assert.equal(incremental.kind, 'incremental', `round ${round}: ${incremental.fallback_reason}`);
      // From the contextCSN on (entryCSN >=): the changed entries and at most the one written last before the watermark.
      assert.ok(incremental.entries >= 1 && incremental.entries <= changes.length + 1, `round ${round}: read ${incremental.entries} entries, only the changed ones`);
      assert.ok(incremental.affected_users >= 1, `round ${round}: accounts touched`);
      assert.equal(
        Object.values(incremental.reclassified ?? {}).reduce((a, b) => a + b, 0),
        incremental.affected_users,
        'every touched account classified again',
      );
      const afterIncremental = await reportRows();
      const full = await syncDirectory(service.ctx, ACTOR, { mode: 'full' });
      assert.equal(full.kind, 'full');
      assert.equal(full.changed, 0, `round ${round}: the full pass found nothing the incremental one missed (${changes.join('; ')})`);
      assert.deepEqual(afterIncremental, await reportRows(), `round ${round}: ${changes.join('; ')}`);
    }
  });

  test('with nothing changed, an incremental sync writes nothing; a deleted entry waits for the full pass', async () => {
    await syncDirectory(service.ctx, ACTOR, { mode: 'full' });
    const quiet = await syncDirectory(service.ctx, ACTOR, { mode: 'incremental' });
    assert.equal(quiet.kind, 'incremental');
    assert.deepEqual({ read: quiet.entries, changed: quiet.changed, affected: quiet.affected_users }, { read: 0, changed: 0, affected: 0 }, 'the same contextCSN: no search');
    const victim = 'p0003';
    const entryOf = () => db()('directory_entries').where({ dn: `uid=${victim},${PEOPLE_DN}` }).first();
    await root.del(`uid=${victim},${PEOPLE_DN}`);
    const incremental = await syncDirectory(service.ctx, ACTOR, { mode: 'incremental' });
    assert.equal(incremental.kind, 'incremental');
    assert.ok(await entryOf(), 'an incremental read cannot see a deletion');
    const full = await syncDirectory(service.ctx, ACTOR);
    assert.equal(full.kind, 'full');
    assert.equal(await entryOf(), undefined, 'the full pass removes it');
    const identity = await db()('identities').where({ user_id: 'u-0003', source: 'ldap' }).first();
    assert.equal(identity, undefined, "the account's directory identity goes with it");
    await root.add(`uid=${victim},${PEOPLE_DN}`, { objectClass: ['inetOrgPerson'], uid: [victim], cn: [victim], sn: [victim], mail: [`${victim}@example.com`] });
  });

  test('another server, a gap, or settings that shape the read fall back to a full pass and say why', async () => {
    await syncDirectory(service.ctx, ACTOR, { mode: 'full' });
    const logged = service.logs?.length ?? 0;
    // The same settings pointing at another server.
    await saveSettings(service.ctx, { LdapSettings: ldapSettingsFor(other, { SyncIntervalMinutes: 0 }) }, ACTOR);
    const moved = await syncDirectory(service.ctx, ACTOR, { mode: 'incremental' });
    assert.equal(moved.kind, 'full');
    assert.match(moved.fallback_reason ?? '', /another server/);
    assert.equal(moved.entries, 10);
    if (service.logs) assert.ok(service.logs.slice(logged).some((line) => /full pass instead/.test(line) && /another server/.test(line)), 'and the log says so');
    // A watermark older than the bound is a gap.
    const last = (await db()('ldap_sync_runs').where({ id: moved.id }).first()) as { watermark: Record<string, unknown> };
    await db()('ldap_sync_runs')
      .where({ id: moved.id })
      .update({ watermark: JSON.stringify({ ...last.watermark, taken_at: new Date(Date.now() - 8 * 86_400_000).toISOString() }) });
    const gap = await syncDirectory(service.ctx, ACTOR, { mode: 'incremental' });
    assert.equal(gap.kind, 'full');
    assert.match(gap.fallback_reason ?? '', /older than 7 days/);
    // Another user filter is another read: its watermark says nothing of entries the old filter left out.
    await saveSettings(service.ctx, { LdapSettings: ldapSettingsFor(other, { SyncIntervalMinutes: 0, UserFilter: '(objectClass=person)' }) }, ACTOR);
    const refiltered = await syncDirectory(service.ctx, ACTOR, { mode: 'incremental' });
    assert.equal(refiltered.kind, 'full');
    assert.match(refiltered.fallback_reason ?? '', /settings that shape the read/);
    const stored = (await db()('ldap_sync_runs').where({ id: refiltered.id }).first()) as { fallback_reason: string; kind: string };
    assert.deepEqual({ kind: stored.kind, reason: stored.fallback_reason }, { kind: 'full', reason: refiltered.fallback_reason });
    // And the next one builds on it.
    const next = await syncDirectory(service.ctx, ACTOR, { mode: 'incremental' });
    assert.equal(next.kind, 'incremental');
  });

  test('a mode that is neither full nor incremental is refused before anything runs', async () => {
    const { syncModeOf } = await import('../../server/identity/ldap/sync.ts');
    assert.throws(() => syncModeOf('partial'), (error: { id?: string }) => error.id === 'mamgate.cli.usage.app_error');
    assert.equal(await db()('ldap_sync_runs').count({ n: '*' }).first().then((row) => Number(row?.n)), 0);
  });
});
