// The gate's rule: a live session is allowed unless MAM is required for it and it has not enrolled.
import { AppError } from '../errors/app-error.ts';
import { type SessionSnapshot, sessionLive } from '../sessions/session-snapshot.ts';
import { type MamPolicy, mamRequiredFor } from './mam-policy.ts';

export type EffectiveMamState = 'not_required' | 'pending' | 'enrolled' | 'declined' | 'failed';

/** `verified`: in graph evidence mode, whether the user's Intune registration opened the gate. */
export function effectiveState(session: SessionSnapshot, policy: MamPolicy, verified?: boolean): EffectiveMamState {
  if (session.state === 'failed') return 'failed';
  if (!mamRequiredFor(policy, session)) return 'not_required';
  if (verified !== undefined) return verified ? 'enrolled' : 'pending';
  return session.state === 'not_required' ? 'pending' : session.state;
}

/** undefined when allowed; otherwise the refusal. */
export function gateRefusal(session: SessionSnapshot | undefined, policy: MamPolicy, now: number): AppError | undefined {
  if (session?.state === 'failed') return new AppError('ent.intune.enrollment.failed.app_error');
  if (!sessionLive(session, now)) return new AppError('api.context.session_expired.app_error');
  switch (effectiveState(session, policy)) {
    case 'pending':
      return new AppError('ent.intune.enrollment.required.app_error');
    case 'declined':
      return new AppError('ent.intune.enrollment.declined.app_error');
    default:
      return undefined;
  }
}
