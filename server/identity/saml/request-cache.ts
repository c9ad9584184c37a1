// What SAML keeps in saml_requests (db/stores/saml-request-store.ts), shared by every node: the ids of AuthnRequests
// started here (for InResponseTo) and the assertions already consumed (so a captured response cannot be posted
// twice). Both rows expire.
import { createHash, randomBytes } from 'node:crypto';
import type { CacheItem, CacheProvider } from '@node-saml/node-saml';
import type { Database } from '../../db/connect.ts';
import { samlRequestStore } from '../../db/stores/saml-request-store.ts';

/** Ids this service gives its AuthnRequests; nothing else is ever looked up as a pending request. */
const REQUEST_ID = /^_[0-9a-f]{40}$/;
const ASSERTION_PREFIX = 'assertion:';

export function newRequestId(): string {
  return `_${randomBytes(20).toString('hex')}`;
}

export function isRequestId(value: string): boolean {
  return REQUEST_ID.test(value);
}

/** Marks an assertion as used until it expires; false when it already was (a replay). Atomic across nodes. */
export async function consumeAssertion(db: Database, issuer: string, assertionId: string, validForMs: number): Promise<boolean> {
  const key = ASSERTION_PREFIX + createHash('sha256').update(`${issuer}\n${assertionId}`).digest('hex');
  return samlRequestStore.insertUnlessPresent(db, key, validForMs);
}

/** A database failure inside node-saml's cache calls, kept apart so it is not mistaken for a bad response. */
export class SamlCacheFailure extends Error {
  constructor(cause: unknown) {
    super('the saml_requests table could not be read or written', { cause });
    this.name = 'SamlCacheFailure';
  }
}

async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new SamlCacheFailure(error);
  }
}

/**
 * node-saml's CacheProvider over saml_requests. getAsync answers the request's start time (node-saml reads it as
 * createdAt); removeAsync is how node-saml consumes a request once its response has been checked.
 */
export function samlRequestCache(db: Database, lifetimeMs: number): CacheProvider {
  return {
    saveAsync: (key, value) =>
      guarded(async (): Promise<CacheItem> => {
        const createdAt = await samlRequestStore.save(db, key, lifetimeMs);
        return { value, createdAt: createdAt.getTime() };
      }),
    // Only ids this service gave are looked up: an assertion's key (or anything else) is never a pending request.
    getAsync: (key) => guarded(async () => (isRequestId(key) ? (await samlRequestStore.startedAt(db, key))?.toISOString() : undefined) ?? null),
    removeAsync: (key) => guarded(async () => (key !== null && isRequestId(key) && (await samlRequestStore.remove(db, key)) ? key : null)),
  };
}
