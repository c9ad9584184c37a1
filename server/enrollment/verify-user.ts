// An admin asks for one user's Intune evidence to be read from Graph now (admin API, `mamgate enrollment verify`).
// The user is named by chat-server id or username; their objectId comes from the imported account.
import { userEvidenceStore } from '../db/stores/user-evidence-store.ts';
import { userStore } from '../db/stores/user-store.ts';
import { AppError } from '../errors/app-error.ts';
import type { ServiceContext } from '../context.ts';
import type { GraphEvidenceRecord } from './graph-evidence-record.ts';

export interface VerifiedUser {
  user_id: string;
  username: string;
  outcome: string;
  verified: boolean;
  lost: boolean;
  evidence: GraphEvidenceRecord | null;
}

export async function verifyUserEvidence(ctx: ServiceContext, userRef: string): Promise<VerifiedUser> {
  const user = await userStore.findByIdOrUsername(ctx.db, userRef);
  if (!user) throw new AppError('mamgate.admin.user_not_found.app_error', { params: { Id: userRef } });
  if (!user.auth_data) throw new AppError('mamgate.gate.object_id_unknown.app_error', { detailed: `user ${user.id}` });
  if (!ctx.graphRechecks) {
    throw new AppError('mamgate.graph.not_configured.app_error', { params: { Missing: 'a running mamgate service (start it, then run this again)' } });
  }
  const result = await ctx.graphRechecks.verifyNow({ userId: user.id, objectId: String(user.auth_data).toLowerCase() });
  const row = await userEvidenceStore.find(ctx.db, user.id);
  return {
    user_id: user.id,
    username: user.username,
    outcome: result.outcome,
    verified: result.verified,
    lost: result.lost,
    evidence: row?.source === 'graph' ? (row.details as unknown as GraphEvidenceRecord) : null,
  };
}
