// GET /plugins/mamgate/api/v1/session: where the session stands with MAM and what the client must do next.
import type { GateCheck } from './gate-service.ts';
import { effectiveState } from './gate-decision.ts';
import { mamRequiredFor } from './mam-policy.ts';

export interface SessionStatus {
  session_id: string;
  user_id: string;
  expires_at: number;
  mam: {
    required: boolean;
    state: ReturnType<typeof effectiveState>;
    allowed: boolean;
    /** none: nothing to do; enroll: start the Intune enrollment; retry: the user declined, offer Retry. */
    action: 'none' | 'enroll' | 'retry';
    error_id?: string;
    message?: string;
    next_step?: string;
  };
}

export function sessionStatus(check: GateCheck): SessionStatus {
  const session = check.session!;
  const state = effectiveState(session, check.policy, check.verified, check.androidUnprotected);
  const refusal = check.refusal;
  return {
    session_id: session.id,
    user_id: session.userId,
    expires_at: session.expiresAt,
    mam: {
      required: mamRequiredFor(check.policy, session),
      state,
      allowed: refusal === undefined,
      action: state === 'pending' ? 'enroll' : state === 'declined' ? 'retry' : 'none',
      ...(refusal ? { error_id: refusal.id, message: refusal.message, next_step: refusal.toBody('').next_step } : {}),
    },
  };
}
