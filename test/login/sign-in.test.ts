// POST /oauth/intune through real HTTP: tokens minted by the development issuer, keys fetched over HTTP, users
// and sessions in PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import type { MintRequest } from '../../server/devidp/mint.ts';
import { API_BASE } from '../../server/http/app.ts';
import { signInStore } from '../../server/db/stores/sign-in-store.ts';
import { userStore } from '../../server/db/stores/user-store.ts';
import { hashToken } from '../../server/util/secret-token.ts';
import { call, startTestService, type TestService } from '../support/service.ts';

const TENANT = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const CLIENT_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const MOBILE_CLIENT = '9ac649f1-4f77-44d6-9792-b2f54ab3c9a7';
const OID = '11111111-2222-4333-8444-555555555555';
/** An objectId with letters, so that its letter case means something. */
const LETTERED_OID = '5f1b2c3d-2222-4333-8444-00000000000a';

describe('POST /oauth/intune', () => {
  let idp: DevIdp;
  let service: TestService;

  before(async () => {
    idp = await startDevIdp();
    service = await startTestService({
      env: { entraAuthority: idp.url, jwksCooldownMs: 50, loginRatePerIpPerMinute: 0, loginRatePerTenantPerMinute: 0 },
    });
  });
  after(async () => {
    await service.close();
    await idp.stop();
  });

  const admin = (path: string, body: unknown) =>
    call(`${service.url}${API_BASE}/admin/${path}`, { method: 'PUT', token: service.adminToken, body });
  const db = () => service.ctx.db;

  async function configure(intune: Record<string, unknown> = {}, sku: string | null = 'advanced') {
    await admin('license', sku ? { IsLicensed: true, SkuShortName: sku } : { IsLicensed: false });
    const saved = await admin('settings', {
      Office365Settings: { Enable: true },
      SamlSettings: { Enable: true },
      IntuneSettings: { Enable: true, TenantId: TENANT, ClientId: CLIENT_ID, AuthService: 'office365', ...intune },
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
  }

  function mint(claims: MintRequest = {}): string {
    return idp.mint({ tenant: TENANT, aud: CLIENT_ID, azp: MOBILE_CLIENT, scp: 'login.mattermost', oid: OID, email: 'jane.doe@example.com', ...claims });
  }

  const signIn = (accessToken: string, extra: Record<string, unknown> = {}) =>
    call(`${service.url}/oauth/intune`, { body: { access_token: accessToken, device_id: 'device-1', ...extra } });

  async function countRows(table: string): Promise<number> {
    const row = (await db()(table).count('* as n').first()) as { n: number };
    return Number(row.n);
  }

  async function insertUser(fields: Record<string, unknown>) {
    await db()('users').insert({ id: `u${Math.random().toString(36).slice(2, 12)}`, first_name: '', last_name: '', ...fields });
  }

  beforeEach(async () => {
    await db()('sessions').delete();
    await db()('identities').delete();
    await db()('users').delete();
  });

  test('Intune off → 403 not_configured (Forbidden), before the token is even looked at', async () => {
    await admin('settings', { IntuneSettings: { Enable: false } });
    const answer = await signIn('not-even-a-jwt');
    assert.equal(answer.status, 403);
    assert.equal(answer.body.id, 'ent.intune.login.not_configured.app_error');
    assert.equal(answer.body.mam_error, 'Forbidden');
    assert.equal(answer.headers.get('cache-control'), 'no-store');
  });

  test('license below Enterprise Advanced → 403 NotLicensed; no license likewise', async () => {
    for (const sku of ['enterprise', 'professional', null]) {
      await configure({}, sku);
      const answer = await signIn(mint());
      assert.equal(answer.status, 403, `sku ${sku}`);
      assert.equal(answer.body.id, 'ent.intune.login.not_licensed.app_error');
      assert.equal(answer.body.mam_error, 'NotLicensed');
    }
  });

  test('an existing office365 user signs in: user JSON, Token header, cookies, hashed session, identity, audit', async () => {
    await configure({ EnableUserCreation: false });
    await insertUser({ id: 'existinguser1', username: 'jane', email: 'jane.doe@example.com', auth_service: 'office365', auth_data: OID });
    const answer = await signIn(mint(), { voip_device_id: 'voip-1' });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.id, 'existinguser1');
    assert.equal(answer.body.auth_data, '', 'auth data is never answered');
    assert.equal(answer.body.auth_service, 'office365');
    const token = answer.headers.get('token');
    assert.match(token ?? '', /^mgs_[\w-]{43}$/);
    const cookies = answer.headers.getSetCookie();
    const auth = cookies.find((c) => c.startsWith('MMAUTHTOKEN='));
    assert.ok(auth?.includes(`MMAUTHTOKEN=${token}`) && /HttpOnly/i.test(auth), auth);
    assert.ok(cookies.some((c) => c.startsWith('MMUSERID=existinguser1') && !/HttpOnly/i.test(c)));
    assert.ok(cookies.some((c) => /^MMCSRF=[\w-]{16,}/.test(c) && !/HttpOnly/i.test(c)));
    assert.equal(answer.headers.get('cache-control'), 'no-store');

    const sessions = await db()('sessions').select();
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0].token_hash, hashToken(token!));
    assert.ok(!JSON.stringify(sessions).includes(token!), 'the session token is stored only hashed');
    assert.equal(sessions[0].is_mobile, true);
    assert.equal(sessions[0].device_id, 'device-1');
    assert.equal(sessions[0].voip_device_id, 'voip-1');
    assert.equal(sessions[0].mam_state, 'pending');

    const identity = await db()('identities').where({ user_id: 'existinguser1', source: 'oauth' }).first();
    assert.equal(identity.object_id, OID);
    assert.equal(identity.tenant_id, TENANT);
    const audit = await db()('audit_log').where({ action: 'login.intune', outcome: 'success' }).orderBy('id', 'desc').first();
    assert.equal(audit.target, 'user:existinguser1');
    assert.equal(audit.request_id, answer.headers.get('x-request-id'));
  });

  test('office365 creation off and no account → 428 MissingAuthAccountError', async () => {
    await configure({ EnableUserCreation: false });
    const answer = await signIn(mint());
    assert.equal(answer.status, 428);
    assert.equal(answer.body.id, 'ent.intune.login.account_not_found.app_error');
    assert.equal(answer.body.mam_error, 'MissingAuthAccountError');
    assert.equal(await countRows('users'), 0);
  });

  test('office365 creation on: the account is made from the token, username from the email, de-duplicated', async () => {
    await configure({ EnableUserCreation: true });
    await insertUser({ username: 'jane.doe', email: 'someone.else@example.com', auth_service: '', auth_data: null });
    const answer = await signIn(mint({ given_name: 'Jane', family_name: 'Doe' }));
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.username, 'jane.doe0');
    assert.equal(answer.body.email, 'jane.doe@example.com');
    assert.equal(answer.body.first_name, 'Jane');
    const created = await db()('users').where({ auth_service: 'office365', auth_data: OID }).first();
    assert.equal(created.username, 'jane.doe0');

    const again = await signIn(mint());
    assert.equal(again.status, 200);
    assert.equal(again.body.id, created.id, 'the second sign-in finds the same account');
    assert.equal(await countRows('users'), 2);
  });

  test('creation uses upn or preferred_username when email is absent; none of them → 400 missing_claims', async () => {
    await configure({ EnableUserCreation: true });
    const byUpn = await signIn(mint({ omit: ['email'], upn: 'Jane.Upn@Example.com' }));
    assert.equal(byUpn.status, 200, JSON.stringify(byUpn.body));
    assert.equal(byUpn.body.email, 'jane.upn@example.com');
    const noEmail = await signIn(mint({ oid: '22222222-2222-4333-8444-555555555555', omit: ['email'], preferred_username: 'not-an-email' }));
    assert.equal(noEmail.status, 400);
    assert.equal(noEmail.body.id, 'ent.intune.validate_token.missing_claims.app_error');
  });

  test('an email owned by an account with another objectId → 409 UserMismatch, nothing created', async () => {
    await configure({ EnableUserCreation: true });
    await insertUser({ username: 'jane', email: 'JANE.DOE@example.com', auth_service: 'office365', auth_data: '99999999-2222-4333-8444-555555555555' });
    const answer = await signIn(mint());
    assert.equal(answer.status, 409);
    assert.equal(answer.body.id, 'ent.intune.login.user_mismatch.app_error');
    assert.equal(answer.body.mam_error, 'UserMismatch');
    assert.equal(await countRows('sessions'), 0);
  });

  test('objectIds compare in any letter case: auth data in upper case signs in with the lower-case oid (issue 16)', async () => {
    await configure({ EnableUserCreation: true });
    await insertUser({ id: 'uppercase001', username: 'jane', email: 'jane.doe@example.com', auth_service: 'office365', auth_data: LETTERED_OID.toUpperCase() });
    const first = await signIn(mint({ oid: LETTERED_OID }));
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.id, 'uppercase001');
    const again = await signIn(mint({ oid: LETTERED_OID }), { device_id: 'device-2' }); // the common-case statement alone, no account rules
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(await countRows('users'), 1, 'no second account was created');
  });

  test('two accounts whose auth data differ only by case: neither is chosen, 409 UserMismatch', async () => {
    await configure({ EnableUserCreation: true });
    await insertUser({ username: 'jane', email: 'jane.doe@example.com', auth_service: 'office365', auth_data: LETTERED_OID.toUpperCase() });
    await insertUser({ username: 'jane2', email: 'jane.two@example.com', auth_service: 'office365', auth_data: LETTERED_OID });
    const answer = await signIn(mint({ oid: LETTERED_OID }));
    assert.equal(answer.status, 409, JSON.stringify(answer.body));
    assert.equal(answer.body.id, 'ent.intune.login.user_mismatch.app_error');
    assert.equal(await countRows('sessions'), 0);
  });

  test('saml: the account must already exist with the objectId as auth data (428 otherwise), then signs in', async () => {
    await configure({ AuthService: 'saml', EnableUserCreation: true });
    const missing = await signIn(mint());
    assert.equal(missing.status, 428);
    assert.equal(missing.body.id, 'ent.intune.login.account_not_found.app_error');
    await insertUser({ id: 'samluser0001', username: 'jsaml', email: 'jane.doe@example.com', auth_service: 'saml', auth_data: OID });
    const ok = await signIn(mint());
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.id, 'samluser0001');
  });

  test('bot → 403, deactivated → 409, and neither gets a session', async () => {
    await configure();
    await insertUser({ username: 'botty', email: 'jane.doe@example.com', auth_service: 'office365', auth_data: OID, is_bot: true });
    const bot = await signIn(mint());
    assert.equal(bot.status, 403);
    assert.equal(bot.body.id, 'api.user.login_by_intune.bot_login_forbidden.app_error');
    await db()('users').update({ is_bot: false, deleted_at: new Date() });
    const locked = await signIn(mint());
    assert.equal(locked.status, 409);
    assert.equal(locked.body.id, 'api.user.login_by_intune.account_locked.app_error');
    assert.equal(await countRows('sessions'), 0);
  });

  test('a refused sign-in is decided from the answer of the sign-in statement: one statement, no account read again', async () => {
    const calls: string[] = [];
    const originals = { writeMany: signInStore.writeMany, findByObjectId: userStore.findByObjectId, findByEmail: userStore.findByEmail };
    signInStore.writeMany = (database, records, firstState) => (calls.push('statement'), originals.writeMany(database, records, firstState));
    userStore.findByObjectId = (database, service, objectId) => (calls.push('read'), originals.findByObjectId(database, service, objectId));
    userStore.findByEmail = (database, email) => (calls.push('read'), originals.findByEmail(database, email));
    const callsFor = async (attempt: () => Promise<{ status: number; body: unknown }>, status: number) => {
      calls.length = 0;
      const answer = await attempt();
      assert.equal(answer.status, status, JSON.stringify(answer.body));
      return calls.join(' ');
    };
    try {
      await configure({ EnableUserCreation: false });
      assert.equal(await callsFor(() => signIn(mint()), 428), 'statement', 'no account, creation off');
      await configure({ EnableUserCreation: true });
      await insertUser({ username: 'other', email: 'jane.doe@example.com', auth_service: 'office365', auth_data: '99999999-2222-4333-8444-555555555555' });
      assert.equal(await callsFor(() => signIn(mint()), 409), 'statement', 'the email belongs to another objectId');
      await db()('users').update({ auth_data: OID, is_bot: true });
      assert.equal(await callsFor(() => signIn(mint()), 403), 'statement', 'a bot');
      await db()('users').update({ is_bot: false, deleted_at: new Date() });
      assert.equal(await callsFor(() => signIn(mint()), 409), 'statement', 'a deactivated account');
      await db()('users').del();
      assert.equal(await callsFor(() => signIn(mint()), 200), 'statement statement', 'a new account: the statement, the account, the statement');
      assert.equal(await callsFor(() => signIn(mint()), 200), 'statement', 'an existing account');
    } finally {
      Object.assign(signInStore, { writeMany: originals.writeMany });
      Object.assign(userStore, { findByObjectId: originals.findByObjectId, findByEmail: originals.findByEmail });
    }
  });

  test('a second sign-in on the same device ends the first session; another device keeps its own', async () => {
    await configure({ EnableUserCreation: true });
    const first = await signIn(mint());
    const other = await signIn(mint(), { device_id: 'device-2' });
    const second = await signIn(mint());
    assert.equal(second.status, 200);
    const byHash = async (t: string | null) => db()('sessions').where({ token_hash: hashToken(t!) }).first();
    assert.ok((await byHash(first.headers.get('token'))).revoked_at, 'first session on device-1 ended');
    assert.equal((await byHash(second.headers.get('token'))).revoked_at, null);
    assert.equal((await byHash(other.headers.get('token'))).revoked_at, null, 'device-2 untouched');
    const gate = await call(`${service.url}${API_BASE}/gate`, { token: first.headers.get('token')! });
    assert.equal(gate.status, 401);
  });

  test('concurrent sign-ins of one user on one device: every one answers 200, exactly one session stays live', async () => {
    await configure({ EnableUserCreation: false });
    await insertUser({ id: 'raceuser1', username: 'race', email: 'jane.doe@example.com', auth_service: 'office365', auth_data: OID });
    const token = mint();
    const answers = await Promise.all(Array.from({ length: 16 }, () => signIn(token, { device_id: 'race-device' })));
    assert.deepEqual(
      answers.map((a) => a.status),
      answers.map(() => 200),
      JSON.stringify(answers.find((a) => a.status !== 200)?.body),
    );
    const live = await db()('sessions').where({ user_id: 'raceuser1', device_id: 'race-device' }).whereNull('revoked_at');
    assert.equal(live.length, 1, 'one live session on the device');
    assert.equal(await countRows('sessions'), 16, 'every sign-in stored its session');
    // Each ended session was announced to the other nodes, and each sign-in audited what it replaced.
    const ended = await db()('sessions').where({ user_id: 'raceuser1' }).whereNotNull('revoked_at').pluck('id');
    assert.equal(ended.length, 15);
    const announced = await db()('changes').where({ kind: 'session' }).whereIn('ref', ended).pluck('ref');
    assert.deepEqual([...announced].sort(), [...ended].sort());
    const audits = await db()('audit_log').where({ action: 'login.intune', outcome: 'success', target: 'user:raceuser1' });
    assert.equal(audits.length, 16);
    const replacedInAudit = audits.flatMap((a) => a.details.replaced_sessions as string[]);
    assert.deepEqual(replacedInAudit.sort(), [...ended].sort(), 'every ended session is named by the sign-in that ended it');
    assert.ok(audits.every((a) => typeof a.details.session_id === 'string' && a.details.mam_state === 'pending'));
  });

  test('a burst of sign-ins of many users (written in batches): each gets its own account, session, identity and audit', async () => {
    await configure({ EnableUserCreation: false });
    const oidOf = (i: number) => `${String(i).padStart(8, '0')}-2222-4333-8444-555555555555`;
    for (let i = 0; i < 24; i++) {
      await insertUser({ id: `burst${i}`, username: `burst${i}`, email: `burst${i}@example.com`, auth_service: 'office365', auth_data: oidOf(i), is_bot: i === 5, deleted_at: i === 7 ? new Date() : null });
    }
    const batchMetric = async () => {
      const text = await (await fetch(`${service.url}/metrics`)).text();
      const read = (name: string) => Number(text.match(new RegExp(`^mamgate_sign_in_write_batch_size_${name} (\\d+)`, 'm'))?.[1] ?? 0);
      return { batches: read('count'), signIns: read('sum') };
    };
    const before = await batchMetric();
    const tokens = Array.from({ length: 24 }, (_, i) => mint({ oid: oidOf(i), email: `burst${i}@example.com` }));
    const answers = await Promise.all(tokens.map((token, i) => signIn(token, { device_id: `burst-device-${i}` })));
    const after = await batchMetric();
    assert.equal(after.signIns - before.signIns, 24, 'every sign-in went through the batch writer once');
    assert.ok(after.batches - before.batches < 24, `some sign-ins shared a batch (${after.batches - before.batches} batches)`);
    for (const [i, answer] of answers.entries()) {
      if (i === 5) assert.equal(answer.body.id, 'api.user.login_by_intune.bot_login_forbidden.app_error');
      else if (i === 7) assert.equal(answer.body.id, 'api.user.login_by_intune.account_locked.app_error');
      else {
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        assert.equal(answer.body.id, `burst${i}`);
        const session = await db()('sessions').where({ token_hash: hashToken(answer.headers.get('token')!) }).first();
        assert.deepEqual([session.user_id, session.device_id, session.object_id], [`burst${i}`, `burst-device-${i}`, oidOf(i)]);
        const audit = await db()('audit_log').where({ action: 'login.intune', outcome: 'success', request_id: answer.headers.get('x-request-id') }).first();
        assert.equal(audit.target, `user:burst${i}`);
        assert.equal(audit.details.session_id, session.id);
      }
    }
    const identities = await db()('identities').where({ source: 'oauth' }).whereLike('user_id', 'burst%').orderBy('user_id');
    assert.equal(identities.length, 22, 'one identity per user that signed in, none for the bot or the deactivated account');
    assert.ok(identities.every((row) => row.object_id === oidOf(Number(row.user_id.slice(5)))));
    const sessionsOfRefused = await db()('sessions').whereIn('user_id', ['burst5', 'burst7']);
    assert.equal(sessionsOfRefused.length, 0);
  });

  test('the database itself refuses a second live session of a user on one device', async () => {
    await configure({ EnableUserCreation: true });
    const first = await signIn(mint());
    const row = await db()('sessions').where({ token_hash: hashToken(first.headers.get('token')!) }).first();
    const duplicate = { ...row, id: 'duplicate-session', token_hash: 'f'.repeat(64) };
    await assert.rejects(db()('sessions').insert(duplicate), /sessions_one_live_per_device/);
    await db()('sessions').insert({ ...duplicate, revoked_at: new Date() }); // an ended one is fine
  });

  test('token refusals keep their catalogue ids and status', async () => {
    await configure({ EnableUserCreation: true });
    const cases: [string, string, number, string][] = [
      ['garbage', 'garbage.token.here', 401, 'ent.intune.validate_token.invalid_token.app_error'],
      ['expired', mint({ expOffset: -600 }), 401, 'ent.intune.validate_token.token_expired.app_error'],
      ['other tenant', idp.mint({ tenant: '33333333-2222-4333-8444-555555555555', aud: CLIENT_ID, azp: MOBILE_CLIENT, scp: 'login.mattermost', oid: OID }), 401, 'ent.intune.validate_token.invalid_tenant_id.app_error'],
      ['no oid', mint({ omit: ['oid'] }), 400, 'ent.intune.validate_token.missing_claims.app_error'],
      ['wrong client', mint({ azp: '44444444-2222-4333-8444-555555555555' }), 401, 'ent.intune.validate_token.invalid_token.app_error'],
    ];
    for (const [label, token, status, id] of cases) {
      const answer = await signIn(token);
      assert.equal(answer.status, status, label);
      assert.equal(answer.body.id, id, label);
    }
    assert.equal(await countRows('sessions'), 0);
  });

  test('malformed requests → 400 with the field named', async () => {
    await configure();
    // An empty access_token is a string of the right type: the token check answers it (401, loose-inputs.test.ts).
    for (const body of [{}, { access_token: 5 }, { access_token: 'x', voip_device_id: 'bad id with spaces' }]) {
      const answer = await call(`${service.url}/oauth/intune`, { body });
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.id, 'mamgate.request.invalid_body_param.app_error');
    }
    const notJson = await call(`${service.url}/oauth/intune`, { body: '{"access_token":', headers: { 'content-type': 'application/json' } });
    assert.equal(notJson.body.id, 'mamgate.request.malformed_json.app_error');
  });

  test('the request rules of every JSON route hold on the sign-in too: 415, 400 too large, charset, request id, methods', async () => {
    await configure();
    const url = `${service.url}/oauth/intune`;
    const form = await call(url, { body: 'access_token=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.deepEqual([form.status, form.body.id], [415, 'mamgate.request.unsupported_media_type.app_error']);
    const huge = await call(url, { body: JSON.stringify({ access_token: 'x'.repeat(300 * 1024) }) });
    assert.deepEqual([huge.status, huge.body.id], [400, 'mamgate.request.body_too_large.app_error']);
    const latin1 = await call(url, { body: '{}', headers: { 'content-type': 'application/json; charset=iso-8859-1' } });
    assert.deepEqual([latin1.status, latin1.body.id], [400, 'mamgate.request.malformed_json.app_error']);
    const withId = await call(url, { body: {}, headers: { 'x-request-id': 'client-chosen-id-1' } });
    assert.equal(withId.headers.get('x-request-id'), 'client-chosen-id-1');
    assert.equal(withId.body.request_id, 'client-chosen-id-1');
    assert.equal(withId.headers.get('cache-control'), 'no-store');
    const get = await call(url);
    assert.deepEqual([get.status, get.body.id], [404, 'mamgate.request.not_found.app_error']);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    assert.match(metrics, /mamgate_http_requests_total\{method="POST",route="\/oauth\/intune",status="415"\} [1-9]/);
  });

  test('cookies are Secure only behind a trusted proxy that says https', async () => {
    await configure({ EnableUserCreation: true });
    const plain = await signIn(mint());
    assert.ok(plain.headers.getSetCookie().every((c) => !/;\s*Secure/i.test(c)), 'plain http: no Secure flag');
    const proxied = await call(`${service.url}/oauth/intune`, {
      body: { access_token: mint(), device_id: 'device-https' },
      headers: { 'x-forwarded-proto': 'https' },
    });
    assert.equal(proxied.status, 200, JSON.stringify(proxied.body));
    const cookies = proxied.headers.getSetCookie();
    assert.equal(cookies.length, 3);
    assert.ok(cookies.every((c) => /;\s*Secure/i.test(c) && /SameSite=Lax/i.test(c) && /Max-Age=\d+/.test(c)), cookies.join(' | '));
  });

  test('session tokens and access tokens never reach the log or the audit log', async () => {
    await configure({ EnableUserCreation: true });
    const accessToken = mint();
    const answer = await signIn(accessToken);
    const sessionToken = answer.headers.get('token')!;
    await call(`${service.url}${API_BASE}/gate`, { token: sessionToken });
    await signIn(mint({ expOffset: -600 }));
    const logs = service.logs.join('\n');
    const audit = JSON.stringify(await db()('audit_log').select());
    for (const secret of [sessionToken, accessToken, accessToken.split('.')[2]!]) {
      assert.ok(!logs.includes(secret), 'secret in logs');
      assert.ok(!audit.includes(secret), 'secret in audit log');
    }
  });
});

describe('login rate limit', () => {
  let idp: DevIdp;
  let service: TestService;
  before(async () => {
    idp = await startDevIdp();
    service = await startTestService({
      env: { entraAuthority: idp.url, loginRatePerIpPerMinute: 3, loginRatePerTenantPerMinute: 5 },
    });
  });
  after(async () => {
    await service.close();
    await idp.stop();
  });

  test('per address: the 4th attempt within a minute → 429 with Retry-After', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof call<{ id: string }>>> | undefined;
    for (let i = 0; i < 4; i++) {
      last = await call<{ id: string }>(`${service.url}/oauth/intune`, { body: { access_token: 'x' } });
      statuses.push(last.status);
    }
    assert.deepEqual(statuses.slice(0, 3), [403, 403, 403]);
    assert.equal(statuses[3], 429);
    assert.equal(last!.body.id, 'mamgate.login.rate_limited.app_error');
    assert.ok(Number(last!.headers.get('retry-after')) >= 1);
  });

  test('per tenant: verified attempts from many addresses are bounded together; junk does not spend that budget', async () => {
    await call(`${service.url}${API_BASE}/admin/license`, { method: 'PUT', token: service.adminToken, body: { IsLicensed: true, SkuShortName: 'advanced' } });
    await call(`${service.url}${API_BASE}/admin/settings`, {
      method: 'PUT',
      token: service.adminToken,
      body: { Office365Settings: { Enable: true }, IntuneSettings: { Enable: true, TenantId: TENANT, ClientId: CLIENT_ID, AuthService: 'office365' } },
    });
    // Loopback proxies are trusted (MAMGATE_TRUST_PROXY=loopback), so X-Forwarded-For gives each call its own address.
    const from = (i: number) => ({ 'x-forwarded-for': `198.51.100.${i}` });
    const junk: number[] = [];
    for (let i = 0; i < 7; i++) junk.push((await call(`${service.url}/oauth/intune`, { body: { access_token: 'x' }, headers: from(i) })).status);
    assert.deepEqual(junk, [401, 401, 401, 401, 401, 401, 401], 'unverified tokens are charged to their own budget');
    const verified: number[] = [];
    for (let i = 0; i < 7; i++) {
      const token = idp.mint({ tenant: TENANT, aud: CLIENT_ID, azp: MOBILE_CLIENT, email: `nobody${i}@example.com` });
      verified.push((await call(`${service.url}/oauth/intune`, { body: { access_token: token }, headers: from(100 + i) })).status);
    }
    assert.ok(verified.slice(0, 5).every((status) => status !== 429), verified.join(','));
    assert.deepEqual(verified.slice(5), [429, 429]);
  });
});
