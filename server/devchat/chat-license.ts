// The license and its client forms, after utils.GetClientLicense and utils.GetSanitizedClientLicense
// (server/channels/utils/license.go in mattermost/mattermost): every value a string; unlicensed is only
// {"IsLicensed":"false"}; the sanitised form drops Id, Name, Email, IssuedAt, StartsAt, ExpiresAt and SkuName.
// api4/license.go getClientLicense answers the full form to sessions with read_license_information (system
// admins) and the sanitised form to everyone else, including requests without a session.
import { newId } from './ids.ts';

/** model.Features: the boolean features a client license reports (Features.SetDefaults turns them on). */
const BOOLEAN_FEATURES = [
  'LDAP',
  'LDAPGroups',
  'MFA',
  'SAML',
  'Cluster',
  'Metrics',
  'GoogleOAuth',
  'Office365OAuth',
  'OpenId',
  'Compliance',
  'MHPNS',
  'Announcement',
  'Elasticsearch',
  'DataRetention',
  'IDLoadedPushNotifications',
  'EmailNotificationContents',
  'MessageExport',
  'CustomPermissionsSchemes',
  'GuestAccounts',
  'GuestAccountsPermissions',
  'CustomTermsOfService',
  'LockTeammateNameDisplay',
  'Cloud',
  'SharedChannels',
  'RemoteClusterService',
  'OutgoingOAuthConnections',
] as const;

export interface ChatLicense {
  Id: string;
  IssuedAt: number;
  StartsAt: number;
  ExpiresAt: number;
  SkuName: string;
  SkuShortName: string;
  IsTrial: boolean;
  IsGovSku: boolean;
  Customer: { Name: string; Email: string; Company: string };
  Features: Record<string, boolean | number>;
}

export type LicenseInput =
  | { IsLicensed: false }
  | {
      IsLicensed: true;
      Id?: string;
      IssuedAt?: number;
      StartsAt?: number;
      ExpiresAt?: number;
      SkuName?: string;
      SkuShortName?: string;
      IsTrial?: boolean;
      IsGovSku?: boolean;
      Customer?: { Name?: string; Email?: string; Company?: string };
      Features?: Record<string, boolean | number>;
    };

const YEAR_MS = 365 * 24 * 3600 * 1000;

export function licenseFrom(input: LicenseInput): ChatLicense | null {
  if (!input.IsLicensed) return null;
  const now = Date.now();
  const features: Record<string, boolean | number> = { Users: 0 };
  for (const name of BOOLEAN_FEATURES) features[name] = name !== 'Cloud';
  return {
    Id: input.Id ?? newId(),
    IssuedAt: input.IssuedAt ?? now,
    StartsAt: input.StartsAt ?? now,
    ExpiresAt: input.ExpiresAt ?? now + YEAR_MS,
    SkuName: input.SkuName ?? 'Enterprise Advanced',
    SkuShortName: input.SkuShortName ?? 'advanced',
    IsTrial: input.IsTrial ?? false,
    IsGovSku: input.IsGovSku ?? false,
    Customer: { Name: '', Email: '', Company: '', ...input.Customer },
    Features: { ...features, ...input.Features },
  };
}

export function clientLicense(license: ChatLicense | null): Record<string, string> {
  const props: Record<string, string> = { IsLicensed: String(license !== null) };
  if (!license) return props;
  props.Id = license.Id;
  props.SkuName = license.SkuName;
  props.SkuShortName = license.SkuShortName;
  props.Users = String(license.Features.Users ?? 0);
  for (const name of BOOLEAN_FEATURES) props[name] = String(Boolean(license.Features[name]));
  props.IssuedAt = String(license.IssuedAt);
  props.StartsAt = String(license.StartsAt);
  props.ExpiresAt = String(license.ExpiresAt);
  props.Name = license.Customer.Name;
  props.Email = license.Customer.Email;
  props.Company = license.Customer.Company;
  props.IsTrial = String(license.IsTrial);
  props.IsGovSku = String(license.IsGovSku);
  return props;
}

export function sanitizedClientLicense(license: ChatLicense | null): Record<string, string> {
  const props = clientLicense(license);
  for (const key of ['Id', 'Name', 'Email', 'IssuedAt', 'StartsAt', 'ExpiresAt', 'SkuName']) delete props[key];
  return props;
}
