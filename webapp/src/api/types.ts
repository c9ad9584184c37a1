// The admin API's answers, as the mamgate service sends them (README "HTTP surface", server/settings/model.ts).

export interface IntuneSettings {
  Enable: boolean;
  TenantId: string;
  ClientId: string;
  AuthService: string;
  IdAttribute: string;
  IntuneScope: string;
  AllowedClientIds: string[];
  TunnelClientId: string;
  EnableUserCreation: boolean;
}

export interface SamlSettings {
  Enable: boolean;
  IdpEntityId: string;
  IdpUrl: string;
  IdpCertificates: string[];
  SpEntityId: string;
  IdAttribute: string;
  EmailAttribute: string;
  UsernameAttribute: string;
}

export interface TunnelSettings {
  ConnectionType: string;
  ConnectionName: string;
  SiteId: string;
  ServerAddress: string;
  TrustedRootCertificates: string;
  ProxyPacUrl: string;
  ProxyAddress: string;
  ProxyPort: number;
  BypassedUrls: string[];
}

export interface Settings {
  IntuneSettings: IntuneSettings;
  Office365Settings: { Enable: boolean };
  SamlSettings: SamlSettings;
  LdapSettings: Record<string, unknown> & { Enable: boolean };
  TunnelSettings: TunnelSettings;
}

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

export const ALIGNMENT_STATUSES = [
  'aligned',
  'mismatch',
  'missing_source',
  'duplicate_object_id',
  'unsupported_attribute',
  'not_in_directory',
] as const;
export type AlignmentStatus = (typeof ALIGNMENT_STATUSES)[number];

export interface ReportRun {
  id: string;
  status: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
  total: number;
  processed: number;
  progress: number;
  summary: Partial<Record<AlignmentStatus, number>>;
  requested_by: string;
  error: string | null;
  created_at: string;
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
  tenant_id: string | null;
  device_id: string | null;
  status: string;
  error_code: string | null;
  error_message: string | null;
  cause: string;
  cause_summary: string;
  next_step: string;
  created_at: string;
}

export interface AuditItem {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  outcome: string;
  request_id: string | null;
  details: Record<string, unknown>;
}
