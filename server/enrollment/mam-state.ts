// The enrollment state machine in one place (DESIGN "Enrollment evidence"): the states a protected session or a
// protected user's evidence record can be in, what each needs, every transition, and what the gate decides from
// a record. Data and small pure functions; the stores keep the states, and the callers (the sign-in SQL, the
// client's reports, the Graph checks, the admin revoke, both gates) apply these rules and none of their own.
//
// Two sources of evidence: `graph` (Intune's registrations, read by the server: verified) and `client_report`
// (what the mobile client says: unverified). One counts at a time (IntuneSettings.EnrollmentEvidence), never a
// mix: in `graph` mode a client's report is a hint that asks for a check at once, except a failure, which is
// believed from any source (it can only shut the reporter out).
import { type EnrollmentEndReason, SESSION_END_REASONS } from '../contract/session-end-reasons.ts';
import type { ErrorId } from '../errors/catalogue.ts';
import {
  type EffectiveMamState,
  ENROLLMENT_STATES,
  type EnrollmentState,
  type EnrollmentStatus,
  EVIDENCE_MODES,
  EVIDENCE_SOURCES,
  type EvidenceMode,
  type EvidenceSource,
  type FailureCause,
  type MamState,
} from '../contract/enrollment.ts';
import { isRetryable } from './classify-failure.ts';

/** What each state needs (README "Enrollment state model"). */
export const STATE_NEEDS: Record<EnrollmentState, string> = {
  pending: 'no evidence yet: refused until the counted source shows an enrollment',
  enrolled:
    'graph: a registration of a configured app of the user with an applied policy, synced within MaxSyncAgeHours, not flagged; client: the client reported enrolled',
  declined: 'the client reported declined, or a failure a retry can clear (client mode only counts it)',
  failed: 'the client reported a failure a retry cannot clear (believed in both modes); its sessions are ended',
};

// --- sign-in: the first state ---

/**
 * A new protected session starts enrolled when this user's app already reported an enrollment on this device
 * (enrollments.state = DEVICE_ENROLLED), else pending. The sign-in SQL computes this in the statement for speed
 * and takes all three values from here as parameters.
 */
export const SIGN_IN_STATE = { enrolledOnDevice: 'enrolled', otherwise: 'pending', DEVICE_ENROLLED: 'enrolled' } as const satisfies {
  enrolledOnDevice: EnrollmentState;
  otherwise: EnrollmentState;
  DEVICE_ENROLLED: EnrollmentStatus;
};

export function signInState(enrolledOnDevice: boolean): EnrollmentState {
  return enrolledOnDevice ? SIGN_IN_STATE.enrolledOnDevice : SIGN_IN_STATE.otherwise;
}

// --- the events and their transitions ---

export type MamEvent =
  | 'report_enrolled'
  | 'report_declined'
  | 'report_failed_retryable'
  | 'report_failed'
  | 'graph_verified'
  | 'graph_lost'
  | 'graph_flagged'
  | 'graph_stale'
  | 'admin_revoke';
export const MAM_EVENTS: readonly MamEvent[] = [
  'report_enrolled',
  'report_declined',
  'report_failed_retryable',
  'report_failed',
  'graph_verified',
  'graph_lost',
  'graph_flagged',
  'graph_stale',
  'admin_revoke',
];

/** Why the user's (or device's) mobile sessions end (contract/session-end-reasons.ts). */
export type EndReason = EnrollmentEndReason;

export interface Transition {
  next: EnrollmentState;
  /** The event is evidence (the record is written with its source); false: a hint, the record is unchanged. */
  counts: boolean;
  /** Ask Graph about the user at once (graph mode: a client's "enrolled" report). */
  recheck: boolean;
  /** The mobile sessions end (mamgate's and, in companion mode, the chat server's), with this reason. */
  endSessions: EndReason | null;
  /** A session in this state takes no more reports: it ended with its failure (a user's record takes a new one). */
  sessionRefusal: ErrorId | null;
}

/** The report's status, a failure a retry can clear taken as declined (classify-failure.ts RETRYABLE_CAUSES). */
export function reportEvent(status: EnrollmentStatus, cause: FailureCause): MamEvent {
  if (status === 'failed') return isRetryable(cause) ? 'report_failed_retryable' : 'report_failed';
  return status === 'enrolled' ? 'report_enrolled' : 'report_declined';
}

/** What a report is taken for (the answer's state, the audit action). */
export function statusTakenAs(status: EnrollmentStatus, cause: FailureCause): EnrollmentStatus {
  const event = reportEvent(status, cause);
  return event === 'report_failed' ? 'failed' : event === 'report_enrolled' ? 'enrolled' : 'declined';
}

/** What a Graph check's outcome is for the machine (intune-evidence.ts EvidenceOutcome). */
export function graphEvent(outcome: 'verified' | 'none' | 'other_app' | 'no_policy' | 'stale' | 'flagged'): MamEvent {
  switch (outcome) {
    case 'verified':
      return 'graph_verified';
    case 'flagged':
      return 'graph_flagged';
    case 'stale':
      return 'graph_stale';
    default:
      return 'graph_lost';
  }
}

/** An admin's revoke, the same in every mode and state (the test table holds it so). */
export const ADMIN_REVOKE = { endSessions: SESSION_END_REASONS.revokedByAdmin } as const satisfies Pick<Transition, 'endSessions'>;

const SESSION_FAILED: ErrorId = 'ent.intune.enrollment.failed.app_error';

function transitionRule(mode: EvidenceMode, state: EnrollmentState, event: MamEvent): Transition {
  const base: Transition = { next: state, counts: true, recheck: false, endSessions: null, sessionRefusal: null };
  switch (event) {
    case 'report_enrolled':
    case 'report_declined':
    case 'report_failed_retryable': {
      const sessionRefusal = state === 'failed' ? SESSION_FAILED : null;
      // Graph mode: only a hint; "enrolled" asks for a check now.
      if (mode === 'graph') return { ...base, counts: false, recheck: event === 'report_enrolled', sessionRefusal };
      return { ...base, next: event === 'report_enrolled' ? 'enrolled' : 'declined', sessionRefusal };
    }
    case 'report_failed':
      // Believed in both modes; the sessions on that device (a companion: the user's mobile sessions) end.
      return { ...base, next: 'failed', endSessions: SESSION_END_REASONS.enrollmentFailed, sessionRefusal: state === 'failed' ? SESSION_FAILED : null };
    case 'graph_verified':
      return { ...base, next: 'enrolled' };
    case 'graph_lost':
    case 'graph_flagged':
    case 'graph_stale':
      // Only verified evidence that opened the gate (graph mode, enrolled) can be lost: its sessions end. A
      // failure's sessions have ended already; in client mode a Graph record opened nothing.
      return { ...base, next: 'pending', endSessions: mode === 'graph' && state === 'enrolled' ? SESSION_END_REASONS.evidenceLost : null };
    case 'admin_revoke':
      // The sessions end; the evidence stays (the next sign-in is decided by it again).
      return { ...base, endSessions: ADMIN_REVOKE.endSessions };
  }
}

function table<K extends string, V>(keys: readonly K[], value: (key: K) => V): Record<K, V> {
  return Object.fromEntries(keys.map((key) => [key, value(key)])) as Record<K, V>;
}

/** Every mode × state × event, computed once. Graph events read the state as graph mode counts it (countedState). */
export const TRANSITIONS: Record<EvidenceMode, Record<EnrollmentState, Record<MamEvent, Transition>>> = table(EVIDENCE_MODES, (mode) =>
  table(ENROLLMENT_STATES, (state) => table(MAM_EVENTS, (event) => Object.freeze(transitionRule(mode, state, event)))),
);

export function transition(mode: EvidenceMode, state: EnrollmentState, event: MamEvent): Transition {
  return TRANSITIONS[mode][state][event];
}

// --- the decision ---

/** A user's (or session's) evidence record: its state and source; null when there is none. */
export interface EvidenceRecordState {
  evidence: EnrollmentState | null;
  source: EvidenceSource | null;
}

/**
 * The state a record counts as under a mode: a failure from any source; otherwise the record's state when its
 * source is the mode's, else pending (graph mode: a client's report is not evidence; client mode: a Graph record
 * is not a client's report).
 */
export function countedState(record: EvidenceRecordState, mode: EvidenceMode): EnrollmentState {
  if (record.evidence === 'failed') return 'failed';
  if (record.evidence === null) return 'pending';
  return record.source === (mode === 'graph' ? 'graph' : 'client_report') ? record.evidence : 'pending';
}

/** `graph_record`: the refusal the last Graph check recorded (its catalogue id and parameters). */
export type RefusalKind = ErrorId | 'graph_record' | 'graph_stale';

export interface Verdict {
  opens: boolean;
  /** The catalogue id refused with (or how to find it), null when the gate opens. */
  refusal: RefusalKind | null;
  /** What the session answers. */
  effective: 'pending' | 'enrolled' | 'declined' | 'failed';
  /** verified: Graph evidence; unverified: a client's report; null: nothing opens the gate. */
  shown: 'verified' | 'unverified' | null;
}

const REFUSED_PENDING: Verdict = { opens: false, refusal: 'ent.intune.enrollment.required.app_error', effective: 'pending', shown: null };
const REFUSED_FAILED: Verdict = { opens: false, refusal: 'ent.intune.enrollment.failed.app_error', effective: 'failed', shown: null };

function verdictRule(mode: EvidenceMode, source: EvidenceSource, state: EnrollmentState, fresh: boolean): Verdict {
  const counted = countedState({ evidence: state, source }, mode);
  if (counted === 'failed') return REFUSED_FAILED;
  if (mode === 'graph') {
    if (counted === 'enrolled') {
      return fresh ? { opens: true, refusal: null, effective: 'enrolled', shown: 'verified' } : { opens: false, refusal: 'graph_stale', effective: 'pending', shown: null };
    }
    // A Graph record that does not verify says why; a client's report (a hint) or nothing says "enroll".
    return source === 'graph' ? { opens: false, refusal: 'graph_record', effective: 'pending', shown: null } : REFUSED_PENDING;
  }
  switch (counted) {
    case 'enrolled':
      return { opens: true, refusal: null, effective: 'enrolled', shown: 'unverified' };
    case 'declined':
      return { opens: false, refusal: 'ent.intune.enrollment.declined.app_error', effective: 'declined', shown: null };
    default:
      return REFUSED_PENDING;
  }
}

type Freshness = 'fresh' | 'stale';
const FRESHNESS: readonly Freshness[] = ['fresh', 'stale'];

/**
 * Every mode × source × state × freshness, computed once, so the gate's decision is a lookup. Freshness is the
 * Graph evidence's (last sync + MaxSyncAgeHours not passed); a client's report has none, both columns agree.
 */
export const VERDICTS: Record<EvidenceMode, Record<EvidenceSource, Record<EnrollmentState, Record<Freshness, Verdict>>>> = table(EVIDENCE_MODES, (mode) =>
  table(EVIDENCE_SOURCES, (source) =>
    table(ENROLLMENT_STATES, (state) => table(FRESHNESS, (freshness) => Object.freeze(verdictRule(mode, source, state, freshness === 'fresh')))),
  ),
);

/** The decision for a record; no record (or no source) decides as a client's pending one: "enroll". */
export function verdict(record: EvidenceRecordState, mode: EvidenceMode, fresh: boolean): Verdict {
  if (record.evidence === null || record.source === null) return VERDICTS[mode].client_report.pending[fresh ? 'fresh' : 'stale'];
  return VERDICTS[mode][record.source][record.evidence][fresh ? 'fresh' : 'stale'];
}

/**
 * The effective state of a protected session, in rule order: a failed session, one MAM is not required for, an
 * Android one let through unprotected, then the evidence's verdict (graph mode) or the session's own state.
 */
export function effectiveMamState(
  state: MamState,
  required: boolean,
  androidUnprotected: boolean,
  evidence: Verdict['effective'] | undefined,
): EffectiveMamState {
  if (state === 'failed') return 'failed';
  if (!required) return 'not_required';
  if (androidUnprotected) return 'android_unprotected';
  if (evidence !== undefined) return evidence;
  return state === 'not_required' ? 'pending' : state;
}

/** IntuneSettings.EnrollmentEvidence → the mode: never a silent mix ("auto": graph when Graph is enabled). */
export function evidenceModeFor(setting: string, graphEnabled: boolean): EvidenceMode {
  if (setting === 'graph' || setting === 'client') return setting;
  return graphEnabled ? 'graph' : 'client';
}
