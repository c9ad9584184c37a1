// The admin API's answers, as the mamgate service sends them (README "HTTP surface", server/settings/model.ts).

// The settings model, the report statuses and the contract's words (server/contract/) are the server's own (pure
// modules without imports), not copies.
import type { Settings } from '../../../server/settings/model.ts';

export type { IntuneSettings, SamlSettings, Settings, TunnelSettings } from '../../../server/settings/model.ts';

/** A PUT carries whole sections: a carried section replaces the stored one, missing keys take their defaults. */
export type SettingsUpdate = Partial<Pick<Settings, 'IntuneSettings' | 'Office365Settings' | 'SamlSettings' | 'TunnelSettings'>>;

export interface License {
  IsLicensed: boolean;
  SkuShortName?: string;
  SkuName?: string;
  ExpiresAt?: number;
}

export type CheckState = 'pass' | 'warn' | 'fail';

export interface PreflightCheck {
  id: string;
  title: string;
  state: CheckState;
  evidence: string;
  next_step: string;
  error_id?: string;
}

export interface PreflightReport {
  ran_at: string;
  summary: Record<CheckState, number>;
  checks: PreflightCheck[];
}

import type { AlignmentStatus } from '../../../server/identity/report/statuses.ts';

export { ALIGNMENT_STATUSES, type AlignmentStatus } from '../../../server/identity/report/statuses.ts';

export interface ReportRun {
  id: string;
  status: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
  total: number;
  processed: number;
  progress: number;
  summary: Partial<Record<AlignmentStatus, number>>;
  requested_by: string;
  /** The admin token's name when an admin token started the report. */
  requested_by_name: string | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

/** One LDAP sync (GET/POST …/admin/ldap/sync). */
export interface LdapSyncRun {
  id: number;
  status: 'running' | 'succeeded' | 'failed';
  trigger: 'manual' | 'schedule';
  requested_by: string;
  kind: 'full' | 'incremental';
  fallback_reason: string | null;
  entries: number;
  matched: number;
  without_id: number;
  changed: number;
  affected_users: number;
  reclassified: Record<string, number> | null;
  watermark: { since: string; taken_at: string; full_at: string; server: string; kind: string } | null;
  error_id: string | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
}

export interface ReportRow {
  seq: number;
  user_id: string;
  username: string;
  email: string;
  auth_service: string;
  auth_data: string | null;
  oauth_object_id: string | null;
  oauth_seen_at: string | null;
  saml_object_id: string | null;
  saml_seen_at: string | null;
  ldap_object_id: string | null;
  ldap_seen_at: string | null;
  status: AlignmentStatus;
  error_id: string | null;
  mam_error: string | null;
  next_step: string;
}

export interface EnrollmentItem {
  id: number;
  event_id: string;
  session_id: string;
  user_id: string;
  username: string | null;
  email: string | null;
  tenant_id: string | null;
  device_id: string | null;
  status: EnrollmentStatus;
  error_code: string | null;
  error_message: string | null;
  cause: FailureCause;
  cause_summary: string;
  next_step: string;
  created_at: string;
}

/** A user as the service names them; username and email are null for a chat user it never imported. */
export interface UserRef {
  id: string;
  username: string | null;
  email: string | null;
}

export interface AuditItem {
  id: number;
  at: string;
  actor: string;
  /** The admin token's name when the actor is `admin-token:<id>`. */
  actor_name: string | null;
  action: string;
  target: string | null;
  /** The admin token's name when the target is `admin_token:<id>`. */
  target_name: string | null;
  outcome: string;
  request_id: string | null;
  details: Record<string, unknown>;
  user: UserRef | null;
}

export interface AuditFilter {
  action?: string;
  actor?: string;
  user?: string;
  /** ISO-8601 times; since inclusive, until exclusive. */
  since?: string;
  until?: string;
}

/** GET admin/users/{id} (server/users/user-detail.ts). */
export interface UserSession {
  id: string;
  device_id: string | null;
  is_mobile: boolean;
  auth_service: string;
  mam_state: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_reason: string | null;
  live: boolean;
}

export interface UserIdentity {
  source: string;
  tenant_id: string;
  object_id: string | null;
  raw_value: string | null;
  attribute: string;
  seen_at: string;
}

export interface UserDetail {
  user: UserRef & {
    first_name: string;
    last_name: string;
    auth_service: string | null;
    auth_data: string | null;
    deleted_at: string | null;
    known_account: boolean;
  };
  sessions: UserSession[];
  live_sessions: number;
  evidence: EvidenceItem | null;
  enrollments: EnrollmentItem[];
  identities: UserIdentity[];
  activity: AuditItem[];
}

/** GET admin/admin-tokens (server/admin/tokens.ts). */
export interface AdminToken {
  id: string;
  name: string;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** GET admin/settings/history. */
export interface SettingsVersion {
  version: number;
  settings: Settings;
  saved_by: string;
  saved_by_name: string | null;
  saved_at: string;
}

/** GET admin/settings/history/{version}/diff (server/settings/history-diff.ts). */
export interface SettingChange {
  key: string;
  before: unknown;
  after: unknown;
  secret: boolean;
}

export interface SettingsDiff {
  version: number;
  saved_by: string;
  saved_at: string;
  against: number;
  changes: SettingChange[];
}

/** GET admin/evidence (server/enrollment/evidence-list.ts). */
export type { EnrollmentState as EvidenceState, EvidenceSource } from '../../../server/contract/enrollment.ts';
import type { EnrollmentState as EvidenceState, EnrollmentStatus, EvidenceSource, FailureCause } from '../../../server/contract/enrollment.ts';

export interface EvidenceRegistration {
  registration_id: string;
  app_id: string | null;
  platform: 'ios' | 'android' | null;
  last_sync: string | null;
  last_sync_age_seconds: number | null;
  policies: string[];
  flags: string[];
}

export interface EvidenceItem {
  user_id: string;
  username: string | null;
  email: string | null;
  state: EvidenceState;
  source: EvidenceSource;
  /** true: read by the server from Microsoft Graph; false: the mobile client's own report. */
  verified: boolean;
  outcome: string;
  cause: FailureCause | null;
  cause_summary: string | null;
  refusal_id: string | null;
  refusal_message: string | null;
  next_step: string | null;
  registration: EvidenceRegistration | null;
  valid_until: string | null;
  checked_at: string | null;
  updated_at: string;
  age_seconds: number;
  revocation_pending: boolean;
}

/** POST admin/users/{id}/evidence/verify (server/enrollment/verify-user.ts). */
export interface VerifiedUser {
  user_id: string;
  username: string;
  outcome: string;
  verified: boolean;
  lost: boolean;
  evidence: Record<string, unknown> | null;
}

/** GET admin/stats/{enrollments,sign-ins,gate-refusals} (server/admin/stats.ts): counts per bucket, one series per group and key. */
export type { StatsAnswer, StatsBucket, StatsKind, StatsSeries } from '../../../server/contract/stats.ts';

/** GET admin/stats/alignment: the last completed identity reports, oldest first. */
export interface AlignmentStatsAnswer {
  statuses: AlignmentStatus[];
  reports: { id: string; created_at: string; finished_at: string | null; total: number; summary: Partial<Record<AlignmentStatus, number>> }[];
}
