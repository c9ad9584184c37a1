// The words of the enrollment state machine (enrollment/mam-state.ts holds its rules) and of the failure causes
// (enrollment/classify-failure.ts holds what each means): the states, what a client reports, the evidence sources
// and modes, what the gate answers. No imports: the server, its stores and the admin pages use this module.

/** Where a protected session (sessions.mam_state) or a user's evidence record (user_evidence.state) stands. */
export const ENROLLMENT_STATES = ['pending', 'enrolled', 'declined', 'failed'] as const;
export type EnrollmentState = (typeof ENROLLMENT_STATES)[number];
/** A session row's state; not_required: rows written before MAM was required for them (read as pending). */
export type MamState = 'not_required' | EnrollmentState;
/** What a client reports (POST …/enrollment). */
export const ENROLLMENT_STATUSES = ['enrolled', 'declined', 'failed'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];
export const EVIDENCE_SOURCES = ['graph', 'client_report'] as const;
export type EvidenceSource = (typeof EVIDENCE_SOURCES)[number];
/** The source that counts; IntuneSettings.EnrollmentEvidence `auto` is `graph` when Graph is enabled. */
export const EVIDENCE_MODES = ['graph', 'client'] as const;
export type EvidenceMode = (typeof EVIDENCE_MODES)[number];
/** What the session answers (x-mam-state, GET …/session). */
export const EFFECTIVE_MAM_STATES = ['not_required', 'pending', 'enrolled', 'declined', 'failed', 'android_unprotected'] as const;
export type EffectiveMamState = (typeof EFFECTIVE_MAM_STATES)[number];

/** The causes an enrollment failure is classified into from the client's error code. */
export const FAILURE_CAUSE_IDS = [
  'missing_mam_permission',
  'no_mam_service_principal',
  'conditional_access_app_protection',
  'msal_cancelled',
  'intune_not_licensed',
  'intune_not_targeted',
  'intune_wrong_account',
  'intune_auth_required',
  'intune_network',
  'intune_internal',
  'intune_device_blocked',
  'none',
  'unknown',
] as const;
export type FailureCause = (typeof FAILURE_CAUSE_IDS)[number];
