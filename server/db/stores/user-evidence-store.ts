import type { Database } from '../connect.ts';

import type { EnrollmentState, EvidenceSource } from '../../contract/enrollment.ts';

// The states and sources are the state machine's (enrollment/mam-state.ts); this store only keeps them.
export type EvidenceState = EnrollmentState;
export type { EvidenceSource };

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

/** One protected user's evidence with the imported account (if any), for the admin pages. */
export interface EvidenceListRow extends UserEvidenceRow {
  username: string | null;
  email: string | null;
  revocation_pending: boolean;
  /** updated_at exactly as stored (microseconds, UTC), the paging cursor's key. */
  updated_key: string;
}

export interface EvidencePageFilter {
  state?: EvidenceState;
  source?: EvidenceSource;
  /** A chat user id, or a username or email (case-insensitive). */
  user?: string;
  limit: number;
  /** Rows strictly older than this (updated_at, user_id) key, newest first. */
  before?: { updatedAt: string; userId: string };
}

export const userEvidenceStore = {
  /**
   * One query, bounded by the limit: the newest evidence first (ties by user id), joined with the imported account
   * and whether a revocation of the user's sessions is still pending (one pass over the pending revocations, which
   * the partial index chat_revocations_due holds).
   */
  async page(db: Database, filter: EvidencePageFilter): Promise<EvidenceListRow[]> {
    const where: string[] = [];
    const bindings: (string | number)[] = [];
    if (filter.state) {
      where.push('e.state = ?');
      bindings.push(filter.state);
    }
    if (filter.source) {
      where.push('e.source = ?');
      bindings.push(filter.source);
    }
    if (filter.user) {
      where.push('(e.user_id = ? or lower(u.username) = lower(?) or lower(u.email) = lower(?))');
      bindings.push(filter.user, filter.user, filter.user);
    }
    if (filter.before) {
      where.push('(e.updated_at, e.user_id) < (?::timestamptz, ?)');
      bindings.push(filter.before.updatedAt, filter.before.userId);
    }
    const result = await db.raw(
      `select e.user_id, e.state, e.source, e.details, e.updated_at,
              to_char(e.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as updated_key,
              u.username, u.email,
              e.user_id in (select r.user_id from chat_revocations r where r.done_at is null) as revocation_pending
         from user_evidence e
         left join users u on u.id = e.user_id and u.deleted_at is null
        ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
        order by e.updated_at desc, e.user_id desc
        limit ?`,
      [...bindings, filter.limit],
    );
    return result.rows as EvidenceListRow[];
  },
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
