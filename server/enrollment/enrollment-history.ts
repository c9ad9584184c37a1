import type { Database } from '../db/connect.ts';
import { enrollmentStore } from '../db/stores/enrollment-store.ts';
import { userStore } from '../db/stores/user-store.ts';
import { FAILURE_CAUSES, type FailureCause } from './classify-failure.ts';

export interface EnrollmentFilter {
  status?: string;
  userId?: string;
  cause?: string;
  limit: number;
  beforeId?: number;
}

/** Enrollment reports, newest first, each with what its cause means and what to do. */
export async function listEnrollments(db: Database, filter: EnrollmentFilter) {
  // The user filter takes an id, a username or an email, as the admin types it.
  const userId = filter.userId ? ((await userStore.findByRef(db, filter.userId))?.id ?? filter.userId) : undefined;
  const rows = await enrollmentStore.page(db, { ...filter, userId });
  return {
    items: rows.map((row) => ({
      id: Number(row.id),
      event_id: row.event_id,
      session_id: row.session_id,
      user_id: row.user_id,
      username: row.username,
      email: row.email,
      tenant_id: row.tenant_id,
      device_id: row.device_id,
      status: row.status,
      error_code: row.error_code,
      error_message: row.error_message,
      cause: row.cause,
      cause_summary: FAILURE_CAUSES[row.cause as FailureCause]?.summary ?? row.cause,
      next_step: FAILURE_CAUSES[row.cause as FailureCause]?.next_step ?? '',
      created_at: new Date(row.created_at).toISOString(),
    })),
    next_before: rows.length === filter.limit ? Number(rows[rows.length - 1]!.id) : null,
  };
}
