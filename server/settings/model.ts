// The System Console settings, grouped in sections named like Mattermost's configuration.
import type { ChatServerSettings } from '../chatserver/connection-settings.ts';

export const AUTH_SERVICES = ['office365', 'saml'] as const;
export type AuthService = (typeof AUTH_SERVICES)[number];

/** The official Mattermost mobile apps (Prod, Beta): reference/mattermost-intune.md §7. */
export const OFFICIAL_MOBILE_CLIENT_IDS = [
  '9ac649f1-4f77-44d6-9792-b2f54ab3c9a7',
  '64e9952b-20eb-46dc-92ad-99089ed24903',
] as const;

/** The Mattermost mobile app: iOS bundle ids (Prod, Beta) and the Android package (the same id as Prod's). */
export const DEFAULT_MOBILE_APP_IDS = ['com.mattermost.rn', 'com.mattermost.rnbeta'] as const;

/**
 * Intune's documentation: a registered app gets its policy at a service-defined interval, "typically 30 mins", while
 * in use (app-protection-policy-delivery.md), and the Conditional launch "Offline grace period" blocks access 720
 * minutes (12 hours) after the app's last check-in by default (app-protection-policy-settings-ios.md). An older
 * registration belongs to an app Intune itself would no longer let open work data. README "What the server can and
 * cannot verify" says more.
 */
export const DEFAULT_MAX_SYNC_AGE_HOURS = 12;

export const ENROLLMENT_EVIDENCE_SOURCES = ['auto', 'graph', 'client'] as const;

/**
 * What a protected Android client gets. The seed: Intune MAM for the mobile app is not available on Android, so
 * holding it until evidence waits forever; refuse says so at once.
 */
export const ANDROID_POLICIES = ['refuse', 'allow_unprotected', 'require_enrollment'] as const;
export type AndroidPolicy = (typeof ANDROID_POLICIES)[number];

export const SAML_OBJECT_ID_CLAIM = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
export const LDAP_OBJECT_ID_ATTRIBUTE = 'msDS-aadObjectId';

export interface IntuneSettings {
  Enable: boolean;
  TenantId: string;
  ClientId: string;
  AuthService: string;
  IdAttribute: string;
  /** Empty means the default, api://{ClientId}/login.mattermost. */
  IntuneScope: string;
  AllowedClientIds: string[];
  TunnelClientId: string;
  EnableUserCreation: boolean;
  /**
   * What opens the gate for a protected mobile app: "graph" (only registrations read from Microsoft Graph),
   * "client" (the client's own report, unverified), or "auto" (graph when GraphSettings.Enable, else client).
   */
  EnrollmentEvidence: string;
  /** iOS bundle ids and Android package names of the mobile apps whose Intune registrations count. */
  MobileAppIds: string[];
  /** A registration that has not synced for longer than this no longer proves protection. */
  MaxSyncAgeHours: number;
  /**
   * A protected sign-in or request from Android: "refuse" (a clear error), "require_enrollment" (held like iOS
   * until evidence), or "allow_unprotected" (let through without app protection, audited).
   */
  AndroidPolicy: string;
}

/** The operator's Entra app registration that reads Intune's records through Microsoft Graph (application permissions). */
export interface GraphSettings {
  Enable: boolean;
  ClientId: string;
  /** Write-only. */
  ClientSecret: string;
}

export interface Office365Settings {
  Enable: boolean;
}

export interface SamlSettings {
  Enable: boolean;
  IdpEntityId: string;
  IdpUrl: string;
  IdpCertificates: string[];
  SpEntityId: string;
  /**
   * The public URL of this server's ACS (…/plugins/mamgate/saml/acs as the browser reaches it): written into the
   * metadata and AuthnRequests, and the only Destination and Recipient a response may name. Never derived from
   * the request's Host header, which the client chooses.
   */
  AssertionConsumerServiceURL: string;
  IdAttribute: string;
  EmailAttribute: string;
  UsernameAttribute: string;
}

export interface LdapSettings {
  Enable: boolean;
  Url: string;
  BindDn: string;
  BindPassword: string;
  BaseDn: string;
  UserFilter: string;
  IdAttribute: string;
  EmailAttribute: string;
  UsernameAttribute: string;
  /** Scheduled syncs: one every SyncIntervalMinutes (0: none), incremental unless a full pass is due. */
  SyncIntervalMinutes: number;
  /** A scheduled sync reads the whole directory when no good full pass started in this many hours (0: every time). */
  FullSyncIntervalHours: number;
}

/** The com.microsoft.tunnel.* app-configuration values (seed 000, reference/tunnel-and-plugin.md A1). */
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

/**
 * How mamgate reaches the chat server it is the companion of (empty Url: standalone). mamgate's own: the
 * connection must exist before the chat server's configuration can be read, so it is never a plugin setting.
 */
export type { ChatServerSettings };

export interface Settings {
  ChatServerSettings: ChatServerSettings;
  IntuneSettings: IntuneSettings;
  GraphSettings: GraphSettings;
  Office365Settings: Office365Settings;
  SamlSettings: SamlSettings;
  LdapSettings: LdapSettings;
  TunnelSettings: TunnelSettings;
}

export type SectionName = keyof Settings;
export const SECTION_NAMES: SectionName[] = [
  'ChatServerSettings',
  'IntuneSettings',
  'GraphSettings',
  'Office365Settings',
  'SamlSettings',
  'LdapSettings',
  'TunnelSettings',
];

export function defaultSettings(): Settings {
  return {
    ChatServerSettings: { Url: '', AdminToken: '' },
    IntuneSettings: {
      Enable: false,
      TenantId: '',
      ClientId: '',
      AuthService: '',
      IdAttribute: 'objectId',
      IntuneScope: '',
      AllowedClientIds: [...OFFICIAL_MOBILE_CLIENT_IDS],
      TunnelClientId: '',
      EnableUserCreation: false,
      EnrollmentEvidence: 'auto',
      MobileAppIds: [...DEFAULT_MOBILE_APP_IDS],
      MaxSyncAgeHours: DEFAULT_MAX_SYNC_AGE_HOURS,
      AndroidPolicy: 'refuse',
    },
    GraphSettings: { Enable: false, ClientId: '', ClientSecret: '' },
    Office365Settings: { Enable: false },
    SamlSettings: {
      Enable: false,
      IdpEntityId: '',
      IdpUrl: '',
      IdpCertificates: [],
      SpEntityId: '',
      AssertionConsumerServiceURL: '',
      IdAttribute: SAML_OBJECT_ID_CLAIM,
      EmailAttribute: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
      UsernameAttribute: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
    },
    LdapSettings: {
      Enable: false,
      Url: '',
      BindDn: '',
      BindPassword: '',
      BaseDn: '',
      UserFilter: '(objectClass=person)',
      IdAttribute: LDAP_OBJECT_ID_ATTRIBUTE,
      EmailAttribute: 'mail',
      UsernameAttribute: 'uid',
      SyncIntervalMinutes: 60,
      FullSyncIntervalHours: 24,
    },
    TunnelSettings: {
      ConnectionType: '',
      ConnectionName: '',
      SiteId: '',
      ServerAddress: '',
      TrustedRootCertificates: '',
      ProxyPacUrl: '',
      ProxyAddress: '',
      ProxyPort: 0,
      BypassedUrls: [],
    },
  };
}

/** Sections that are mamgate's alone: not described in plugin.json, never read from the plugin's settings. */
export const MAMGATE_ONLY_SECTIONS: readonly SectionName[] = ['ChatServerSettings'];

/** The scope the mobile client requests: the configured one, or Mattermost's default for the client id. */
export function effectiveIntuneScope(intune: IntuneSettings): string {
  return intune.IntuneScope.trim() || `api://${intune.ClientId}/login.mattermost`;
}

/** Tunnel mode is on when the four required app-config keys are set, blanks counting as unset (seed 000). */
export function tunnelConfigured(tunnel: TunnelSettings): boolean {
  return [tunnel.ConnectionType, tunnel.ConnectionName, tunnel.SiteId, tunnel.ServerAddress].every((v) => v.trim() !== '');
}
