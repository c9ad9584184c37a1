import type { Database } from '../connect.ts';

export type EvidenceState = 'pending' | 'enrolled' | 'declined' | 'failed';
export type EvidenceSource = 'client_report' | 'graph';

export interface UserEvidenceRow {
  user_id: string;
  state: EvidenceState;
  source: EvidenceSource;
  details: Record<string, unknown>;
  updated_at: Date;
}

/** A chat user as the companion gate needs it: the objectId of the protected account, and the evidence. */
export interface GateSubjectRow {
  auth_service: string | null;
  auth_data: string | null;
  state: EvidenceState | null;
  source: EvidenceSource | null;
}

export const userEvidenceStore = {
  /** One query: the imported account (if any) and its evidence (if any). */
  async subject(db: Database, userId: string): Promise<GateSubjectRow> {
    const result = await db.raw(
      `select u.auth_service, u.auth_data, e.state, e.source
         from (select ?::text as id) k
         left join users u on u.id = k.id and u.deleted_at is null
         left join user_evidence e on e.user_id = k.id`,
      [userId],
    );
    return (result.rows as GateSubjectRow[])[0]!;
  },
  async save(db: Database, userId: string, state: EvidenceState, source: EvidenceSource, details: Record<string, unknown>): Promise<void> {
    await db('user_evidence')
      .insert({ user_id: userId, state, source, details, updated_at: new Date() })
      .onConflict('user_id')
      .merge(['state', 'source', 'details', 'updated_at']);
  },
  find(db: Database, userId: string): Promise<UserEvidenceRow | undefined> {
    return db('user_evidence').where({ user_id: userId }).first();
  },
};
