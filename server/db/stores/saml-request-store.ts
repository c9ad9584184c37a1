// The saml_requests table, shared by every node: the ids of AuthnRequests started here and the keys of assertions
// already consumed, each row until it expires. Which ids may be looked up, and how an assertion's key is made, is
// identity/saml/request-cache.ts's.
import type { Database } from '../connect.ts';

const expiresIn = (db: Database, ms: number) => db.raw("now() + ? * interval '1 millisecond'", [Math.max(0, Math.round(ms))]);

export const samlRequestStore = {
  /** Stores a started request; answers when it was stored. */
  async save(db: Database, id: string, lifetimeMs: number): Promise<Date> {
    const [row] = (await db('saml_requests')
      .insert({ id, expires_at: expiresIn(db, lifetimeMs) })
      .returning('created_at')) as { created_at: Date }[];
    return new Date(row!.created_at);
  },
  /** When the unexpired row with this id was stored; undefined when there is none. */
  async startedAt(db: Database, id: string): Promise<Date | undefined> {
    const row = (await db('saml_requests').select('created_at').where({ id }).where('expires_at', '>', db.fn.now()).first()) as
      | { created_at: Date }
      | undefined;
    return row ? new Date(row.created_at) : undefined;
  },
  /** False when no row had this id. */
  async remove(db: Database, id: string): Promise<boolean> {
    return (await db('saml_requests').where({ id }).delete()) > 0;
  },
  /** Stores the key until it expires; false when it was already there. Atomic across nodes. */
  async insertUnlessPresent(db: Database, id: string, validForMs: number): Promise<boolean> {
    const inserted = await db('saml_requests')
      .insert({ id, expires_at: expiresIn(db, validForMs) })
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
