// The development issuer itself: Entra's paths and shapes, minting errors, loopback by default, and the CLI runner.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runDevIdp } from '../../server/cli/commands/dev-idp.ts';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import { objectIdFor } from '../../server/devidp/mint.ts';
import { CLIENT_ID, mintOverHttp, TENANT, validV2 } from './fixtures.ts';

function decode(segment: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8'));
}

describe('dev-idp', () => {
  let idp: DevIdp;
  before(async () => {
    idp = await startDevIdp();
  });
  after(async () => {
    await idp.stop();
  });

  test('listens on 127.0.0.1 by default', () => {
    assert.equal(idp.host, '127.0.0.1');
    assert.match(idp.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('serves v2 and v1 discovery documents pointing at the tenant key sets', async () => {
    const v2 = (await (await fetch(`${idp.url}/${TENANT}/v2.0/.well-known/openid-configuration`)).json()) as Record<string, string>;
    assert.equal(v2.issuer, `${idp.url}/${TENANT}/v2.0`);
    assert.equal(v2.jwks_uri, `${idp.url}/${TENANT}/discovery/v2.0/keys`);
    const v1 = (await (await fetch(`${idp.url}/${TENANT}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    assert.equal(v1.jwks_uri, `${idp.url}/${TENANT}/discovery/keys`);
  });

  test('publishes RSA signing keys in Entra\'s v2 and v1 shapes', async () => {
    const v2 = (await (await fetch(`${idp.url}/${TENANT}/discovery/v2.0/keys`)).json()) as { keys: Record<string, unknown>[] };
    assert.equal(v2.keys.length, 1);
    assert.deepEqual(Object.keys(v2.keys[0]!).sort(), ['e', 'issuer', 'kid', 'kty', 'n', 'use']);
    assert.equal(v2.keys[0]!.issuer, `${idp.url}/${TENANT}/v2.0`);
    const v1 = (await (await fetch(`${idp.url}/${TENANT}/discovery/keys`)).json()) as { keys: Record<string, unknown>[] };
    assert.equal(v1.keys[0]!.x5t, v1.keys[0]!.kid);
    assert.equal(Buffer.from(String(v1.keys[0]!.n), 'base64url').length, 256); // 2048 bits
  });

  test('mints v2 and v1 tokens with the chosen claims', async () => {
    const v2 = (await mintOverHttp(idp, validV2({ claims: { xms_cc: ['cp1'] }, omit: ['uti'] }))).split('.');
    assert.deepEqual(decode(v2[0]), { typ: 'JWT', alg: 'RS256', kid: idp.stats().currentKid });
    const claims = decode(v2[1]);
    assert.equal(claims.ver, '2.0');
    assert.equal(claims.iss, `${idp.url}/${TENANT}/v2.0`);
    assert.equal(claims.aud, CLIENT_ID);
    assert.deepEqual(claims.xms_cc, ['cp1']);
    assert.equal(claims.uti, undefined);
    assert.equal((claims.exp as number) - (claims.iat as number), 3600);
    const v1 = decode((await mintOverHttp(idp, validV2({ version: '1.0', upn: 'jane@contoso.com' }))).split('.')[1]);
    assert.equal(v1.iss, `${idp.url}/${TENANT}/`);
    assert.equal(v1.appid, validV2().azp);
    assert.equal(v1.azp, undefined);
    assert.equal(v1.unique_name, 'jane@contoso.com');
  });

  test('refuses unusable mint requests with 400', async () => {
    for (const body of ['{"aud":', '{"oid":"x"}', '{"aud":"x","colour":"red"}', '{"aud":"x","version":"3.0"}']) {
      const response = await fetch(`${idp.url}/${TENANT}/token`, { method: 'POST', body });
      assert.equal(response.status, 400, body);
      assert.equal(((await response.json()) as { error: string }).error, 'invalid_request');
    }
    assert.equal((await fetch(`${idp.url}/${TENANT}/nothing`)).status, 404);
  });

  test('admin: down, up, rotate (dropping old keys) and stats', async () => {
    assert.equal((await fetch(`${idp.url}/admin/down`, { method: 'POST' })).status, 200);
    assert.equal((await fetch(`${idp.url}/${TENANT}/discovery/v2.0/keys`)).status, 503);
    await fetch(`${idp.url}/admin/up`, { method: 'POST' });
    const before = idp.stats();
    const { kid } = (await (await fetch(`${idp.url}/admin/rotate`, { method: 'POST', body: '{"keepOld":false}' })).json()) as { kid: string };
    const stats = (await (await fetch(`${idp.url}/admin/stats`)).json()) as { publishedKids: string[]; currentKid: string; jwksFetches: number };
    assert.deepEqual(stats.publishedKids, [kid]);
    assert.equal(stats.currentKid, kid);
    assert.notEqual(kid, before.currentKid);
    assert.equal(stats.jwksFetches, before.jwksFetches);
  });

  test('the CLI runner prints the authority and a curl line, and stops when told', async () => {
    const lines: string[] = [];
    let stop = () => {};
    const until = new Promise<void>((resolve) => (stop = resolve));
    const running = runDevIdp({ port: 0, host: '127.0.0.1' }, { out: (l) => lines.push(l), err: (l) => lines.push(l) }, until);
    while (lines.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const authority = /^authority: (\S+)/.exec(lines[0] ?? '')?.[1];
    assert.ok(authority, lines[0]);
    assert.match(lines[1] ?? '', /^mint a token: curl -s -X POST http:\/\/127\.0\.0\.1:\d+\/<TenantId>\/token /);
    assert.equal((await fetch(`${authority}/${TENANT}/discovery/v2.0/keys`)).status, 200);
    stop();
    await running;
    await assert.rejects(fetch(`${authority}/${TENANT}/discovery/v2.0/keys`));
  });
});

describe('dev-idp objectIds', () => {
  test('the same email gets the same oid every time (a re-minted token signs in to the same account); none given: random', () => {
    const a = objectIdFor('Jane@Example.com');
    assert.equal(objectIdFor('jane@example.com'), a);
    assert.notEqual(objectIdFor('john@example.com'), a);
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(objectIdFor(undefined), objectIdFor(undefined));
  });
});
