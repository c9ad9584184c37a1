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
  async touch(db: Database, id: string): Promise<void> {
    await db('admin_tokens').where({ id }).update({ last_used_at: db.fn.now() });
  },
};
