import { AUDIT_ACTIONS } from '../contract/audit-actions.ts';
import { audit } from '../audit/audit.ts';
import { userStore } from '../db/stores/user-store.ts';
import { AppError } from '../errors/app-error.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { queueChatRevocation } from '../sessions/chat-revocations.ts';
import { revokeSessions } from '../sessions/revoke-sessions.ts';
import { ADMIN_REVOKE } from './mam-state.ts';

/**
 * An admin ends every live session of a user; the gate refuses them on every node at its next call. As a
 * companion, the user is a chat-server user (perhaps never imported) and their mobile sessions on the chat server
 * are ended too, through the queue that retries until the chat server confirms.
 */
export async function revokeUserSessions(
  ctx: ServiceContext,
  userId: string,
  actor: Actor,
): Promise<{ revoked: number; chat_server_revocation?: 'queued' }> {
  const companion = ctx.chatServer?.companion === true;
  const revoked = await ctx.db.transaction(async (trx) => {
    if (!companion && !(await userStore.findById(trx, userId))) {
      throw new AppError('mamgate.admin.user_not_found.app_error', { params: { Id: userId } });
    }
    // The state machine's admin_revoke: every state keeps its evidence, the sessions end with this reason.
    const ids = await revokeSessions(trx, userId, null, ADMIN_REVOKE.endSessions);
    if (companion) await queueChatRevocation(trx, userId, ADMIN_REVOKE.endSessions, actor.requestId);
    await audit(trx, actor, {
      action: AUDIT_ACTIONS.sessionsRevoke,
      target: `user:${userId}`,
      outcome: 'success',
      details: { sessions: ids, chat_server: companion ? 'queued' : 'none' },
    });
    return ids.length;
  });
  await ctx.changes.catchUp();
  if (!companion) return { revoked };
  ctx.wakeRevocations?.();
  return { revoked, chat_server_revocation: 'queued' };
}
