// A test identity provider shaped like Microsoft Entra ID: an RSA key with a self-signed X.509 certificate (built
// here with node:crypto and a few lines of DER), Entra-shaped SAML Response/Assertion XML, and an assertion
// signature made with xml-crypto (RSA-SHA256, exclusive c14n, reference to the Assertion ID, Signature placed
// right after the Assertion's Issuer), as Entra signs by default.
import { createPrivateKey, generateKeyPairSync, type KeyObject, randomBytes, randomUUID, sign, X509Certificate } from 'node:crypto';
import { SignedXml } from 'xml-crypto';

export const OBJECT_ID_CLAIM = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
export const TENANT_ID_CLAIM = 'http://schemas.microsoft.com/identity/claims/tenantid';
export const EMAIL_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
export const NAME_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';

// --- a minimal DER writer, enough for one self-signed certificate ---
function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const sequence = (...parts: Buffer[]) => tlv(0x30, ...parts);
const set = (...parts: Buffer[]) => tlv(0x31, ...parts);
/** A non-negative INTEGER in minimal form (DER): no leading zero byte unless the next byte's high bit needs one. */
function integer(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const magnitude = bytes.subarray(start);
  return tlv(0x02, magnitude[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), magnitude]) : magnitude);
}
const bitString = (bytes: Buffer) => tlv(0x03, Buffer.from([0]), bytes);
const utf8String = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));
const NULL = Buffer.from([0x05, 0x00]);
function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [a! * 40 + b!];
  for (const n of rest) {
    const chunk: number[] = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}
function utcTime(date: Date): Buffer {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return tlv(0x17, Buffer.from(text, 'ascii'));
}

/** A self-signed RSA-SHA256 X.509 v3 certificate for the key, as PEM. */
export function selfSignedCertificate(privateKey: KeyObject, publicKey: KeyObject, commonName: string): string {
  const sha256WithRsa = sequence(oid('1.2.840.113549.1.1.11'), NULL);
  const name = sequence(set(sequence(oid('2.5.4.3'), utf8String(commonName))));
  const now = Date.now();
  const tbs = sequence(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(randomBytes(16)),
    sha256WithRsa,
    name,
    sequence(utcTime(new Date(now - 86_400_000)), utcTime(new Date(now + 3 * 365 * 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const der = sequence(tbs, sha256WithRsa, bitString(sign('sha256', tbs, privateKey)));
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  const certificate = new X509Certificate(pem);
  if (!certificate.verify(publicKey)) throw new Error('the test certificate does not verify');
  return certificate.toString();
}

export const xmlEscape = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

export interface AssertionOptions {
  /** The SP entity id the assertion is for (AudienceRestriction). */
  audience: string;
  objectId: string;
  /** The tenantid claim; the IdP's tenant when absent. */
  tenantId?: string;
  /** The assertion (and response) Issuer; https://sts.windows.net/{IdP tenant}/ when absent. */
  issuer?: string;
  email?: string;
  name?: string;
  nameId?: string;
  /** InResponseTo on the Response and on SubjectConfirmationData (absent: IdP-initiated). */
  inResponseTo?: string;
  /** Overrides the Response's InResponseTo only (null removes it), for tampering tests. */
  responseInResponseTo?: string | null;
  /** SubjectConfirmationData/@Recipient (null removes it); DEFAULT_ACS_URL when absent. */
  recipient?: string | null;
  /** Response/@Destination (null removes it); the recipient when absent. */
  destination?: string | null;
  /** The top-level StatusCode (Success when absent), and an optional second-level code and message. */
  status?: { code: string; subCode?: string; message?: string };
  notBefore?: Date;
  notOnOrAfter?: Date;
  /** Extra or replacing claims; null removes a claim. */
  attributes?: Record<string, string | string[] | null>;
  assertionId?: string;
}

/** The ACS URL the test IdP's responses are for unless told otherwise, and that samlSettings() configures. */
export const DEFAULT_ACS_URL = 'https://chat.example.com/plugins/mamgate/saml/acs';
export const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

const instant = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export class TestIdp {
  readonly tenantId: string;
  readonly issuer: string;
  readonly certificatePem: string;
  /** The certificate as the Entra portal's "Certificate (Base64)" body: no PEM armour, one line. */
  readonly certificateBase64: string;
  private readonly privateKeyPem: string;

  constructor(tenantId: string, commonName = 'Microsoft Azure Federated SSO Certificate (test)') {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.tenantId = tenantId;
    this.issuer = `https://sts.windows.net/${tenantId}/`;
    this.certificatePem = selfSignedCertificate(privateKey, publicKey, commonName);
    this.certificateBase64 = this.certificatePem.replace(/-----[A-Z ]+-----|\s+/g, '');
    this.privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  }

  /** SamlSettings that trust this IdP (Entra's SAML endpoint of its tenant, its certificate) for the SP `spEntityId`. */
  samlSettings(spEntityId: string, acsUrl = DEFAULT_ACS_URL) {
    return {
      AssertionConsumerServiceURL: acsUrl,
      Enable: true,
      IdpEntityId: this.issuer,
      IdpUrl: `https://login.microsoftonline.com/${this.tenantId}/saml2`,
      IdpCertificates: [this.certificateBase64],
      SpEntityId: spEntityId,
    };
  }

  /** The Entra-shaped Response XML with an unsigned Assertion. */
  unsignedResponseXml(options: AssertionOptions): string {
    const now = Date.now();
    const notBefore = options.notBefore ?? new Date(now - 5 * 60_000);
    const notOnOrAfter = options.notOnOrAfter ?? new Date(notBefore.getTime() + 70 * 60_000);
    const issuer = options.issuer ?? this.issuer;
    const assertionId = options.assertionId ?? `_${randomUUID()}`;
    const recipient = options.recipient === undefined ? DEFAULT_ACS_URL : options.recipient;
    const destination = options.destination === undefined ? recipient : options.destination;
    const recipientAttribute = recipient === null ? '' : ` Recipient="${xmlEscape(recipient)}"`;
    const destinationAttribute = destination === null ? '' : ` Destination="${xmlEscape(destination)}"`;
    const status = options.status ?? { code: STATUS_SUCCESS };
    const statusXml =
      '<samlp:Status>' +
      `<samlp:StatusCode Value="${xmlEscape(status.code)}">` +
      (status.subCode ? `<samlp:StatusCode Value="${xmlEscape(status.subCode)}"/>` : '') +
      '</samlp:StatusCode>' +
      (status.message ? `<samlp:StatusMessage>${xmlEscape(status.message)}</samlp:StatusMessage>` : '') +
      '</samlp:Status>';
    const claims: Record<string, string | string[] | null> = {
      [TENANT_ID_CLAIM]: options.tenantId ?? this.tenantId,
      [OBJECT_ID_CLAIM]: options.objectId,
      ...(options.email !== undefined ? { [EMAIL_CLAIM]: options.email } : {}),
      ...(options.name !== undefined ? { [NAME_CLAIM]: options.name } : {}),
      'http://schemas.microsoft.com/identity/claims/identityprovider': issuer,
      'http://schemas.microsoft.com/claims/authnmethodsreferences': 'http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password',
      ...options.attributes,
    };
    const attributes = Object.entries(claims)
      .filter((entry): entry is [string, string | string[]] => entry[1] !== null)
      .map(([name, value]) => {
        const values = (Array.isArray(value) ? value : [value]).map((v) => `<AttributeValue>${xmlEscape(v)}</AttributeValue>`);
        return `<Attribute Name="${xmlEscape(name)}">${values.join('')}</Attribute>`;
      })
      .join('');
    const inResponseTo = options.inResponseTo ? ` InResponseTo="${xmlEscape(options.inResponseTo)}"` : '';
    const responseIrt = options.responseInResponseTo === undefined ? options.inResponseTo : options.responseInResponseTo;
    const responseInResponseTo = responseIrt ? ` InResponseTo="${xmlEscape(responseIrt)}"` : '';
    const assertion =
      `<Assertion ID="${assertionId}" IssueInstant="${instant(new Date(now))}" Version="2.0" xmlns="urn:oasis:names:tc:SAML:2.0:assertion">` +
      `<Issuer>${xmlEscape(issuer)}</Issuer>` +
      '<Subject>' +
      `<NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${xmlEscape(options.nameId ?? randomBytes(32).toString('base64url'))}</NameID>` +
      '<SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">' +
      `<SubjectConfirmationData${inResponseTo} NotOnOrAfter="${instant(notOnOrAfter)}"${recipientAttribute}/>` +
      '</SubjectConfirmation></Subject>' +
      `<Conditions NotBefore="${instant(notBefore)}" NotOnOrAfter="${instant(notOnOrAfter)}">` +
      `<AudienceRestriction><Audience>${xmlEscape(options.audience)}</Audience></AudienceRestriction></Conditions>` +
      `<AttributeStatement>${attributes}</AttributeStatement>` +
      `<AuthnStatement AuthnInstant="${instant(new Date(now - 60_000))}" SessionIndex="${assertionId}">` +
      '<AuthnContext><AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</AuthnContextClassRef></AuthnContext>' +
      '</AuthnStatement></Assertion>';
    return (
      `<samlp:Response ID="_${randomUUID()}" Version="2.0" IssueInstant="${instant(new Date(now))}"${destinationAttribute}${responseInResponseTo} xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">` +
      `<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">${xmlEscape(issuer)}</Issuer>` +
      statusXml +
      assertion +
      '</samlp:Response>'
    );
  }

  /** Signs the (first) Assertion of a document with this IdP's key; the certificate goes in KeyInfo, as Entra does. */
  signAssertion(xml: string): string {
    const signer = new SignedXml({
      privateKey: createPrivateKey(this.privateKeyPem),
      publicCert: this.certificatePem,
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    });
    signer.addReference({
      xpath: "//*[local-name(.)='Assertion']",
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
      transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    });
    signer.computeSignature(xml, {
      location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' },
    });
    return signer.getSignedXml();
  }

  /** A signed Response as XML text. */
  signedResponseXml(options: AssertionOptions): string {
    return this.signAssertion(this.unsignedResponseXml(options));
  }

  /** A signed Response, base64-encoded as the HTTP-POST binding carries it. */
  response(options: AssertionOptions): string {
    return encodeResponse(this.signedResponseXml(options));
  }
}

export function encodeResponse(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}
