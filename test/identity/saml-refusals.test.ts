// POST /plugins/mamgate/saml/acs refuses every response that is not a signed Entra assertion for this SP and
// tenant: with a catalogue error, a refused audit entry that holds no part of the document, and nothing recorded.
// Real HTTP, real PostgreSQL, responses built and signed by the test IdP (xml-crypto).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { entryFor, type ErrorId } from '../../server/errors/catalogue.ts';
import { API_BASE, PLUGIN_BASE } from '../../server/http/app.ts';
import { type AssertionOptions, DEFAULT_ACS_URL, encodeResponse, OBJECT_ID_CLAIM, TestIdp } from '../support/saml-idp.ts';
import { call, startTestService, type TestService } from '../support/service.ts';

const TENANT = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const OTHER_TENANT = '9f8e7d6c-5b4a-4321-8fed-cba987654321';
const CLIENT_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const SP = 'https://chat.example.com/saml/sp';
const OID = '11111111-2222-4333-8444-555555555555';
const FORGED_OID = '99999999-8888-4777-8666-555555555555';

const INVALID = 'mamgate.saml.invalid_response.app_error';
const TENANT_ERROR = 'mamgate.saml.invalid_tenant.app_error';
const DESTINATION_ERROR = 'mamgate.saml.wrong_destination.app_error';
const RECIPIENT_ERROR = 'mamgate.saml.wrong_recipient.app_error';
const STATUS_ERROR = 'mamgate.saml.status_not_success.app_error';
/** Another endpoint of the same host that trusts the same IdP certificate (another SP, another app). */
const OTHER_ACS = 'https://chat.example.com/other-app/saml/acs';

/** The one <Assertion …>…</Assertion> of a document. */
function assertionOf(xml: string): string {
  const match = /<Assertion[\s>][\s\S]*<\/Assertion>/.exec(xml);
  assert.ok(match, 'the document has an assertion');
  return match[0];
}

describe('SAML ACS refusals', () => {
  let service: TestService;
  const idp = new TestIdp(TENANT);
  const base = (): AssertionOptions => ({ audience: SP, objectId: OID, email: 'jane.doe@contoso.com', name: 'jane.doe@contoso.com' });

  before(async () => {
    service = await startTestService();
    const saved = await call(`${service.url}${API_BASE}/admin/settings`, {
      method: 'PUT',
      token: service.adminToken,
      body: {
        SamlSettings: idp.samlSettings(SP),
        IntuneSettings: { Enable: true, TenantId: TENANT, ClientId: CLIENT_ID, AuthService: 'saml' },
      },
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
  });
  after(async () => {
    await service.close();
  });

  const db = () => service.ctx.db;
  beforeEach(async () => {
    await db()('identities').delete();
    await db()('users').delete();
    await db()('audit_log').where({ action: 'saml.acs' }).delete();
  });

  const acs = (body: string, contentType = 'application/x-www-form-urlencoded') =>
    call(`${service.url}${PLUGIN_BASE}/saml/acs`, { body, headers: { 'content-type': contentType, accept: 'application/json' } });
  const post = (samlResponse: string) => acs(new URLSearchParams({ SAMLResponse: samlResponse }).toString());

  async function count(table: string): Promise<number> {
    return Number(((await db()(table).count('* as n').first()) as { n: number }).n);
  }

  async function refused(samlResponse: string, id: ErrorId, reason: RegExp) {
    const answer = await post(samlResponse);
    assert.equal(answer.body.id, id, answer.text);
    assert.equal(answer.status, entryFor(id).status);
    assert.match(answer.body.detailed_error, reason);
    assert.equal(await count('identities'), 0, 'no identity recorded');
    assert.equal(await count('users'), 0, 'no account created');
    const audits = await db()('audit_log').where({ action: 'saml.acs' });
    assert.equal(audits.length, 1);
    assert.equal(audits[0].outcome, 'refused');
    assert.equal(audits[0].details.error_id, id);
    const stored = JSON.stringify(audits[0]);
    assert.ok(!stored.includes('SignatureValue') && !stored.includes(samlResponse.slice(0, 40)), 'the audit holds no part of the document');
    return answer;
  }

  test('control: the same setup accepts a valid signed response', async () => {
    const answer = await post(idp.response(base()));
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.object_id, OID);
    assert.equal(await count('identities'), 1);
  });

  test('signed by another key (with its certificate in KeyInfo) → 401 invalid_response', async () => {
    const impostor = new TestIdp(TENANT);
    const xml = impostor.signedResponseXml(base());
    assert.ok(xml.includes(impostor.certificateBase64.slice(0, 60)), 'the impostor offers its own certificate');
    await refused(encodeResponse(xml), INVALID, /not signed, or its signature does not verify/);
  });

  test('unsigned assertion → 401 invalid_response', async () => {
    await refused(encodeResponse(idp.unsignedResponseXml(base())), INVALID, /not signed/);
  });

  test('objectidentifier changed after signing → 401 invalid_response', async () => {
    const xml = idp.signedResponseXml(base());
    assert.ok(xml.includes(OID));
    await refused(encodeResponse(xml.replace(OID, FORGED_OID)), INVALID, /signature does not verify/);
  });

  test('signature wrapping: a second, unsigned assertion inserted → refused', async () => {
    const signed = idp.signedResponseXml(base());
    const forged = assertionOf(idp.unsignedResponseXml({ ...base(), objectId: FORGED_OID }));
    for (const xml of [signed.replace('<Assertion ', `${forged}<Assertion `), signed.replace('</samlp:Response>', `${forged}</samlp:Response>`)]) {
      await refused(encodeResponse(xml), INVALID, /more than one assertion/);
      await db()('audit_log').where({ action: 'saml.acs' }).delete();
    }
  });

  test('signature wrapping: signed assertion moved into Extensions, a forged one in its place → refused', async () => {
    const signed = idp.signedResponseXml(base());
    const original = assertionOf(signed);
    const originalId = /<Assertion ID="([^"]+)"/.exec(original)![1]!;
    const signature = /<Signature[\s\S]*<\/Signature>/.exec(original)![0];
    const forgedPlain = assertionOf(idp.unsignedResponseXml({ ...base(), objectId: FORGED_OID }));
    // 1: the forged assertion carries no signature; 2: it takes the original's ID and a copy of its signature.
    const forgedWithId = forgedPlain
      .replace(/^<Assertion ID="[^"]+"/, `<Assertion ID="${originalId}"`)
      .replace(/(<Issuer>[^<]*<\/Issuer>)/, `$1${signature}`);
    const cases: [string, RegExp][] = [
      [forgedPlain, /not signed/],
      [forgedWithId, /signature wrapping is refused|not signed/],
    ];
    for (const [forged, reason] of cases) {
      const wrapped = signed
        .replace(original, forged)
        .replace('<samlp:Status>', `<samlp:Extensions>${original}</samlp:Extensions><samlp:Status>`);
      assert.ok(wrapped.includes(FORGED_OID) && wrapped.includes(OID));
      await refused(encodeResponse(wrapped), INVALID, reason);
      await db()('audit_log').where({ action: 'saml.acs' }).delete();
    }
  });

  test('signature wrapping: the signed assertion nested inside a forged one → refused', async () => {
    const signed = idp.signedResponseXml(base());
    const original = assertionOf(signed);
    const forged = assertionOf(idp.unsignedResponseXml({ ...base(), objectId: FORGED_OID })).replace(
      '</Conditions>',
      `</Conditions><Advice>${original}</Advice>`,
    );
    await refused(encodeResponse(signed.replace(original, forged)), INVALID, /not signed|wrapping/);
  });

  test('duplicated signed assertion → refused', async () => {
    const signed = idp.signedResponseXml(base());
    const original = assertionOf(signed);
    await refused(encodeResponse(signed.replace(original, original + original)), INVALID, /more than one assertion/);
  });

  test('wrong audience → 401 invalid_response naming it', async () => {
    await refused(idp.response({ ...base(), audience: 'https://other-app.example.com/' }), INVALID, /audience mismatch/);
  });

  test('issuer of another tenant (signed with the pinned key) → 401 invalid_tenant', async () => {
    const answer = await refused(
      idp.response({ ...base(), issuer: `https://sts.windows.net/${OTHER_TENANT}/`, tenantId: OTHER_TENANT }),
      TENANT_ERROR,
      new RegExp(`issuer "https://sts.windows.net/${OTHER_TENANT}/" is not https://sts.windows.net/${TENANT}/`),
    );
    assert.equal(answer.status, 401);
    assert.equal(answer.body.next_step, entryFor(TENANT_ERROR).next_step);
  });

  test('right issuer but the tenantid claim of another tenant → 401 invalid_tenant', async () => {
    await refused(idp.response({ ...base(), tenantId: OTHER_TENANT }), TENANT_ERROR, /tenantid claim/);
  });

  test('expired beyond the clock skew → refused; just expired within the skew → accepted', async () => {
    const now = Date.now();
    await refused(
      idp.response({ ...base(), notBefore: new Date(now - 75 * 60_000), notOnOrAfter: new Date(now - 3 * 60_000) }),
      INVALID,
      /validity window/,
    );
    const withinSkew = await post(
      idp.response({ ...base(), notBefore: new Date(now - 70 * 60_000), notOnOrAfter: new Date(now - 20_000) }),
    );
    assert.equal(withinSkew.status, 200, withinSkew.text);
  });

  test('not yet valid beyond the skew → refused', async () => {
    const now = Date.now();
    await refused(
      idp.response({ ...base(), notBefore: new Date(now + 5 * 60_000), notOnOrAfter: new Date(now + 75 * 60_000) }),
      INVALID,
      /validity window/,
    );
  });

  test('InResponseTo of a request not started here → refused, also when stripped from the Response', async () => {
    const foreign = `_${randomBytes(20).toString('hex')}`;
    await refused(idp.response({ ...base(), inResponseTo: foreign }), INVALID, /InResponseTo/);
    await db()('audit_log').where({ action: 'saml.acs' }).delete();
    // The signed SubjectConfirmationData still names the request: not acceptable as an unsolicited response.
    await refused(idp.response({ ...base(), inResponseTo: foreign, responseInResponseTo: null }), INVALID, /Response does not name it/);
  });

  test('Destination of another endpoint → 401 wrong_destination naming both URLs', async () => {
    const answer = await refused(
      idp.response({ ...base(), destination: OTHER_ACS }),
      DESTINATION_ERROR,
      new RegExp(`Destination is "${OTHER_ACS}", not SamlSettings.AssertionConsumerServiceURL ${DEFAULT_ACS_URL}`),
    );
    assert.equal(answer.status, 401);
    assert.match(answer.body.message, new RegExp(`addressed to "${OTHER_ACS}"`));
    assert.equal(answer.body.next_step, entryFor(DESTINATION_ERROR).next_step);
  });

  test('no Destination → 401 wrong_destination', async () => {
    await refused(idp.response({ ...base(), destination: null }), DESTINATION_ERROR, /Destination is no Destination/);
  });

  test('Destination changed after signing (it is outside the assertion signature) → still refused', async () => {
    const xml = idp.signedResponseXml(base()).replace(`Destination="${DEFAULT_ACS_URL}"`, `Destination="${OTHER_ACS}"`);
    assert.ok(xml.includes(OTHER_ACS));
    await refused(encodeResponse(xml), DESTINATION_ERROR, /Destination is/);
  });

  test('signed assertion for another Recipient (replayed from another SP endpoint) → 401 wrong_recipient', async () => {
    // The attacker controls the unsigned Destination and sets it right; the signed Recipient still names the other ACS.
    const answer = await refused(
      idp.response({ ...base(), recipient: OTHER_ACS, destination: DEFAULT_ACS_URL }),
      RECIPIENT_ERROR,
      new RegExp(`Recipient is "${OTHER_ACS}"`),
    );
    assert.equal(answer.status, 401);
    assert.equal(answer.body.next_step, entryFor(RECIPIENT_ERROR).next_step);
    // Rewriting the Recipient to this ACS breaks the signature instead.
    await db()('audit_log').where({ action: 'saml.acs' }).delete();
    const xml = idp.signedResponseXml({ ...base(), recipient: OTHER_ACS, destination: DEFAULT_ACS_URL });
    await refused(encodeResponse(xml.replace(`Recipient="${OTHER_ACS}"`, `Recipient="${DEFAULT_ACS_URL}"`)), INVALID, /signature does not verify/);
  });

  test('signed assertion without a Recipient → 401 wrong_recipient', async () => {
    await refused(idp.response({ ...base(), recipient: null, destination: DEFAULT_ACS_URL }), RECIPIENT_ERROR, /Recipient is missing/);
  });

  test('a non-Success top-level status with a validly signed assertion → 401 status_not_success', async () => {
    const answer = await refused(
      idp.response({
        ...base(),
        status: {
          code: 'urn:oasis:names:tc:SAML:2.0:status:Requester',
          subCode: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied',
          message: 'AADSTS50105: the signed in user is not assigned to a role for the application.',
        },
      }),
      STATUS_ERROR,
      /StatusCode is urn:oasis:names:tc:SAML:2.0:status:Requester, not urn:oasis:names:tc:SAML:2.0:status:Success/,
    );
    assert.equal(answer.status, 401);
    assert.match(answer.body.message, /RequestDenied: AADSTS50105/);
    assert.equal(answer.body.next_step, entryFor(STATUS_ERROR).next_step);
  });

  test('a status code that only ends in ":Success", or no status at all → 401 status_not_success', async () => {
    await refused(idp.response({ ...base(), status: { code: 'urn:example:status:Success' } }), STATUS_ERROR, /StatusCode is urn:example:status:Success/);
    await db()('audit_log').where({ action: 'saml.acs' }).delete();
    const xml = idp.signedResponseXml(base()).replace(/<samlp:Status>[\s\S]*?<\/samlp:Status>/, '');
    assert.ok(!xml.includes('samlp:Status'));
    await refused(encodeResponse(xml), STATUS_ERROR, /StatusCode is missing/);
  });

  test('objectidentifier missing or not a GUID → 400 missing_attribute', async () => {
    await refused(idp.response({ ...base(), attributes: { [OBJECT_ID_CLAIM]: null } }), 'mamgate.saml.missing_attribute.app_error', /absent/);
    await db()('audit_log').where({ action: 'saml.acs' }).delete();
    const answer = await refused(idp.response({ ...base(), objectId: 'jane.doe@contoso.com' }), 'mamgate.saml.missing_attribute.app_error', /not a GUID/);
    assert.equal(answer.status, 400);
    await db()('audit_log').where({ action: 'saml.acs' }).delete();
    await refused(
      idp.response({ ...base(), attributes: { [OBJECT_ID_CLAIM]: [OID, FORGED_OID] } }),
      'mamgate.saml.missing_attribute.app_error',
      /exactly one/,
    );
  });

  test('DOCTYPE with entity expansion or an external entity → refused before any parsing, nothing expanded', async () => {
    const signed = idp.signedResponseXml(base());
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE samlp:Response [<!ENTITY lol "lol">' +
      Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('') +
      ']>';
    const external = '<?xml version="1.0"?><!DOCTYPE samlp:Response [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>';
    const documents = [
      laughs + signed.replace('jane.doe@contoso.com', '&lol9;'),
      external + signed.replace('jane.doe@contoso.com', '&xxe;'),
      // A DTD in front of an otherwise valid, signed response is refused too.
      '<!DOCTYPE samlp:Response [<!ENTITY x "y">]>' + signed,
    ];
    for (const xml of documents) {
      const started = Date.now();
      const answer = await refused(encodeResponse(xml), INVALID, /DOCTYPE/);
      assert.ok(Date.now() - started < 2000, 'answered at once');
      assert.ok(!answer.text.includes('root:') && !answer.text.includes('lollollol'), 'nothing was expanded');
      await db()('audit_log').where({ action: 'saml.acs' }).delete();
    }
  });

  test('not base64 → 401 invalid_response', async () => {
    await refused('<samlp:Response/>', INVALID, /not base64/);
  });

  test('wrong content type → 415, oversized → 400, no SAMLResponse → 400, each a catalogue error', async () => {
    const json = await acs(JSON.stringify({ SAMLResponse: idp.response(base()) }), 'application/json');
    assert.equal(json.status, 415);
    assert.equal(json.body.id, 'mamgate.saml.unsupported_media_type.app_error');
    const big = await acs(`SAMLResponse=${'A'.repeat(300 * 1024)}`);
    assert.equal(big.status, 400);
    assert.equal(big.body.id, 'mamgate.request.body_too_large.app_error');
    const empty = await acs('RelayState=x');
    assert.equal(empty.status, 400);
    assert.equal(empty.body.id, 'mamgate.request.invalid_body_param.app_error');
    assert.equal(await count('identities'), 0);
  });

  test('a refusal answers a browser with an HTML page (status kept, values escaped)', async () => {
    const answer = await call(`${service.url}${PLUGIN_BASE}/saml/acs`, {
      body: new URLSearchParams({ SAMLResponse: idp.response({ ...base(), audience: '<script>x</script>' }) }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    assert.equal(answer.status, 401);
    assert.match(answer.headers.get('content-type') ?? '', /text\/html/);
    assert.match(answer.text, /SAML sign-in refused/);
    assert.match(answer.text, /mamgate\.saml\.invalid_response\.app_error/);
    assert.ok(!answer.text.includes('<script>x'), 'escaped');
    assert.ok(answer.text.includes('&lt;script&gt;x'), answer.text);
  });
});
