// One KeySetCache per JWKS URL. URLs are built from the configured tenant only, so this map holds a handful of
// entries (one per tenant and token version); a settings change to another tenant retires the least recently used.
import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import { KeySetCache } from './key-set-cache.ts';

const MAX_KEY_SETS = 16;

export interface KeySetsOptions {
  cooldownMs: number;
  fetchTimeoutMs: number;
  backgroundRefreshMs: number;
  fetch: typeof fetch;
  log?: Logger;
  /** Told the outcome of every JWKS request. */
  onFetched?: (outcome: 'ok' | 'failed') => void;
}

export class KeySets {
  private readonly caches = new Map<string, KeySetCache>();
  private fetches = 0;

  constructor(private readonly options: KeySetsOptions) {}

  keyFor(tenant: string, url: string, kid: string): Promise<KeyObject> {
    return this.cacheFor(tenant, url).keyFor(kid);
  }

  stats(): { fetches: number; tenantsCached: number } {
    const tenants = new Set([...this.caches.values()].filter((c) => c.hasKeys()).map((c) => c.tenant));
    return { fetches: this.fetches, tenantsCached: tenants.size };
  }

  close(): void {
    for (const cache of this.caches.values()) cache.close();
    this.caches.clear();
  }

  private cacheFor(tenant: string, url: string): KeySetCache {
    let cache = this.caches.get(url);
    if (cache) {
      this.caches.delete(url); // re-insert: Map order is the recency order
    } else {
      cache = new KeySetCache({ ...this.options, url, tenant, onFetch: () => this.fetches++ });
      const oldest = this.caches.keys().next();
      if (this.caches.size >= MAX_KEY_SETS && !oldest.done) {
        this.caches.get(oldest.value)?.close();
        this.caches.delete(oldest.value);
      }
    }
    this.caches.set(url, cache);
    return cache;
  }
}
