import type { Database } from '../connect.ts';

export interface AdminTokenRow {
  id: string;
  name: string;
  token_hash: string;
  created_by: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export const adminTokenStore = {
  async insert(db: Database, row: Pick<AdminTokenRow, 'id' | 'name' | 'token_hash' | 'created_by'>): Promise<AdminTokenRow> {
    const [created] = (await db('admin_tokens').insert(row).returning('*')) as AdminTokenRow[];
    return created!;
  },
  async findActiveByHash(db: Database, tokenHash: string): Promise<AdminTokenRow | undefined> {
    return db('admin_tokens').where({ token_hash: tokenHash }).whereNull('revoked_at').first();
  },
  async list(db: Database): Promise<AdminTokenRow[]> {
    return db('admin_tokens').orderBy('created_at', 'asc');
  },
  /** Returns false when no token has that id. Revoking twice keeps the first revocation time. */
  async revoke(db: Database, id: string): Promise<boolean> {
    const found = await db('admin_tokens').where({ id }).first();
    if (!found) return false;
    await db('admin_tokens').where({ id }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
    return true;
  },
  /** Records a use unless one was recorded within the interval (SQL interval text): no write in between. */
  async touch(db: Database, id: string, interval: string): Promise<void> {
    await db('admin_tokens')
      .where({ id })
      .andWhere((q) => q.whereNull('last_used_at').orWhereRaw('last_used_at < now() - cast(? as interval)', [interval]))
      .update({ last_used_at: db.fn.now() });
  },
  /** The ids of the tokens with this name (letter case aside). */
  async idsNamed(db: Database, name: string): Promise<string[]> {
    const rows = await db('admin_tokens').select('id').whereRaw('lower(name) = lower(?)', [name]);
    return rows.map((r: { id: string }) => r.id);
  },
  /** id → name of the given tokens (revoked ones too: the log still names them). */
  async namesOf(db: Database, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = (await db('admin_tokens').select('id', 'name').whereIn('id', ids)) as { id: string; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  },
};
