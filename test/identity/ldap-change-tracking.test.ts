// The watermark rules, and the Active Directory path. No AD runs here: its path is driven through the whole sync
// (real PostgreSQL) by a fake directory at the ldapts client boundary, answering the rootDSE (supportedCapabilities,
// highestCommittedUSN, dsServiceName), the NTDS Settings object's invocationId and uSNChanged-filtered pages as
// MS-ADTS documents them. Untested against a real domain controller.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Entry } from 'ldapts';
import type { LdapConnection } from '../../server/identity/ldap/directory-client.ts';
import { ACTIVE_DIRECTORY_CAPABILITY, type ServerState } from '../../server/identity/ldap/server-state.ts';
import { runSync } from '../../server/identity/ldap/sync.ts';
import { changedSinceFilter, csnAt, formatGeneralizedTime, nextWatermark, noteMarks, nothingChanged, parseGeneralizedTime, planSync, type Watermark } from '../../server/identity/ldap/sync-plan.ts';
import { saveSettings } from '../../server/settings/service.ts';
import { startTestService, type TestService } from '../support/service.ts';

const ACTOR = { name: 'test', requestId: null };
const DSA = 'CN=NTDS Settings,CN=DC1,CN=Servers,CN=Default-First-Site-Name,CN=Sites,CN=Configuration,DC=contoso,DC=test';
const INVOCATION = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
const INVOCATION_GUID = '33221100-5544-7766-8899-aabbccddeeff';

const openldap = (overrides: Partial<ServerState> = {}): ServerState => ({
  kind: 'openldap',
  server: 'ldap://127.0.0.1:389',
  namingContext: 'dc=example,dc=com',
  contextCsn: ['20261207010000.000000Z#000000#001#000000'],
  highestCommittedUsn: null,
  invocationId: null,
  ...overrides,
});

function watermarkOf(state: ServerState, overrides: Partial<Watermark> = {}): Watermark {
  const plan = planSync('full', null, state, 'digest', new Date());
  const marks = { highest: '20261207010010.512345Z#000002#001#000000', unmarked: 0 };
  return { ...nextWatermark({ plan, state, settings: 'digest', startedAt: new Date(), durationMs: 1500, marks }), ...overrides };
}

describe('watermark rules', () => {
  test('GeneralizedTime: whole seconds, fractions dropped, anything else refused', () => {
    assert.equal(parseGeneralizedTime('20261207010203Z'), Date.parse('2026-12-07T01:02:03Z'));
    assert.equal(parseGeneralizedTime('20261207010203.5Z'), Date.parse('2026-12-07T01:02:03Z'));
    assert.equal(parseGeneralizedTime('20261207010203+0100'), null);
    assert.equal(formatGeneralizedTime(Date.parse('2026-12-07T01:02:03.900Z')), '20261207010203Z');
  });

  test('OpenLDAP with syncprov: the next read starts at the contextCSN read before the search, exactly (the oldest server id)', () => {
    const mark = watermarkOf(openldap({ contextCsn: ['20261207005958.123456Z#000000#001#000000', '20261207010003.000001Z#000000#002#000000'] }));
    assert.equal(mark.since, '20261207005958.123456Z#000000#001#000000', 'the oldest server id: a change it replicates late is not below it');
    assert.equal(mark.max_seen, '20261207010010.512345Z#000002#001#000000');
    assert.equal(
      changedSinceFilter('(objectClass=inetOrgPerson)', 'openldap', mark.since),
      '(&(objectClass=inetOrgPerson)(entryCSN>=20261207005958.123456Z#000000#001#000000))',
    );
    const state = openldap();
    assert.equal(nothingChanged(watermarkOf(state), state), true, 'the same contextCSN: nothing was written, nothing is read');
    assert.equal(nothingChanged(watermarkOf(state), openldap({ contextCsn: ['20261207010001.000000Z#000000#001#000000'] })), false);
    assert.equal(nothingChanged(watermarkOf(openldap({ contextCsn: [] })), openldap({ contextCsn: [] })), false, 'without syncprov the read runs');
  });

  test('OpenLDAP with syncprov: the watermark never moves back, and a contextCSN that is not a CSN is not used', () => {
    const state = openldap();
    const previous = watermarkOf(state, { since: '20261207010500.000000Z#000000#001#000000', taken_at: new Date().toISOString() });
    const plan = planSync('incremental', previous, state, 'digest', new Date());
    assert.equal(plan.kind, 'incremental');
    const marks = { highest: null, unmarked: 0 };
    assert.equal(nextWatermark({ plan, state, settings: 'digest', startedAt: new Date(), durationMs: 5, marks }).since, previous.since);
    const odd = openldap({ contextCsn: ['20261207010000Z'] });
    const fresh = nextWatermark({ plan: planSync('full', null, odd, 'digest', new Date()), state: odd, settings: 'digest', startedAt: new Date(), durationMs: 5, marks });
    assert.equal(fresh.since, csnAt(0), 'from the epoch: everything is read again, nothing is missed');
  });

  test('OpenLDAP without syncprov: the next read starts before the read began (the highest entryCSN time less the read, and a second)', () => {
    const mark = watermarkOf(openldap({ contextCsn: [] }));
    // 01:00:10 seen, a 1.5 s read (2 s rounded up) and one second for clocks.
    assert.equal(mark.since, '20261207010007.000000Z#000000#000#000000');
    assert.equal(changedSinceFilter('(objectClass=inetOrgPerson)', 'openldap', mark.since), '(&(objectClass=inetOrgPerson)(entryCSN>=20261207010007.000000Z#000000#000#000000))');
    assert.throws(() => changedSinceFilter('(uid=*)', 'openldap', '1)(uid=*'));
    assert.throws(() => changedSinceFilter('(uid=*)', 'openldap', '12001'), 'a USN is no watermark on OpenLDAP');
    assert.throws(() => changedSinceFilter('(uid=*)', 'active-directory', mark.since), 'nor a CSN on AD');
  });

  test('the change marks of a read: the highest entryCSN (as text), and the entries read without one', () => {
    const record = (changeMark?: string) => ({ dn: 'uid=x', emails: [], usernames: [], id: null, objectGuid: null, ...(changeMark ? { changeMark } : {}) });
    const seen = noteMarks(
      [record('20261207010010.000001Z#000000#001#000000'), record(), record('20261207010010.000001Z#000001#001#000000'), record('not a csn')],
      { highest: null, unmarked: 0 },
    );
    assert.deepEqual(seen, { highest: '20261207010010.000001Z#000001#001#000000', unmarked: 1 });
    assert.deepEqual(noteMarks([record()], seen), { highest: seen.highest, unmarked: 2 });
  });

  test('OpenLDAP without syncprov: after a quiet incremental read the watermark moves on by the time elapsed, less a second', () => {
    const state = openldap({ contextCsn: [] });
    const previous = watermarkOf(state, { taken_at: '2026-12-07T02:00:00.000Z' });
    const plan = planSync('incremental', previous, state, 'digest', new Date('2026-12-07T02:10:00Z'));
    assert.equal(plan.kind, 'incremental');
    const next = nextWatermark({ plan, state, settings: 'digest', startedAt: new Date('2026-12-07T02:10:00Z'), durationMs: 20, marks: { highest: null, unmarked: 0 } });
    assert.equal(next.since, csnAt(parseGeneralizedTime(previous.since.split('#')[0]!)! + 600_000 - 1000));
    assert.equal(next.max_seen, previous.max_seen, 'the highest timestamp seen is kept');
    assert.equal(next.full_at, previous.full_at);
  });

  test('fallbacks, in order, each saying why', () => {
    const state = openldap();
    const now = new Date();
    const mark = watermarkOf(state, { taken_at: now.toISOString() });
    const reason = (previous: Watermark | null, current: ServerState, digest = 'digest') => {
      const plan = planSync('incremental', previous, current, digest, now);
      return plan.kind === 'full' ? plan.reason : 'incremental';
    };
    assert.equal(reason(mark, state), 'incremental');
    assert.equal(planSync('full', mark, state, 'digest', now).kind, 'full');
    assert.match(reason(null, state)!, /no watermark/);
    assert.match(reason({ ...mark, since: '1)(uid=*' }, state)!, /watermark cannot be read/, 'a tampered watermark never reaches a filter');
    assert.match(reason({ ...mark, since: '20261207010000Z' }, state)!, /earlier version \(a modifyTimestamp/);
    assert.match(reason({ ...mark, unmarked: 3 }, state)!, /got 3 entries without entryCSN: grant the service account read access to entryCSN/);
    assert.match(reason(mark, state, 'other')!, /settings that shape the read/);
    assert.match(reason(mark, openldap({ server: 'ldap://other:389' }))!, /another server \(ldap:\/\/127\.0\.0\.1:389\)/);
    assert.match(reason(mark, openldap({ namingContext: 'dc=other' }))!, /naming context/);
    assert.match(reason(mark, openldap({ contextCsn: ['20261207005959.000000Z#000000#001#000000'] }))!, /server id 001 went backwards/);
    assert.match(reason(mark, openldap({ contextCsn: ['20261207020000.000000Z#000000#002#000000'] }))!, /server id 001 is gone/);
    assert.match(reason(mark, openldap({ contextCsn: [] }))!, /contextCSN is gone/);
    assert.equal(reason(mark, openldap({ contextCsn: ['20261207010000.000001Z#000000#001#000000'] })), 'incremental', 'forwards is fine');
    assert.match(reason({ ...mark, taken_at: new Date(now.getTime() - 8 * 86_400_000).toISOString() }, state)!, /older than 7 days/);
    assert.match(reason({ ...mark, taken_at: new Date(now.getTime() + 3_600_000).toISOString() }, state)!, /clock went backwards/);
    assert.match(reason(mark, { ...state, kind: 'active-directory' })!, /now active-directory/);
  });

  test('Active Directory: another invocationId or a USN that went backwards is a full pass; the watermark is the USN before the read + 1', () => {
    const ad: ServerState = { ...openldap({ contextCsn: [] }), kind: 'active-directory', highestCommittedUsn: '12000', invocationId: INVOCATION_GUID };
    const mark = watermarkOf(ad);
    assert.equal(mark.since, '12001');
    assert.equal(changedSinceFilter('(objectClass=user)', 'active-directory', mark.since), '(&(objectClass=user)(uSNChanged>=12001))');
    const now = new Date();
    const reason = (current: ServerState) => {
      const plan = planSync('incremental', mark, current, 'digest', now);
      return plan.kind === 'full' ? plan.reason : 'incremental';
    };
    assert.equal(reason({ ...ad, highestCommittedUsn: '12500' }), 'incremental');
    assert.equal(nothingChanged(mark, ad), true, 'the same highestCommittedUSN: nothing committed since');
    assert.equal(nothingChanged(mark, { ...ad, highestCommittedUsn: '12001' }), false);
    assert.match(reason({ ...ad, invocationId: 'ffffffff-5544-7766-8899-aabbccddeeff' })!, /invocationId changed/);
    assert.match(reason({ ...ad, invocationId: null })!, /invocationId could not be read/);
    assert.match(reason({ ...ad, highestCommittedUsn: '11999' })!, /highestCommittedUSN went backwards/);
    assert.match(reason({ ...ad, highestCommittedUsn: null })!, /no highestCommittedUSN/);
  });
});

/** A domain controller as the ldapts client sees it: the rootDSE, the DSA's invocationId, and uSNChanged pages. */
class FakeDomainController {
  highestCommittedUsn = 5000;
  invocationId: Buffer = INVOCATION;
  users = new Map<string, Entry>();
  filters: string[] = [];

  put(sam: string, mail: string, objectId: string, usn: number): void {
    const dn = `CN=${sam},OU=Staff,DC=contoso,DC=test`;
    this.users.set(dn, { dn, sAMAccountName: sam, mail, 'msDS-aadObjectId': Buffer.from(objectId), uSNChanged: String(usn) });
    this.highestCommittedUsn = Math.max(this.highestCommittedUsn, usn);
  }

  connection(): LdapConnection {
    const dc = this;
    const fake = {
      async bind() {},
      async unbind() {},
      async search(base: string, options: { attributes?: string[] }) {
        if (base === '') {
          return {
            searchEntries: [
              {
                dn: '',
                namingContexts: ['DC=contoso,DC=test', 'CN=Configuration,DC=contoso,DC=test'],
                supportedCapabilities: [ACTIVE_DIRECTORY_CAPABILITY, '1.2.840.113556.1.4.1670'],
                highestCommittedUSN: String(dc.highestCommittedUsn),
                dsServiceName: DSA,
              },
            ],
            searchReferences: [],
          };
        }
        if (base === DSA) {
          assert.deepEqual(options.attributes, ['invocationId']);
          return { searchEntries: [{ dn: DSA, invocationId: dc.invocationId }], searchReferences: [] };
        }
        return { searchEntries: [], searchReferences: [] };
      },
      async *searchPaginated(base: string, options: { filter: string; attributes: string[] }) {
        assert.equal(base, 'DC=contoso,DC=test');
        assert.ok(options.attributes.includes('uSNChanged'), 'uSNChanged is asked for by name');
        dc.filters.push(options.filter);
        const from = /\(uSNChanged>=(\d+)\)/.exec(options.filter)?.[1];
        const entries = [...dc.users.values()].filter((entry) => from === undefined || Number(entry.uSNChanged) >= Number(from));
        yield { searchEntries: entries, searchReferences: [] };
      },
    };
    return fake as unknown as LdapConnection;
  }
}

describe('Active Directory path (fake domain controller, real PostgreSQL)', { timeout: 60_000 }, () => {
  let service: TestService;
  let dc: FakeDomainController;
  const sync = (mode: 'full' | 'incremental') => runSync(service.ctx, { trigger: 'manual', actor: ACTOR, mode, connect: () => dc.connection() });

  before(async () => {
    service = await startTestService();
  });
  after(async () => {
    await service?.close();
  });
  beforeEach(async () => {
    dc = new FakeDomainController();
    for (const table of ['directory_entries', 'identities', 'ldap_sync_runs', 'users']) await service.ctx.db(table).delete();
    await service.ctx.db('users').insert([
      { id: 'u-ann', username: 'ann', email: 'ann@contoso.test', auth_service: 'office365' },
      { id: 'u-ben', username: 'ben', email: 'ben@contoso.test', auth_service: 'office365' },
    ]);
    dc.put('ann', 'ann@contoso.test', '11111111-1111-4111-8111-111111111111', 4100);
    dc.put('ben', 'ben@contoso.test', '22222222-2222-4222-8222-222222222222', 4200);
    await saveSettings(
      service.ctx,
      {
        IntuneSettings: { TenantId: '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d' },
        LdapSettings: {
          Enable: true,
          Url: 'ldaps://dc1.contoso.test:636',
          BindDn: 'CN=svc-mamgate,OU=Service,DC=contoso,DC=test',
          BindPassword: 'not-used-by-the-fake',
          BaseDn: 'DC=contoso,DC=test',
          UserFilter: '(&(objectCategory=person)(objectClass=user))',
          IdAttribute: 'msDS-aadObjectId',
          EmailAttribute: 'mail',
          UsernameAttribute: 'sAMAccountName',
          SyncIntervalMinutes: 0,
        },
      },
      ACTOR,
    );
  });

  const objectIdOf = async (user: string) => (await service.ctx.db('identities').where({ user_id: user, source: 'ldap' }).first())?.object_id as string | undefined;

  test('reads the entries changed since highestCommittedUSN + 1, then moves the watermark to the USN before that read', async () => {
    const first = (await sync('incremental'))!;
    assert.equal(first.kind, 'full');
    assert.equal(first.watermark?.since, '5001');
    assert.equal(first.watermark?.invocation_id, INVOCATION_GUID);
    assert.equal(await objectIdOf('u-ann'), '11111111-1111-4111-8111-111111111111');
    dc.put('ann', 'ann@contoso.test', '33333333-3333-4333-8333-333333333333', 5005);
    const second = (await sync('incremental'))!;
    assert.equal(second.kind, 'incremental', second.fallback_reason ?? '');
    assert.equal(dc.filters.at(-1), '(&(&(objectCategory=person)(objectClass=user))(uSNChanged>=5001))');
    assert.deepEqual({ entries: second.entries, changed: second.changed, affected: second.affected_users }, { entries: 1, changed: 1, affected: 1 });
    assert.equal(await objectIdOf('u-ann'), '33333333-3333-4333-8333-333333333333');
    assert.equal(await objectIdOf('u-ben'), '22222222-2222-4222-8222-222222222222', 'not read, kept');
    assert.equal(second.watermark?.since, '5006');
  });

  test('entries read without uSNChanged (an access rule hides it) make the next incremental sync a full pass that says so', async () => {
    delete dc.users.get('CN=ben,OU=Staff,DC=contoso,DC=test')!.uSNChanged;
    const first = (await sync('full'))!;
    assert.equal(first.watermark?.unmarked, 1);
    const next = (await sync('incremental'))!;
    assert.equal(next.kind, 'full');
    assert.match(next.fallback_reason ?? '', /got 1 entry without uSNChanged: grant the service account read access to uSNChanged/);
    dc.users.get('CN=ben,OU=Staff,DC=contoso,DC=test')!.uSNChanged = '4200';
    assert.equal((await sync('full'))!.watermark?.unmarked, 0);
    assert.equal((await sync('incremental'))!.kind, 'incremental', 'readable again: incremental again');
  });

  test('a restored domain controller (another invocationId) or a USN that went backwards reads everything and says why', async () => {
    await sync('full');
    dc.invocationId = Buffer.from('ffeeddccbbaa99887766554433221100', 'hex');
    const restored = (await sync('incremental'))!;
    assert.equal(restored.kind, 'full');
    assert.match(restored.fallback_reason ?? '', /invocationId changed/);
    assert.equal(restored.entries, 2);
    dc.highestCommittedUsn = 4300;
    const back = (await sync('incremental'))!;
    assert.equal(back.kind, 'full');
    assert.match(back.fallback_reason ?? '', /highestCommittedUSN went backwards \(5000 → 4300\)/);
    const stored = await service.ctx.db('ldap_sync_runs').where({ id: back.id }).first();
    assert.match(stored.fallback_reason, /went backwards/);
  });
});
