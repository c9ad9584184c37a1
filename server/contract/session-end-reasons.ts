// Why a session ended: the words of sessions.revoked_reason, of the session_revoked event and of the chat server
// revocations. No imports: the state machine, the stores and the admin pages use this module.
export const SESSION_END_REASONS = {
  /** The user's enrollment failed (their mobile sessions end). */
  enrollmentFailed: 'enrollment_failed',
  /** The user's evidence was lost. */
  evidenceLost: 'evidence_lost',
  /** An admin revoked the user in mamgate. */
  revokedByAdmin: 'revoked_by_admin',
  /** A new sign-in of the same user on the same device (one live session per device, Mattermost's rule). */
  replacedOnDevice: 'replaced_by_new_session_on_device',
} as const;

export type SessionEndReason = (typeof SESSION_END_REASONS)[keyof typeof SESSION_END_REASONS];
/** The reasons an enrollment event ends sessions with (mam-state.ts Transition.endSessions). */
export type EnrollmentEndReason = Exclude<SessionEndReason, 'replaced_by_new_session_on_device'>;
