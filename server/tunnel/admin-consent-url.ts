// The tenant-wide admin-consent URL for an app registration. Format from the Microsoft identity platform docs,
// "Grant tenant-wide admin consent to an application" › "Construct the URL for granting tenant-wide admin consent":
// https://login.microsoftonline.com/{organization}/adminconsent?client_id={client-id}
// (https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/grant-admin-consent). Seed 000 gives the same
// form with "organizations"; a tenant id sends the admin to their own tenant. The host is MAMGATE_ENTRA_AUTHORITY,
// so sovereign clouds (and the development issuer) get their own sign-in host.
import { isGuid } from '../util/guid.ts';

/** The URL, or undefined while the tenant id or client id is not a GUID (a wrong link is worse than none). */
export function adminConsentUrl(authority: string, tenantId: string, clientId: string): string | undefined {
  const [tenant, client] = [tenantId.trim(), clientId.trim()];
  if (!isGuid(tenant) || !isGuid(client)) return undefined;
  const url = new URL(`${authority.replace(/\/+$/, '')}/${encodeURIComponent(tenant)}/adminconsent`);
  url.searchParams.set('client_id', client);
  return url.toString();
}
