// Looking one user up (for the preflight) with every value escaped: filter injection attempts find nothing extra.
// And the probe: reachable, bound, the id attribute on a sample, objectGUID present but not used.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from 'ldapts';
import { lookupDirectoryUser, lookupFilter } from '../../server/identity/ldap/lookup.ts';
import { probeDirectory } from '../../server/identity/ldap/probe.ts';
import { defaultSettings, type LdapSettings } from '../../server/settings/model.ts';
import { ldapSettingsFor, personEntry, startTestDirectory, type TestDirectory } from '../support/slapd.ts';

const OBJECT_GUID = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

function* people(): Generator<string> {
  yield personEntry({ uid: 'alice', mail: 'Alice@Example.com', aadObjectId: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE', objectGuid: OBJECT_GUID });
  yield personEntry({ uid: 'bob', mail: 'bob@example.com', aadObjectId: 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff' });
  yield personEntry({ uid: 'carol', mail: 'carol@example.com', objectGuid: OBJECT_GUID });
  yield personEntry({ uid: 'dave', mail: 'dave@example.com', aadObjectId: 'not-a-guid' });
  // Filter metacharacters in real values: they must match literally and only themselves.
  yield personEntry({ uid: 'star', mail: 'star*@example.com', aadObjectId: '55555555-6666-4777-8888-999999999999' });
  yield personEntry({ uid: 'paren', mail: 'paren(x)@example.com', aadObjectId: '66666666-7777-4888-8999-aaaaaaaaaaaa' });
  for (let i = 0; i < 20; i += 1) yield personEntry({ uid: `filler${i}`, mail: `filler${i}@example.com`, aadObjectId: `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000` });
}

describe('LDAP lookup and probe', { timeout: 60_000 }, () => {
  let directory: TestDirectory;
  let settings: LdapSettings;

  before(async () => {
    directory = await startTestDirectory({ entries: people() });
    settings = { ...defaultSettings().LdapSettings, ...ldapSettingsFor(directory) };
  });
  after(async () => {
    await directory?.stop();
  });

  const uids = (records: { dn: string }[]) => records.map((r) => /^uid=([^,]+)/.exec(r.dn)?.[1]).sort();

  test('by email (any case) or by username', async () => {
    assert.deepEqual(uids(await lookupDirectoryUser(settings, { email: 'ALICE@example.COM' })), ['alice']);
    assert.deepEqual(uids(await lookupDirectoryUser(settings, { username: 'bob' })), ['bob']);
    const [alice] = await lookupDirectoryUser(settings, { email: 'alice@example.com' });
    assert.equal(alice?.id?.objectId, 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
    assert.deepEqual(await lookupDirectoryUser(settings, { email: 'nobody@example.com' }), []);
    assert.deepEqual(await lookupDirectoryUser(settings, {}), []);
  });

  test('filter injection attempts return nothing extra', async () => {
    // Unescaped, these filters would match many entries: prove it with the raw filter, as the service account.
    const client = new Client({ url: directory.url, timeout: 10_000 });
    await client.bind(directory.bindDn, directory.bindPassword);
    try {
      const raw = await client.search(directory.baseDn, { filter: '(&(objectClass=inetOrgPerson)(|(mail=*)(uid=*)))', attributes: ['uid'] });
      assert.ok(raw.searchEntries.length > 20, 'the unescaped injection would read the whole directory');
    } finally {
      await client.unbind();
    }
    const attempts = ['*', '*)(uid=*', '*)(|(uid=*', 'alice)(|(uid=*)', 'alice*', '*@example.com', 'a*', ')(objectClass=*', '\\2a', 'x)(uid=alice', '\u0000'];
    for (const attempt of attempts) {
      assert.deepEqual(uids(await lookupDirectoryUser(settings, { email: attempt })), [], `email ${JSON.stringify(attempt)}`);
      assert.deepEqual(uids(await lookupDirectoryUser(settings, { username: attempt })), [], `username ${JSON.stringify(attempt)}`);
      assert.deepEqual(uids(await lookupDirectoryUser(settings, { email: attempt, username: attempt })), [], `both ${JSON.stringify(attempt)}`);
    }
    // Metacharacters that are part of a real value match that value only.
    assert.deepEqual(uids(await lookupDirectoryUser(settings, { email: 'star*@example.com' })), ['star']);
    assert.deepEqual(uids(await lookupDirectoryUser(settings, { email: 'paren(x)@example.com' })), ['paren']);
    // The filter carries the escaped value, inside the configured UserFilter.
    assert.equal(
      lookupFilter('(objectClass=inetOrgPerson)', settings, { email: '*)(uid=*' }),
      '(&(objectClass=inetOrgPerson)(|(mail=\\2a\\29\\28uid=\\2a)))',
    );
  });

  test('probe: reachable, bound, the id attribute on the sample; objectGUID counted, never used', async () => {
    const findings = await probeDirectory(settings, { sampleSize: 1000 });
    assert.equal(findings.error, null);
    assert.equal(findings.reachable, true);
    assert.equal(findings.bound, true);
    assert.equal(findings.searched, true);
    assert.equal(findings.objectGuidUsedAsId, false);
    assert.deepEqual(findings.sample.withGuid, { string: 24, binary: 0 });
    assert.equal(findings.sample.entries, 26);
    assert.equal(findings.sample.missing, 1);
    assert.equal(findings.sample.notGuid, 1);
    assert.equal(findings.sample.withObjectGuid, 2);
    assert.deepEqual(findings.sample.examples.map((dn) => /^uid=([^,]+)/.exec(dn)?.[1]).sort(), ['carol', 'dave']);
    const small = await probeDirectory(settings, { sampleSize: 5 });
    assert.equal(small.sample.entries, 5);
  });

  test('probe of a refused bind, a stopped server, and objectGUID as the id attribute', async () => {
    const refused = await probeDirectory({ ...settings, BindPassword: 'wrong-one' });
    assert.deepEqual({ reachable: refused.reachable, bound: refused.bound, error: refused.error?.id }, { reachable: true, bound: false, error: 'mamgate.ldap.bind_failed.app_error' });
    assert.ok(!JSON.stringify(refused).includes('wrong-one'));
    const objectGuid = await probeDirectory({ ...settings, IdAttribute: 'objectGUID' });
    assert.equal(objectGuid.objectGuidUsedAsId, true);
    assert.equal(objectGuid.error?.id, 'model.config.is_valid.ldap_id_attribute.app_error');
    assert.equal(objectGuid.bound, false, 'refused before any connection');
    await directory.takeDown();
    try {
      const down = await probeDirectory(settings);
      assert.deepEqual({ reachable: down.reachable, bound: down.bound, error: down.error?.id }, { reachable: false, bound: false, error: 'mamgate.ldap.unavailable.app_error' });
    } finally {
      await directory.bringUp();
    }
  });
});
