import type { Database } from '../db/connect.ts';
import { type MamState, type SessionRow, sessionStore } from '../db/stores/session-store.ts';
import { hashToken, newId, newSecretToken } from '../util/secret-token.ts';
import { revokeSessions } from './revoke-sessions.ts';

export const SESSION_TOKEN_PREFIX = 'mgs_';

export interface OpenSessionRequest {
  userId: string;
  authService: string;
  /** Sessions opened by the Intune sign-in are mobile whether or not the client sent a device id. */
  isMobile: boolean;
  deviceId?: string;
  voipDeviceId?: string;
  tenantId?: string;
  objectId?: string;
  mamState: MamState;
  lifetimeMs: number;
}

export interface OpenedSession {
  session: SessionRow;
  /** The bearer secret, handed to the client once; only its hash is stored. */
  token: string;
  /** Sessions this one replaced on the same device. */
  replaced: string[];
}

/**
 * Opens a session; a session on a device ends the user's older sessions on that device (Mattermost's rule).
 * Call inside a transaction.
 */
export async function openSession(db: Database, request: OpenSessionRequest, now: number): Promise<OpenedSession> {
  const token = newSecretToken(SESSION_TOKEN_PREFIX);
  if (request.deviceId) {
    // Sign-ins of one user on one device take turns, so exactly one of them stays live.
    await db.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`mamgate:session-device:${request.userId}:${request.deviceId}`]);
  }
  const replaced = request.deviceId
    ? await revokeSessions(db, request.userId, request.deviceId, 'replaced_by_new_session_on_device')
    : [];
  const session = await sessionStore.insert(db, {
    id: newId(),
    token_hash: hashToken(token),
    user_id: request.userId,
    device_id: request.deviceId ?? null,
    voip_device_id: request.voipDeviceId ?? null,
    is_mobile: request.isMobile,
    auth_service: request.authService,
    tenant_id: request.tenantId ?? null,
    object_id: request.objectId ?? null,
    mam_state: request.mamState,
    expires_at: new Date(now + request.lifetimeMs),
  });
  return { session, token, replaced };
}
