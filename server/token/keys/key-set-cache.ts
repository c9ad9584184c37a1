// The signing keys of one JWKS URL (one tenant, one token version), kept the way Microsoft's rollover guidance asks
// (reference §1.2): last-good keys survive failed refreshes, refreshes are single-flight, an unknown kid may cause
// a refresh at most once per cooldown, and a timer refreshes in the background so rotation is usually seen before
// the first token signed with a new key arrives.
import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import { invalidToken, signingKeysUnavailable } from '../refusal.ts';
import { fetchJwks } from './fetch-jwks.ts';
import { usableSigningKeys } from './usable-keys.ts';

/** With no keys at all, retry a failed fetch sooner than the cooldown: otherwise one blip means minutes of 503s. */
const NO_KEYS_RETRY_CAP_MS = 10_000;
/** Keys older than this are refreshed (without waiting) on next use, in case the background timer is off. */
const MAX_KEY_AGE_MS = 24 * 60 * 60 * 1000;

export interface KeySetCacheOptions {
  url: string;
  tenant: string;
  cooldownMs: number;
  fetchTimeoutMs: number;
  backgroundRefreshMs: number;
  fetch: typeof fetch;
  log?: Logger;
  /** Called once per HTTP request made, for stats. */
  onFetch: () => void;
  /** Told how each request ended: ok (usable keys read) or failed (the last good keys are kept). */
  onFetched?: (outcome: 'ok' | 'failed') => void;
}

/** Monotonic, so wall-clock jumps neither shorten nor stretch the cooldown. */
const clock = () => performance.now();

export class KeySetCache {
  readonly url: string;
  readonly tenant: string;
  private keys: ReadonlyMap<string, KeyObject> | undefined;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private lastFailure = 'not fetched yet';
  private inflight: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: KeySetCacheOptions) {
    this.url = options.url;
    this.tenant = options.tenant;
    if (options.backgroundRefreshMs > 0) {
      this.timer = setInterval(() => void this.refresh(), options.backgroundRefreshMs);
      this.timer.unref(); // never keeps the process alive
    }
  }

  hasKeys(): boolean {
    return this.keys !== undefined;
  }

  /** The key for `kid`, refreshing at most once for this call and only when the rules above allow it. */
  async keyFor(kid: string): Promise<KeyObject> {
    let refreshed = false;
    if (!this.keys) {
      if (!this.inflight && clock() - this.lastAttemptAt < Math.min(this.options.cooldownMs, NO_KEYS_RETRY_CAP_MS)) {
        throw signingKeysUnavailable(this.url, this.lastFailure);
      }
      await this.refresh();
      refreshed = true;
      if (!this.keys) throw signingKeysUnavailable(this.url, this.lastFailure);
    }
    const known = this.keys.get(kid);
    if (known) {
      if (clock() - this.fetchedAt > MAX_KEY_AGE_MS && this.outsideCooldown()) void this.refresh();
      return known;
    }
    // Unknown kid: join a refresh under way, or start one if the cooldown allows; attacker-chosen kids therefore
    // cost at most one fetch per cooldown however many arrive.
    if (!refreshed && (this.inflight || this.outsideCooldown())) await this.refresh();
    const found = this.keys.get(kid);
    if (!found) throw invalidToken('key', 'the token is signed by a key this tenant does not publish');
    return found;
  }

  /** Single-flight: every caller during a fetch shares it. Never rejects; failures keep the last good keys. */
  refresh(): Promise<void> {
    if (this.inflight) return this.inflight;
    this.lastAttemptAt = clock();
    this.options.onFetch();
    this.inflight = this.load().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private outsideCooldown(): boolean {
    return clock() - this.lastAttemptAt >= this.options.cooldownMs;
  }

  private async load(): Promise<void> {
    const { url, log } = this.options;
    try {
      const document = await fetchJwks(url, { fetch: this.options.fetch, timeoutMs: this.options.fetchTimeoutMs });
      const { keys, skipped } = usableSigningKeys(document);
      if (keys.size === 0) throw new Error(`no usable RSA signing keys (${skipped} skipped)`);
      this.keys = keys;
      this.fetchedAt = clock();
      log?.debug({ jwksUrl: url, keys: keys.size, skipped }, 'signing keys refreshed');
      this.options.onFetched?.('ok');
    } catch (error) {
      this.options.onFetched?.('failed');
      this.lastFailure = (error as Error).message;
      log?.warn({ jwksUrl: url, reason: this.lastFailure, keptKeys: this.keys?.size ?? 0 }, 'signing key refresh failed');
    }
  }
}
