// The LDAP source against a real slapd and PostgreSQL: GUID strings in mixed case, binary GUIDs, missing and
// non-GUID values, objectGUID beside them (never the id), matching by email then username, unmatched entries,
// stale identities, and the bind as the service account.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { syncDirectory } from '../../server/identity/ldap/sync.ts';
import { startIdentityReport } from '../../server/identity/report/report-jobs.ts';
import { saveSettings } from '../../server/settings/service.ts';
import { ldapSettingsFor, ldifEntry, personEntry, ROOT_DN, SERVICE_ACCOUNT_DN, startTestDirectory, type TestDirectory } from '../support/slapd.ts';
import { startTestService, type TestService } from '../support/service.ts';

const TENANT = '0B1C2D3E-4F50-4A6B-8C7D-9E0F1A2B3C4D';
const ACTOR = { name: 'test', requestId: null };
// objectGUID values: distinct from every msDS-aadObjectId, so using them as the id would show.
const OBJECT_GUID = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
const OBJECT_GUID_DECODED = '33221100-5544-7766-8899-aabbccddeeff';

interface EntryRow {
  dn: string;
  user_id: string | null;
  email: string | null;
  username: string | null;
  object_id: string | null;
  raw_value: string | null;
  sync_run_id: number;
}

interface IdentityRow {
  user_id: string;
  source: string;
  tenant_id: string;
  object_id: string | null;
  raw_value: string | null;
  attribute: string;
}

describe('LDAP sync', { timeout: 120_000 }, () => {
  let service: TestService;
  let strings: TestDirectory;
  let binary: TestDirectory;
  const db = () => service.ctx.db;

  before(async () => {
    [service, strings, binary] = await Promise.all([
      startTestService(),
      startTestDirectory({
        entries: [
          // Account email differs in case only: matched by email. Upper-case GUID, objectGUID beside it.
          personEntry({ uid: 'alice.l', mail: 'Alice@Example.COM', aadObjectId: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE', objectGuid: OBJECT_GUID }),
          // No account has this email; the account named bob is matched by username. Mixed-case GUID.
          personEntry({ uid: 'bob', mail: 'bob@elsewhere.example', aadObjectId: 'aBcDeF01-2345-4678-9AbC-DEF012345678' }),
          // No msDS-aadObjectId at all, only objectGUID: the identity has a null object_id.
          personEntry({ uid: 'carol', mail: 'carol@example.com', objectGuid: OBJECT_GUID }),
          // A value that is not a GUID: kept as read, no object_id.
          personEntry({ uid: 'dave', mail: 'dave@example.com', aadObjectId: 'dave@example.com' }),
          // No account at all.
          personEntry({ uid: 'erin', mail: 'erin@example.com', aadObjectId: '11111111-2222-4333-8444-555555555555' }),
          // Email and username point at two different accounts: the email wins.
          personEntry({ uid: 'frank', mail: 'frank@example.com', aadObjectId: '22222222-3333-4444-8555-666666666666' }),
          // Several mail values: the second one is the account's.
          personEntry({ uid: 'gina.x', mail: ['gina.old@example.com', 'GINA@example.com'], aadObjectId: '33333333-4444-4555-8666-777777777777' }),
          // Outside the UserFilter (not an inetOrgPerson): never read.
          ldifEntry('uid=printer,ou=people,dc=example,dc=com', { objectClass: 'account', uid: 'printer' }),
        ],
      }),
      startTestDirectory({
        idSyntax: 'octet',
        entries: [
          // 16 raw bytes: MS-DTYP order gives 00112233-4455-6677-8899-aabbccddeeff.
          personEntry({ uid: 'alice.l', mail: 'alice@example.com', aadObjectId: Buffer.from('33221100554477668899aabbccddeeff', 'hex'), objectGuid: Buffer.from('ffeeddccbbaa99887766554433221100', 'hex') }),
          // 16 bytes that are valid UTF-8 (control characters): without explicitBufferAttributes ldapts would
          // hand them over as a 16-character string.
          personEntry({ uid: 'bob', mail: 'bob@example.com', aadObjectId: Buffer.from(Array.from({ length: 16 }, (_, i) => i + 1)) }),
          // A GUID string stored in the octet-string attribute.
          personEntry({ uid: 'carol', mail: 'carol@example.com', aadObjectId: 'CCCCCCCC-DDDD-4EEE-8FFF-000000000000' }),
          // 5 bytes: neither a GUID string nor a binary GUID.
          personEntry({ uid: 'dave', mail: 'dave@example.com', aadObjectId: Buffer.from([0xff, 0x00, 0x10, 0x80, 0x7f]) }),
        ],
      }),
    ]);
  });
  after(async () => {
    await Promise.all([service?.close(), strings?.stop(), binary?.stop()]);
  });

  async function configure(directory: TestDirectory, overrides: Record<string, unknown> = {}) {
    await saveSettings(service.ctx, { IntuneSettings: { TenantId: TENANT }, LdapSettings: ldapSettingsFor(directory, overrides) }, ACTOR);
  }

  const entries = async () => (await db()('directory_entries').orderBy('dn')) as EntryRow[];
  const ldapIdentities = async () =>
    new Map(((await db()('identities').where({ source: 'ldap' })) as IdentityRow[]).map((row) => [row.user_id, row]));

  beforeEach(async () => {
    await db()('directory_entries').delete();
    await db()('identities').delete();
    await db()('users').delete();
    const users = [
      ['u-alice', 'alice', 'alice@example.com'],
      ['u-bob', 'bob', 'bob@example.com'],
      ['u-carol', 'carol', 'carol@example.com'],
      ['u-dave', 'dave', 'dave@example.com'],
      ['u-frank-mail', 'frank.m', 'frank@example.com'],
      ['u-frank-name', 'frank', 'frank.other@example.com'],
      ['u-gina', 'gina', 'gina@example.com'],
      ['u-gone', 'gone', 'gone@example.com'],
    ];
    await db()('users').insert(users.map(([id, username, email]) => ({ id, username, email, auth_service: 'office365' })));
  });

  test('GUID strings in any case are normalised; the raw value is kept as read', async () => {
    await configure(strings);
    const run = await syncDirectory(service.ctx, ACTOR);
    assert.equal(run.status, 'succeeded');
    const identities = await ldapIdentities();
    assert.equal(identities.get('u-alice')?.object_id, 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
    assert.equal(identities.get('u-alice')?.raw_value, 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE');
    assert.equal(identities.get('u-bob')?.object_id, 'abcdef01-2345-4678-9abc-def012345678');
    assert.equal(identities.get('u-bob')?.raw_value, 'aBcDeF01-2345-4678-9AbC-DEF012345678');
    for (const identity of identities.values()) {
      assert.equal(identity.tenant_id, TENANT.toLowerCase());
      assert.equal(identity.attribute, 'msDS-aadObjectId');
    }
    const rows = await entries();
    assert.ok(rows.every((row) => row.sync_run_id === run.id));
    assert.equal(rows.find((row) => row.user_id === 'u-alice')?.object_id, 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
  });

  test('a missing value gives an identity with a null object_id; a non-GUID value is kept raw; objectGUID is never the id', async () => {
    await configure(strings);
    const run = await syncDirectory(service.ctx, ACTOR);
    const identities = await ldapIdentities();
    assert.deepEqual(
      { object_id: identities.get('u-carol')?.object_id, raw_value: identities.get('u-carol')?.raw_value },
      { object_id: null, raw_value: null },
    );
    assert.deepEqual(
      { object_id: identities.get('u-dave')?.object_id, raw_value: identities.get('u-dave')?.raw_value },
      { object_id: null, raw_value: 'dave@example.com' },
    );
    const everything = JSON.stringify([...identities.values(), ...(await entries())]);
    assert.ok(!everything.includes(OBJECT_GUID_DECODED), 'the decoded objectGUID appears nowhere');
    assert.ok(!everything.includes(OBJECT_GUID.toString('hex')), 'the raw objectGUID appears nowhere');
    assert.equal(run.without_id, 2, 'carol (missing) and dave (not a GUID)');
  });

  test('binary GUIDs decode in MS-DTYP order, through explicitBufferAttributes', async () => {
    await configure(binary);
    const run = await syncDirectory(service.ctx, ACTOR);
    assert.equal(run.entries, 4);
    const identities = await ldapIdentities();
    assert.deepEqual(
      { object_id: identities.get('u-alice')?.object_id, raw_value: identities.get('u-alice')?.raw_value },
      { object_id: '00112233-4455-6677-8899-aabbccddeeff', raw_value: '33221100554477668899aabbccddeeff' },
    );
    assert.equal(identities.get('u-bob')?.object_id, '04030201-0605-0807-090a-0b0c0d0e0f10');
    assert.equal(identities.get('u-bob')?.raw_value, '0102030405060708090a0b0c0d0e0f10');
    assert.equal(identities.get('u-carol')?.object_id, 'cccccccc-dddd-4eee-8fff-000000000000');
    assert.equal(identities.get('u-carol')?.raw_value, 'CCCCCCCC-DDDD-4EEE-8FFF-000000000000');
    assert.deepEqual(
      { object_id: identities.get('u-dave')?.object_id, raw_value: identities.get('u-dave')?.raw_value },
      { object_id: null, raw_value: 'ff0010807f' },
    );
    // alice's objectGUID (ffeedd…) decoded would be ccddeeff-…: it is not her id.
    assert.ok(!JSON.stringify([...identities.values()]).includes('ccddeeff-aabb-8899-7766-554433221100'));
  });

  test('entries are matched by email (case-insensitive, any value), then by username; the email wins', async () => {
    await configure(strings);
    const run = await syncDirectory(service.ctx, ACTOR);
    const byDn = new Map((await entries()).map((row) => [row.dn, row]));
    const userOf = (uid: string) => byDn.get(`uid=${uid},ou=people,dc=example,dc=com`)?.user_id;
    assert.equal(userOf('alice.l'), 'u-alice', 'Alice@Example.COM matches alice@example.com');
    assert.equal(userOf('bob'), 'u-bob', 'no email matches: uid bob matches the username');
    assert.equal(userOf('frank'), 'u-frank-mail', 'frank@example.com wins over the username frank');
    assert.equal(userOf('gina.x'), 'u-gina', 'the second mail value matches');
    assert.equal(byDn.get('uid=gina.x,ou=people,dc=example,dc=com')?.email, 'GINA@example.com', 'the matching value is stored');
    const identities = await ldapIdentities();
    assert.equal(identities.get('u-frank-mail')?.object_id, '22222222-3333-4444-8555-666666666666');
    assert.equal(identities.has('u-frank-name'), false);
    assert.equal(run.matched, 6);
  });

  test('an unmatched entry stays in directory_entries with no user; entries outside UserFilter are not read', async () => {
    await configure(strings);
    const run = await syncDirectory(service.ctx, ACTOR);
    const rows = await entries();
    const erin = rows.find((row) => row.dn === 'uid=erin,ou=people,dc=example,dc=com');
    assert.deepEqual(
      erin && { user_id: erin.user_id, email: erin.email, username: erin.username, object_id: erin.object_id },
      { user_id: null, email: 'erin@example.com', username: 'erin', object_id: '11111111-2222-4333-8444-555555555555' },
    );
    assert.equal(rows.length, 7);
    assert.equal(run.entries, 7);
    assert.ok(!rows.some((row) => row.dn.startsWith('uid=printer')));
    assert.ok(!rows.some((row) => row.dn.startsWith('cn=mamgate-svc')), 'the service account is not a person of the filter');
  });

  test('each sync replaces the last: stale ldap identities go, other sources stay', async () => {
    await db()('identities').insert([
      { user_id: 'u-gone', source: 'ldap', tenant_id: TENANT, object_id: '99999999-9999-4999-8999-999999999999', raw_value: 'x', attribute: 'msDS-aadObjectId' },
      { user_id: 'u-gone', source: 'oauth', tenant_id: TENANT, object_id: '99999999-9999-4999-8999-999999999999', raw_value: 'x', attribute: 'oid' },
    ]);
    await db()('directory_entries').insert({ dn: 'uid=gone,ou=people,dc=example,dc=com', user_id: 'u-gone', email: 'gone@example.com', username: 'gone', sync_run_id: 0 });
    await configure(binary);
    await syncDirectory(service.ctx, ACTOR);
    await configure(strings);
    const run = await syncDirectory(service.ctx, ACTOR);
    const identities = await ldapIdentities();
    assert.equal(identities.has('u-gone'), false, 'u-gone is no longer in the directory');
    assert.equal((await db()('identities').where({ user_id: 'u-gone', source: 'oauth' })).length, 1);
    const rows = await entries();
    assert.ok(rows.every((row) => row.sync_run_id === run.id), 'only this run’s entries remain');
    assert.equal(rows.length, 7);
    // The strings directory's value replaced the binary directory's for alice.
    assert.equal(identities.get('u-alice')?.object_id, 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
  });

  test('a sync rewrites only the identities whose value changed; the report dates every one by the last good sync', async () => {
    await configure(strings);
    await syncDirectory(service.ctx, ACTOR);
    const idsBefore = new Map([...(await ldapIdentities())].map(([user, row]) => [user, (row as IdentityRow & { id: number }).id]));
    // alice's value changes behind the sync's back; the next sync writes it back, and only it.
    await db()('identities').where({ user_id: 'u-alice', source: 'ldap' }).update({ object_id: 'stale', seen_at: new Date('2020-01-01T00:00:00Z') });
    await db()('identities').where({ user_id: 'u-bob', source: 'ldap' }).update({ seen_at: new Date('2020-01-01T00:00:00Z') });
    const run = await syncDirectory(service.ctx, ACTOR);
    const after = await ldapIdentities();
    assert.equal(after.get('u-alice')?.object_id, 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
    assert.ok(new Date((after.get('u-alice') as IdentityRow & { seen_at: Date }).seen_at) > new Date('2020-01-02'), 'the changed identity is dated now');
    assert.equal(new Date((after.get('u-bob') as IdentityRow & { seen_at: Date }).seen_at).toISOString(), '2020-01-01T00:00:00.000Z', 'an unchanged identity is not rewritten');
    assert.deepEqual(new Map([...after].map(([user, row]) => [user, (row as IdentityRow & { id: number }).id])), idsBefore, 'the same rows, updated in place');

    const report = await startIdentityReport(service.ctx, ACTOR);
    await report.done;
    const bob = await db()('report_rows').where({ run_id: report.id, user_id: 'u-bob' }).first();
    assert.equal(new Date(bob!.ldap_seen_at!).toISOString(), new Date(run.finished_at!).toISOString(), 'seen by the last good sync');
  });

  test('a sync writes only the entries that changed: unchanged ones keep the run that wrote them, stale ones go', async () => {
    await configure(strings);
    const first = await syncDirectory(service.ctx, ACTOR);
    const written = await entries();
    assert.equal(written.length, 7);
    // Behind the sync's back: alice's entry is altered, an entry the directory never held appears, and an account
    // for erin is created, so erin's entry (unmatched so far) now matches it.
    const alice = written.find((row) => row.user_id === 'u-alice')!;
    await db()('directory_entries').where({ dn: alice.dn }).update({ object_id: 'stale', username: 'someone' });
    await db()('directory_entries').insert({ dn: 'uid=ghost,ou=people,dc=example,dc=com', email: 'ghost@example.com', sync_run_id: first.id });
    await db()('users').insert({ id: 'u-erin', username: 'erin', email: 'erin@example.com', auth_service: 'office365' });

    const second = await syncDirectory(service.ctx, ACTOR);
    assert.equal(second.entries, 7);
    assert.equal(second.matched, 7);
    const rows = await entries();
    const byDn = new Map(rows.map((row) => [row.dn, row]));
    assert.equal(byDn.has('uid=ghost,ou=people,dc=example,dc=com'), false, 'an entry no longer read is removed');
    assert.deepEqual(
      rows.map(({ sync_run_id, ...row }) => row),
      written.map(({ sync_run_id, ...row }) => (row.dn.startsWith('uid=erin,') ? { ...row, user_id: 'u-erin', by_email: true } : row)),
      'the directory as read, erin now matched',
    );
    const rewritten = rows.filter((row) => Number(row.sync_run_id) === second.id).map((row) => row.dn).sort();
    assert.deepEqual(rewritten, [alice.dn, rows.find((row) => row.user_id === 'u-erin')!.dn].sort(), 'only the changed entries are written');
    assert.equal((await ldapIdentities()).get('u-erin')?.object_id, '11111111-2222-4333-8444-555555555555');
  });

  test('the sync binds as the configured service account, never the root DN, and records its run', async () => {
    await configure(strings);
    const before = strings.binds().length;
    const run = await syncDirectory(service.ctx, ACTOR);
    const binds = strings.binds().slice(before);
    assert.deepEqual(binds, [SERVICE_ACCOUNT_DN]);
    assert.ok(!strings.binds().includes(ROOT_DN));
    assert.equal(strings.bindDn, SERVICE_ACCOUNT_DN);
    assert.notEqual(strings.bindDn, strings.rootDn);
    const row = await db()('ldap_sync_runs').where({ id: run.id }).first();
    assert.equal(row.status, 'succeeded');
    assert.equal(row.trigger, 'manual');
    assert.equal(row.requested_by, 'test');
    assert.equal(row.error_id, null);
    assert.ok(row.finished_at);
  });

  test('a lower-case IdAttribute reads the same attribute (and its bytes) as the canonical name', async () => {
    await configure(binary, { IdAttribute: 'msds-aadobjectid' });
    await syncDirectory(service.ctx, ACTOR);
    const identities = await ldapIdentities();
    assert.equal(identities.get('u-alice')?.object_id, '00112233-4455-6677-8899-aabbccddeeff');
    assert.equal(identities.get('u-bob')?.object_id, '04030201-0605-0807-090a-0b0c0d0e0f10');
  });
});
