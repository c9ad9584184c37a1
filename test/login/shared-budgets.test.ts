// The sign-in budgets hold across nodes (two nodes on one PostgreSQL), and a node whose database does not answer
// fails closed for the unverified budget only, never for tokens that verify.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import { LoginRateLimit } from '../../server/login/login-rate-limit.ts';
import { SharedWindows } from '../../server/ratelimit/shared-windows.ts';
import { CLIENT_ID, configureIntune, MOBILE_CLIENT, TENANT } from '../support/intune.ts';
import { call, startTestService, type TestService } from '../support/service.ts';

const SYNC_MS = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sign-in budgets shared by two nodes', { timeout: 60_000 }, () => {
  let idp: DevIdp;
  let a: TestService;
  let b: TestService;
  before(async () => {
    idp = await startDevIdp();
    const env = { entraAuthority: idp.url, loginRatePerIpPerMinute: 6, loginRatePerTenantPerMinute: 0, loginRateSyncMs: SYNC_MS };
    a = await startTestService({ env });
    b = await startTestService({ databaseUrl: a.database!.url, env });
    await configureIntune(a.url, a.adminToken);
  });
  after(async () => {
    await b?.close();
    await a?.close();
    await idp?.stop();
  });

  const signInFrom = (base: string, address: string) => {
    const oid = randomUUID();
    const token = idp.mint({ tenant: TENANT, aud: CLIENT_ID, azp: MOBILE_CLIENT, oid, scp: 'login.mattermost', email: `s${oid.slice(0, 8)}@example.com` });
    return call(`${base}/oauth/intune`, { body: { access_token: token }, headers: { 'x-forwarded-for': address } }).then((r) => r.status);
  };

  test('an address that spent its budget on A is refused on B within one sync interval', async () => {
    const onA = [];
    for (let i = 0; i < 6; i++) onA.push(await signInFrom(a.url, '203.0.113.50'));
    assert.deepEqual(onA, [200, 200, 200, 200, 200, 200]);
    await sleep(SYNC_MS * 4);
    // B has not heard of this address yet: its first attempt is decided on what B knows, then B's sync brings A's
    // count back. At most one sync interval's worth gets past the budget; after that B refuses.
    const first = await signInFrom(b.url, '203.0.113.50');
    await sleep(SYNC_MS * 4);
    const onB = [];
    for (let i = 0; i < 4; i++) onB.push(await signInFrom(b.url, '203.0.113.50'));
    assert.deepEqual(onB, [429, 429, 429, 429], `first on B: ${first}`);
    const row = await a.ctx.db('login_attempt_windows').where({ key: 'address:203.0.113.50' }).first();
    assert.equal(row.count, 7, 'both nodes added their attempts to one row');
    // Another address is untouched on either node.
    assert.equal(await signInFrom(b.url, '203.0.113.51'), 200);
  });
});

describe('a node whose store does not answer', () => {
  test('refuses unverified attempts (fail closed) and still counts verified ones on its own', async () => {
    let failing = true;
    const windows = new SharedWindows(
      {
        add: async (rows) => {
          if (failing) throw new Error('connection refused');
          return rows;
        },
        purgeBefore: async () => 0,
      },
      { syncMs: 1 },
    );
    const refused: string[] = [];
    const limit = new LoginRateLimit(windows, { perIpPerMinute: 0, perTenantPerMinute: 3, unverifiedPerTenantPerMinute: 100 }, (b) => refused.push(b));
    const now = Date.now();
    limit.chargeUnverified('t', now); // before any sync failed: counted
    await sleep(20); // the sync fails
    assert.equal(windows.reachable(), false);
    assert.throws(() => limit.chargeUnverified('t', now), { id: 'mamgate.login.rate_limited.app_error' });
    // Verified tokens keep this node's own budget: three pass, the fourth is refused.
    for (let i = 0; i < 3; i++) limit.chargeVerified('t', now);
    assert.throws(() => limit.chargeVerified('t', now), { id: 'mamgate.login.rate_limited.app_error' });
    assert.deepEqual(refused, ['unverified', 'tenant']);
    failing = false;
    await sleep(1100); // the retry after a failed sync succeeds
    assert.equal(windows.reachable(), true);
    limit.chargeUnverified('t', Date.now());
    await windows.close();
  });
});
