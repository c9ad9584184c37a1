// The Entra access-token verifier: reference/entra-saml-ldap.md §7 as a pipeline of named checks, in order
//   format → header → encoding → algorithm → version → key → signature →
//   issuer → tenant → audience → scope → client → identity → time
// Each check lives in checks/ and raises a catalogue AppError whose detailed_error names the check (never the token).
// Claims are trusted only after the signature check; before it, only the header and `ver` (which picks the key
// set) are read. Keys come from the configured tenant's JWKS through our own cache (keys/), never from the token.
import type { Logger } from 'pino';
import type { Settings } from '../settings/model.ts';
import { checkAlgorithm } from './checks/algorithm.ts';
import { checkAudience } from './checks/audience.ts';
import { checkClient } from './checks/client.ts';
import { checkHeader } from './checks/header.ts';
import { checkIdentity, type TokenIdentity } from './checks/identity.ts';
import { checkIssuer } from './checks/issuer.ts';
import { checkScope, checkUserToken } from './checks/scope.ts';
import { checkSignature } from './checks/signature.ts';
import { checkSignatureEncoding } from './checks/signature-encoding.ts';
import { checkTenant } from './checks/tenant.ts';
import { checkTime } from './checks/time.ts';
import { checkVersion } from './checks/version.ts';
import { parseCompactJws } from './compact-jws.ts';
import { expectationsFor, normaliseAuthority } from './expectations.ts';
import { KeySets } from './keys/key-sets.ts';

/** What a verified token tells: who (tenant, objectId and display claims), through which client, until when. */
export interface VerifiedToken extends TokenIdentity {
  tid: string;
  version: '1.0' | '2.0';
  clientId: string;
  scopes: string[];
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface TokenVerifierOptions {
  /** e.g. https://login.microsoftonline.com or http://127.0.0.1:PORT */
  authority: string;
  /** Least time between two key-set refreshes caused by unknown kids. */
  cooldownMs: number;
  /** default 5000 */
  fetchTimeoutMs?: number;
  /** default 1 h, 0 = off */
  backgroundRefreshMs?: number;
  /** default 60, at most 300 (§7.7) */
  maxSkewSeconds?: number;
  log?: Logger;
  fetch?: typeof fetch;
  /** Told the outcome of every JWKS request (for metrics). */
  onKeySetFetch?: (outcome: 'ok' | 'failed') => void;
}

const MAX_ALLOWED_SKEW_SECONDS = 300;

export interface VerifyHooks {
  /**
   * Called once the signature verified (the token is the tenant's own, whatever the later checks say), before
   * any claim is trusted. What it throws ends the verification.
   */
  signatureVerified?(): void;
}

export class TokenVerifier {
  private readonly authority: string;
  private readonly skewSeconds: number;
  private readonly keySets: KeySets;

  constructor(o: TokenVerifierOptions) {
    this.authority = normaliseAuthority(o.authority);
    new URL(this.authority); // fail at start-up, not at the first sign-in
    this.skewSeconds = o.maxSkewSeconds ?? 60;
    if (!(this.skewSeconds >= 0 && this.skewSeconds <= MAX_ALLOWED_SKEW_SECONDS)) {
      throw new RangeError(`maxSkewSeconds must be between 0 and ${MAX_ALLOWED_SKEW_SECONDS}`);
    }
    this.keySets = new KeySets({
      cooldownMs: o.cooldownMs,
      fetchTimeoutMs: o.fetchTimeoutMs ?? 5000,
      backgroundRefreshMs: o.backgroundRefreshMs ?? 60 * 60 * 1000,
      fetch: o.fetch ?? globalThis.fetch,
      log: o.log,
      onFetched: o.onKeySetFetch,
    });
  }

  async verify(accessToken: string, settings: Settings, now: number = Date.now(), hooks: VerifyHooks = {}): Promise<VerifiedToken> {
    const expect = expectationsFor(settings, this.authority);
    const token = parseCompactJws(accessToken);
    checkHeader(token.header); // RFC 7515 §4.1.11, RFC 7797, RFC 7516
    checkSignatureEncoding(token.compact); // RFC 7515 §2, RFC 4648 §3.5
    const kid = checkAlgorithm(token.header); // §7.1
    const version = checkVersion(token.claims, expect); // §7.3
    const key = await this.keySets.keyFor(expect.tenantId, expect.jwksUrl[version], kid); // §7.2
    checkSignature(token, key); // §7.1–7.2
    hooks.signatureVerified?.();
    const claims = token.claims; // trusted from here on
    checkIssuer(claims, version, expect); // §7.4
    const tid = checkTenant(claims, expect); // §7.4, §7.8
    checkAudience(claims, version, expect); // §7.6
    const scopes = checkScope(checkUserToken(claims), expect); // §7.10
    const clientId = checkClient(claims, version, expect); // §7.9
    const identity = checkIdentity(claims); // §7.8
    const expiresAt = checkTime(claims, now, this.skewSeconds); // §7.7
    return { ...identity, tid, version, clientId, scopes, expiresAt };
  }

  /** Stops the background refresh timers. */
  close(): void {
    this.keySets.close();
  }

  /** Observability for tests and metrics: JWKS requests made, tenants with keys cached. */
  stats(): { fetches: number; tenantsCached: number } {
    return this.keySets.stats();
  }
}
