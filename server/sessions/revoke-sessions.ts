import { recordChange } from '../changes/feed.ts';
import type { Database } from '../db/connect.ts';
import { sessionStore } from '../db/stores/session-store.ts';

/**
 * Ends a user's live sessions (on one device when given) and tells every node, so cached sessions stop passing
 * the gate. Call inside the caller's transaction.
 */
export async function revokeSessions(trx: Database, userId: string, deviceId: string | null, reason: string): Promise<string[]> {
  const ids = await sessionStore.revokeForUser(trx, userId, deviceId, reason);
  for (const id of ids) await recordChange(trx, 'session', id);
  return ids;
}

/** Ends one session (when it is still live) and tells every node. Call inside the caller's transaction. */
export async function revokeSession(trx: Database, sessionId: string, reason: string): Promise<string[]> {
  const ids = await sessionStore.revokeLive(trx, sessionId, reason);
  for (const id of ids) await recordChange(trx, 'session', id);
  return ids;
}
