// How often protected Android clients came, counted from the audit log rather than a counter table: every Android
// decision is already written there (each sign-in, and the gate's refusals and unprotected passes once per session
// within a window with the repeats counted), so the count needs no new table, no write on the hot path, and agrees
// across nodes. Read by the preflight check and the admin activity page.
import type { Database } from '../db/connect.ts';

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
  const weight = "1 + coalesce((details->>'repeats_since_last_entry')::int, 0)";
  const row = (await db('audit_log')
    .where('at', '>=', since)
    .select(
      db.raw(`coalesce(sum(${weight}) filter (where details->>'error_id' = ?), 0)::int as refused`, [ANDROID_ERROR]),
      db.raw(
        `coalesce(sum(${weight}) filter (where action = 'gate.android_unprotected' or (action = 'login.intune' and details->>'android_unprotected' = 'true')), 0)::int as allowed_unprotected`,
      ),
      db.raw(
        "coalesce(sum(1) filter (where action = 'login.intune' and outcome = 'success' and details->>'platform' = 'android' and details->>'android_unprotected' is null), 0)::int as held_for_evidence",
      ),
    )
    .first()) as { refused: number; allowed_unprotected: number; held_for_evidence: number };
  const counts = { refused: Number(row.refused), allowed_unprotected: Number(row.allowed_unprotected), held_for_evidence: Number(row.held_for_evidence) };
  return { since: since.toISOString(), ...counts, total: counts.refused + counts.allowed_unprotected + counts.held_for_evidence };
}
