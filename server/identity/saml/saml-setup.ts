// What the SAML service provider needs from the settings, checked once per request: the SP entity id and ACS URL, the IdP's
// sign-in URL, the pinned IdP certificates (several during a rollover), the Entra tenant and the attribute names.
import { X509Certificate } from 'node:crypto';
import { AppError } from '../../errors/app-error.ts';
import type { Settings } from '../../settings/model.ts';
import { isGuid, normaliseGuid } from '../../util/guid.ts';

export const SAML_TENANT_CLAIM = 'http://schemas.microsoft.com/identity/claims/tenantid';
export const SAML_GIVEN_NAME_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname';
export const SAML_SURNAME_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname';

/** Clock difference tolerated on NotBefore / NotOnOrAfter (Entra adds no buffer of its own). */
export const ACCEPTED_CLOCK_SKEW_MS = 60_000;
/** How long an AuthnRequest started here may be answered (time spent at the IdP, MFA included). */
export const REQUEST_LIFETIME_MS = 15 * 60_000;

export interface SamlSetup {
  spEntityId: string;
  /** SamlSettings.AssertionConsumerServiceURL: the ACS in metadata and AuthnRequests, the Destination and Recipient required. */
  acsUrl: string;
  idpUrl: string;
  /** Lower-case Entra tenant id (IntuneSettings.TenantId). */
  tenantId: string;
  /** https://sts.windows.net/{tenantId}/: the assertion Issuer Entra uses. */
  expectedIssuer: string;
  /** PEM, one per configured certificate. */
  certificates: string[];
  idAttribute: string;
  emailAttribute: string;
  usernameAttribute: string;
  /** IntuneSettings.AuthService: 'saml' makes the SAML account the one keyed by objectidentifier. */
  authService: string;
}

export function entraIssuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

export function notConfigured(reason: string): AppError {
  return new AppError('mamgate.saml.not_configured.app_error', { params: { Reason: reason }, detailed: reason });
}

/** A configured certificate (PEM, or base64 DER as the Entra portal offers it) as PEM; undefined when unreadable. */
export function certificatePem(text: string): string | undefined {
  const body = text.includes('-----BEGIN')
    ? text
    : `-----BEGIN CERTIFICATE-----\n${text.replace(/\s+/g, '')}\n-----END CERTIFICATE-----`;
  try {
    return new X509Certificate(body).toString();
  } catch {
    return undefined;
  }
}

/** The SP entity id alone: enough for the metadata, which an admin needs before SAML can be switched on. */
export function spEntityIdOf(settings: Settings): string {
  const id = settings.SamlSettings.SpEntityId.trim();
  if (!id) throw notConfigured('SamlSettings.SpEntityId is empty');
  return id;
}

/**
 * The configured ACS URL. It is never built from the request (its Host header is the client's to choose, so a
 * spoofed Host would be written into the metadata and AuthnRequests, and accepted as Destination and Recipient).
 */
export function acsUrlOf(settings: Settings): string {
  const url = settings.SamlSettings.AssertionConsumerServiceURL.trim();
  if (!url) throw notConfigured('SamlSettings.AssertionConsumerServiceURL is empty');
  return url;
}

/** The whole setup, or not_configured naming the first missing piece. */
export function samlSetup(settings: Settings): SamlSetup {
  const saml = settings.SamlSettings;
  if (!saml.Enable) throw notConfigured('SamlSettings.Enable is off');
  const spEntityId = spEntityIdOf(settings);
  const acsUrl = acsUrlOf(settings);
  const tenant = settings.IntuneSettings.TenantId.trim();
  if (!isGuid(tenant)) {
    throw notConfigured('IntuneSettings.TenantId is not a tenant GUID, so the assertion issuer cannot be checked');
  }
  if (saml.IdpCertificates.length === 0) throw notConfigured('SamlSettings.IdpCertificates is empty');
  const certificates = saml.IdpCertificates.map((text, index) => {
    const pem = certificatePem(text);
    if (!pem) throw notConfigured(`SamlSettings.IdpCertificates entry ${index} is not an X.509 certificate`);
    return pem;
  });
  const tenantId = normaliseGuid(tenant);
  return {
    spEntityId,
    acsUrl,
    idpUrl: saml.IdpUrl.trim(),
    tenantId,
    expectedIssuer: entraIssuer(tenantId),
    certificates,
    idAttribute: saml.IdAttribute,
    emailAttribute: saml.EmailAttribute,
    usernameAttribute: saml.UsernameAttribute,
    authService: settings.IntuneSettings.AuthService,
  };
}
