// The saml_requests table, shared by every node: the ids of AuthnRequests started here (for InResponseTo) and the
// assertions already consumed (so a captured response cannot be posted twice). Both rows expire.
import { createHash, randomBytes } from 'node:crypto';
import type { CacheItem, CacheProvider } from '@node-saml/node-saml';
import type { Database } from '../../db/connect.ts';

/** Ids this service gives its AuthnRequests; nothing else is ever looked up as a pending request. */
const REQUEST_ID = /^_[0-9a-f]{40}$/;
const ASSERTION_PREFIX = 'assertion:';

export function newRequestId(): string {
  return `_${randomBytes(20).toString('hex')}`;
}

export function isRequestId(value: string): boolean {
  return REQUEST_ID.test(value);
}

const expiresIn = (db: Database, ms: number) => db.raw("now() + ? * interval '1 millisecond'", [Math.max(0, Math.round(ms))]);

export const samlRequestStore = {
  async save(db: Database, id: string, lifetimeMs: number): Promise<Date> {
    const [row] = (await db('saml_requests')
      .insert({ id, expires_at: expiresIn(db, lifetimeMs) })
      .returning('created_at')) as { created_at: Date }[];
    return new Date(row!.created_at);
  },
  /** When a pending, unexpired request with this id was started; undefined for anything else. */
  async startedAt(db: Database, id: string): Promise<Date | undefined> {
    if (!isRequestId(id)) return undefined;
    const row = (await db('saml_requests').select('created_at').where({ id }).where('expires_at', '>', db.fn.now()).first()) as
      | { created_at: Date }
      | undefined;
    return row ? new Date(row.created_at) : undefined;
  },
  async remove(db: Database, id: string): Promise<boolean> {
    if (!isRequestId(id)) return false;
    return (await db('saml_requests').where({ id }).delete()) > 0;
  },
  /** Marks an assertion as used until it expires; false when it already was (a replay). Atomic across nodes. */
  async consumeAssertion(db: Database, issuer: string, assertionId: string, validForMs: number): Promise<boolean> {
    const key = ASSERTION_PREFIX + createHash('sha256').update(`${issuer}\n${assertionId}`).digest('hex');
    const inserted = await db('saml_requests')
      .insert({ id: key, expires_at: expiresIn(db, validForMs) })
      .onConflict('id')
      .ignore()
      .returning('id');
    return inserted.length === 1;
  },
  /** Deletes expired rows, a bounded batch at a time. */
  async purgeExpired(db: Database, batch = 1000): Promise<number> {
    return db('saml_requests')
      .whereIn('id', db('saml_requests').select('id').where('expires_at', '<=', db.fn.now()).limit(batch))
      .delete();
  },
};

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
    getAsync: (key) => guarded(async () => (await samlRequestStore.startedAt(db, key))?.toISOString() ?? null),
    removeAsync: (key) => guarded(async () => (key !== null && (await samlRequestStore.remove(db, key)) ? key : null)),
  };
}
