import type { MamState, SessionRow } from '../db/stores/session-store.ts';

/** What the gate needs to know about a session; small, so a node can keep many in memory. */
export interface SessionSnapshot {
  id: string;
  userId: string;
  deviceId: string | null;
  tenantId: string | null;
  objectId: string | null;
  isMobile: boolean;
  authService: string;
  state: MamState;
  expiresAt: number;
  revoked: boolean;
}

export function snapshotOf(row: SessionRow): SessionSnapshot {
  return {
    id: row.id,
    userId: row.user_id,
    deviceId: row.device_id,
    tenantId: row.tenant_id,
    objectId: row.object_id,
    isMobile: row.is_mobile,
    authService: row.auth_service,
    state: row.mam_state,
    expiresAt: new Date(row.expires_at).getTime(),
    revoked: row.revoked_at !== null,
  };
}

export function sessionLive(session: SessionSnapshot | undefined, now: number): session is SessionSnapshot {
  return session !== undefined && !session.revoked && session.expiresAt > now;
}
