// The node-saml service provider for one request, built from the current settings so a change applies at once on
// every node. @node-saml/node-saml is used directly (not @node-saml/passport-saml): mamgate has no passport, and
// passport-saml's types pull in Express 4's.
import { generateServiceProviderMetadata, SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import type { Database } from '../../db/connect.ts';
import { newRequestId, samlRequestCache } from './request-cache.ts';
import { ACCEPTED_CLOCK_SKEW_MS, REQUEST_LIFETIME_MS, type SamlSetup } from './saml-setup.ts';

export function serviceProvider(db: Database, setup: SamlSetup): SAML {
  return new SAML({
    issuer: setup.spEntityId,
    callbackUrl: setup.acsUrl,
    entryPoint: setup.idpUrl || undefined,
    idpCert: setup.certificates,
    audience: setup.spEntityId,
    // Entra signs the assertion by default, not the response; the assertion signature is always required.
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: ACCEPTED_CLOCK_SKEW_MS,
    // Checked whenever the response names a request; unsolicited (IdP-initiated) responses carry none. The
    // signed SubjectConfirmationData is compared with it afterwards (validate-response.ts).
    validateInResponseTo: ValidateInResponseTo.ifPresent,
    requestIdExpirationPeriodMs: REQUEST_LIFETIME_MS + ACCEPTED_CLOCK_SKEW_MS,
    cacheProvider: samlRequestCache(db, REQUEST_LIFETIME_MS),
    generateUniqueId: newRequestId,
    // No NameIDPolicy format and no RequestedAuthnContext: identity is objectidentifier, and Entra refuses a
    // requested context that the user's sign-in method (MFA, passwordless) does not match.
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    signatureAlgorithm: 'sha256',
  });
}

/** SP metadata: entity id, ACS (HTTP-POST), assertions wanted signed. */
export function serviceProviderMetadata(spEntityId: string, acsUrl: string): string {
  return generateServiceProviderMetadata({
    issuer: spEntityId,
    callbackUrl: acsUrl,
    identifierFormat: null,
    wantAssertionsSigned: true,
  });
}
