// One user as the admin pages show them (GET admin/users/{id}): the account, their sessions, their enrollment
// evidence, their enrollment reports, what each identity source last saw, and the audit entries about them.
// A chat user a companion never imported has no account row but may have evidence and activity: they are shown
// with what is known; a user of whom nothing at all is known is the catalogue's 404.
import { listAudit, type AuditItem } from '../audit/audit.ts';
import type { Database } from '../db/connect.ts';
import { identityStore } from '../db/stores/identity-store.ts';
import { sessionStore } from '../db/stores/session-store.ts';
import { userEvidenceStore } from '../db/stores/user-evidence-store.ts';
import { userStore } from '../db/stores/user-store.ts';
import { listEnrollments } from '../enrollment/enrollment-history.ts';
import { type EvidenceItem, evidenceItem } from '../enrollment/evidence-list.ts';
import { AppError } from '../errors/app-error.ts';

const SESSIONS_SHOWN = 50;
const HISTORY_SHOWN = 20;

function iso(date: Date | string | null): string | null {
  return date === null ? null : new Date(date).toISOString();
}

export interface UserDetail {
  user: {
    id: string;
    username: string | null;
    email: string | null;
    first_name: string;
    last_name: string;
    auth_service: string | null;
    auth_data: string | null;
    deleted_at: string | null;
    /** false: a chat user this service never imported (companion mode). */
    known_account: boolean;
  };
  sessions: {
    id: string;
    device_id: string | null;
    is_mobile: boolean;
    auth_service: string;
    mam_state: string;
    created_at: string;
    expires_at: string;
    revoked_at: string | null;
    revoked_reason: string | null;
    live: boolean;
  }[];
  live_sessions: number;
  evidence: EvidenceItem | null;
  enrollments: Awaited<ReturnType<typeof listEnrollments>>['items'];
  identities: { source: string; tenant_id: string; object_id: string | null; raw_value: string | null; attribute: string; seen_at: string }[];
  activity: AuditItem[];
}

export async function userDetail(db: Database, userId: string, now = Date.now()): Promise<UserDetail> {
  const [account, sessions, evidenceRows, enrollments, identities, activity] = await Promise.all([
    userStore.findById(db, userId),
    sessionStore.listForUser(db, userId, SESSIONS_SHOWN),
    userEvidenceStore.page(db, { user: userId, limit: 2 }),
    listEnrollments(db, { userId, limit: HISTORY_SHOWN }),
    identityStore.listForUser(db, userId),
    listAudit(db, { user: userId, limit: HISTORY_SHOWN }),
  ]);
  const evidence = evidenceRows.find((row) => row.user_id === userId);
  if (!account && !evidence && sessions.length === 0 && activity.items.length === 0) {
    throw new AppError('mamgate.admin.user_not_found.app_error', { params: { Id: userId } });
  }
  const shownSessions = sessions.map((s) => ({
    id: s.id,
    device_id: s.device_id,
    is_mobile: s.is_mobile,
    auth_service: s.auth_service,
    mam_state: s.mam_state,
    created_at: iso(s.created_at)!,
    expires_at: iso(s.expires_at)!,
    revoked_at: iso(s.revoked_at),
    revoked_reason: s.revoked_reason,
    live: s.revoked_at === null && new Date(s.expires_at).getTime() > now,
  }));
  return {
    user: {
      id: userId,
      username: account?.username ?? evidence?.username ?? null,
      email: account?.email ?? evidence?.email ?? null,
      first_name: account?.first_name ?? '',
      last_name: account?.last_name ?? '',
      auth_service: account?.auth_service ?? null,
      auth_data: account?.auth_data ?? null,
      deleted_at: iso(account?.deleted_at ?? null),
      known_account: account !== undefined,
    },
    sessions: shownSessions,
    live_sessions: shownSessions.filter((s) => s.live).length,
    evidence: evidence ? evidenceItem(evidence, now) : null,
    enrollments: enrollments.items,
    identities: identities.map((i) => ({
      source: i.source,
      tenant_id: i.tenant_id,
      object_id: i.object_id,
      raw_value: i.raw_value,
      attribute: i.attribute,
      seen_at: iso(i.seen_at)!,
    })),
    activity: activity.items,
  };
}
