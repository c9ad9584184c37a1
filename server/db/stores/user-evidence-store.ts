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
  /** A request to end the user's mobile sessions on the chat server is not confirmed yet. */
  revocation_pending: boolean;
  details: Record<string, unknown> | null;
}

export const userEvidenceStore = {
  /** One query: the imported account (if any) and its evidence (if any). */
  async subject(db: Database, userId: string): Promise<GateSubjectRow> {
    const result = await db.raw(
      `select u.auth_service, u.auth_data, e.state, e.source, e.details,
              exists (select 1 from chat_revocations r where r.user_id = k.id and r.done_at is null) as revocation_pending
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

export interface UserEvidenceEventRow {
  user_id: string;
  event_id: string;
  status: string;
  error_code: string | null;
  cause: string;
  answer: unknown;
  request_id: string | null;
}

export const userEvidenceEventStore = {
  find(db: Database, userId: string, eventId: string): Promise<UserEvidenceEventRow | undefined> {
    return db('user_evidence_events').where({ user_id: userId, event_id: eventId }).first();
  },
  async insert(db: Database, row: UserEvidenceEventRow): Promise<void> {
    await db('user_evidence_events').insert({ ...row, answer: JSON.stringify(row.answer) });
  },
  /** Serialises reports for one user across nodes (held until the transaction ends). */
  async lockUser(db: Database, userId: string): Promise<void> {
    await db.raw("select pg_advisory_xact_lock(hashtextextended('user_evidence:' || ?, 0))", [userId]);
  },
};
