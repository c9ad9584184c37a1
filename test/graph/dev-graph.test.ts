// The development Graph and its token endpoint over plain HTTP, through the /admin endpoints only: Entra's error
// shape, OData collections and paging, Graph's 401/403/429 answers, and the counters.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import { GRAPH_APP, SECRET, TENANT } from './fixtures.ts';

const USER = '5e7d1c2b-3a49-4f8e-9d6c-1b2a3c4d5e6f';

describe('dev-idp: development Graph over HTTP', () => {
  let idp: DevIdp;
  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${idp.url}/admin/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    assert.equal(response.status, 200, await response.clone().text());
    return response.json() as Promise<Record<string, unknown>>;
  };
  const grant = (form: Record<string, string>, tenant = TENANT) =>
    fetch(`${idp.url}/${tenant}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(form) });
  const goodForm = () => ({ client_id: GRAPH_APP, client_secret: SECRET, grant_type: 'client_credentials', scope: `${idp.graphUrl}/.default` });
  const tokenFor = async () => ((await (await grant(goodForm())).json()) as { access_token: string }).access_token;
  const get = (path: string, token?: string) => fetch(`${idp.graphUrl}/v1.0${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  before(async () => {
    idp = await startDevIdp();
  });
  after(async () => {
    await idp.stop();
  });
  beforeEach(async () => {
    await admin('POST', 'graph/reset');
    await admin('PUT', 'apps', { tenant: TENANT, clientId: GRAPH_APP, secrets: [{ value: SECRET }], roles: ['DeviceManagementApps.Read.All'] });
  });

  test("token endpoint errors have Entra's shape and AADSTS codes", async () => {
    const cases: [Record<string, string>, string, number, number][] = [
      [{ ...goodForm(), client_secret: 'nope' }, TENANT, 401, 7000215],
      [{ ...goodForm(), client_id: 'dddddddd-1111-4222-8333-444444444444' }, TENANT, 400, 700016],
      [goodForm(), 'eeeeeeee-1111-4222-8333-444444444444', 400, 90002],
      [{ ...goodForm(), grant_type: 'password' }, TENANT, 400, 70003],
      [{ ...goodForm(), scope: `${idp.graphUrl}/User.Read` }, TENANT, 400, 1002012],
    ];
    for (const [form, tenant, status, code] of cases) {
      const response = await grant(form, tenant);
      assert.equal(response.status, status, String(code));
      const body = (await response.json()) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body).sort(), ['correlation_id', 'error', 'error_codes', 'error_description', 'error_uri', 'timestamp', 'trace_id']);
      assert.deepEqual(body.error_codes, [code]);
      assert.match(String(body.error_description), new RegExp(`^AADSTS${code}: `));
      assert.ok(!JSON.stringify(body).includes('nope'), 'the secret sent is not echoed');
    }
  });

  test('collections are OData pages linked by @odata.nextLink', async () => {
    const registrations = Array.from({ length: 5 }, (_, i) => ({
      id: `r${i}`,
      appIdentifier: { '@odata.type': '#microsoft.graph.androidMobileAppIdentifier', packageId: 'com.mattermost.rnbeta' },
      appliedPolicies: [{ id: 'p1', displayName: 'Android APP' }],
    }));
    await admin('PUT', 'graph/registrations', { userId: USER, registrations });
    await admin('PUT', 'graph/page-size', { pageSize: 2 });
    const token = await tokenFor();
    let url: string | undefined = `${idp.graphUrl}/v1.0/deviceAppManagement/managedAppRegistrations`;
    const seen: string[] = [];
    while (url) {
      const page = (await (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).json()) as Record<string, unknown>;
      assert.equal(page['@odata.context'], `${idp.graphUrl}/v1.0/$metadata#deviceAppManagement/managedAppRegistrations`);
      for (const item of page.value as Record<string, unknown>[]) {
        seen.push(String(item.id));
        assert.equal(item['@odata.type'], '#microsoft.graph.androidManagedAppRegistration');
        assert.equal(item.userId, USER);
        assert.equal(item.appliedPolicies, undefined, 'a relationship, not a property');
      }
      url = page['@odata.nextLink'] as string | undefined;
    }
    assert.deepEqual(seen, ['r0', 'r1', 'r2', 'r3', 'r4']);
    const policies = (await (await get('/deviceAppManagement/managedAppRegistrations/r3/appliedPolicies', token)).json()) as { value: { displayName: string }[] };
    assert.deepEqual(policies.value.map((p) => p.displayName), ['Android APP']);
    const stats = await admin('GET', 'graph/stats');
    assert.deepEqual(stats.calls, { managedAppRegistrations: 3, appliedPolicies: 1 });
  });

  test("401 InvalidAuthenticationToken, 403 Authorization_RequestDenied, 429 with Retry-After, in Graph's error shape", async () => {
    const missing = await get('/identity/conditionalAccess/policies');
    assert.equal(missing.status, 401);
    const body = (await missing.json()) as { error: { code: string; message: string; innerError: Record<string, string> } };
    assert.equal(body.error.code, 'InvalidAuthenticationToken');
    assert.ok(body.error.innerError['request-id']);
    const token = await tokenFor();
    assert.equal((await get('/identity/conditionalAccess/policies', `${token}x`)).status, 401, 'a bad signature');
    const denied = await get('/identity/conditionalAccess/policies', token);
    assert.equal(denied.status, 403);
    assert.equal(((await denied.json()) as { error: { code: string } }).error.code, 'Authorization_RequestDenied');
    await admin('POST', 'graph/fault', { throttle: { times: 1, retryAfterSeconds: 7 } });
    const throttled = await get('/deviceAppManagement/managedAppRegistrations', token);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get('retry-after'), '7');
    assert.equal((await get('/deviceAppManagement/managedAppRegistrations', token)).status, 200);
    await admin('POST', 'graph/revoke-tokens');
    assert.equal((await get('/deviceAppManagement/managedAppRegistrations', token)).status, 401, 'revoked');
    await admin('POST', 'graph/fault', { mode: 'down' });
    assert.equal((await get('/deviceAppManagement/managedAppRegistrations', await tokenFor())).status, 503);
  });

  test('expired tokens are refused', async () => {
    await admin('PUT', 'apps', { tenant: TENANT, clientId: GRAPH_APP, secrets: [{ value: SECRET }], roles: ['DeviceManagementApps.Read.All'], tokenLifetimeSeconds: 1 });
    const token = await tokenFor();
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const response = await get('/deviceAppManagement/managedAppRegistrations', token);
    assert.equal(response.status, 401);
    assert.match(((await response.json()) as { error: { message: string } }).error.message, /expired/);
  });

  test('unusable admin bodies answer 400', async () => {
    for (const [path, body] of [
      ['graph/registrations', { registrations: [] }],
      ['graph/page-size', { pageSize: 0 }],
      ['apps', { tenant: TENANT, clientId: GRAPH_APP, secrets: [] }],
    ] as const) {
      const response = await fetch(`${idp.url}/admin/${path}`, { method: 'PUT', body: JSON.stringify(body) });
      assert.equal(response.status, 400, path);
    }
  });
});
