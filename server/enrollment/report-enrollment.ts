// POST /plugins/mamgate/api/v1/enrollment: the mobile client reports the outcome of its Intune enrollment.
// Idempotent on (session, event_id): a replay answers the first answer and changes nothing. Reports for one
// session are serialised by a row lock, so two nodes reach one consistent state. What a report does is the state
// machine's (mam-state.ts): evidence in client mode; in graph mode a hint (a failure excepted, which is believed).
import { enrollmentReportAction } from '../contract/audit-actions.ts';
import { z } from 'zod';
import { audit } from '../audit/audit.ts';
import { recordChange } from '../changes/feed.ts';
import { type EnrollmentStatus, enrollmentStore } from '../db/stores/enrollment-store.ts';
import { type MamState, type SessionRow, sessionStore } from '../db/stores/session-store.ts';
import { AppError } from '../errors/app-error.ts';
import { entryFor, type MamError } from '../errors/catalogue.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { revokeSession, revokeSessions } from '../sessions/revoke-sessions.ts';
import { hashToken } from '../util/secret-token.ts';
import { zodToAppError } from '../util/zod-error.ts';
import { classifyFailure, FAILURE_CAUSES, type FailureCause } from './classify-failure.ts';
import type { EvidenceMode } from '../contract/enrollment.ts';
import { reportEvent, statusTakenAs, transition } from './mam-state.ts';

export const enrollmentReportShape = z.object({
  event_id: z.string().min(1).max(128).regex(/^[\w:.-]+$/, 'letters, digits and : . _ - only'),
  status: z.string(),
  error_code: z.union([z.string().max(256), z.number()]).optional(),
  error_message: z.string().max(4096).optional(),
});

export interface EnrollmentReport {
  event_id: string;
  status: EnrollmentStatus;
  error_code?: string;
  error_message?: string;
}

export interface EnrollmentAnswer {
  event_id: string;
  state: MamState;
  /** continue: use the session; retry: show the enrollment prompt again; remove_server: log out, remove, wipe. */
  action: 'continue' | 'retry' | 'remove_server';
  wipe: boolean;
  cause: FailureCause;
  mam_error?: MamError;
  message?: string;
  next_step?: string;
  ended_sessions?: number;
  /** Set when the server took the report for another status: a `failed` whose cause a retry can clear. */
  treated_as?: 'declined';
  treated_as_reason?: string;
}

export function parseEnrollmentReport(body: unknown): EnrollmentReport {
  const parsed = enrollmentReportShape.safeParse(body ?? {});
  if (!parsed.success) throw zodToAppError(parsed.error, 'mamgate.request.invalid_body_param.app_error');
  const { status, error_code, ...rest } = parsed.data;
  if (status !== 'enrolled' && status !== 'declined' && status !== 'failed') {
    throw new AppError('mamgate.enrollment.invalid_status.app_error', { params: { Value: status.slice(0, 64) } });
  }
  return { ...rest, status, error_code: error_code === undefined ? undefined : String(error_code) };
}

export function answerFor(report: EnrollmentReport, cause: FailureCause, endedSessions: number): EnrollmentAnswer {
  const base = { event_id: report.event_id, cause };
  const status = statusTakenAs(report.status, cause);
  if (status === 'enrolled') return { ...base, state: 'enrolled', action: 'continue', wipe: false };
  const id = status === 'declined' ? 'ent.intune.enrollment.declined.app_error' : 'ent.intune.enrollment.failed.app_error';
  const entry = entryFor(id);
  const causeStep = cause !== 'none' && cause !== 'unknown' ? FAILURE_CAUSES[cause].next_step : entry.next_step;
  if (status === 'declined') {
    const treated =
      report.status === 'failed'
        ? { treated_as: 'declined' as const, treated_as_reason: `${FAILURE_CAUSES[cause].summary}: a retry can clear it, so nothing was removed` }
        : {};
    return { ...base, state: 'declined', action: 'retry', wipe: false, mam_error: entry.mam_error, message: entry.message, next_step: causeStep, ...treated };
  }
  return {
    ...base,
    state: 'failed',
    action: 'remove_server',
    wipe: true,
    mam_error: entry.mam_error,
    message: entry.message,
    next_step: causeStep,
    ended_sessions: endedSessions,
  };
}

/** Writes a report that counts as evidence: the device's enrollment, the session's state, and (a failure) the end of its sessions. */
async function applyReport(trx: ServiceContext['db'], session: SessionRow, status: EnrollmentStatus, eventId: string, endSessions: boolean): Promise<number> {
  const key =
    session.tenant_id && session.object_id && session.device_id
      ? { tenant_id: session.tenant_id, object_id: session.object_id, device_id: session.device_id }
      : undefined;
  if (key) await enrollmentStore.upsert(trx, key, status, eventId);
  await sessionStore.setState(trx, session.id, status);
  await recordChange(trx, 'session', session.id);
  if (!endSessions) return 0;
  // The seed's rule: a technical failure logs the user out of this server on that device at once. Without a device
  // id only this session is known to be on that device (a null device would mean every session of the user).
  const ended = session.device_id
    ? await revokeSessions(trx, session.user_id, session.device_id, 'enrollment_failed')
    : await revokeSession(trx, session.id, 'enrollment_failed');
  return ended.length;
}

export async function reportEnrollment(
  ctx: ServiceContext,
  sessionToken: string | undefined,
  report: EnrollmentReport,
  actor: Actor,
  mode: EvidenceMode = 'client',
): Promise<EnrollmentAnswer> {
  let recheck = false;
  const { answer, recorded } = await ctx.db.transaction(async (trx) => {
    const session = sessionToken ? await sessionStore.findByTokenHashForUpdate(trx, hashToken(sessionToken)) : undefined;
    if (!session) throw new AppError('api.context.session_expired.app_error');
    const previous = await enrollmentStore.findEvent(trx, session.id, report.event_id);
    if (previous) return { answer: previous.answer as EnrollmentAnswer, recorded: undefined };
    const cause = report.status === 'enrolled' ? 'none' : classifyFailure(report.error_code, report.error_message);
    const step = transition(mode, session.mam_state === 'not_required' ? 'pending' : session.mam_state, reportEvent(report.status, cause));
    if (step.sessionRefusal) throw new AppError(step.sessionRefusal);
    if (session.revoked_at || new Date(session.expires_at).getTime() <= Date.now()) {
      throw new AppError('api.context.session_expired.app_error');
    }
    const takenAs = statusTakenAs(report.status, cause);
    const ended = step.counts ? await applyReport(trx, session, takenAs, report.event_id, step.endSessions !== null) : 0;
    recheck = step.recheck;
    const result = answerFor(report, cause, ended);
    await enrollmentStore.insertEvent(trx, {
      event_id: report.event_id,
      session_id: session.id,
      user_id: session.user_id,
      tenant_id: session.tenant_id,
      device_id: session.device_id,
      status: report.status,
      error_code: report.error_code ?? null,
      error_message: report.error_message ?? null,
      cause,
      answer: result,
      request_id: actor.requestId,
    });
    await audit(trx, actor, {
      action: enrollmentReportAction(takenAs),
      target: `session:${session.id}`,
      outcome: 'success',
      details: {
        user_id: session.user_id,
        event_id: report.event_id,
        cause,
        error_code: report.error_code ?? null,
        ended_sessions: ended,
        reported_status: report.status,
        counted: step.counts ? 'evidence' : 'hint',
      },
    });
    return { answer: result, recorded: { takenAs, cause } };
  });
  // Counted once committed, and once per event: a replayed report gets its first answer and is not counted again.
  if (recorded) ctx.outcomes?.enrollment(recorded.takenAs, recorded.cause);
  await ctx.changes.catchUp();
  // With Graph evidence the report counts only as a reason to ask Graph now.
  if (recheck && sessionToken) await hintGraphCheck(ctx, sessionToken, mode);
  return answer;
}

async function hintGraphCheck(ctx: ServiceContext, sessionToken: string, mode: EvidenceMode): Promise<void> {
  if (!ctx.graphRechecks) return;
  const session = await sessionStore.findByTokenHash(ctx.db, hashToken(sessionToken));
  if (session?.object_id) ctx.graphRechecks.soon(session.user_id, session.object_id, mode);
}
