// GraphClient against the development Graph: paging, throttling with Retry-After, bounded retries, one token
// refresh on 401, timeouts, and the domain questions (registrations with applied policies, Conditional Access,
// service principal by appId, delegated grants, token roles). Errors are catalogue errors without the token.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import { AppError } from '../../server/errors/app-error.ts';
import type { ErrorId } from '../../server/errors/catalogue.ts';
import type { AppTokenProvider } from '../../server/graph/app-token.ts';
import { GraphClient, type GraphClientOptions } from '../../server/graph/graph-client.ts';
import { GRAPH_ROLES, providerFor, registerGraphApp } from './fixtures.ts';

const USER = '5e7d1c2b-3a49-4f8e-9d6c-1b2a3c4d5e6f';
const OTHER_USER = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const IOS = { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: 'com.mattermost.rn' };

async function refusal(promise: Promise<unknown>, id: ErrorId, tokens: AppTokenProvider): Promise<AppError> {
  const error = await promise.then(
    () => assert.fail(`expected ${id}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AppError, String(error));
  assert.equal(error.id, id, error.detailed);
  const token = await tokens.token().catch(() => '');
  const shown = JSON.stringify(error.toBody('req-1'));
  if (token) assert.ok(!shown.includes(token.split('.')[2] ?? token), 'the token is never shown');
  return error;
}

describe('GraphClient', () => {
  let idp: DevIdp;
  let tokens: AppTokenProvider;
  const client = (change: Partial<GraphClientOptions> = {}) =>
    new GraphClient({ graphUrl: idp.graphUrl, tokens, baseBackoffMs: 5, timeoutMs: 2000, ...change });

  before(async () => {
    idp = await startDevIdp();
  });
  after(async () => {
    await idp.stop();
  });
  beforeEach(() => {
    idp.graph.reset();
    registerGraphApp(idp);
    tokens = providerFor(idp);
  });

  test("the user's registrations over 3 pages, each with its applied policies", async () => {
    const mine = (n: number) => ({ id: `mine-${n}`, appIdentifier: IOS, appliedPolicies: [{ displayName: `policy ${n}` }] });
    const theirs = (n: number) => ({ id: `theirs-${n}`, appIdentifier: IOS });
    idp.graph.setRegistrations(USER.toUpperCase(), [mine(1), mine(2), mine(3), mine(4)]);
    idp.graph.setRegistrations(OTHER_USER, [theirs(1), theirs(2), theirs(3)]);
    idp.graph.setPageSize(3);
    const graph = client();
    const registrations = await graph.managedAppRegistrations();
    assert.deepEqual(registrations.map((r) => r.id).sort(), ['mine-1', 'mine-2', 'mine-3', 'mine-4', 'theirs-1', 'theirs-2', 'theirs-3']);
    assert.equal(idp.graph.stats().calls.managedAppRegistrations, 3, 'three pages of 3, 3 and 1');
    const mine3 = await graph.withAppliedPolicies(registrations.find((r) => r.id === 'mine-3')!);
    assert.deepEqual(mine3.appliedPolicies.map((p) => p.displayName), ['policy 3']);
    assert.equal(mine3.appIdentifier?.bundleId, 'com.mattermost.rn');
    assert.equal(idp.graph.stats().calls.appliedPolicies, 1, 'one relationship read for the registration asked about');
    assert.equal(graph.stats().retried, 0);
  });

  test('429 with Retry-After is waited out, then the call succeeds', async () => {
    idp.graph.setFault({ throttle: { times: 1, retryAfterSeconds: 1 } });
    const graph = client();
    const started = Date.now();
    assert.deepEqual(await graph.conditionalAccessPolicies(), []);
    assert.ok(Date.now() - started >= 950, `waited ${Date.now() - started} ms`);
    assert.equal(graph.stats().calls, 2);
    assert.equal(graph.stats().retried, 1);
    assert.equal(graph.stats().throttled, 1);
  });

  test('a Retry-After beyond the wait cap fails at once with 503', async () => {
    idp.graph.setFault({ throttle: { times: 5, retryAfterSeconds: 120 } });
    const started = Date.now();
    const error = await refusal(client({ maxWaitMs: 30_000 }).conditionalAccessPolicies(), 'mamgate.graph.unavailable.app_error', tokens);
    assert.ok(Date.now() - started < 1000);
    assert.match(error.detailed, /TooManyRequests.*Retry-After 120 s exceeds the wait cap/);
  });

  test('5xx is retried a bounded number of times, then a 503 catalogue error', async () => {
    idp.graph.setFault({ mode: 'down' });
    const graph = client({ maxRetries: 3 });
    const error = await refusal(graph.conditionalAccessPolicies(), 'mamgate.graph.unavailable.app_error', tokens);
    assert.equal(error.status, 503);
    assert.match(error.detailed, /HTTP 503 ServiceUnavailable .* after 4 tries/);
    assert.equal(graph.stats().calls, 4);
    assert.equal(idp.graph.stats().calls.conditionalAccessPolicies, 4);
  });

  test('throttling that outlasts the retries ends in a 503 too', async () => {
    idp.graph.setFault({ throttle: { times: 10, retryAfterSeconds: 0 } });
    const graph = client({ maxRetries: 2 });
    await refusal(graph.conditionalAccessPolicies(), 'mamgate.graph.unavailable.app_error', tokens);
    assert.equal(graph.stats().calls, 3);
  });

  test('a 401 gets one fresh token, then the call succeeds', async () => {
    const graph = client();
    await graph.conditionalAccessPolicies();
    idp.graph.revokeIssuedTokens();
    await graph.conditionalAccessPolicies();
    assert.equal(tokens.stats().requests, 2);
    assert.equal(graph.stats().tokenRefreshes, 1);
    assert.equal(idp.graph.stats().unauthorized, 1);
  });

  test('a 401 after the fresh token is final: no second refresh', async () => {
    const other = await startDevIdp(); // another key ring: Graph refuses every token it signs
    try {
      registerGraphApp(other);
      const foreign = providerFor(other);
      const graph = new GraphClient({ graphUrl: idp.graphUrl, tokens: foreign, baseBackoffMs: 5 });
      const error = await refusal(graph.conditionalAccessPolicies(), 'mamgate.graph.unauthorized.app_error', foreign);
      assert.match(error.detailed, /HTTP 401 InvalidAuthenticationToken/);
      assert.equal(graph.stats().calls, 2);
      assert.equal(graph.stats().tokenRefreshes, 1);
    } finally {
      await other.stop();
    }
  });

  test('a missing application permission is a 403 naming Authorization_RequestDenied', async () => {
    registerGraphApp(idp, { roles: ['Policy.Read.All'] });
    tokens = providerFor(idp);
    const error = await refusal(client().managedAppRegistrations(), 'mamgate.graph.forbidden.app_error', tokens);
    assert.match(error.detailed, /HTTP 403 Authorization_RequestDenied .*DeviceManagementApps\.Read\.All/);
    assert.equal(idp.graph.stats().forbidden, 1, 'a 403 is not retried');
    assert.equal(idp.graph.stats().calls.managedAppRegistrations, 1);
  });

  test('a hanging Graph times out per try and is retried, then 503', async () => {
    idp.graph.setFault({ mode: 'hang' });
    const graph = client({ timeoutMs: 200, maxRetries: 1 });
    const error = await refusal(graph.conditionalAccessPolicies(), 'mamgate.graph.unavailable.app_error', tokens);
    assert.match(error.detailed, /timed out after 200 ms \(after 2 tries\)/);
    assert.equal(graph.stats().calls, 2);
    idp.graph.setFault({ mode: 'up' });
  });

  test('service principal by appId, delegated grants of a client, Conditional Access, token roles', async () => {
    const sp = { id: 'sp-1', appId: '9ac649f1-4f77-44d6-9792-b2f54ab3c9a7', displayName: 'Mattermost Mobile' };
    idp.graph.setServicePrincipals([sp, { id: 'sp-2', appId: '3678c9e9-9681-447a-974d-d19f668fcd88' }]);
    idp.graph.setPermissionGrants([
      { id: 'g-1', clientId: 'sp-1', consentType: 'AllPrincipals', resourceId: 'res-1', scope: 'login.mattermost' },
      { id: 'g-2', clientId: 'sp-2', consentType: 'AllPrincipals', resourceId: 'res-1', scope: 'User.Read' },
    ]);
    idp.graph.setConditionalAccessPolicies([{ id: 'ca-1', state: 'enabled', grantControls: { operator: 'OR', builtInControls: ['compliantApplication'] } }]);
    const graph = client();
    assert.equal((await graph.servicePrincipalByAppId(sp.appId.toUpperCase()))?.id, 'sp-1');
    assert.equal(await graph.servicePrincipalByAppId('64e9952b-20eb-46dc-92ad-99089ed24903'), null);
    assert.deepEqual((await graph.delegatedGrantsOf('sp-1')).map((g) => g.id), ['g-1']);
    assert.deepEqual((await graph.conditionalAccessPolicies())[0]?.grantControls?.builtInControls, ['compliantApplication']);
    assert.deepEqual(await graph.tokenRoles(), GRAPH_ROLES);
  });

  test('a token endpoint failure surfaces as its own catalogue error', async () => {
    idp.graph.setFault({ tokenEndpoint: 'down' });
    await refusal(client().conditionalAccessPolicies(), 'mamgate.graph.token.unavailable.app_error', tokens);
  });
});
