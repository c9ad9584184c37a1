// One Graph check of several protected users: the tenant's registrations are read once (Graph v1.0 documents no
// per-user filter), then each user's own registrations of the configured apps with their applied policies, and
// the evidence rule decides. The outcome becomes the user's evidence record by the state machine (mam-state.ts:
// graph verified/lost/flagged/stale); verified evidence that no longer holds is "lost": the user's mobile sessions
// end on the chat server, and the cause is audited.
import { AUDIT_ACTIONS } from '../contract/audit-actions.ts';
import { audit } from '../audit/audit.ts';
import { recordChange } from '../changes/feed.ts';
import type { Database } from '../db/connect.ts';
import { userEvidenceEventStore, userEvidenceStore } from '../db/stores/user-evidence-store.ts';
import type { GraphClient } from '../graph/graph-client.ts';
import type { ManagedAppRegistration } from '../graph/resources.ts';
import type { ServiceContext } from '../context.ts';
import { queueChatRevocation } from '../sessions/chat-revocations.ts';
import type { IntuneSettings } from '../settings/model.ts';
import type { GraphEvidenceRecord } from './graph-evidence-record.ts';
import type { GraphCheckResult, GraphCheckSubject } from './graph-recheck-requests.ts';
import { type EvidenceDecision, evaluateIntuneEvidence } from './intune-evidence.ts';
import type { EvidenceMode } from '../contract/enrollment.ts';
import { countedState, graphEvent, transition } from './mam-state.ts';

function appIdOf(registration: ManagedAppRegistration): string {
  return (registration.appIdentifier?.bundleId ?? registration.appIdentifier?.packageId ?? '').toLowerCase();
}

function recordOf(decision: EvidenceDecision, intune: IntuneSettings, now: number): GraphEvidenceRecord {
  const record: GraphEvidenceRecord = { outcome: decision.outcome, checked_at: new Date(now).toISOString(), max_sync_age_hours: intune.MaxSyncAgeHours };
  if (decision.evidence) {
    record.evidence = decision.evidence;
    record.valid_until = new Date(Date.parse(decision.evidence.last_sync) + intune.MaxSyncAgeHours * 3_600_000).toISOString();
  } else {
    if (decision.registration) record.registration = decision.registration;
    if (decision.refusal) {
      record.refusal_id = decision.refusal.id;
      record.refusal_params = decision.refusal.params;
    }
  }
  return record;
}

async function decide(graph: GraphClient, all: ManagedAppRegistration[], subject: GraphCheckSubject, intune: IntuneSettings, now: number) {
  const appIds = new Set(intune.MobileAppIds.map((id) => id.toLowerCase()));
  const own = all.filter((r) => r.userId?.toLowerCase() === subject.objectId.toLowerCase());
  // Policies are read only for registrations of the configured apps: the others fail the app check anyway.
  const withPolicies = await Promise.all(own.map((r) => (appIds.has(appIdOf(r)) ? graph.withAppliedPolicies(r) : { ...r, appliedPolicies: [] })));
  return evaluateIntuneEvidence(withPolicies, { objectId: subject.objectId, mobileAppIds: intune.MobileAppIds, maxSyncAgeHours: intune.MaxSyncAgeHours, now });
}

async function store(db: Database, subject: GraphCheckSubject, decision: EvidenceDecision, record: GraphEvidenceRecord, mode: EvidenceMode): Promise<GraphCheckResult> {
  const verified = decision.outcome === 'verified';
  return db.transaction(async (trx) => {
    await userEvidenceEventStore.lockUser(trx, subject.userId);
    const previous = await userEvidenceStore.find(trx, subject.userId);
    const before = previous?.source === 'graph' ? (previous.details as unknown as GraphEvidenceRecord) : undefined;
    const counted = countedState({ evidence: previous?.state ?? null, source: previous?.source ?? null }, mode);
    const step = transition(mode, counted, graphEvent(decision.outcome));
    const lost = step.endSessions !== null;
    const state = step.next;
    await userEvidenceStore.save(trx, subject.userId, state, 'graph', record as unknown as Record<string, unknown>);
    const changed =
      previous?.state !== state ||
      previous?.source !== 'graph' ||
      before?.outcome !== record.outcome ||
      before?.valid_until !== record.valid_until ||
      before?.refusal_id !== record.refusal_id;
    if (changed) await recordChange(trx, 'evidence', subject.userId);
    const actor = { name: 'mamgate:graph', requestId: null };
    if (lost) {
      await queueChatRevocation(trx, subject.userId, step.endSessions!, null);
      await audit(trx, actor, {
        action: AUDIT_ACTIONS.enrollmentEvidenceLost,
        target: `chat-user:${subject.userId}`,
        outcome: 'success',
        details: { cause: record.outcome, refusal_id: record.refusal_id ?? null, registration: record.registration ?? null },
      });
    } else if (verified && changed) {
      await audit(trx, actor, {
        action: AUDIT_ACTIONS.enrollmentVerified,
        target: `chat-user:${subject.userId}`,
        outcome: 'success',
        details: { source: 'graph', ...record.evidence },
      });
    }
    return { userId: subject.userId, outcome: decision.outcome, verified, lost };
  });
}

/** Checks the users with one read of the tenant's registrations; Graph's failures are thrown (nothing is changed). */
export async function checkWithGraph(
  ctx: ServiceContext,
  graph: GraphClient,
  intune: IntuneSettings,
  subjects: GraphCheckSubject[],
  now = Date.now(),
  mode: EvidenceMode = 'graph',
): Promise<GraphCheckResult[]> {
  if (subjects.length === 0) return [];
  const all = await graph.managedAppRegistrations();
  const decided = [];
  for (const subject of subjects) decided.push({ subject, decision: await decide(graph, all, subject, intune, now) });
  const results: GraphCheckResult[] = [];
  for (const { subject, decision } of decided) results.push(await store(ctx.db, subject, decision, recordOf(decision, intune, now), mode));
  await ctx.changes.catchUp();
  if (results.some((r) => r.lost)) ctx.wakeRevocations?.();
  return results;
}
