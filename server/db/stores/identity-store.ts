import type { Database } from '../connect.ts';

export type IdentitySource = 'oauth' | 'saml' | 'ldap';

/**
 * An unchanged observation is rewritten (its seen_at moved) at most this often, so concurrent sign-ins of one user
 * do not queue on the row lock. SQL interval text; the sign-in's own statement uses it too.
 */
export const IDENTITY_REFRESH_INTERVAL = '1 hour';

export interface IdentityObservation {
  user_id: string;
  source: IdentitySource;
  tenant_id: string;
  object_id: string | null;
  raw_value: string | null;
  attribute: string;
}

export const identityStore = {
  /** Keeps the latest observation per user and source. */
  async record(db: Database, observation: IdentityObservation): Promise<void> {
    // Unchanged and seen within the hour: no write, so concurrent sign-ins of one user do not queue on the row lock.
    const updated = await db('identities')
      .where({ user_id: observation.user_id, source: observation.source })
      .andWhere((q) =>
        q
          .whereRaw('(tenant_id, object_id, raw_value, attribute) is distinct from (?, ?, ?, ?)', [
            observation.tenant_id,
            observation.object_id,
            observation.raw_value,
            observation.attribute,
          ])
          .orWhereRaw('seen_at < now() - cast(? as interval)', [IDENTITY_REFRESH_INTERVAL]),
      )
      .update({ ...observation, seen_at: db.fn.now() });
    if (updated > 0) return;
    await db('identities').insert({ ...observation, seen_at: db.fn.now() }).onConflict(['user_id', 'source']).ignore();
  },
  /**
   * How many users a source saw since `since`, and how many of those observations carried an objectId (two counts,
   * one statement each).
   */
  async seenSince(db: Database, source: IdentitySource, since: Date): Promise<{ seen: number; withObjectId: number }> {
    const seen = (await db('identities').where({ source }).where('seen_at', '>=', since).count('* as n').first()) as { n: number } | undefined;
    const withId = (await db('identities').where({ source }).whereNotNull('object_id').where('seen_at', '>=', since).count('* as n').first()) as
      | { n: number }
      | undefined;
    return { seen: Number(seen?.n ?? 0), withObjectId: Number(withId?.n ?? 0) };
  },
  /** Every source's latest observation of the user (oauth, saml, ldap), in that order. */
  listForUser(db: Database, userId: string): Promise<(IdentityObservation & { seen_at: Date })[]> {
    return db('identities')
      .select('user_id', 'source', 'tenant_id', 'object_id', 'raw_value', 'attribute', 'seen_at')
      .where({ user_id: userId })
      .orderByRaw("array_position(array['oauth', 'saml', 'ldap'], source)");
  },
};
