// How often protected Android clients came, counted from the audit log rather than a counter table: every Android
// decision is already written there (each sign-in, and the gate's refusals and unprotected passes once per session
// within a window with the repeats counted), so the count needs no new table, no write on the hot path, and agrees
// across nodes. Read by the preflight check and the admin activity page.
import type { Database } from '../db/connect.ts';
import { auditStore } from '../db/stores/audit-store.ts';

const ANDROID_ERROR = 'mamgate.intune.android_not_supported.app_error';

export interface AndroidAttempts {
  since: string;
  /** Refused with android_not_supported (AndroidPolicy refuse), at the sign-in or the gate. */
  refused: number;
  /** Let through without app protection (AndroidPolicy allow_unprotected), at the sign-in or the gate. */
  allowed_unprotected: number;
  /** Signed in and held until evidence like iOS (AndroidPolicy require_enrollment). */
  held_for_evidence: number;
  total: number;
}

export async function androidAttempts(db: Database, since: Date): Promise<AndroidAttempts> {
  const counts = await auditStore.androidDecisions(db, since, ANDROID_ERROR);
  return { since: since.toISOString(), ...counts, total: counts.refused + counts.allowed_unprotected + counts.held_for_evidence };
}
