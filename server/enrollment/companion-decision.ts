// The gate's rules for a chat-server session, in the order they are applied (DESIGN "Companion"): a token the
// chat server refuses is refused; a user who is not protected, a request that is not from the mobile app, or
// Intune not required passes (the chat server decides the rest); otherwise the user's enrollment evidence
// decides, which needs the account's Entra objectId.
import type { ChatUser } from '../chatserver/chat-user.ts';
import type { EvidenceState } from '../db/stores/user-evidence-store.ts';
import { AppError } from '../errors/app-error.ts';
import type { MamPolicy } from './mam-policy.ts';
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
  /** Their mobile sessions are being ended on the chat server: refused until the chat server confirms. */
  revocationPending: boolean;
}

/** undefined when the evidence opens the gate; otherwise the refusal. */
export function refusalByEvidence(subject: GateSubject): AppError | undefined {
  if (subject.evidence === 'failed') return new AppError('ent.intune.enrollment.failed.app_error');
  if (subject.revocationPending) return new AppError('api.context.session_expired.app_error');
  if (!subject.objectId) return new AppError('mamgate.gate.object_id_unknown.app_error');
  switch (subject.evidence) {
    case 'enrolled':
      return undefined;
    case 'declined':
      return new AppError('ent.intune.enrollment.declined.app_error');
    default:
      return new AppError('ent.intune.enrollment.required.app_error');
  }
}
