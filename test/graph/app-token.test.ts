// The app-only Graph token against the development issuer's client-credentials grant: the grant, the cache, one
// request for many callers, refresh before expiry, Entra's AADSTS refusals as catalogue errors (never with the
// secret), and an unreachable token endpoint as 503.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import { AppError } from '../../server/errors/app-error.ts';
import type { ErrorId } from '../../server/errors/catalogue.ts';
import { graphScope } from '../../server/graph/app-token.ts';
import { decodeClaims, GRAPH_APP, GRAPH_ROLES, providerFor, recordingLog, registerGraphApp, SECRET, TENANT } from './fixtures.ts';

async function refusal(promise: Promise<unknown>, id: ErrorId): Promise<AppError> {
  const error = await promise.then(
    () => assert.fail(`expected ${id}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AppError, String(error));
  assert.equal(error.id, id, error.detailed);
  const shown = JSON.stringify(error.toBody('req-1'));
  assert.ok(!shown.includes(SECRET) && !error.message.includes(SECRET) && !error.detailed.includes(SECRET), 'the secret is never shown');
  return error;
}

describe('app-only Graph token (client-credentials grant)', () => {
  let idp: DevIdp;
  before(async () => {
    idp = await startDevIdp();
  });
  after(async () => {
    await idp.stop();
  });
  beforeEach(() => {
    idp.graph.reset();
    registerGraphApp(idp);
  });

  test('the scope is {graphUrl}/.default, for the public cloud https://graph.microsoft.com/.default', () => {
    assert.equal(graphScope('https://graph.microsoft.com'), 'https://graph.microsoft.com/.default');
    assert.equal(graphScope('http://127.0.0.1:9000/graph/'), 'http://127.0.0.1:9000/graph/.default');
  });

  test('the grant gives a token for the Graph resource with the app roles, tenant and app id', async () => {
    const token = await providerFor(idp).token();
    const claims = decodeClaims(token);
    assert.equal(claims.aud, idp.graphUrl);
    assert.deepEqual(claims.roles, GRAPH_ROLES);
    assert.equal(claims.tid, TENANT);
    assert.equal(claims.appid, GRAPH_APP);
    assert.equal(claims.idtyp, 'app');
    assert.equal((claims.exp as number) - (claims.iat as number), 3599);
  });

  test('the token is cached: a second call makes no request', async () => {
    const provider = providerFor(idp);
    const first = await provider.token();
    assert.equal(await provider.token(), first);
    assert.equal(provider.stats().requests, 1);
    assert.equal(idp.graph.stats().tokenRequests, 1);
  });

  test('50 concurrent callers share one token request', async () => {
    const provider = providerFor(idp);
    const tokens = await Promise.all(Array.from({ length: 50 }, () => provider.token()));
    assert.equal(new Set(tokens).size, 1);
    assert.equal(provider.stats().requests, 1);
    assert.equal(idp.graph.stats().tokenRequests, 1);
  });

  test('refreshed 5 minutes before expiry, or 10% of the lifetime when shorter', async () => {
    let now = Date.now();
    const hourly = providerFor(idp, { now: () => now });
    const first = await hourly.token();
    now += (3599 - 301) * 1000;
    assert.equal(await hourly.token(), first, 'still cached 301 s before expiry');
    now += 2000;
    assert.notEqual(await hourly.token(), first, 'renewed 299 s before expiry');
    assert.equal(hourly.stats().requests, 2);

    registerGraphApp(idp, { tokenLifetimeSeconds: 600 }); // margin 60 s, not 5 minutes
    now = Date.now();
    const short = providerFor(idp, { now: () => now });
    const shortFirst = await short.token();
    now += 539 * 1000;
    assert.equal(await short.token(), shortFirst);
    now += 2000;
    assert.notEqual(await short.token(), shortFirst);
  });

  test('a wrong secret names AADSTS7000215 and never the secret', async () => {
    const { log, lines } = recordingLog();
    const provider = providerFor(idp, { clientSecret: `${SECRET}-wrong`, log });
    const error = await refusal(provider.token(), 'mamgate.graph.token.invalid_secret.app_error');
    assert.match(error.message, /AADSTS7000215/);
    assert.match(error.detailed, /invalid_client/);
    assert.equal(error.status, 502);
    assert.ok(!lines.join('').includes(SECRET), 'the secret is never logged');
  });

  test('Entra refusals map to their catalogue ids', async () => {
    registerGraphApp(idp, { clientId: 'aaaaaaaa-1111-4222-8333-444444444444', secrets: [{ value: 'old', expiresAt: '2020-01-01T00:00:00Z' }] });
    await refusal(providerFor(idp, { clientId: 'aaaaaaaa-1111-4222-8333-444444444444', clientSecret: 'old' }).token(), 'mamgate.graph.token.expired_secret.app_error');
    const unknownApp = await refusal(providerFor(idp, { clientId: 'bbbbbbbb-1111-4222-8333-444444444444' }).token(), 'mamgate.graph.token.app_not_found.app_error');
    assert.match(unknownApp.message, /AADSTS700016/);
    await refusal(providerFor(idp, { tenantId: 'cccccccc-1111-4222-8333-444444444444' }).token(), 'mamgate.graph.token.tenant_not_found.app_error');
    const otherResource = await refusal(providerFor(idp, { graphUrl: 'https://graph.microsoft.com' }).token(), 'mamgate.graph.token.refused.app_error');
    assert.match(otherResource.message, /AADSTS500011/);
  });

  test('the token endpoint down, hanging or unreachable is a 503', async () => {
    idp.graph.setFault({ tokenEndpoint: 'down' });
    const down = await refusal(providerFor(idp).token(), 'mamgate.graph.token.unavailable.app_error');
    assert.equal(down.status, 503);
    assert.match(down.detailed, /HTTP 503/);

    idp.graph.setFault({ tokenEndpoint: 'hang' });
    const hung = await refusal(providerFor(idp, { timeoutMs: 200 }).token(), 'mamgate.graph.token.unavailable.app_error');
    assert.match(hung.detailed, /timed out after 200 ms/);
    idp.graph.setFault({ tokenEndpoint: 'up' });

    const stopped = await startDevIdp();
    const authority = stopped.url;
    await stopped.stop();
    const refused = await refusal(providerFor(idp, { authority }).token(), 'mamgate.graph.token.unavailable.app_error');
    assert.match(refused.detailed, /ECONNREFUSED/);
  });

  test('a failed early refresh keeps the still-valid token; after a refusal the next call tries again', async () => {
    let now = Date.now();
    const provider = providerFor(idp, { now: () => now });
    const first = await provider.token();
    idp.graph.setFault({ tokenEndpoint: 'down' });
    now += (3599 - 60) * 1000; // inside the refresh margin, before expiry
    assert.equal(await provider.token(), first);
    now += 120 * 1000; // expired
    await refusal(provider.token(), 'mamgate.graph.token.unavailable.app_error');
    idp.graph.setFault({ tokenEndpoint: 'up' });
    assert.notEqual(await provider.token(), first);
  });
});
