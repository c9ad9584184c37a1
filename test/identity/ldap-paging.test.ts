// More entries than slapd's soft size limit (500 for a non-root bind): the sync reads them all through paged
// searches of at most 1000, a page at a time.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, SizeLimitExceededError } from 'ldapts';
import { DirectoryClient, directoryConfig } from '../../server/identity/ldap/directory-client.ts';
import { syncDirectory } from '../../server/identity/ldap/sync.ts';
import { defaultSettings, type LdapSettings } from '../../server/settings/model.ts';
import { saveSettings } from '../../server/settings/service.ts';
import { ldapSettingsFor, personEntry, startTestDirectory, type TestDirectory } from '../support/slapd.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { startTogether } from '../support/start-together.ts';

const COUNT = 1200;
const ACTOR = { name: 'test', requestId: null };
const guid = (n: number) => `${String(n).padStart(8, '0')}-AAAA-4bbb-8CCC-${String(n).padStart(12, '0')}`;

function* people(): Generator<string> {
  for (let i = 0; i < COUNT; i += 1) yield personEntry({ uid: `user${i}`, mail: `user${i}@example.com`, aadObjectId: guid(i) });
}

describe('LDAP paging past the size limit', { timeout: 120_000 }, () => {
  let service: TestService;
  let directory: TestDirectory;
  let settings: LdapSettings;

  before(async () => {
    [service, directory] = await startTogether(startTestService(), startTestDirectory({ entries: people(), sizeLimitSoft: 500 }));
    settings = { ...defaultSettings().LdapSettings, ...ldapSettingsFor(directory) };
    await saveSettings(service.ctx, { LdapSettings: settings }, ACTOR);
    const users = Array.from({ length: COUNT }, (_, i) => ({ id: `u${i}`, username: `user${i}`, email: `user${i}@example.com`, auth_service: 'office365' }));
    await service.ctx.db.batchInsert('users', users, 500);
  });
  after(async () => {
    await Promise.all([service?.close(), directory?.stop()]);
  });

  test('the limit is real for the service account: a search without paging stops at 500', async () => {
    const client = new Client({ url: directory.url, timeout: 10_000 });
    try {
      await client.bind(directory.bindDn, directory.bindPassword);
      await assert.rejects(client.search(directory.baseDn, { filter: '(objectClass=inetOrgPerson)', attributes: ['uid'] }), SizeLimitExceededError);
    } finally {
      await client.unbind();
    }
  });

  test('a sync reads all 1,200 entries and matches every one', async () => {
    const run = await syncDirectory(service.ctx, ACTOR);
    assert.deepEqual({ status: run.status, entries: run.entries, matched: run.matched, without_id: run.without_id }, { status: 'succeeded', entries: COUNT, matched: COUNT, without_id: 0 });
    const [entries] = (await service.ctx.db('directory_entries').count('* as n')) as { n: number }[];
    assert.equal(Number(entries!.n), COUNT);
    const [identities] = (await service.ctx.db('identities').where({ source: 'ldap' }).whereNotNull('object_id').count('* as n')) as { n: number }[];
    assert.equal(Number(identities!.n), COUNT);
    const last = await service.ctx.db('identities').where({ user_id: `u${COUNT - 1}`, source: 'ldap' }).first();
    assert.equal(last.object_id, guid(COUNT - 1).toLowerCase());
  });

  test('pages stream one at a time and never exceed the page size (capped at 1000)', async () => {
    const client = await DirectoryClient.open(directoryConfig(settings));
    try {
      const sizes: number[] = [];
      for await (const page of client.pages(client.userFilter(), { pageSize: 250 })) sizes.push(page.length);
      assert.deepEqual(sizes, [250, 250, 250, 250, 200]);
      const capped: number[] = [];
      for await (const page of client.pages(client.userFilter(), { pageSize: 5000 })) capped.push(page.length);
      assert.deepEqual(capped, [1000, 200]);
    } finally {
      await client.close();
    }
  });
});
