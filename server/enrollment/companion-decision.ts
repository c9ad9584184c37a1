// The gate's rules for a chat-server session, in the order they are applied (DESIGN "Companion"): a token the
// chat server refuses is refused; a user who is not protected, a request that is not from the mobile app, or
// Intune not required passes (the chat server decides the rest); otherwise the user's enrollment evidence
// decides, which needs the account's Entra objectId.
import type { ChatUser } from '../chatserver/chat-user.ts';
import type { EvidenceSource, EvidenceState } from '../db/stores/user-evidence-store.ts';
import { AppError } from '../errors/app-error.ts';
import { isErrorId } from '../errors/catalogue.ts';
import type { GraphEvidenceRecord } from './graph-evidence-record.ts';
import type { EvidenceMode, MamPolicy } from './mam-policy.ts';
import type { MobileRequest } from './mobile-request.ts';

export type BeforeEvidence = { outcome: 'pass' } | { outcome: 'refuse'; refusal: AppError } | { outcome: 'evidence' };

const PASS: BeforeEvidence = { outcome: 'pass' };
const NEEDS_EVIDENCE: BeforeEvidence = { outcome: 'evidence' };

export function beforeEvidence(user: ChatUser | null, policy: MamPolicy, request: MobileRequest): BeforeEvidence {
  if (!user) return { outcome: 'refuse', refusal: new AppError('api.context.session_expired.app_error') };
  if (!policy.enforcing) return PASS;
  if (user.authService !== policy.authService) return PASS;
  if (!request.isMobileApp) return PASS;
  return NEEDS_EVIDENCE;
}

/** What mamgate knows of a protected chat user: the account's objectId and the enrollment evidence. */
export interface GateSubject {
  objectId: string | null;
  evidence: EvidenceState | null;
  source: EvidenceSource | null;
  /** What the last Graph check found (source graph only). */
  graph: GraphEvidenceRecord | null;
  /** Their mobile sessions are being ended on the chat server: refused until the chat server confirms. */
  revocationPending: boolean;
}

/** Only the configured source counts: in graph mode a client's report is a hint, never evidence. */
function countedState(subject: GateSubject, mode: EvidenceMode): EvidenceState | null {
  const source = mode === 'graph' ? 'graph' : 'client_report';
  return subject.source === source ? subject.evidence : null;
}

/** Verified Graph evidence holds until its registration's last sync is older than the limit. */
function graphEvidenceHolds(record: GraphEvidenceRecord | null, now: number): boolean {
  return record?.valid_until !== undefined && Date.parse(record.valid_until) > now;
}

function graphRefusal(record: GraphEvidenceRecord | null): AppError {
  if (record?.evidence) {
    return new AppError('mamgate.graph.evidence.stale.app_error', {
      params: { LastSync: record.evidence.last_sync, Hours: record.max_sync_age_hours },
    });
  }
  const id = record?.refusal_id;
  if (id && isErrorId(id)) return new AppError(id, { params: record?.refusal_params });
  return new AppError('ent.intune.enrollment.required.app_error');
}

/** undefined when the evidence opens the gate; otherwise the refusal. */
export function refusalByEvidence(subject: GateSubject, mode: EvidenceMode, now: number): AppError | undefined {
  if (subject.evidence === 'failed') return new AppError('ent.intune.enrollment.failed.app_error');
  if (subject.revocationPending) return new AppError('api.context.session_expired.app_error');
  if (!subject.objectId) return new AppError('mamgate.gate.object_id_unknown.app_error');
  const state = countedState(subject, mode);
  if (mode === 'graph') {
    if (state === 'enrolled' && graphEvidenceHolds(subject.graph, now)) return undefined;
    return state === null ? new AppError('ent.intune.enrollment.required.app_error') : graphRefusal(subject.graph);
  }
  switch (state) {
    case 'enrolled':
      return undefined;
    case 'declined':
      return new AppError('ent.intune.enrollment.declined.app_error');
    default:
      return new AppError('ent.intune.enrollment.required.app_error');
  }
}

/** Whether the server should ask Graph about this user now (graph mode, and the evidence does not open the gate). */
export function needsGraphCheck(subject: GateSubject, mode: EvidenceMode, refusal: AppError | undefined): boolean {
  return mode === 'graph' && subject.objectId !== null && subject.evidence !== 'failed' && refusal !== undefined;
}
