// The SAML service provider end to end: metadata, SP-initiated login with InResponseTo shared through PostgreSQL
// (two nodes), accepted responses recording the `saml` identity, the SAML account created or updated when saml
// is the AuthService, email matching otherwise, certificate rollover, and the browser's HTML answer.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { inflateRawSync } from 'node:zlib';
import { after, before, beforeEach, describe, test } from 'node:test';
import { API_BASE, PLUGIN_BASE } from '../../server/http/app.ts';
import { type AssertionOptions, DEFAULT_ACS_URL, OBJECT_ID_CLAIM, TestIdp } from '../support/saml-idp.ts';
import { call, startTestService, type TestService } from '../support/service.ts';

const TENANT = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const CLIENT_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const SP = 'api://mamgate-saml-test';
const IDP_URL = `https://login.microsoftonline.com/${TENANT}/saml2`;
const OID = '11111111-2222-4333-8444-555555555555';
const OTHER_OID = '22222222-3333-4444-8555-666666666666';
const ACS_URL = DEFAULT_ACS_URL;

/** A GET with headers fetch() will not send (Host), as a client may: status, Location and body. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; location: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: String(res.headers.location ?? ''), text }));
    });
    req.on('error', reject);
    req.end();
  });
}

const SPOOFED = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' };

describe('SAML service provider', () => {
  let a: TestService;
  let b: TestService;
  const idp = new TestIdp(TENANT);
  const nextIdp = new TestIdp(TENANT, 'rollover certificate');

  before(async () => {
    a = await startTestService();
    b = await startTestService({ databaseUrl: a.database!.url });
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  const db = () => a.ctx.db;
  const saml = (service: TestService, path: string) => `${service.url}${PLUGIN_BASE}/saml/${path}`;

  async function configure(authService: string, certificates = [idp.certificateBase64], samlEnabled = true, acsUrl = ACS_URL) {
    return call(`${a.url}${API_BASE}/admin/settings`, {
      method: 'PUT',
      token: a.adminToken,
      body: {
        SamlSettings: {
          Enable: samlEnabled,
          IdpEntityId: idp.issuer,
          IdpUrl: IDP_URL,
          IdpCertificates: certificates,
          SpEntityId: SP,
          AssertionConsumerServiceURL: acsUrl,
        },
        Office365Settings: { Enable: true },
        IntuneSettings: { Enable: true, TenantId: TENANT, ClientId: CLIENT_ID, AuthService: authService },
      },
    }).then((saved) => {
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      return saved;
    });
  }

  beforeEach(async () => {
    await db()('identities').delete();
    await db()('users').delete();
    await db()('saml_requests').delete();
    await configure('saml');
  });

  const claims = (extra: Partial<AssertionOptions> = {}): AssertionOptions => ({
    audience: SP,
    objectId: OID,
    email: 'Jane.Doe@contoso.com',
    name: 'jane.doe@contoso.com',
    attributes: {
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname': 'Jane',
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname': 'Doe',
    },
    ...extra,
  });

  const acs = (samlResponse: string, accept = 'application/json', service = a) =>
    call(saml(service, 'acs'), {
      body: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: '' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept },
    });

  async function count(table: string): Promise<number> {
    return Number(((await db()(table).count('* as n').first()) as { n: number }).n);
  }

  async function samlIdentity(userId: string) {
    return db()('identities').where({ user_id: userId, source: 'saml' }).first();
  }

  test('metadata: XML with the SP entity id, the ACS URL and signed assertions wanted', async () => {
    const answer = await call(saml(a, 'metadata'));
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /xml/);
    assert.match(answer.text, new RegExp(`entityID="${SP}"`));
    assert.match(answer.text, /WantAssertionsSigned="true"/);
    assert.match(answer.text, new RegExp(`Location="${ACS_URL}"`));
    assert.ok(!answer.text.includes(a.url), 'the ACS is the configured URL, not the address the request reached');
    assert.match(answer.text, /HTTP-POST/);
  });

  test('a spoofed Host (and X-Forwarded-Host) changes neither the metadata nor the AuthnRequest ACS URL', async () => {
    const metadata = await rawGet(saml(a, 'metadata'), SPOOFED);
    assert.equal(metadata.status, 200, metadata.text);
    assert.match(metadata.text, new RegExp(`Location="${ACS_URL}"`));
    assert.ok(!metadata.text.includes('evil.example'), metadata.text);
    const login = await rawGet(saml(a, 'login'), SPOOFED);
    assert.equal(login.status, 302, login.text);
    const request = inflateRawSync(Buffer.from(new URL(login.location).searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
    assert.match(request, new RegExp(`AssertionConsumerServiceURL="${ACS_URL}"`));
    assert.ok(!request.includes('evil.example'), request);
  });

  test('metadata and login without SamlSettings.AssertionConsumerServiceURL → 403 not_configured naming it', async () => {
    await configure('saml', [idp.certificateBase64], true, '');
    for (const path of ['metadata', 'login']) {
      const answer = await call(saml(a, path), { headers: { accept: 'application/json' } });
      assert.equal(answer.status, 403, answer.text);
      assert.equal(answer.body.id, 'mamgate.saml.not_configured.app_error');
      assert.match(answer.body.message, /AssertionConsumerServiceURL is empty/);
    }
  });

  test('an AssertionConsumerServiceURL that is not an http(s) URL is refused at save, nothing stored', async () => {
    for (const value of ['chat.example.com/plugins/mamgate/saml/acs', 'https://chat.example.com/acs?x=1', 'javascript:alert(1)']) {
      const saved = await call(`${a.url}${API_BASE}/admin/settings`, {
        method: 'PUT',
        token: a.adminToken,
        body: { SamlSettings: { Enable: false, AssertionConsumerServiceURL: value }, IntuneSettings: { Enable: false } },
      });
      assert.equal(saved.status, 400, saved.text);
      assert.equal(saved.body.id, 'model.config.is_valid.saml_assertion_consumer_service_url.app_error');
    }
    const current = await call(`${a.url}${API_BASE}/admin/settings`, { token: a.adminToken });
    assert.equal(current.body.SamlSettings.AssertionConsumerServiceURL, ACS_URL);
  });

  test('metadata without an SP entity id → 403 not_configured', async () => {
    const saved = await call(`${a.url}${API_BASE}/admin/settings`, {
      method: 'PUT',
      token: a.adminToken,
      body: { SamlSettings: { Enable: false, SpEntityId: '' }, IntuneSettings: { Enable: false } },
    });
    assert.equal(saved.status, 200, saved.text);
    const answer = await call(saml(a, 'metadata'), { headers: { accept: 'application/json' } });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.id, 'mamgate.saml.not_configured.app_error');
  });

  test('AuthService saml: a valid response creates the SAML account keyed by objectidentifier and records the identity', async () => {
    const answer = await acs(idp.response(claims()));
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.object_id, OID);
    assert.equal(answer.body.tenant_id, TENANT);
    assert.equal(answer.body.user_created, true);
    assert.equal(answer.body.solicited, false);
    const user = await db()('users').where({ id: answer.body.user_id }).first();
    assert.equal(user.auth_service, 'saml');
    assert.equal(user.auth_data, OID);
    assert.equal(user.email, 'jane.doe@contoso.com');
    assert.equal(user.username, 'jane.doe');
    assert.equal(user.first_name, 'Jane');
    assert.equal(user.last_name, 'Doe');
    const identity = await samlIdentity(user.id);
    assert.equal(identity.tenant_id, TENANT);
    assert.equal(identity.object_id, OID);
    assert.equal(identity.raw_value, OID);
    assert.equal(identity.attribute, OBJECT_ID_CLAIM);
    const audit = await db()('audit_log').where({ action: 'saml.acs', outcome: 'success' }).orderBy('id', 'desc').first();
    assert.equal(audit.target, `user:${user.id}`);
    assert.equal(audit.details.object_id, OID);
    assert.equal(audit.request_id, answer.headers.get('x-request-id'));
    assert.ok(!JSON.stringify(audit).includes('Signature'), 'no part of the document is audited');
  });

  test('AuthService saml: the next sign-in updates the same account (email, username) and the identity', async () => {
    const first = await acs(idp.response(claims()));
    assert.equal(first.status, 200, first.text);
    const seen = (await samlIdentity(first.body.user_id)).seen_at;
    const second = await acs(idp.response(claims({ email: 'jane.smith@contoso.com', name: 'jane.smith@contoso.com' })));
    assert.equal(second.status, 200, second.text);
    assert.equal(second.body.user_id, first.body.user_id);
    assert.equal(second.body.user_created, false);
    assert.deepEqual([...second.body.user_updated].sort(), ['email', 'username']);
    const user = await db()('users').where({ id: first.body.user_id }).first();
    assert.equal(user.email, 'jane.smith@contoso.com');
    assert.equal(user.username, 'jane.smith');
    assert.equal(await count('users'), 1);
    assert.ok((await samlIdentity(user.id)).seen_at >= seen);
  });

  test('AuthService saml: an email owned by another account → 409 user_mismatch, nothing recorded', async () => {
    await db()('users').insert({ id: 'owner000001', username: 'jane', email: 'jane.doe@contoso.com', auth_service: 'saml', auth_data: OTHER_OID });
    const answer = await acs(idp.response(claims()));
    assert.equal(answer.status, 409, answer.text);
    assert.equal(answer.body.id, 'ent.intune.login.user_mismatch.app_error');
    assert.equal(answer.body.mam_error, 'UserMismatch');
    assert.equal(await count('identities'), 0);
    assert.equal(await count('users'), 1);
    const audit = await db()('audit_log').where({ action: 'saml.acs' }).orderBy('id', 'desc').first();
    assert.equal(audit.outcome, 'refused');
    assert.equal(audit.details.error_id, 'ent.intune.login.user_mismatch.app_error');
  });

  test('objectidentifier in upper case: object_id normalised, raw value kept', async () => {
    const answer = await acs(idp.response(claims({ objectId: OID.toUpperCase() })));
    assert.equal(answer.status, 200, answer.text);
    const identity = await samlIdentity(answer.body.user_id);
    assert.equal(identity.object_id, OID);
    assert.equal(identity.raw_value, OID.toUpperCase());
  });

  test('AuthService office365: the account is matched by email, not changed, and the identity recorded', async () => {
    await configure('office365');
    await db()('users').insert({ id: 'o365user001', username: 'jdoe', email: 'jane.doe@contoso.com', auth_service: 'office365', auth_data: OID });
    const answer = await acs(idp.response(claims({ email: 'JANE.DOE@contoso.com' })));
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.user_id, 'o365user001');
    const user = await db()('users').where({ id: 'o365user001' }).first();
    assert.equal(user.username, 'jdoe');
    assert.equal(user.auth_service, 'office365');
    assert.equal((await samlIdentity('o365user001')).object_id, OID);

    const unknown = await acs(idp.response(claims({ email: 'nobody@contoso.com' })));
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.id, 'mamgate.saml.account_not_found.app_error');
    assert.equal(await count('users'), 1);
  });

  test('SP-initiated: login stores the request id for every node; B accepts the answer; replay refused', async () => {
    const login = await fetch(saml(a, 'login'), { redirect: 'manual' });
    assert.equal(login.status, 302);
    const location = new URL(login.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, IDP_URL);
    const request = inflateRawSync(Buffer.from(location.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
    const requestId = /ID="([^"]+)"/.exec(request)?.[1] ?? '';
    assert.match(request, new RegExp(`<saml:Issuer[^>]*>${SP}</saml:Issuer>`));
    assert.match(request, new RegExp(`AssertionConsumerServiceURL="${ACS_URL}"`));
    const stored = await db()('saml_requests').where({ id: requestId }).first();
    assert.ok(stored && new Date(stored.expires_at).getTime() > Date.now(), 'the request id is stored with an expiry');

    const response = idp.response(claims({ inResponseTo: requestId }));
    const answer = await acs(response, 'application/json', b);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.solicited, true);
    assert.equal(await db()('saml_requests').where({ id: requestId }).first(), undefined, 'the request is consumed');

    const replay = await acs(response, 'application/json', a);
    assert.equal(replay.status, 401);
    assert.equal(replay.body.id, 'mamgate.saml.invalid_response.app_error');
  });

  test('an unsolicited (IdP-initiated) response is accepted once; its replay is refused', async () => {
    const response = idp.response(claims());
    assert.equal((await acs(response)).status, 200);
    const replay = await acs(response, 'application/json', b);
    assert.equal(replay.status, 401);
    assert.match(replay.body.detailed_error, /already been used/);
  });

  test('certificate rollover: two pinned certificates, a response signed by the second → accepted; a third key → refused', async () => {
    await configure('saml', [idp.certificatePem, nextIdp.certificateBase64]);
    const answer = await acs(nextIdp.response(claims()));
    assert.equal(answer.status, 200, answer.text);
    assert.equal((await samlIdentity(answer.body.user_id)).object_id, OID);
    const stranger = await acs(new TestIdp(TENANT).response(claims()));
    assert.equal(stranger.status, 401);
    // Once the old certificate is removed, its signatures are refused.
    await configure('saml', [nextIdp.certificateBase64]);
    assert.equal((await acs(idp.response(claims()))).status, 401);
  });

  test('a browser gets a small HTML page naming the account and the recorded objectId, values escaped', async () => {
    await configure('office365');
    await db()('users').insert({ id: 'htmluser001', username: 'x<script>alert(1)</script>', email: 'jane.doe@contoso.com' });
    const answer = await acs(idp.response(claims()), 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8');
    assert.equal(answer.status, 200, answer.text);
    assert.match(answer.headers.get('content-type') ?? '', /text\/html/);
    assert.ok(!answer.text.includes('<script>alert'), 'escaped');
    assert.ok(answer.text.includes('x&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(answer.text.includes(`objectId ${OID}`) && answer.text.includes('recorded'));
  });

  test('SAML switched off → 403 not_configured, nothing recorded', async () => {
    await configure('office365', [idp.certificateBase64], false);
    const answer = await acs(idp.response(claims()));
    assert.equal(answer.status, 403);
    assert.equal(answer.body.id, 'mamgate.saml.not_configured.app_error');
    const login = await call(saml(a, 'login'), { headers: { accept: 'application/json' } });
    assert.equal(login.status, 403);
    assert.equal(await count('identities'), 0);
  });
});
