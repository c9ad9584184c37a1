// The Graph v1.0 resources mamgate reads, with the properties it uses (microsoft-graph-docs-contrib,
// api-reference/v1.0/resources/…). Graph sends more; the rest passes through untouched.

/** intune-mam-mobileappidentifier.md and its iOS/Android subtypes. */
export interface MobileAppIdentifier {
  '@odata.type'?: string; // "#microsoft.graph.iosMobileAppIdentifier" | "#microsoft.graph.androidMobileAppIdentifier"
  bundleId?: string; // iOS
  packageId?: string; // Android
}

/** intune-mam-managedapppolicy.md */
export interface ManagedAppPolicy {
  id: string;
  displayName?: string;
  '@odata.type'?: string;
  [property: string]: unknown;
}

/** intune-mam-managedappregistration.md (iosManagedAppRegistration / androidManagedAppRegistration add nothing). */
export interface ManagedAppRegistration {
  id: string;
  '@odata.type'?: string;
  userId?: string;
  appIdentifier?: MobileAppIdentifier;
  lastSyncDateTime?: string;
  createdDateTime?: string;
  flaggedReasons?: string[]; // managedAppFlaggedReason: none, rootedDevice, …
  deviceName?: string;
  deviceTag?: string;
  deviceType?: string;
  platformVersion?: string;
  applicationVersion?: string;
  managementSdkVersion?: string;
  version?: string;
  [property: string]: unknown;
}

/** A registration with its appliedPolicies relationship read. */
export interface ManagedAppRegistrationWithPolicies extends ManagedAppRegistration {
  appliedPolicies: ManagedAppPolicy[];
}

/** conditionalaccesspolicy.md: grantControls.builtInControls holds approvedApplication / compliantApplication. */
export interface ConditionalAccessPolicy {
  id: string;
  displayName?: string;
  state?: string; // enabled | disabled | enabledForReportingButNotEnforced
  conditions?: Record<string, unknown>;
  grantControls?: { operator?: string; builtInControls?: string[]; [property: string]: unknown } | null;
  [property: string]: unknown;
}

/** serviceprincipal.md */
export interface ServicePrincipal {
  id: string;
  appId: string;
  displayName?: string;
  accountEnabled?: boolean;
  [property: string]: unknown;
}

/** oauth2permissiongrant.md: scope is a space-separated list of delegated permissions. */
export interface OAuth2PermissionGrant {
  id: string;
  clientId: string;
  consentType?: string; // AllPrincipals | Principal
  principalId?: string | null;
  resourceId?: string;
  scope?: string;
  [property: string]: unknown;
}
