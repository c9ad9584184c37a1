// Tokens the verifier must refuse, one broken rule at a time (reference §7), each with its catalogue id. Every
// refusal is also checked not to echo the token in its message or detailed_error.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import type { MintRequest } from '../../server/devidp/mint.ts';
import type { ErrorId } from '../../server/errors/catalogue.ts';
import type { Settings } from '../../server/settings/model.ts';
import { TokenVerifier } from '../../server/token/verifier.ts';
import {
  assertRefused,
  CLIENT_ID,
  CONSUMER_TENANT,
  mintOverHttp,
  OTHER_TENANT,
  settingsWith,
  TENANT,
  TUNNEL_CLIENT,
  validV2,
  withPayload,
} from './fixtures.ts';

const INVALID = 'ent.intune.validate_token.invalid_token.app_error';
const TENANT_ID = 'ent.intune.validate_token.invalid_tenant_id.app_error';
const EXPIRED = 'ent.intune.validate_token.token_expired.app_error';
const MISSING = 'ent.intune.validate_token.missing_claims.app_error';

interface Case {
  name: string;
  mint: MintRequest;
  /** The tenant of the token endpoint (and so of iss and tid); default the configured one. */
  tenant?: string;
  settings?: (s: Settings) => void;
  /** Applied to the minted token, for tampering. */
  alter?: (token: string) => string;
  id: ErrorId;
  /** The check expected to fail, as named in detailed_error. */
  check: string;
}

const cases: Case[] = [
  { name: 'another tenant in iss', mint: validV2({ iss: `{idp}/${OTHER_TENANT}/v2.0` }), id: TENANT_ID, check: 'issuer' },
  { name: 'another tenant in both iss and tid', mint: validV2(), tenant: OTHER_TENANT, id: TENANT_ID, check: 'issuer' },
  { name: 'another tenant in tid', mint: validV2({ tid: OTHER_TENANT }), id: TENANT_ID, check: 'tenant' },
  { name: 'no tid', mint: validV2({ omit: ['tid'] }), id: TENANT_ID, check: 'tenant' },
  { name: 'a tid that is not a GUID', mint: validV2({ tid: 'contoso.onmicrosoft.com' }), id: TENANT_ID, check: 'tenant' },
  {
    name: 'the consumer (personal account) tenant, even when configured',
    mint: validV2(),
    tenant: CONSUMER_TENANT,
    settings: (s) => (s.IntuneSettings.TenantId = CONSUMER_TENANT),
    id: TENANT_ID,
    check: 'tenant',
  },
  { name: 'a consumer tid under the configured issuer', mint: validV2({ tid: CONSUMER_TENANT }), id: TENANT_ID, check: 'tenant' },
  { name: 'an issuer of another shape', mint: validV2({ iss: 'https://evil.example/v2.0' }), id: INVALID, check: 'issuer' },
  { name: 'a v1 issuer on a v2 token', mint: validV2({ iss: `{idp}/${TENANT}/` }), id: INVALID, check: 'issuer' },
  { name: 'the wrong aud', mint: validV2({ aud: randomUUID() }), id: INVALID, check: 'audience' },
  { name: 'the Graph aud', mint: validV2({ aud: '00000003-0000-0000-c000-000000000000' }), id: INVALID, check: 'audience' },
  { name: 'a v2 token whose aud is the App ID URI (v2 aud is always the GUID)', mint: validV2({ aud: `api://${CLIENT_ID}` }), id: INVALID, check: 'audience' },
  { name: 'aud as an array', mint: validV2({ claims: { aud: [CLIENT_ID] } }), id: INVALID, check: 'audience' },
  {
    name: 'a v1 token where v2 is expected (resource named by GUID)',
    mint: validV2({ version: '1.0' }),
    settings: (s) => (s.IntuneSettings.IntuneScope = `${CLIENT_ID}/login.mattermost`),
    id: INVALID,
    check: 'version',
  },
  { name: 'an unknown ver', mint: validV2({ claims: { ver: '3.0' } }), id: INVALID, check: 'version' },
  { name: 'no ver', mint: validV2({ omit: ['ver'] }), id: INVALID, check: 'version' },
  { name: 'expired', mint: validV2({ expOffset: -3600 }), id: EXPIRED, check: 'time' },
  { name: 'expired just beyond the skew', mint: validV2({ expOffset: -90 }), id: EXPIRED, check: 'time' },
  { name: 'nbf far ahead', mint: validV2({ nbfOffset: 600 }), id: INVALID, check: 'time' },
  { name: 'iat far ahead', mint: validV2({ iatOffset: 600 }), id: INVALID, check: 'time' },
  { name: 'no exp', mint: validV2({ omit: ['exp'] }), id: INVALID, check: 'time' },
  { name: 'exp not a number', mint: validV2({ claims: { exp: '9999999999' } }), id: INVALID, check: 'time' },
  { name: 'alg none', mint: validV2({ signWith: 'none' }), id: INVALID, check: 'algorithm' },
  { name: 'HS256 keyed with the public key PEM', mint: validV2({ signWith: 'hs256-public-pem' }), id: INVALID, check: 'algorithm' },
  { name: 'HS256 keyed with the public JWK', mint: validV2({ signWith: 'hs256-public-jwk' }), id: INVALID, check: 'algorithm' },
  { name: 'HS256 claimed in the header of an RS256 signature', mint: validV2({ header: { alg: 'HS256' } }), id: INVALID, check: 'algorithm' },
  { name: 'RS512 claimed', mint: validV2({ header: { alg: 'RS512' } }), id: INVALID, check: 'algorithm' },
  { name: 'a jku header', mint: validV2({ header: { jku: 'https://evil.example/keys' } }), id: INVALID, check: 'algorithm' },
  { name: 'an x5u header', mint: validV2({ header: { x5u: 'https://evil.example/cert' } }), id: INVALID, check: 'algorithm' },
  { name: 'an embedded jwk header', mint: validV2({ header: { jwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } } }), id: INVALID, check: 'algorithm' },
  { name: 'a Graph-style nonce header', mint: validV2({ header: { nonce: 'abc' } }), id: INVALID, check: 'algorithm' },
  { name: 'no kid', mint: validV2({ header: { kid: null } }), id: INVALID, check: 'algorithm' },
  { name: 'a crit header naming a registered claim', mint: validV2({ header: { crit: ['exp'] } }), id: INVALID, check: 'header' },
  { name: 'a crit header naming an extension it carries', mint: validV2({ header: { crit: ['x-ext'], 'x-ext': 1 } }), id: INVALID, check: 'header' },
  { name: 'an empty crit list', mint: validV2({ header: { crit: [] } }), id: INVALID, check: 'header' },
  { name: 'crit that is not even a list', mint: validV2({ header: { crit: 'b64' } }), id: INVALID, check: 'header' },
  { name: 'b64 false (RFC 7797 unencoded payload)', mint: validV2({ header: { b64: false } }), id: INVALID, check: 'header' },
  { name: 'b64 false listed in crit, as RFC 7797 asks', mint: validV2({ header: { b64: false, crit: ['b64'] } }), id: INVALID, check: 'header' },
  { name: 'b64 true', mint: validV2({ header: { b64: true } }), id: INVALID, check: 'header' },
  { name: 'a zip header (compressed payload)', mint: validV2({ header: { zip: 'DEF' } }), id: INVALID, check: 'header' },
  { name: 'an enc header (a JWE parameter)', mint: validV2({ header: { enc: 'A256GCM' } }), id: INVALID, check: 'header' },
  {
    name: 'a non-canonical signature (last character\'s unused bits set): the same bytes, another string',
    mint: validV2(),
    alter: nonCanonicalSignature,
    id: INVALID,
    check: 'encoding',
  },
  {
    name: 'a tampered payload (another oid)',
    mint: validV2(),
    alter: (t) => withPayload(t, (c) => (c.oid = randomUUID())),
    id: INVALID,
    check: 'signature',
  },
  {
    name: 'a tampered payload (aud widened to a list)',
    mint: validV2(),
    alter: (t) => withPayload(t, (c) => (c.aud = [c.aud, 'x'])),
    id: INVALID,
    check: 'signature',
  },
  { name: 'signed by a key nobody publishes, under a published kid', mint: validV2({ signWith: 'unpublished' }), id: INVALID, check: 'signature' },
  { name: 'no oid', mint: validV2({ omit: ['oid'] }), id: MISSING, check: 'identity' },
  { name: 'an oid that is not a GUID', mint: validV2({ oid: 'jane' }), id: INVALID, check: 'identity' },
  { name: 'the scope missing', mint: validV2({ scp: 'User.Read openid' }), id: INVALID, check: 'scope' },
  { name: 'the scope only a prefix of the word', mint: validV2({ scp: 'login.matter' }), id: INVALID, check: 'scope' },
  { name: 'the scope inside a longer word', mint: validV2({ scp: 'login.mattermost.admin xlogin.mattermost' }), id: INVALID, check: 'scope' },
  { name: 'an app-only token (idtyp app)', mint: validV2({ omit: ['scp'], claims: { idtyp: 'app', roles: ['Login.All'] } }), id: INVALID, check: 'scope' },
  { name: 'an app-only token (roles, no scp)', mint: validV2({ omit: ['scp'], claims: { roles: ['login.mattermost'] } }), id: INVALID, check: 'scope' },
  { name: 'idtyp app even with scp', mint: validV2({ claims: { idtyp: 'app' } }), id: INVALID, check: 'scope' },
  { name: 'a client not allowed', mint: validV2({ azp: randomUUID() }), id: INVALID, check: 'client' },
  { name: 'no azp', mint: validV2({ omit: ['azp'] }), id: INVALID, check: 'client' },
  { name: 'appid instead of azp on a v2 token', mint: validV2({ omit: ['azp'], claims: { appid: '9ac649f1-4f77-44d6-9792-b2f54ab3c9a7' } }), id: INVALID, check: 'client' },
  {
    name: 'the tunnel client id while the tunnel keys are not configured',
    mint: validV2({ azp: TUNNEL_CLIENT }),
    settings: (s) => (s.IntuneSettings.TunnelClientId = TUNNEL_CLIENT),
    id: INVALID,
    check: 'client',
  },
];

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The token with its signature's last character bumped within its unused low bits: the signature decodes the same. */
function nonCanonicalSignature(token: string): string {
  const signature = token.slice(token.lastIndexOf('.') + 1);
  assert.notEqual(signature.length % 4, 0, 'an RS256 signature of 256 bytes leaves unused bits');
  const last = BASE64URL.indexOf(signature.at(-1)!);
  const altered = `${token.slice(0, -1)}${BASE64URL[last + 1]}`;
  const decoded = (t: string) => Buffer.from(t.slice(t.lastIndexOf('.') + 1), 'base64url');
  assert.ok(decoded(altered).equals(decoded(token)), 'the altered signature decodes to the same bytes');
  return altered;
}

/** A non-GUID tid is a tenant error; every other malformed claim is invalid_token. */
function errorIdFor(mint: MintRequest): ErrorId {
  return mint.tid !== undefined ? TENANT_ID : INVALID;
}

describe('TokenVerifier refuses', () => {
  let idp: DevIdp;
  let verifier: TokenVerifier;
  before(async () => {
    idp = await startDevIdp();
    verifier = new TokenVerifier({ authority: idp.url, cooldownMs: 0, backgroundRefreshMs: 0 });
  });
  after(async () => {
    verifier.close();
    await idp.stop();
  });

  for (const c of cases) {
    test(c.name, async () => {
      const mint = JSON.parse(JSON.stringify(c.mint).replaceAll('{idp}', idp.url)) as MintRequest;
      const minted = await mintOverHttp(idp, mint, c.tenant);
      const token = c.alter ? c.alter(minted) : minted;
      const error = await assertRefused(verifier.verify(token, settingsWith(c.settings)), c.id, token);
      assert.match(error.detailed, new RegExp(`^token check "${c.check}" failed`));
      if (c.id === MISSING) assert.deepEqual(error.params, { Claim: 'oid' });
      if (c.id === INVALID) assert.match(error.message, /^The Entra access token was refused: .+\.$/);
    });
  }

  test('no error carries a token, not even one smuggled into the claims it quotes', async () => {
    const secret = await mintOverHttp(idp, validV2());
    for (const mint of [validV2({ aud: secret }), validV2({ azp: secret }), validV2({ iss: secret }), validV2({ tid: secret }), validV2({ claims: { ver: secret } })]) {
      const token = await mintOverHttp(idp, mint);
      const error = await assertRefused(verifier.verify(token, settingsWith()), errorIdFor(mint), token);
      for (const text of [error.message, error.detailed]) assert.ok(!text.includes(secret));
    }
  });

  test('an unknown kid, still unknown after the one refresh it may cause', async () => {
    const token = await mintOverHttp(idp, validV2({ header: { kid: 'no-such-key' } }));
    await verifier.verify(await mintOverHttp(idp, validV2()), settingsWith()); // cache filled
    const before = idp.stats().jwksFetches;
    const error = await assertRefused(verifier.verify(token, settingsWith()), INVALID, token);
    assert.match(error.detailed, /^token check "key" failed/);
    assert.equal(idp.stats().jwksFetches - before, 1);
  });

  test('a key published with use "enc" never verifies a token', async () => {
    const local = await startDevIdp();
    const v = new TokenVerifier({ authority: local.url, cooldownMs: 0, backgroundRefreshMs: 0 });
    try {
      await local.rotate({ use: 'enc' });
      const token = await mintOverHttp(local, validV2());
      await assertRefused(v.verify(token, settingsWith()), INVALID, token);
    } finally {
      v.close();
      await local.stop();
    }
  });

  test('a key below 2048 bits never verifies a token', async () => {
    const local = await startDevIdp();
    const v = new TokenVerifier({ authority: local.url, cooldownMs: 0, backgroundRefreshMs: 0 });
    try {
      await local.rotate({ modulusLength: 1024 });
      const token = await mintOverHttp(local, validV2());
      const error = await assertRefused(v.verify(token, settingsWith()), INVALID, token);
      assert.match(error.detailed, /^token check "key" failed/);
    } finally {
      v.close();
      await local.stop();
    }
  });

  test('garbage of every kind is invalid_token, never another error', async () => {
    const valid = await mintOverHttp(idp, validV2());
    const [header, payload] = valid.split('.');
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    const garbage: unknown[] = [
      '',
      'not a token',
      'a.b.c',
      '...',
      `${header}.${payload}`,
      `${valid}.extra.parts`,
      randomBytes(600).toString('base64url'),
      randomBytes(400).toString('latin1'),
      `${b64('[1,2]')}.${payload}.sig`,
      `${b64('null')}.${payload}.sig`,
      `${header}.${b64('"a string"')}.sig`,
      `${Buffer.from([0xff, 0xfe, 0xfd]).toString('base64url')}.${payload}.sig`,
      `${b64('{"alg":"RS256"')}.${payload}.sig`,
      `${header}.${payload}.${'A'.repeat(17 * 1024)}`,
      `Bearer ${valid}`,
      undefined,
      42,
    ];
    for (const input of garbage) {
      const error = await assertRefused(verifier.verify(input as string, settingsWith()), INVALID, typeof input === 'string' ? input : undefined);
      assert.match(error.detailed, /^token check "(format|algorithm)" failed/, String(input).slice(0, 40));
    }
  });

  test('settings no token can be checked against are not_configured, not a token error', async () => {
    const token = await mintOverHttp(idp, validV2());
    await assertRefused(
      verifier.verify(token, settingsWith((s) => (s.IntuneSettings.TenantId = ''))),
      'ent.intune.login.not_configured.app_error',
    );
  });
});
