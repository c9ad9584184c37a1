import type { Database } from '../connect.ts';

import type { EnrollmentStatus } from '../../contract/enrollment.ts';

// A device's last reported status (enrollment/mam-state.ts); the sign-in reads it for the first state.
export type { EnrollmentStatus };

export interface EnrollmentEventRow {
  id: number;
  event_id: string;
  session_id: string;
  user_id: string;
  tenant_id: string | null;
  device_id: string | null;
  status: EnrollmentStatus;
  error_code: string | null;
  error_message: string | null;
  cause: string;
  answer: unknown;
  request_id: string | null;
  created_at: Date;
}

export interface EnrollmentKey {
  tenant_id: string;
  object_id: string;
  device_id: string;
}

export const enrollmentStore = {
  async stateFor(db: Database, key: EnrollmentKey): Promise<EnrollmentStatus | undefined> {
    const row = await db('enrollments').where(key).first('state');
    return row?.state;
  },
  async upsert(db: Database, key: EnrollmentKey, state: EnrollmentStatus, eventId: string): Promise<void> {
    await db('enrollments')
      .insert({ ...key, state, last_event_id: eventId, updated_at: db.fn.now() })
      .onConflict(['tenant_id', 'object_id', 'device_id'])
      .merge(['state', 'last_event_id', 'updated_at']);
  },
  findEvent(db: Database, sessionId: string, eventId: string): Promise<EnrollmentEventRow | undefined> {
    return db('enrollment_events').where({ session_id: sessionId, event_id: eventId }).first();
  },
  async insertEvent(db: Database, row: Omit<EnrollmentEventRow, 'id' | 'created_at'>): Promise<void> {
    await db('enrollment_events').insert({ ...row, answer: JSON.stringify(row.answer) });
  },
  /** Events of these statuses since `since`, counted by tenant, status and cause, most frequent first. */
  async countsByCause(db: Database, statuses: EnrollmentStatus[], since: Date): Promise<{ tenant_id: string | null; status: EnrollmentStatus; cause: string; n: number }[]> {
    return (await db('enrollment_events')
      .whereIn('status', statuses)
      .where('created_at', '>=', since)
      .select('tenant_id', 'status', 'cause')
      .count('* as n')
      .groupBy('tenant_id', 'status', 'cause')
      .orderBy('n', 'desc')) as { tenant_id: string | null; status: EnrollmentStatus; cause: string; n: number }[];
  },
  async page(
    db: Database,
    filter: { status?: string; userId?: string; cause?: string; limit: number; beforeId?: number },
  ): Promise<(EnrollmentEventRow & { username: string | null; email: string | null })[]> {
    const query = db('enrollment_events as e')
      .leftJoin('users as u', 'u.id', 'e.user_id')
      .select('e.*', 'u.username', 'u.email')
      .orderBy('e.id', 'desc')
      .limit(filter.limit);
    if (filter.status) query.where('e.status', filter.status);
    if (filter.userId) query.where('e.user_id', filter.userId);
    if (filter.cause) query.where('e.cause', filter.cause);
    if (filter.beforeId !== undefined) query.where('e.id', '<', filter.beforeId);
    return query;
  },
};
