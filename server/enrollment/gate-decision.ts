// The gate's rules for one of mamgate's own sessions, in order: a failed session is refused, then one that is not
// live; a live session is allowed unless MAM is required for it and its state (mam-state.ts's verdict, the session
// being the client's report) does not open the gate; an Android client MAM is required for is decided by
// IntuneSettings.AndroidPolicy before its enrollment is looked at.
import { AppError } from '../errors/app-error.ts';
import { type SessionSnapshot, sessionLive } from '../sessions/session-snapshot.ts';
import { type AndroidStep, androidStep } from './android-decision.ts';
import { clientPlatform } from './client-platform.ts';
import { type MamPolicy, mamRequiredFor } from './mam-policy.ts';
import type { EffectiveMamState, MamState } from '../contract/enrollment.ts';
import { type EvidenceRecordState, effectiveMamState, verdict } from './mam-state.ts';

export type { EffectiveMamState };

/** A session's own state as an evidence record: the client's report (a row of not_required reads as pending). */
const SESSION_RECORDS: Record<MamState, EvidenceRecordState> = {
  not_required: { evidence: 'pending', source: 'client_report' },
  pending: { evidence: 'pending', source: 'client_report' },
  enrolled: { evidence: 'enrolled', source: 'client_report' },
  declined: { evidence: 'declined', source: 'client_report' },
  failed: { evidence: 'failed', source: 'client_report' },
};

/**
 * `verified`: in graph evidence mode, whether the user's Intune registration opened the gate;
 * `androidUnprotected`: an Android client let through by AndroidPolicy allow_unprotected.
 */
export function effectiveState(session: SessionSnapshot, policy: MamPolicy, verified?: boolean, androidUnprotected = false): EffectiveMamState {
  const byEvidence = verified === undefined ? undefined : verified ? 'enrolled' : 'pending';
  return effectiveMamState(session.state, mamRequiredFor(policy, session), androidUnprotected, byEvidence);
}

/** undefined when allowed; otherwise the refusal. */
export function gateRefusal(session: SessionSnapshot | undefined, policy: MamPolicy, now: number): AppError | undefined {
  if (session?.state === 'failed') return new AppError('ent.intune.enrollment.failed.app_error');
  if (!sessionLive(session, now)) return new AppError('api.context.session_expired.app_error');
  if (!mamRequiredFor(policy, session)) return undefined;
  // The session's state is the client's report: counted as in client mode (graph mode decides before this).
  const refusal = verdict(SESSION_RECORDS[session.state], 'client', true).refusal;
  return refusal === null ? undefined : new AppError(refusal as Exclude<typeof refusal, 'graph_record' | 'graph_stale'>);
}

/**
 * The Android rule for a live session MAM is required for: its platform from the device id it signed in with and
 * the request's User-Agent. 'evidence' for everything else, which the other rules then decide.
 */
export function androidGateStep(session: SessionSnapshot | undefined, policy: MamPolicy, userAgent: string | undefined, now: number): AndroidStep {
  if (!sessionLive(session, now) || session.state === 'failed' || !mamRequiredFor(policy, session)) return { outcome: 'evidence' };
  return androidStep(policy.android, clientPlatform({ deviceId: session.deviceId, userAgent }));
}
