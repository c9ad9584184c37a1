// What a protected user's enrollment evidence decides at the gate, for the chat server's sessions and mamgate's
// own alike: the configured source alone counts (graph: registrations the server read; client: the client's
// report), a failure or a pending revocation refuses first, and a user without a known objectId cannot be
// checked at all.
import type { EvidenceSource, EvidenceState } from '../db/stores/user-evidence-store.ts';
import { AppError } from '../errors/app-error.ts';
import { isErrorId } from '../errors/catalogue.ts';
import type { GraphEvidenceRecord } from './graph-evidence-record.ts';
import type { EvidenceMode } from './mam-policy.ts';

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

/** Only the configured source counts: in graph mode a client's report is a hint, never evidence. */
function countedState(evidence: RecordedEvidence, mode: EvidenceMode): EvidenceState | null {
  const source = mode === 'graph' ? 'graph' : 'client_report';
  return evidence.source === source ? evidence.evidence : null;
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

/** A user's evidence record alone, without the account around it (what the admin pages list). */
export type RecordedEvidence = Pick<GateSubject, 'evidence' | 'source' | 'graph'>;

/** What the evidence record itself says under a mode: undefined when it opens the gate, else why not. */
export function evidenceRefusal(evidence: RecordedEvidence, mode: EvidenceMode, now: number): AppError | undefined {
  if (evidence.evidence === 'failed') return new AppError('ent.intune.enrollment.failed.app_error');
  const state = countedState(evidence, mode);
  if (mode === 'graph') {
    if (state === 'enrolled' && graphEvidenceHolds(evidence.graph, now)) return undefined;
    return state === null ? new AppError('ent.intune.enrollment.required.app_error') : graphRefusal(evidence.graph);
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
