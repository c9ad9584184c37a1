// Abuse: the sign-in rate limit holds per address and per tenant under a parallel burst; every admin route refuses
// every kind of invalid credential (none, wrong, revoked, a session token) and changes nothing; and after a
// realistic scenario against one service, no session token, admin token, access token or LDAP bind password is in
// its logs, its audit log, any error body it answered, or /metrics.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createAdminToken, revokeAdminToken } from '../../server/admin/tokens.ts';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import { API_BASE } from '../../server/http/app.ts';
import {
  adminUrl,
  CLIENT_ID,
  configureIntune,
  eventId,
  eventsUrl,
  gateUrl,
  intuneEnv,
  MOBILE_CLIENT,
  saveSettings,
  type SignedIn,
  signIn,
  TENANT,
} from '../support/intune.ts';
import { openEventStream } from '../support/sse.ts';
import { type ApiAnswer, call, startTestService, type TestService } from '../support/service.ts';

const RATE_LIMITED = 'mamgate.login.rate_limited.app_error';
const UNAUTHORIZED = 'mamgate.admin.unauthorized.app_error';

function mintFor(idp: DevIdp, oid = randomUUID()): string {
  return idp.mint({ tenant: TENANT, aud: CLIENT_ID, azp: MOBILE_CLIENT, oid, scp: 'login.mattermost', email: `a${oid.slice(0, 8)}@example.com` });
}

const signInRaw = (base: string, body: unknown, address: string) =>
  call(`${base}/oauth/intune`, { body, headers: { 'x-forwarded-for': address } });

function assertLimited(answer: ApiAnswer): void {
  assert.equal(answer.status, 429, answer.text);
  assert.equal(answer.body.id, RATE_LIMITED);
  assert.equal(answer.body.status_code, 429);
  assert.ok(Number(answer.headers.get('retry-after')) >= 1);
}

describe('sign-in rate limit under a parallel burst', { timeout: 60_000 }, () => {
  let idp: DevIdp;
  let perIp: TestService;
  let perTenant: TestService;
  before(async () => {
    idp = await startDevIdp();
    perIp = await startTestService({ env: { entraAuthority: idp.url, loginRatePerIpPerMinute: 5, loginRatePerTenantPerMinute: 0 } });
    perTenant = await startTestService({ env: { entraAuthority: idp.url, loginRatePerIpPerMinute: 0, loginRatePerTenantPerMinute: 12 } });
    await configureIntune(perIp.url, perIp.adminToken);
    await configureIntune(perTenant.url, perTenant.adminToken);
  });
  after(async () => {
    await perIp?.close();
    await perTenant?.close();
    await idp?.stop();
  });

  test('per address: 40 parallel valid sign-ins from each of two addresses → exactly 5 each get through', async () => {
    const addresses = ['203.0.113.10', '203.0.113.11'];
    const answers = await Promise.all(
      addresses.flatMap((address) => Array.from({ length: 40 }, () => signInRaw(perIp.url, { access_token: mintFor(idp) }, address).then((a) => ({ address, a })))),
    );
    for (const address of addresses) {
      const mine = answers.filter((x) => x.address === address).map((x) => x.a);
      const through = mine.filter((a) => a.status !== 429);
      assert.equal(through.length, 5, `${address}: ${through.length} through: ${mine.map((a) => a.status).join(',')}`);
      for (const a of through) assert.equal(a.status, 200, a.text);
      for (const a of mine.filter((x) => x.status === 429)) assertLimited(a);
    }
    // A third address is not affected by the first two.
    assert.equal((await signInRaw(perIp.url, { access_token: mintFor(idp) }, '203.0.113.12')).status, 200);
    assert.equal(await perIp.ctx.db('sessions').count({ n: '*' }).first().then((r) => Number(r?.n)), 11);
  });

  test('per tenant: 60 parallel sign-ins from 60 addresses → exactly 12 valid get through; invalid tokens are not charged to it', async () => {
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => signInRaw(perTenant.url, { access_token: i % 3 === 0 ? 'not.a.token' : mintFor(idp) }, `198.51.100.${i + 1}`)),
    );
    const junk = answers.filter((_, i) => i % 3 === 0);
    const valid = answers.filter((_, i) => i % 3 !== 0);
    for (const a of junk) assert.equal(a.status, 401, a.text);
    assert.equal(valid.filter((a) => a.status === 200).length, 12, valid.map((a) => a.status).join(','));
    for (const a of valid.filter((x) => x.status !== 200)) assertLimited(a);
    assertLimited(await signInRaw(perTenant.url, { access_token: mintFor(idp) }, '192.0.2.77'));
  });
});

describe('junk cannot lock out the valid users (issue 16)', { timeout: 60_000 }, () => {
  let idp: DevIdp;
  let service: TestService;
  before(async () => {
    idp = await startDevIdp();
    service = await startTestService({
      env: { entraAuthority: idp.url, loginRatePerIpPerMinute: 5, loginRatePerTenantPerMinute: 20, loginRateUnverifiedPerMinute: 10 },
    });
    await configureIntune(service.url, service.adminToken);
  });
  after(async () => {
    await service?.close();
    await idp?.stop();
  });

  const refusedAudits = () =>
    service.ctx.db('audit_log').where({ action: 'login.intune', outcome: 'refused' }).count({ n: '*' }).first().then((r) => Number(r?.n));

  test('25 junk tokens from 25 IPv6 networks: 10 refused 401, the rest 429 unaudited and counted; a valid user still signs in', async () => {
    const junk = await Promise.all(
      Array.from({ length: 25 }, (_, i) => signInRaw(service.url, { access_token: `eyJhbGciOiJSUzI1NiJ9.e30.${'A'.repeat(i + 1)}` }, `2001:db8:${i + 1}::7`)),
    );
    assert.equal(junk.filter((a) => a.status === 401).length, 10, junk.map((a) => a.status).join(','));
    for (const a of junk.filter((x) => x.status !== 401)) assertLimited(a);
    assert.match(junk.find((a) => a.status === 429)!.body.message, /did not verify/);
    // The tenant's budget (20) was not touched by the junk: a valid user signs in, from IPv6 too.
    const valid = await signInRaw(service.url, { access_token: mintFor(idp) }, '2001:db8:ffff::1');
    assert.equal(valid.status, 200, valid.text);
    assert.equal(await refusedAudits(), 10, 'only the 401s are audited');
    const metrics = await fetch(`${service.url}/metrics`).then((r) => r.text());
    assert.match(metrics, /mamgate_sign_in_rate_limited_total\{budget="unverified"\} 15/);
  });

  test('the address budget: one IPv6 /64 is one address, and IPv4-mapped IPv6 is its IPv4 address', async () => {
    const network = await Promise.all(Array.from({ length: 8 }, (_, i) => signInRaw(service.url, { access_token: mintFor(idp) }, `2001:db8:abcd:12::${i + 1}`)));
    assert.equal(network.filter((a) => a.status === 200).length, 5, network.map((a) => a.status).join(','));
    for (const a of network.filter((x) => x.status !== 200)) assertLimited(a);
    const mixed = [];
    for (let i = 0; i < 3; i++) mixed.push(await signInRaw(service.url, { access_token: mintFor(idp) }, '203.0.113.90'));
    for (let i = 0; i < 3; i++) mixed.push(await signInRaw(service.url, { access_token: mintFor(idp) }, '::ffff:203.0.113.90'));
    assert.deepEqual(
      mixed.map((a) => a.status),
      [200, 200, 200, 200, 200, 429],
    );
    // Another /64 of the same /48 has its own budget.
    assert.equal((await signInRaw(service.url, { access_token: mintFor(idp) }, '2001:db8:abcd:13::1')).status, 200);
  });
});

describe('admin routes refuse without a valid admin token', { timeout: 60_000 }, () => {
  let idp: DevIdp;
  let service: TestService;
  let revoked: string;
  let session: SignedIn;
  before(async () => {
    idp = await startDevIdp();
    service = await startTestService({ env: intuneEnv(idp) });
    await configureIntune(service.url, service.adminToken);
    const created = await createAdminToken(service.ctx.db, 'test', { name: 'to-revoke', requestId: null });
    await revokeAdminToken(service.ctx.db, created.info.id, { name: 'test', requestId: null });
    revoked = created.token;
    session = await signIn(service.url, idp, { deviceId: 'admin-probe' });
  });
  after(async () => {
    await service?.close();
    await idp?.stop();
  });

  const routes = (userId: string): Array<[string, string, unknown?]> => [
    ['GET', 'settings'],
    ['PUT', 'settings', { IntuneSettings: { Enable: false } }],
    ['GET', 'settings/history'],
    ['GET', 'license'],
    ['PUT', 'license', { IsLicensed: false }],
    ['GET', 'enrollments'],
    ['GET', 'audit'],
    ['POST', `users/${userId}/sessions/revoke`, {}],
    ['POST', 'users/import', 'id,username,email\nx1,eve,eve@example.com\n'],
    ['POST', 'reports/identity-alignment', {}],
    ['GET', 'reports/identity-alignment'],
    ['GET', `reports/identity-alignment/${randomUUID()}`],
    ['GET', `reports/identity-alignment/${randomUUID()}/rows`],
    ['GET', `reports/identity-alignment/${randomUUID()}/download?format=csv`],
    ['POST', `reports/identity-alignment/${randomUUID()}/cancel`, {}],
    ['GET', 'preflight'],
    ['POST', 'tunnel/validate', {}],
    ['POST', 'ldap/sync', {}],
    ['GET', 'ldap/sync'],
  ];

  test('every admin route × {no token, wrong token, revoked token, a session token, the token in a cookie or Token header} → 401', async () => {
    const auditBefore = await service.ctx.db('audit_log').count({ n: '*' }).first().then((r) => Number(r?.n));
    const credentials: Array<[string, Record<string, string>]> = [
      ['no token', {}],
      ['a wrong admin token', { authorization: 'Bearer mga_0000000000000000000000000000000000000000' }],
      ['a revoked admin token', { authorization: `Bearer ${revoked}` }],
      ['a session token', { authorization: `Bearer ${session.token}` }],
      ['the admin token as Basic', { authorization: `Basic ${Buffer.from(`admin:${service.adminToken}`).toString('base64')}` }],
      ['the admin token in the Token header', { token: service.adminToken }],
      ['the admin token as a cookie', { cookie: `MMAUTHTOKEN=${service.adminToken}` }],
    ];
    let checked = 0;
    for (const [method, path, body] of routes(session.userId)) {
      for (const [label, headers] of credentials) {
        const isCsv = path === 'users/import';
        const answer = await call(adminUrl(service.url, path), {
          method,
          body,
          headers: { ...headers, ...(isCsv ? { 'content-type': 'text/csv' } : {}) },
        });
        assert.equal(answer.status, 401, `${method} ${path} with ${label}: ${answer.text}`);
        assert.equal(answer.body.id, UNAUTHORIZED, `${method} ${path} with ${label}`);
        assert.equal(answer.body.status_code, 401);
        assert.ok(answer.headers.get('www-authenticate')?.startsWith('Bearer'));
        checked++;
      }
    }
    assert.equal(checked, 19 * 7);
    // Nothing happened: the session lives, Intune is still on, the license kept, no report, no audit entry.
    assert.equal((await call(gateUrl(service.url), { token: session.token })).status, 403);
    const settings = await call(adminUrl(service.url, 'settings'), { token: service.adminToken });
    assert.equal(settings.body.IntuneSettings.Enable, true);
    assert.equal((await call(adminUrl(service.url, 'license'), { token: service.adminToken })).body.IsLicensed, true);
    assert.equal(await service.ctx.db('report_runs').count({ n: '*' }).first().then((r) => Number(r?.n)).catch(() => 0), 0);
    assert.equal(await service.ctx.db('users').where({ id: 'x1' }).count({ n: '*' }).first().then((r) => Number(r?.n)), 0);
    const auditAfter = await service.ctx.db('audit_log').count({ n: '*' }).first().then((r) => Number(r?.n));
    assert.equal(auditAfter, auditBefore, 'a refused admin request writes no audit entry');
  });
});

describe('no secret in logs, audit entries, error bodies or metrics after a realistic scenario', { timeout: 90_000 }, () => {
  const BIND_PASSWORD = `bind-${randomUUID()}`;
  let idp: DevIdp;
  let service: TestService;
  const accessTokens: string[] = [];
  const sessionTokens: string[] = [];
  const adminTokens: string[] = [];
  const errorBodies: string[] = [];
  let metricsText = '';
  let auditText = '';

  /** call(), keeping every error body received. */
  async function kept(url: string, options: Parameters<typeof call>[1] = {}): Promise<ApiAnswer> {
    const answer = await call(url, options);
    if (answer.status >= 400) errorBodies.push(answer.text);
    return answer;
  }

  before(async () => {
    idp = await startDevIdp();
    service = await startTestService({ env: intuneEnv(idp) });
    adminTokens.push(service.adminToken);
    const base = service.url;
    const admin = service.adminToken;
    await configureIntune(base, admin);
    const second = await createAdminToken(service.ctx.db, 'test', { name: 'second', requestId: null });
    adminTokens.push(second.token);

    // Admin token use.
    await kept(adminUrl(base, 'settings'), { token: second.token });
    await kept(adminUrl(base, 'audit?limit=5'), { token: admin });
    await kept(adminUrl(base, 'enrollments'), { token: admin });

    // Sign-ins (access tokens and session tokens), over each way a session token travels.
    const users: SignedIn[] = [];
    for (let i = 0; i < 4; i++) {
      const oid = randomUUID();
      const access = mintFor(idp, oid);
      accessTokens.push(access);
      const answer = await kept(`${base}/oauth/intune`, { body: { access_token: access, device_id: `sweep-${i}` } });
      assert.equal(answer.status, 200, answer.text);
      const token = answer.headers.get('token')!;
      sessionTokens.push(token);
      users.push({ token, userId: answer.body.id, oid, answer });
    }
    const [a, b, c, d] = users as [SignedIn, SignedIn, SignedIn, SignedIn];

    // A failing sign-in of each kind: expired, wrong audience, tampered signature, replayed after revoke.
    const expired = idp.mint({ tenant: TENANT, aud: CLIENT_ID, azp: MOBILE_CLIENT, oid: randomUUID(), scp: 'login.mattermost', email: 'x@example.com', expOffset: -3600 });
    const wrongAud = idp.mint({ tenant: TENANT, aud: randomUUID(), azp: MOBILE_CLIENT, oid: randomUUID(), scp: 'login.mattermost', email: 'y@example.com' });
    const tampered = `${accessTokens[0]!.slice(0, -6)}AAAAAA`;
    accessTokens.push(expired, wrongAud, tampered);
    for (const access of [expired, wrongAud, tampered]) {
      const answer = await kept(`${base}/oauth/intune`, { body: { access_token: access, device_id: 'bad' } });
      assert.ok(answer.status === 401 || answer.status === 400, answer.text);
    }

    // Gate calls: bearer, Token header, cookie; enrollment reports (enrolled, declined, failed).
    await kept(gateUrl(base), { token: a.token });
    await kept(gateUrl(base), { headers: { token: b.token } });
    await kept(gateUrl(base), { headers: { cookie: `MMAUTHTOKEN=${c.token}` } });
    await kept(`${base}${API_BASE}/enrollment`, { method: 'POST', token: a.token, body: { event_id: eventId('s'), status: 'enrolled' } });
    await kept(`${base}${API_BASE}/enrollment`, { method: 'POST', token: b.token, body: { event_id: eventId('s'), status: 'declined', error_code: 'AADSTS53005', error_message: `token ${b.token}` } });
    await kept(`${base}${API_BASE}/enrollment`, { method: 'POST', token: c.token, body: { event_id: eventId('s'), status: 'failed', error_code: 'AADSTS650057' } });
    await kept(gateUrl(base), { token: a.token });
    await kept(gateUrl(base), { token: b.token });
    await kept(gateUrl(base), { token: c.token }); // ended: 401
    await kept(`${base}${API_BASE}/session`, { token: d.token });
    await kept(`${base}${API_BASE}/session`, { token: c.token });

    // An SSE stream: a config change arrives, then the admin ends the user's sessions and the stream with them.
    const stream = await openEventStream(eventsUrl(base), { authorization: `Bearer ${d.token}` });
    assert.equal(stream.status, 200);
    await saveSettings(base, admin, { IntuneSettings: { EnableUserCreation: false } });
    assert.equal((await stream.next(10_000)).event, 'config_changed');
    await kept(adminUrl(base, `users/${d.userId}/sessions/revoke`), { method: 'POST', token: admin, body: {} });
    assert.equal((await stream.next(10_000)).event, 'session_revoked');
    stream.close();
    await kept(gateUrl(base), { token: d.token }); // revoked: 401

    // The LDAP bind password saved, then used by a sync and the preflight against an unreachable directory.
    const ldap = { Enable: true, Url: 'ldap://127.0.0.1:1', BaseDn: 'dc=example,dc=com', BindDn: 'cn=svc,dc=example,dc=com', BindPassword: BIND_PASSWORD };
    const saved = await kept(adminUrl(base, 'settings'), { method: 'PUT', token: admin, body: { LdapSettings: ldap } });
    assert.equal(saved.status, 200, saved.text);
    assert.ok(!saved.text.includes(BIND_PASSWORD), 'the saved settings answer masks the password');
    await kept(adminUrl(base, 'settings'), { method: 'PUT', token: admin, body: { LdapSettings: { ...ldap, BindPassword: `${BIND_PASSWORD}-2`, IdAttribute: 'objectGUID' } } });
    await kept(adminUrl(base, 'ldap/sync'), { method: 'POST', token: admin, body: {} });
    await kept(adminUrl(base, 'preflight'), { token: admin });

    // Tokens where they do not belong: wrong routes, query strings, a session token as an admin token.
    await kept(adminUrl(base, 'settings'), { token: a.token });
    await kept(`${gateUrl(base)}?token=${a.token}`);
    await kept(`${base}/nope/${a.token}?access_token=${accessTokens[1]}`);
    await kept(`${base}${API_BASE}/enrollment`, { method: 'POST', token: service.adminToken, body: { event_id: 'x', status: 'enrolled' } });
    await kept(`${base}/oauth/intune`, { body: { access_token: a.token } });
    await kept(`${base}/oauth/intune`, { body: `{"access_token": "${accessTokens[1]}"` });

    // The refusal audit runs off the request path: let it land.
    await new Promise((resolve) => setTimeout(resolve, 500));
    metricsText = (await call(`${base}/metrics`)).text;
    auditText = JSON.stringify(await service.ctx.db('audit_log').select());
  });
  after(async () => {
    await service?.close();
    await idp?.stop();
  });

  /** Each secret, and the part of it that identifies it on its own (after the prefix, the JWS signature). */
  const needles = (): Array<[string, string]> => {
    const out: Array<[string, string]> = [['the LDAP bind password', BIND_PASSWORD]];
    for (const t of sessionTokens) out.push(['a session token', t], ['a session token without prefix', t.slice(4)]);
    for (const t of adminTokens) out.push(['an admin token', t], ['an admin token without prefix', t.slice(4)]);
    for (const t of accessTokens) out.push(['an access token', t], ['an access token signature', t.split('.')[2]!]);
    return out;
  };

  const assertAbsent = (where: string, text: string) => {
    for (const [label, needle] of needles()) assert.ok(!text.includes(needle), `${label} appears in ${where}`);
  };

  test('the scenario produced logs, audit entries, error bodies and metrics to search', () => {
    assert.ok(service.logs.length > 20, `${service.logs.length} log lines`);
    assert.ok(auditText.includes('enrollment.failed') && auditText.includes('settings'), 'audit entries of the scenario');
    assert.ok(errorBodies.length >= 10, `${errorBodies.length} error bodies`);
    assert.match(metricsText, /mamgate_http_requests_total/);
    assert.equal(sessionTokens.length, 4);
  });

  test('no secret in the captured logs', () => assertAbsent('the logs', service.logs.join('\n')));
  test('no secret in any audit entry', () => assertAbsent('the audit log', auditText));
  test('no secret in any error body', () => assertAbsent('an error body', errorBodies.join('\n')));
  test('no secret in /metrics', () => assertAbsent('/metrics', metricsText));
});
