// What a protected user's enrollment evidence decides at the gate, for the chat server's sessions and mamgate's
// own alike. The verdict itself is mam-state.ts's (which source counts, which state opens the gate); here is what
// comes before it for a user (a pending revocation, an unknown objectId) and the refusal it answers.
import type { EvidenceSource, EvidenceState } from '../db/stores/user-evidence-store.ts';
import { AppError } from '../errors/app-error.ts';
import { isErrorId } from '../errors/catalogue.ts';
import type { GraphEvidenceRecord } from './graph-evidence-record.ts';
import type { EvidenceMode } from '../contract/enrollment.ts';
import { type Verdict, verdict } from './mam-state.ts';

/** What mamgate knows of a protected user: the account's objectId and the enrollment evidence. */
export interface GateSubject {
  objectId: string | null;
  evidence: EvidenceState | null;
  source: EvidenceSource | null;
  /** What the last Graph check found (source graph only). */
  graph: GraphEvidenceRecord | null;
  /** Their mobile sessions are being ended on the chat server: refused until the chat server confirms. */
  revocationPending: boolean;
}

/** Verified Graph evidence holds until its registration's last sync is older than the limit. */
function graphEvidenceHolds(record: GraphEvidenceRecord | null, now: number): boolean {
  return record?.valid_until !== undefined && Date.parse(record.valid_until) > now;
}

/** The refusal a Graph record answers: stale when it once verified, else the one its check recorded. */
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

/** A user's evidence record alone, without the account around it (what the admin pages list). */
export type RecordedEvidence = Pick<GateSubject, 'evidence' | 'source' | 'graph'>;

/** The state-machine verdict for a record under a mode (freshness: its Graph evidence's valid_until). */
export function evidenceVerdict(evidence: RecordedEvidence, mode: EvidenceMode, now: number): Verdict {
  return verdict(evidence, mode, evidence.source === 'graph' && graphEvidenceHolds(evidence.graph, now));
}

/** The AppError of a verdict that refuses (made only then: the open path allocates nothing). */
export function refusalOf(v: Verdict, graph: GraphEvidenceRecord | null): AppError | undefined {
  if (v.refusal === null) return undefined;
  if (v.refusal === 'graph_stale' || v.refusal === 'graph_record') return graphRefusal(graph);
  return new AppError(v.refusal);
}

/** What the evidence record itself says under a mode: undefined when it opens the gate, else why not. */
export function evidenceRefusal(evidence: RecordedEvidence, mode: EvidenceMode, now: number): AppError | undefined {
  return refusalOf(evidenceVerdict(evidence, mode, now), evidence.graph);
}

/** undefined when the evidence opens the gate; otherwise the refusal. A failure refuses before anything else. */
export function refusalByEvidence(subject: GateSubject, mode: EvidenceMode, now: number): AppError | undefined {
  if (subject.evidence !== 'failed') {
    if (subject.revocationPending) return new AppError('api.context.session_expired.app_error');
    if (!subject.objectId) return new AppError('mamgate.gate.object_id_unknown.app_error');
  }
  return evidenceRefusal(subject, mode, now);
}

/** Whether the server should ask Graph about this user now (graph mode, and the evidence does not open the gate). */
export function needsGraphCheck(subject: GateSubject, mode: EvidenceMode, refusal: AppError | undefined): boolean {
  return mode === 'graph' && subject.objectId !== null && subject.evidence !== 'failed' && refusal !== undefined;
}
