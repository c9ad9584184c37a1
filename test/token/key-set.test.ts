// The verifier's own key handling, against the dev issuer's real JWKS endpoint: refresh on rotation, the cooldown,
// single-flight, last-good keys during an outage, 503 with no keys, and the fetch timeout. No test measures time:
// cooldowns are 0 (always allowed) or an hour (never reached), and the timeout test only needs the request to end.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import { type TokenVerifierOptions, TokenVerifier } from '../../server/token/verifier.ts';
import { assertRefused, mintOverHttp, settingsWith, USER_OID, validV2 } from './fixtures.ts';

const HOUR = 60 * 60 * 1000;
const JWKS_INIT = 'ent.intune.validate_token.jwks_init.app_error';
const INVALID = 'ent.intune.validate_token.invalid_token.app_error';

describe('signing keys', () => {
  let idp: DevIdp;
  const verifiers: TokenVerifier[] = [];
  const verifierWith = (options: Partial<TokenVerifierOptions>) => {
    const v = new TokenVerifier({ authority: idp.url, cooldownMs: HOUR, backgroundRefreshMs: 0, ...options });
    verifiers.push(v);
    return v;
  };
  const fetches = () => idp.stats().jwksFetches;

  before(async () => {
    idp = await startDevIdp();
  });
  after(async () => {
    for (const v of verifiers) v.close();
    await idp.stop();
  });

  test('a key that appeared after the cache was filled is found with exactly one refresh', async () => {
    const verifier = verifierWith({ cooldownMs: 0 });
    await verifier.verify(await mintOverHttp(idp, validV2()), settingsWith());
    assert.equal(verifier.stats().fetches, 1);
    const rotated = await fetch(`${idp.url}/admin/rotate`, { method: 'POST', body: '{"keepOld":true}' });
    assert.equal(rotated.status, 200);
    const token = await mintOverHttp(idp, validV2());
    const before = fetches();
    assert.equal((await verifier.verify(token, settingsWith())).oid, USER_OID);
    assert.equal(fetches() - before, 1);
    assert.equal(verifier.stats().fetches, 2);
    await verifier.verify(token, settingsWith()); // now cached: no further fetch
    assert.equal(fetches() - before, 1);
  });

  test('inside the cooldown an unknown kid causes no fetch, even for a genuinely new key', async () => {
    const verifier = verifierWith({ cooldownMs: HOUR });
    await verifier.verify(await mintOverHttp(idp, validV2()), settingsWith());
    await idp.rotate();
    const token = await mintOverHttp(idp, validV2());
    const before = fetches();
    await assertRefused(verifier.verify(token, settingsWith()), INVALID, token);
    assert.equal(fetches() - before, 0);
  });

  test('100 tokens with random kids cause at most one fetch (cold cache, concurrent, then sequential)', async () => {
    const verifier = verifierWith({ cooldownMs: HOUR });
    const tokens = await Promise.all(
      Array.from({ length: 100 }, () => mintOverHttp(idp, validV2({ header: { kid: randomUUID() } }))),
    );
    const before = fetches();
    const results = await Promise.allSettled(tokens.map((t) => verifier.verify(t, settingsWith())));
    assert.ok(results.every((r) => r.status === 'rejected' && (r.reason as { id?: string }).id === INVALID));
    for (const token of tokens) await assertRefused(verifier.verify(token, settingsWith()), INVALID, token);
    assert.equal(fetches() - before, 1);
    assert.equal(verifier.stats().fetches, 1);
    // The one fetch filled the cache: a genuine token still verifies without another.
    await verifier.verify(await mintOverHttp(idp, validV2()), settingsWith());
    assert.equal(fetches() - before, 1);
  });

  test('100 concurrent random-kid tokens share one refresh even with no cooldown', async () => {
    const verifier = verifierWith({ cooldownMs: 0 });
    await verifier.verify(await mintOverHttp(idp, validV2()), settingsWith());
    const tokens = await Promise.all(
      Array.from({ length: 100 }, () => mintOverHttp(idp, validV2({ header: { kid: randomUUID() } }))),
    );
    const before = fetches();
    await Promise.allSettled(tokens.map((t) => verifier.verify(t, settingsWith())));
    assert.equal(fetches() - before, 1);
  });

  describe('while the key endpoint is down', () => {
    let local: DevIdp;
    before(async () => {
      local = await startDevIdp();
    });
    after(async () => {
      await local.stop();
    });

    test('cached keys keep working, also after a failed refresh', async () => {
      const verifier = new TokenVerifier({ authority: local.url, cooldownMs: 0, backgroundRefreshMs: 0 });
      verifiers.push(verifier);
      const token = await mintOverHttp(local, validV2());
      await verifier.verify(token, settingsWith());
      local.setJwksMode('down');
      try {
        const unknown = await mintOverHttp(local, validV2({ header: { kid: 'rotated-away' } }));
        const before = local.stats().jwksFetches;
        await assertRefused(verifier.verify(unknown, settingsWith()), INVALID, unknown); // the refresh failed...
        assert.equal(local.stats().jwksFetches - before, 1);
        assert.equal((await verifier.verify(token, settingsWith())).oid, USER_OID); // ...and the keys were kept
      } finally {
        local.setJwksMode('up');
      }
    });

    test('no keys at all is 503 jwks_init, and sign-in resumes when the endpoint is back', async () => {
      const verifier = new TokenVerifier({ authority: local.url, cooldownMs: 0, backgroundRefreshMs: 0 });
      verifiers.push(verifier);
      const token = await mintOverHttp(local, validV2());
      local.setJwksMode('down');
      try {
        const error = await assertRefused(verifier.verify(token, settingsWith()), JWKS_INIT, token);
        assert.equal(error.status, 503);
        assert.match(error.detailed, /HTTP 503/);
        assert.equal(verifier.stats().tenantsCached, 0);
      } finally {
        local.setJwksMode('up');
      }
      assert.equal((await verifier.verify(token, settingsWith())).oid, USER_OID);
      assert.equal(verifier.stats().tenantsCached, 1);
    });

    test('with no keys and a long cooldown, a failed fetch is not retried by every request', async () => {
      const verifier = new TokenVerifier({ authority: local.url, cooldownMs: HOUR, backgroundRefreshMs: 0 });
      verifiers.push(verifier);
      const token = await mintOverHttp(local, validV2());
      local.setJwksMode('down');
      try {
        const before = local.stats().jwksFetches;
        for (let i = 0; i < 20; i++) await assertRefused(verifier.verify(token, settingsWith()), JWKS_INIT, token);
        assert.equal(local.stats().jwksFetches - before, 1);
      } finally {
        local.setJwksMode('up');
      }
    });

    test('a hanging key endpoint is cut off by fetchTimeoutMs', { timeout: 20_000 }, async () => {
      const verifier = new TokenVerifier({ authority: local.url, cooldownMs: 0, backgroundRefreshMs: 0, fetchTimeoutMs: 200 });
      verifiers.push(verifier);
      const token = await mintOverHttp(local, validV2());
      local.setJwksMode('hang');
      try {
        const error = await assertRefused(verifier.verify(token, settingsWith()), JWKS_INIT, token);
        assert.match(error.detailed, /timed out after 200 ms/);
      } finally {
        local.setJwksMode('up');
      }
    });
  });

  test('v1 and v2 tokens use the tenant\'s v1 and v2 key sets; one tenant is counted once', async () => {
    const verifier = verifierWith({ cooldownMs: HOUR });
    await verifier.verify(await mintOverHttp(idp, validV2()), settingsWith());
    await verifier.verify(await mintOverHttp(idp, validV2({ version: '1.0', aud: `api://${settingsWith().IntuneSettings.ClientId}` })), settingsWith());
    assert.deepEqual(verifier.stats(), { fetches: 2, tenantsCached: 1 });
  });

  test('keys are fetched for the configured tenant only, whatever tenant the token names', async () => {
    const requested: string[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      requested.push(String(input));
      return fetch(input, init);
    };
    const verifier = verifierWith({ cooldownMs: HOUR, fetch: recordingFetch });
    const foreign = await mintOverHttp(idp, validV2(), '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d');
    await assertRefused(verifier.verify(foreign, settingsWith()), 'ent.intune.validate_token.invalid_tenant_id.app_error', foreign);
    assert.deepEqual(requested, [`${idp.url}/${settingsWith().IntuneSettings.TenantId}/discovery/v2.0/keys`]);
  });

  test('the background refresh fetches again by itself', { timeout: 20_000 }, async () => {
    const verifier = verifierWith({ cooldownMs: HOUR, backgroundRefreshMs: 20 });
    await verifier.verify(await mintOverHttp(idp, validV2()), settingsWith());
    while (verifier.stats().fetches < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    verifier.close();
  });
});
