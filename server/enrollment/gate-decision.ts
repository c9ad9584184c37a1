// The gate's rules, in order: a failed session is refused, then one that is not live; a live session is allowed
// unless MAM is required for it and it has not enrolled; an Android client MAM is required for is decided by
// IntuneSettings.AndroidPolicy before its enrollment is looked at.
import { AppError } from '../errors/app-error.ts';
import { type SessionSnapshot, sessionLive } from '../sessions/session-snapshot.ts';
import { type AndroidStep, androidStep } from './android-decision.ts';
import { clientPlatform } from './client-platform.ts';
import { type MamPolicy, mamRequiredFor } from './mam-policy.ts';

export type EffectiveMamState = 'not_required' | 'pending' | 'enrolled' | 'declined' | 'failed' | 'android_unprotected';

/**
 * `verified`: in graph evidence mode, whether the user's Intune registration opened the gate;
 * `androidUnprotected`: an Android client let through by AndroidPolicy allow_unprotected.
 */
export function effectiveState(session: SessionSnapshot, policy: MamPolicy, verified?: boolean, androidUnprotected = false): EffectiveMamState {
  if (session.state === 'failed') return 'failed';
  if (!mamRequiredFor(policy, session)) return 'not_required';
  if (androidUnprotected) return 'android_unprotected';
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

/**
 * The Android rule for a live session MAM is required for: its platform from the device id it signed in with and
 * the request's User-Agent. 'evidence' for everything else, which the other rules then decide.
 */
export function androidGateStep(session: SessionSnapshot | undefined, policy: MamPolicy, userAgent: string | undefined, now: number): AndroidStep {
  if (!sessionLive(session, now) || session.state === 'failed' || !mamRequiredFor(policy, session)) return { outcome: 'evidence' };
  return androidStep(policy.android, clientPlatform({ deviceId: session.deviceId, userAgent }));
}
