// The SAML ACS takes sign-in attempts from one client address at the same rate as the mobile sign-in, and from the
// same budget: past it, 429 rate_limited with Retry-After, before any XML is read, and nothing is audited.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API_BASE, PLUGIN_BASE } from '../../server/http/app.ts';
import { TestIdp } from '../support/saml-idp.ts';
import { call, startTestService, type TestService } from '../support/service.ts';

const TENANT = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const SP = 'https://chat.example.com/saml/sp';
const OID = '11111111-2222-4333-8444-555555555555';
const PER_MINUTE = 3;

describe('SAML ACS rate limit', () => {
  let service: TestService;
  const idp = new TestIdp(TENANT);

  before(async () => {
    service = await startTestService({ env: { loginRatePerIpPerMinute: PER_MINUTE } });
    const saved = await call(`${service.url}${API_BASE}/admin/settings`, {
      method: 'PUT',
      token: service.adminToken,
      body: {
        SamlSettings: idp.samlSettings(SP),
        IntuneSettings: { Enable: true, TenantId: TENANT, ClientId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', AuthService: 'saml' },
      },
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
  });
  after(() => service.close());

  const post = (samlResponse: string) =>
    call(`${service.url}${PLUGIN_BASE}/saml/acs`, {
      body: new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    });

  test('past the budget a valid response is refused too, with Retry-After, and the flood leaves no audit entry', async () => {
    for (let i = 0; i < PER_MINUTE; i++) {
      const answer = await post(Buffer.from(`<not-saml ${i}/>`).toString('base64'));
      assert.equal(answer.body.id, 'mamgate.saml.invalid_response.app_error', answer.text);
    }
    const limited = await post(idp.response({ audience: SP, objectId: OID, email: 'jane.doe@contoso.com', name: 'jane.doe@contoso.com' }));
    assert.equal(limited.status, 429, limited.text);
    assert.equal(limited.body.id, 'mamgate.login.rate_limited.app_error');
    assert.match(limited.body.message, /from this address/);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    const audited = await service.ctx.db('audit_log').where({ action: 'saml.acs' });
    assert.equal(audited.length, PER_MINUTE, 'the refused attempts within the budget are audited, the limited one is not');
    assert.equal((await service.ctx.db('identities').where({ source: 'saml' })).length, 0, 'nothing recorded');

    // The mobile sign-in from the same address draws on the same budget.
    const mobile = await call(`${service.url}/oauth/intune`, { body: { access_token: 'x.y.z' } });
    assert.equal(mobile.status, 429, mobile.text);
  });
});
