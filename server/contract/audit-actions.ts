// The actions the audit log records, each spelled once. No imports: the server, its stores (which filter and count
// by action in SQL) and the admin pages (which render each action as a sentence) all use this module.
export const AUDIT_ACTIONS = {
  /** A mobile sign-in through POST /oauth/intune (success or refusal). */
  signIn: 'login.intune',
  /** A SAML response at the assertion consumer service. */
  samlSignIn: 'saml.acs',
  /** The gate refused a session. */
  gateRefused: 'gate.refused',
  /** The gate let an Android app through without app protection (IntuneSettings.AndroidPolicy allow_unprotected). */
  gateAndroidUnprotected: 'gate.android_unprotected',
  /** Graph confirmed a user's enrollment. */
  enrollmentVerified: 'enrollment.verified',
  /** A user's evidence was lost (Graph no longer shows the protected app). */
  enrollmentEvidenceLost: 'enrollment.evidence_lost',
  /** An admin ended a user's sessions in mamgate. */
  sessionsRevoke: 'sessions.revoke',
  /** A user's mobile sessions were ended on the chat server. */
  chatSessionsRevoke: 'chat_sessions.revoke',
  settingsSave: 'settings.save',
  licenseSave: 'license.save',
  reportStart: 'report.identity.start',
  reportCancel: 'report.identity.cancel',
  usersImport: 'users.import',
  ldapSync: 'ldap.sync',
  adminTokenCreate: 'admin_token.create',
  adminTokenRevoke: 'admin_token.revoke',
} as const;

/** A client's enrollment report, by what it was taken for: enrollment.enrolled, enrollment.declined, enrollment.failed. */
export function enrollmentReportAction(takenAs: 'enrolled' | 'declined' | 'failed'): `enrollment.${typeof takenAs}` {
  return `enrollment.${takenAs}`;
}

/** The actions counted as sign-ins (the charts' sign-ins by outcome). */
export const SIGN_IN_ACTIONS = [AUDIT_ACTIONS.signIn, AUDIT_ACTIONS.samlSignIn] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[keyof typeof AUDIT_ACTIONS] | ReturnType<typeof enrollmentReportAction>;
