import type { Database } from '../connect.ts';

export type IdentitySource = 'oauth' | 'saml' | 'ldap';

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
    await db('identities')
      .insert({ ...observation, seen_at: db.fn.now() })
      .onConflict(['user_id', 'source'])
      .merge(['tenant_id', 'object_id', 'raw_value', 'attribute', 'seen_at']);
  },
};
