import { audit } from '../audit/audit.ts';
import { userStore } from '../db/stores/user-store.ts';
import { AppError } from '../errors/app-error.ts';
import type { Actor, ServiceContext } from '../runtime/context.ts';
import { revokeSessions } from './revoke-sessions.ts';

/** An admin ends every live session of a user; the gate refuses them on every node at its next call. */
export async function revokeUserSessions(ctx: ServiceContext, userId: string, actor: Actor): Promise<{ revoked: number }> {
  const revoked = await ctx.db.transaction(async (trx) => {
    if (!(await userStore.findById(trx, userId))) throw new AppError('mamgate.admin.user_not_found.app_error', { params: { Id: userId } });
    const ids = await revokeSessions(trx, userId, null, 'revoked_by_admin');
    await audit(trx, actor, { action: 'sessions.revoke', target: `user:${userId}`, outcome: 'success', details: { sessions: ids } });
    return ids.length;
  });
  await ctx.changes.catchUp();
  return { revoked };
}
