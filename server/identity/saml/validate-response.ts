// Decides whether a posted SAMLResponse is an Entra sign-in for this SP and tenant, and reads its identity.
// node-saml checks the assertion signature against the pinned certificates (reading only the signed bytes), the
// audience, the time window and a pending InResponseTo; mamgate adds what node-saml leaves out: no DTDs, a Success
// top-level status and the Destination (before the signature is checked: both are outside it), the assertion
// Issuer and tenantid against the configured tenant, the signed InResponseTo and Recipient, and one use per
// assertion.
import type { Profile } from '@node-saml/node-saml';
import { AppError } from '../../errors/app-error.ts';
import type { Database } from '../../db/connect.ts';
import { isGuid, normaliseGuid } from '../../util/guid.ts';
import { consumeAssertion, SamlCacheFailure } from './request-cache.ts';
import {
  ACCEPTED_CLOCK_SKEW_MS,
  SAML_GIVEN_NAME_CLAIM,
  SAML_SURNAME_CLAIM,
  SAML_TENANT_CLAIM,
  type SamlSetup,
} from './saml-setup.ts';
import { serviceProvider } from './service-provider.ts';
import { checkDestination } from './checks/destination.ts';
import { checkRecipient } from './checks/recipient.ts';
import { checkStatus } from './checks/status.ts';
import { readResponseEnvelope } from './response-envelope.ts';

export interface SamlAssertionIdentity {
  issuer: string;
  /** Lower-case tenant GUID from the tenantid claim (equal to the configured tenant). */
  tenantId: string;
  /** Lower-case objectidentifier. */
  objectId: string;
  /** objectidentifier as sent. */
  rawObjectId: string;
  nameId: string;
  email?: string;
  username?: string;
  firstName: string;
  lastName: string;
  assertionId: string;
  /** The AuthnRequest this answers, or null for an IdP-initiated (unsolicited) sign-in. */
  inResponseTo: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const BASE64 = /^[A-Za-z0-9+/\r\n\t ]+={0,2}[\r\n\t ]*$/;
const MAX_REASON = 300;
/**
 * Bounds on the document's shape, checked before any XML parser sees it: xmldom and node-saml take time that grows
 * with the square of the element count (60,000 empty elements in a 240 KB body held the event loop for over a
 * minute). An Entra response has a few dozen elements (a few hundred with a large groups claim), nested ~10 deep.
 */
export const SAML_MAX_ELEMENTS = 2000;
export const SAML_MAX_DEPTH = 40;
const TAG = /<(\/?)[A-Za-z_][^\s/>]*(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(\/?)>/g;

/** Refuses a document with more elements or deeper nesting than the bounds above (a linear scan of its tags). */
function checkShape(xml: string): void {
  let elements = 0;
  let depth = 0;
  for (const match of xml.matchAll(TAG)) {
    if (match[1]) {
      depth = Math.max(0, depth - 1);
      continue;
    }
    elements++;
    if (elements > SAML_MAX_ELEMENTS) throw invalid(`the document has more than ${SAML_MAX_ELEMENTS} elements`);
    if (!match[2]) {
      depth++;
      if (depth > SAML_MAX_DEPTH) throw invalid(`the document nests elements more than ${SAML_MAX_DEPTH} deep`);
    }
  }
  // Start tags the scan could not read (odd attribute syntax) still count against the element bound.
  const starts = xml.match(/<[A-Za-z_]/g)?.length ?? 0;
  if (starts > SAML_MAX_ELEMENTS) throw invalid(`the document has more than ${SAML_MAX_ELEMENTS} elements`);
}

function invalid(reason: string): AppError {
  const short = reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason;
  return new AppError('mamgate.saml.invalid_response.app_error', { params: { Reason: short }, detailed: short });
}

function wrongTenant(reason: string): AppError {
  return new AppError('mamgate.saml.invalid_tenant.app_error', { params: { Reason: reason }, detailed: reason });
}

function missing(attribute: string, reason: string): AppError {
  return new AppError('mamgate.saml.missing_attribute.app_error', {
    params: { Attribute: attribute, Reason: reason },
    detailed: `${attribute}: ${reason}`,
  });
}

/**
 * The document as text, refused before any XML parser sees it when it declares a DTD (entity expansion, external
 * entities) or is not UTF-8 text. SAML never needs a DOCTYPE.
 */
export function decodeSamlResponse(samlResponse: string): string {
  if (!samlResponse || !BASE64.test(samlResponse)) throw invalid('SAMLResponse is not base64');
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    throw invalid('the document declares a DOCTYPE or ENTITY; DTDs are never accepted (no entity was expanded)');
  }
  if (xml.includes('\u0000') || xml.includes('\uFFFD')) throw invalid('the document is not UTF-8 text');
  if (!xml.trimStart().startsWith('<')) throw invalid('the document is not XML');
  checkShape(xml);
  return xml;
}

/** node-saml's refusals, said plainly (its words are kept in brackets). */
function explain(error: Error): string {
  const m = error.message;
  if (/^Invalid signature( from encrypted assertion)?$/.test(m) || /^Invalid document signature$/.test(m)) {
    return 'the assertion is not signed, or its signature does not verify with any certificate in SamlSettings.IdpCertificates';
  }
  if (/multiple assertions/i.test(m)) return 'the response holds more than one assertion (signature wrapping is refused)';
  if (/more than one element|does not refer to it's parent|Too many signatures|signed references/i.test(m)) {
    return `the signature does not cover exactly the assertion it is in (signature wrapping is refused) [${m}]`;
  }
  if (/expired|not yet valid/i.test(m)) return `the assertion is outside its validity window [${m}]`;
  if (/InResponseTo/i.test(m)) return `InResponseTo does not name an AuthnRequest pending on this server [${m}]`;
  if (/Missing SAML assertion/i.test(m)) return 'the response holds no assertion';
  return m;
}

/** The one text value of a claim; several values or a non-text value refuse the response. */
function single(profile: Profile, name: string): string | undefined {
  const attributes = (profile.attributes ?? {}) as Record<string, unknown>;
  if (!Object.hasOwn(attributes, name)) return undefined;
  const value = attributes[name];
  if (typeof value === 'string') return value.trim();
  if (Array.isArray(value)) throw missing(name, `it has ${value.length} values, exactly one is expected`);
  throw missing(name, 'its value is not text');
}

/** A claim used only when present as one text value (names): anything else is ignored. */
function optional(profile: Profile, name: string): string | undefined {
  const value = ((profile.attributes ?? {}) as Record<string, unknown>)[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

type XmlJs = Record<string, unknown> & { $?: Record<string, string> };

function children(node: unknown, name: string): XmlJs[] {
  const list = (node as Record<string, unknown> | undefined)?.[name];
  return Array.isArray(list) ? (list as XmlJs[]) : [];
}

interface SignedAssertionFacts {
  id: string;
  notOnOrAfter: number;
  inResponseTo: string[];
  /** Recipient of each SubjectConfirmationData (undefined where it has none). */
  recipients: (string | undefined)[];
}

/** ID, Conditions/@NotOnOrAfter, and every SubjectConfirmationData's InResponseTo and Recipient of the signed assertion. */
function signedAssertionFacts(profile: Profile): SignedAssertionFacts {
  const assertion = (profile.getAssertion?.() as { Assertion?: XmlJs } | undefined)?.Assertion;
  if (!assertion) throw invalid('the signed assertion could not be read');
  const id = assertion.$?.ID;
  if (!id) throw invalid('the assertion has no ID');
  const notOnOrAfter = Date.parse(children(assertion, 'Conditions')[0]?.$?.NotOnOrAfter ?? '');
  if (Number.isNaN(notOnOrAfter)) throw invalid('the assertion has no Conditions NotOnOrAfter');
  const confirmations = children(assertion, 'Subject')
    .flatMap((subject) => children(subject, 'SubjectConfirmation'))
    .flatMap((confirmation) => children(confirmation, 'SubjectConfirmationData'));
  const inResponseTo = confirmations
    .map((data) => data.$?.InResponseTo)
    .filter((value): value is string => typeof value === 'string' && value !== '');
  return { id, notOnOrAfter, inResponseTo, recipients: confirmations.map((data) => data.$?.Recipient) };
}

/** Everything a valid response proves, or the catalogue error saying why it was refused. */
export async function validateSamlResponse(
  db: Database,
  setup: SamlSetup,
  samlResponse: string,
): Promise<SamlAssertionIdentity> {
  const xml = decodeSamlResponse(samlResponse);
  const envelope = readResponseEnvelope(xml);
  if (!envelope) throw invalid('the document is not a well-formed SAML protocol Response');
  checkStatus(envelope);
  checkDestination(envelope, setup.acsUrl);
  let profile: Profile | null;
  try {
    ({ profile } = await serviceProvider(db, setup).validatePostResponseAsync({ SAMLResponse: samlResponse }));
  } catch (error) {
    if (error instanceof SamlCacheFailure) throw error.cause;
    throw invalid(explain(error instanceof Error ? error : new Error(String(error))));
  }
  if (!profile) throw invalid('the response carries no sign-in (a logout or passive answer)');

  // node-saml does not check the issuer of a login response.
  const issuer = String(profile.issuer ?? '');
  if (issuer.toLowerCase() !== setup.expectedIssuer.toLowerCase()) {
    throw wrongTenant(`the assertion issuer "${issuer.slice(0, 200)}" is not ${setup.expectedIssuer}`);
  }
  const rawTenant = single(profile, SAML_TENANT_CLAIM);
  if (!rawTenant) throw missing(SAML_TENANT_CLAIM, 'the claim is absent or empty');
  if (!isGuid(rawTenant) || normaliseGuid(rawTenant) !== setup.tenantId) {
    throw wrongTenant(`the tenantid claim "${rawTenant.slice(0, 64)}" is not the configured tenant ${setup.tenantId}`);
  }
  const rawObjectId = single(profile, setup.idAttribute);
  if (!rawObjectId) throw missing(setup.idAttribute, 'the claim is absent or empty');
  if (!isGuid(rawObjectId)) throw missing(setup.idAttribute, `"${rawObjectId.slice(0, 64)}" is not a GUID`);

  const facts = signedAssertionFacts(profile);
  checkRecipient(facts.recipients, setup.acsUrl);
  // The Response's InResponseTo is outside the signature: node-saml checked it against saml_requests when present.
  // The signed SubjectConfirmationData must agree with it, so a solicited assertion cannot be replayed as an
  // unsolicited one by stripping the Response attribute.
  const responseInResponseTo = typeof profile.inResponseTo === 'string' ? profile.inResponseTo : null;
  const stray = facts.inResponseTo.find((value) => value !== responseInResponseTo);
  if (stray !== undefined) {
    throw invalid(
      responseInResponseTo
        ? 'the signed SubjectConfirmationData InResponseTo differs from the Response InResponseTo'
        : 'the assertion answers an AuthnRequest but the Response does not name it',
    );
  }
  const fresh = await consumeAssertion(
    db,
    issuer,
    facts.id,
    facts.notOnOrAfter - Date.now() + ACCEPTED_CLOCK_SKEW_MS,
  );
  if (!fresh) throw invalid('this assertion has already been used (replay)');

  const email = optional(profile, setup.emailAttribute)?.toLowerCase();
  return {
    issuer,
    tenantId: setup.tenantId,
    objectId: normaliseGuid(rawObjectId),
    rawObjectId,
    nameId: String(profile.nameID ?? ''),
    email: email && EMAIL.test(email) ? email : undefined,
    username: optional(profile, setup.usernameAttribute),
    firstName: optional(profile, SAML_GIVEN_NAME_CLAIM) ?? '',
    lastName: optional(profile, SAML_SURNAME_CLAIM) ?? '',
    assertionId: facts.id,
    inResponseTo: responseInResponseTo,
  };
}
