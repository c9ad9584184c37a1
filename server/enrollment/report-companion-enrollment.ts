// A chat user's mobile client reports the outcome of its Intune enrollment (companion mode). The same report and
// answer as a standalone session's; the state is the user's, since the chat server does not tell mamgate which of
// the user's sessions a request belongs to. Idempotent on (user, event_id). With client evidence the report is
// the evidence; with Graph evidence it is only a hint that triggers a check at once — except a failure, which
// is believed (it can only shut the reporter out). A failure queues the end of the user's mobile sessions on the
// chat server, in the same transaction.
import { enrollmentReportAction } from '../contract/audit-actions.ts';
import { audit } from '../audit/audit.ts';
import { recordChange } from '../changes/feed.ts';
import type { ChatUser } from '../chatserver/chat-user.ts';
import type { CompanionGate } from './companion-gate.ts';
import type { EvidenceMode } from './mam-policy.ts';
import { AppError } from '../errors/app-error.ts';
import { userEvidenceEventStore, userEvidenceStore } from '../db/stores/user-evidence-store.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { queueChatRevocation } from '../sessions/chat-revocations.ts';
import { classifyFailure } from './classify-failure.ts';
import { countedState, reportEvent, statusTakenAs, transition } from './mam-state.ts';
import { answerFor, type EnrollmentAnswer, type EnrollmentReport } from './report-enrollment.ts';

export async function reportCompanionEnrollment(
  ctx: ServiceContext,
  user: ChatUser,
  report: EnrollmentReport,
  actor: Actor,
  mode: EvidenceMode = 'client',
): Promise<EnrollmentAnswer> {
  const cause = report.status === 'enrolled' ? 'none' : classifyFailure(report.error_code, report.error_message);
  // A failure a retry can clear is taken as declined: no revocation on the chat server, and (with Graph evidence)
  // only a hint like any other declined report.
  const takenAs = statusTakenAs(report.status, cause);
  let ended = false;
  const { answer, recorded } = await ctx.db.transaction(async (trx) => {
    await userEvidenceEventStore.lockUser(trx, user.id);
    const previous = await userEvidenceEventStore.find(trx, user.id, report.event_id);
    if (previous) return { answer: previous.answer as EnrollmentAnswer, recorded: false };
    const record = await userEvidenceStore.find(trx, user.id);
    const state = countedState({ evidence: record?.state ?? null, source: record?.source ?? null }, mode);
    // A user's record, unlike a session, takes a new report after a failure (the user enrolls again).
    const step = transition(mode, state, reportEvent(report.status, cause));
    if (step.counts) {
      await userEvidenceStore.save(trx, user.id, step.next, 'client_report', { event_id: report.event_id, cause });
      await recordChange(trx, 'evidence', user.id);
    }
    if (step.endSessions) {
      await queueChatRevocation(trx, user.id, step.endSessions, actor.requestId);
      ended = true;
    }
    const result = answerFor(report, cause, 0);
    await userEvidenceEventStore.insert(trx, {
      user_id: user.id,
      event_id: report.event_id,
      status: report.status,
      error_code: report.error_code ?? null,
      cause,
      answer: result,
      request_id: actor.requestId,
    });
    await audit(trx, actor, {
      action: enrollmentReportAction(takenAs),
      target: `chat-user:${user.id}`,
      outcome: 'success',
      details: {
        username: user.username,
        event_id: report.event_id,
        cause,
        error_code: report.error_code ?? null,
        source: 'client_report',
        counted: step.counts ? 'evidence' : 'hint',
        reported_status: report.status,
      },
    });
    return { answer: result, recorded: true };
  });
  // Once per event: a replayed report is not counted again.
  if (recorded) ctx.outcomes?.enrollment(takenAs, cause);
  await ctx.changes.catchUp();
  if (ended) ctx.wakeRevocations?.();
  return answer;
}

/** The report of the chat user whose session token this is; a token the chat server refuses is refused. */
export async function reportEnrollmentByChatToken(
  ctx: ServiceContext,
  gate: CompanionGate,
  token: string | undefined,
  report: EnrollmentReport,
  actor: Actor,
): Promise<EnrollmentAnswer> {
  const user = token ? await gate.identities.lookup(token) : null;
  if (!user) throw new AppError('api.context.session_expired.app_error');
  const { policy } = await gate.policies.get();
  const answer = await reportCompanionEnrollment(ctx, user, report, actor, policy.evidence);
  // Whether a report asks for a check depends only on the mode and the status (mam-state.ts).
  if (transition(policy.evidence, 'pending', reportEvent(report.status, 'none')).recheck && gate.rechecks) {
    const subject = await gate.subjects.load(user.id, user.authService);
    if (subject.objectId) gate.rechecks.soon(user.id, subject.objectId, policy.evidence);
  }
  return answer;
}
