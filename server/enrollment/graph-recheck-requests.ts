// What the rest of the service may ask of the node's Graph re-check worker (enrollment/graph-rechecks.ts), as
// types only: the service context carries it, and the worker itself needs the context, so the context names this
// and not the worker (no circle between them).
import type { EvidenceDecision } from './intune-evidence.ts';
import type { EvidenceMode } from '../contract/enrollment.ts';

export interface GraphCheckSubject {
  userId: string;
  objectId: string;
}

export interface GraphCheckResult {
  userId: string;
  outcome: EvidenceDecision['outcome'];
  verified: boolean;
  /** Verified evidence that this check found gone. */
  lost: boolean;
}

export interface GraphStatus {
  last_sweep_at: string | null;
  last_error_id: string | null;
  watched: number;
  due: number;
}

export interface GraphRecheckRequests {
  /** Check this user soon (a client's report): at the next sweep unless already due. */
  soon(userId: string, objectId: string, mode: EvidenceMode): void;
  /** Check this user now (an admin, the CLI) and answer with what Graph said. */
  verifyNow(subject: GraphCheckSubject): Promise<GraphCheckResult>;
  /** The last sweep and how many users are watched, for readiness, preflight and /metrics. */
  status(now?: number): GraphStatus;
}
