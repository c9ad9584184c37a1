// The sync's matching, done in SQL one page at a time, on PostgreSQL and on embedded PGlite: a username matches
// as read before it matches in lower case, the first matching mail value wins, an email match wins over a username
// match, and a page boundary changes nothing (pages of 2 entries here).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { syncDirectory } from '../../server/identity/ldap/sync.ts';
import { saveSettings } from '../../server/settings/service.ts';
import { ldapSettingsFor, personEntry, startTestDirectory, type TestDirectory } from '../support/slapd.ts';
import { startTestService, type TestService } from '../support/service.ts';

const TENANT = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const ACTOR = { name: 'test', requestId: null };
const guid = (n: number) => `${String(n).padStart(8, '0')}-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`;

for (const embedded of [false, true]) {
  describe(`LDAP sync matching (${embedded ? 'PGlite' : 'PostgreSQL'})`, { timeout: 120_000 }, () => {
    let service: TestService;
    let directory: TestDirectory;

    before(async () => {
      [service, directory] = await Promise.all([
        startTestService({ embedded }),
        startTestDirectory({
          entries: [
            personEntry({ uid: 'Hank', aadObjectId: guid(1) }), // only "hank" exists: the lower-case spelling
            personEntry({ uid: 'Ivy', aadObjectId: guid(2) }), // "Ivy" and "ivy" both exist: as read wins
            personEntry({ uid: 'jo', mail: ['nobody@example.com', 'JO@example.com', 'kim@example.com'], aadObjectId: guid(3) }), // first match
            personEntry({ uid: 'kim', mail: 'nobody.else@example.com', aadObjectId: guid(4) }), // no mail match: by uid
            personEntry({ uid: 'lee', mail: 'kim@example.com', aadObjectId: guid(5) }), // mail kim wins over uid lee
            personEntry({ uid: 'orphan', mail: 'orphan@example.com' }), // no account, no id
          ],
        }),
      ]);
      const users = [
        ['u-hank', 'hank', 'hank@example.com'],
        ['u-ivy-upper', 'Ivy', 'ivy.upper@example.com'],
        ['u-ivy', 'ivy', 'ivy@example.com'],
        ['u-jo', 'jo.account', 'jo@example.com'],
        ['u-kim', 'kim', 'kim@example.com'],
        ['u-lee', 'lee', 'lee@example.com'],
      ];
      await service.ctx.db('users').insert(users.map(([id, username, email]) => ({ id, username, email, auth_service: 'office365' })));
      await saveSettings(service.ctx, { IntuneSettings: { TenantId: TENANT }, LdapSettings: ldapSettingsFor(directory) }, ACTOR);
    });
    after(async () => {
      await Promise.all([service?.close(), directory?.stop()]);
    });

    test('each entry goes to the account the rules name, across pages', async () => {
      const run = await syncDirectory(service.ctx, ACTOR, { pageSize: 2 });
      assert.deepEqual({ status: run.status, entries: run.entries, matched: run.matched, without_id: run.without_id }, { status: 'succeeded', entries: 6, matched: 5, without_id: 1 });
      const rows = (await service.ctx.db('directory_entries').orderBy('dn')) as { dn: string; user_id: string | null; email: string | null; sync_run_id: number }[];
      const byUid = Object.fromEntries(rows.map((row) => [/^uid=([^,]+)/.exec(row.dn)![1], { user: row.user_id, email: row.email }]));
      assert.deepEqual(byUid, {
        Hank: { user: 'u-hank', email: null },
        Ivy: { user: 'u-ivy-upper', email: null },
        jo: { user: 'u-jo', email: 'JO@example.com' },
        kim: { user: 'u-kim', email: 'nobody.else@example.com' },
        lee: { user: 'u-kim', email: 'kim@example.com' },
        orphan: { user: null, email: 'orphan@example.com' },
      });
      assert.ok(rows.every((row) => Number(row.sync_run_id) === run.id));
      // u-kim has two entries: the email match (lee's entry) gives its identity, not the uid match.
      const identities = (await service.ctx.db('identities').where({ source: 'ldap' }).orderBy('user_id')) as { user_id: string; object_id: string }[];
      assert.deepEqual(
        identities.map((row) => [row.user_id, row.object_id]),
        [
          ['u-hank', guid(1)],
          ['u-ivy-upper', guid(2)],
          ['u-jo', guid(3)],
          ['u-kim', guid(5)],
        ],
      );
    });
  });
}
