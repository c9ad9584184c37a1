// Every settings rule through the real admin API (PUT /plugins/mamgate/api/v1/admin/settings) on PostgreSQL:
// ids, order, documented results, normalisation, refused saves that change nothing, history, section merge and
// write-only secrets.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { API_BASE } from '../../server/http/app.ts';
import { MASKED_SECRET } from '../../server/settings/secrets.ts';
import { currentSettings } from '../../server/settings/service.ts';
import { type ApiAnswer, call, startTestService, type TestService } from '../support/service.ts';

const TENANT = '12345678-1234-1234-1234-123456789012';
const CLIENT = '87654321-4321-4321-4321-210987654321';
const OTHER_GUID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const OBJECT_ID_CLAIM = 'http://schemas.microsoft.com/identity/claims/objectidentifier';

const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBjDCCATGgAwIBAgIUb1HkD+DTGah0HeA4Dx6FLYH2XMwwCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQbWFtZ2F0ZSB0ZXN0IGlkcDAeFw0yNjExMjIwMzE5MjlaFw0z
NjExMTkwMzE5MjlaMBsxGTAXBgNVBAMMEG1hbWdhdGUgdGVzdCBpZHAwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAARHwBcisliyiJczFpIvktHhnoShBbTSABpH2uAl
Kg597OF8lwtoE3hKdbDAEov5Bnzt3ptYNGfxUZeKLVVyMnQNo1MwUTAdBgNVHQ4E
FgQUH0hLWdCdbJ9Ir9dviokB+rSMkNIwHwYDVR0jBBgwFoAUH0hLWdCdbJ9Ir9dv
iokB+rSMkNIwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEA9B1X
CxX+Z2x97X0aanHMkidWCnzqrE96V7kgxE7oQ4cCIQCNCzW9DnLTQTambOlcR7GJ
N6nwCxY7XxifSuyMdutb3A==
-----END CERTIFICATE-----`;

const ID = (name: string) => `model.config.is_valid.${name}.app_error`;

type Doc = Record<string, Record<string, unknown>>;

/** A valid office365 setup with one field group replaced. */
function intune(overrides: Record<string, unknown> = {}, office365 = true): Doc {
  return {
    Office365Settings: { Enable: office365 },
    IntuneSettings: { Enable: true, TenantId: TENANT, ClientId: CLIENT, AuthService: 'office365', ...overrides },
  };
}

describe('settings validation through the admin API', () => {
  let service: TestService;
  before(async () => {
    service = await startTestService();
  });
  after(() => service.close());

  const url = (path = '') => `${service.url}${API_BASE}/admin/settings${path}`;
  const put = (body: unknown) => call(url(), { method: 'PUT', token: service.adminToken, body });
  const get = () => call(url(), { token: service.adminToken });

  /** Turns everything back to the defaults so each test starts from a valid document. */
  beforeEach(async () => {
    const reset = await put({
      IntuneSettings: {},
      Office365Settings: {},
      SamlSettings: {},
      LdapSettings: {},
      TunnelSettings: {},
    });
    assert.equal(reset.status, 200, reset.text);
  });

  function assertRefused(answer: ApiAnswer, ids: string[], fields?: string[]): void {
    assert.equal(answer.status, 400, answer.text);
    assert.equal(answer.body.id, ids[0]);
    assert.equal(answer.body.status_code, 400);
    assert.deepEqual(
      answer.body.field_errors.map((e: { id: string }) => e.id),
      ids,
    );
    if (fields) {
      assert.equal(answer.body.field, fields[0]);
      assert.deepEqual(
        answer.body.field_errors.map((e: { field: string }) => e.field),
        fields,
      );
    }
    assert.ok(answer.body.next_step, 'every refusal says what to do next');
  }

  describe("Mattermost's IntuneSettings rules, ids and order", () => {
    const cases: [string, Doc, string, string][] = [
      ['TenantId empty', intune({ TenantId: '' }), 'intune_tenant_id', 'IntuneSettings.TenantId'],
      ['TenantId not a GUID', intune({ TenantId: 'contoso.onmicrosoft.com' }), 'intune_tenant_id_format', 'IntuneSettings.TenantId'],
      ['TenantId GUID too short', intune({ TenantId: '12345678-1234-1234-1234-12345678901' }), 'intune_tenant_id_format', 'IntuneSettings.TenantId'],
      ['ClientId empty', intune({ ClientId: '' }), 'intune_client_id', 'IntuneSettings.ClientId'],
      ['ClientId not a GUID', intune({ ClientId: 'api://mattermost' }), 'intune_client_id_format', 'IntuneSettings.ClientId'],
      ['AuthService empty', intune({ AuthService: '' }), 'intune_auth_service', 'IntuneSettings.AuthService'],
      ['AuthService ldap', intune({ AuthService: 'ldap' }), 'intune_auth_service_invalid', 'IntuneSettings.AuthService'],
      ['AuthService gitlab', intune({ AuthService: 'gitlab' }), 'intune_auth_service_invalid', 'IntuneSettings.AuthService'],
      ['office365 while Office 365 is off', intune({}, false), 'intune_requires_office365', 'IntuneSettings.AuthService'],
      ['saml while SAML is off', intune({ AuthService: 'saml' }), 'intune_requires_saml', 'IntuneSettings.AuthService'],
    ];
    for (const [label, body, id, field] of cases) {
      test(`${label} → ${id}`, async () => {
        assertRefused(await put(body), [ID(id)], [field]);
      });
    }

    test('tenant and client both bad → the tenant error leads, both listed in order', async () => {
      assertRefused(
        await put(intune({ TenantId: 'nope', ClientId: 'nope' })),
        [ID('intune_tenant_id_format'), ID('intune_client_id_format')],
        ['IntuneSettings.TenantId', 'IntuneSettings.ClientId'],
      );
    });

    test('everything empty → tenant, client, auth service, in that order', async () => {
      assertRefused(
        await put({ IntuneSettings: { Enable: true } }),
        [ID('intune_tenant_id'), ID('intune_client_id'), ID('intune_auth_service')],
        ['IntuneSettings.TenantId', 'IntuneSettings.ClientId', 'IntuneSettings.AuthService'],
      );
    });

    test('client bad and provider off → client first, then requires_office365', async () => {
      assertRefused(await put(intune({ ClientId: 'x' }, false)), [ID('intune_client_id_format'), ID('intune_requires_office365')]);
    });

    test('a format error message names the value', async () => {
      const answer = await put(intune({ TenantId: 'contoso.onmicrosoft.com' }));
      assert.match(answer.body.message, /contoso\.onmicrosoft\.com/);
    });

    test('with Intune off nothing of IntuneSettings is checked', async () => {
      const answer = await put({ IntuneSettings: { Enable: false, TenantId: 'nope', ClientId: 'nope', AuthService: 'ldap' } });
      assert.equal(answer.status, 200, answer.text);
    });

    test('office365 with Office 365 on, and saml with SAML on, are accepted', async () => {
      assert.equal((await put(intune())).status, 200);
      const saml = await put({ ...intune({ AuthService: 'saml' }, false), SamlSettings: { Enable: true } });
      assert.equal(saml.status, 200, saml.text);
      assert.equal(saml.body.IntuneSettings.AuthService, 'saml');
    });
  });

  describe('IntuneSettings.IdAttribute: only objectId, the others with their documented result', () => {
    for (const [value, result] of [
      ['email', /enrollment fails/],
      ['preferred_username', /identity mismatch/],
      ['objectGUID', /breaks mobile authentication/],
      ['employeeId', /unsupported by Intune/],
    ] as const) {
      test(`${value} → refused: ${result.source}`, async () => {
        const answer = await put(intune({ IdAttribute: value }));
        assertRefused(answer, [ID('intune_id_attribute')], ['IntuneSettings.IdAttribute']);
        assert.match(answer.body.message, result);
        assert.match(answer.body.message, new RegExp(value));
      });
    }

    test('objectId is accepted', async () => {
      assert.equal((await put(intune({ IdAttribute: 'objectId' }))).status, 200);
    });
  });

  describe('IntuneSettings.IntuneScope', () => {
    for (const scope of [
      `api://${CLIENT}/login.mattermost`,
      `api://${CLIENT}/.default`,
      'https://msmamservice.api.application/.default',
      '',
    ]) {
      test(`accepted: "${scope}"`, async () => {
        const answer = await put(intune({ IntuneScope: scope }));
        assert.equal(answer.status, 200, answer.text);
        assert.equal(answer.body.IntuneSettings.IntuneScope, scope);
      });
    }
    for (const scope of ['login.mattermost', `api://${CLIENT}`, `api://${CLIENT}/`, 'https://host/', 'ftp://host/.default', `api://${CLIENT}/login mattermost`]) {
      test(`refused: "${scope}"`, async () => {
        assertRefused(await put(intune({ IntuneScope: scope })), [ID('intune_scope')], ['IntuneSettings.IntuneScope']);
      });
    }
  });

  describe('IntuneSettings.AllowedClientIds and TunnelClientId', () => {
    test('empty list → intune_allowed_client_ids', async () => {
      assertRefused(await put(intune({ AllowedClientIds: [] })), [ID('intune_allowed_client_ids')], ['IntuneSettings.AllowedClientIds']);
    });

    test('a non-GUID entry → intune_allowed_client_ids_format, naming it', async () => {
      const answer = await put(intune({ AllowedClientIds: [OTHER_GUID, 'com.mattermost.rn'] }));
      assertRefused(answer, [ID('intune_allowed_client_ids_format')], ['IntuneSettings.AllowedClientIds']);
      assert.match(answer.body.message, /com\.mattermost\.rn/);
    });

    test('GUIDs are accepted, stored lower case', async () => {
      const answer = await put(intune({ AllowedClientIds: [OTHER_GUID.toUpperCase()] }));
      assert.equal(answer.status, 200, answer.text);
      assert.deepEqual(answer.body.IntuneSettings.AllowedClientIds, [OTHER_GUID]);
    });

    test('TunnelClientId not a GUID → intune_tunnel_client_id_format; a GUID or empty is accepted', async () => {
      assertRefused(await put(intune({ TunnelClientId: 'tunnel-app' })), [ID('intune_tunnel_client_id_format')], ['IntuneSettings.TunnelClientId']);
      assert.equal((await put(intune({ TunnelClientId: OTHER_GUID }))).status, 200);
      assert.equal((await put(intune({ TunnelClientId: '' }))).status, 200);
    });
  });

  describe('SAML and LDAP identity attributes and connection settings', () => {
    for (const [value, result] of [
      ['email', /enrollment fails/],
      ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', /enrollment fails/],
      ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn', /identity mismatch/],
      ['upn', /identity mismatch/],
      ['immutableID', /unsupported by Intune/],
      ['NameID', /unsupported by Intune/],
    ] as const) {
      test(`SamlSettings.IdAttribute ${value} → refused: ${result.source}`, async () => {
        const answer = await put({ SamlSettings: { IdAttribute: value } });
        assertRefused(answer, [ID('saml_id_attribute')], ['SamlSettings.IdAttribute']);
        assert.match(answer.body.message, result);
      });
    }

    test('SamlSettings.IdAttribute objectidentifier is accepted', async () => {
      assert.equal((await put({ SamlSettings: { IdAttribute: OBJECT_ID_CLAIM } })).status, 200);
    });

    test('LdapSettings.IdAttribute objectGUID → refused with its reason; msDS-aadObjectId accepted', async () => {
      const answer = await put({ LdapSettings: { IdAttribute: 'objectGUID' } });
      assertRefused(answer, [ID('ldap_id_attribute')], ['LdapSettings.IdAttribute']);
      assert.match(answer.body.message, /breaks mobile authentication/);
      assert.match(answer.body.message, /never the Entra objectId/);
      assert.equal((await put({ LdapSettings: { IdAttribute: 'msDS-aadObjectId' } })).status, 200);
    });

    test('LDAP enabled: Url must be ldap(s):// and BaseDn set, in that order', async () => {
      assertRefused(
        await put({ LdapSettings: { Enable: true, Url: 'http://dc.contoso.com', BaseDn: '' } }),
        [ID('ldap_url'), ID('ldap_base_dn')],
        ['LdapSettings.Url', 'LdapSettings.BaseDn'],
      );
      assertRefused(await put({ LdapSettings: { Enable: true, Url: '', BaseDn: 'DC=contoso,DC=com' } }), [ID('ldap_url')]);
      assertRefused(await put({ LdapSettings: { Enable: true, Url: 'ldaps://dc.contoso.com:636' } }), [ID('ldap_base_dn')]);
      const ok = await put({ LdapSettings: { Enable: true, Url: 'ldaps://dc.contoso.com:636', BaseDn: 'DC=contoso,DC=com' } });
      assert.equal(ok.status, 200, ok.text);
    });

    test('LDAP disabled: Url and BaseDn are not checked', async () => {
      assert.equal((await put({ LdapSettings: { Enable: false, Url: 'not a url' } })).status, 200);
    });

    test('SAML enabled: every IdP certificate must parse', async () => {
      const answer = await put({ SamlSettings: { Enable: true, IdpCertificates: [TEST_CERT, 'not a certificate'] } });
      assertRefused(answer, [ID('saml_idp_certificate')], ['SamlSettings.IdpCertificates']);
      assert.match(answer.body.message, /entry 1/);
      const pem = await put({ SamlSettings: { Enable: true, IdpCertificates: [TEST_CERT] } });
      assert.equal(pem.status, 200, pem.text);
      const base64Only = TEST_CERT.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
      assert.equal((await put({ SamlSettings: { Enable: true, IdpCertificates: [base64Only] } })).status, 200);
    });

    test('Intune errors come before identity-source errors', async () => {
      assertRefused(await put({ ...intune({ TenantId: '' }), LdapSettings: { IdAttribute: 'objectGUID' } }), [
        ID('intune_tenant_id'),
        ID('ldap_id_attribute'),
      ]);
    });
  });

  describe('storage', () => {
    test('TenantId (and ClientId) are stored lower case', async () => {
      const answer = await put(intune({ TenantId: TENANT.toUpperCase().replace('-', '-'), ClientId: CLIENT.toUpperCase() }));
      assert.equal(answer.status, 200, answer.text);
      const stored = await get();
      assert.equal(stored.body.IntuneSettings.TenantId, TENANT);
      assert.equal(stored.body.IntuneSettings.ClientId, CLIENT);
      assert.equal((await currentSettings(service.ctx.db)).settings.IntuneSettings.TenantId, TENANT);
    });

    test('a refused save leaves the stored version and content unchanged, and is audited as refused', async () => {
      assert.equal((await put(intune({ IntuneScope: `api://${CLIENT}/.default` }))).status, 200);
      const beforeAnswer = await get();
      const version = beforeAnswer.headers.get('x-settings-version');
      assert.ok(Number(version) > 0);
      const refused = await put(intune({ TenantId: 'nope', IntuneScope: '' }));
      assert.equal(refused.status, 400);
      assert.equal(refused.headers.get('x-settings-version'), null, 'a refused save announces no version');
      const afterAnswer = await get();
      assert.equal(afterAnswer.headers.get('x-settings-version'), version);
      assert.deepEqual(afterAnswer.body, beforeAnswer.body);

      const row = await service.ctx.db('audit_log').where({ action: 'settings.save' }).orderBy('id', 'desc').first();
      assert.equal(row.outcome, 'refused');
      assert.equal(row.request_id, refused.body.request_id);
      assert.match(row.actor, /^admin-token:/);
      assert.equal(row.details.error_id, ID('intune_tenant_id_format'));
    });

    test('a successful save is audited with the changed keys', async () => {
      const answer = await put(intune());
      const row = await service.ctx.db('audit_log').where({ action: 'settings.save' }).orderBy('id', 'desc').first();
      assert.equal(row.outcome, 'success');
      assert.equal(row.target, `settings:v${answer.headers.get('x-settings-version')}`);
      assert.ok(row.details.changed.includes('IntuneSettings.TenantId'));
    });

    test('every successful save keeps history: who and when, newest first', async () => {
      const first = await put(intune({ IntuneScope: `api://${CLIENT}/.default` }));
      const second = await put(intune({ IntuneScope: '' }));
      const [v1, v2] = [Number(first.headers.get('x-settings-version')), Number(second.headers.get('x-settings-version'))];
      assert.equal(v2, v1 + 1);
      const history = await call(url('/history?limit=2'), { token: service.adminToken });
      assert.equal(history.status, 200);
      assert.equal(history.body.length, 2);
      const [newest, previous] = history.body;
      assert.equal(newest.version, v2);
      assert.equal(previous.version, v1);
      assert.equal(previous.settings.IntuneSettings.IntuneScope, `api://${CLIENT}/.default`);
      assert.equal(newest.settings.IntuneSettings.IntuneScope, '');
      for (const entry of history.body) {
        assert.match(entry.saved_by, /^admin-token:/);
        assert.ok(!Number.isNaN(Date.parse(entry.saved_at)));
        assert.ok(Math.abs(Date.now() - Date.parse(entry.saved_at)) < 10 * 60_000, 'saved_at is the save time');
      }
      const older = await call(url(`/history?limit=1&before=${v2}`), { token: service.adminToken });
      assert.equal(older.body[0].version, v1);
    });

    test('history paging parameters are checked', async () => {
      const answer = await call(url('/history?limit=0'), { token: service.adminToken });
      assert.equal(answer.status, 400);
      assert.equal(answer.body.id, 'mamgate.request.invalid_query_param.app_error');
    });

    test('a PUT replaces only the sections it carries; a carried section takes defaults for missing keys', async () => {
      const ldap = { Enable: true, Url: 'ldap://127.0.0.1:389', BaseDn: 'DC=contoso,DC=com', UserFilter: '(objectClass=user)' };
      assert.equal((await put({ LdapSettings: ldap, TunnelSettings: { BypassedUrls: ['sts.contoso.com'] } })).status, 200);
      assert.equal((await put(intune())).status, 200);
      const stored = await get();
      assert.equal(stored.body.LdapSettings.UserFilter, '(objectClass=user)', 'LdapSettings left as stored');
      assert.deepEqual(stored.body.TunnelSettings.BypassedUrls, ['sts.contoso.com'], 'TunnelSettings left as stored');
      assert.equal(stored.body.IntuneSettings.TenantId, TENANT);

      const replaced = await put({ LdapSettings: { Enable: false } });
      assert.equal(replaced.status, 200);
      assert.equal(replaced.body.LdapSettings.UserFilter, '(objectClass=person)', 'a carried section is replaced whole');
      assert.equal(replaced.body.IntuneSettings.TenantId, TENANT);
    });

    test('the merged result is validated as one document', async () => {
      assert.equal((await put(intune())).status, 200);
      // Office 365 alone is valid, but turning it off breaks the stored Intune settings.
      assertRefused(await put({ Office365Settings: { Enable: false } }), [ID('intune_requires_office365')]);
    });

    test('secrets: write-only, masked on GET, and a masked value sent back keeps the stored one', async () => {
      const secret = 'Bind-Pa55word-for-tests';
      const saved = await put({ LdapSettings: { BindDn: 'CN=svc,DC=contoso,DC=com', BindPassword: secret } });
      assert.equal(saved.status, 200);
      assert.equal(saved.body.LdapSettings.BindPassword, MASKED_SECRET);
      assert.ok(!saved.text.includes(secret));
      const shown = await get();
      assert.equal(shown.body.LdapSettings.BindPassword, MASKED_SECRET);
      assert.ok(!shown.text.includes(secret));
      const history = await call(url('/history'), { token: service.adminToken });
      assert.ok(!history.text.includes(secret), 'history is masked too');

      // The console sends the whole document back, masked secret included, with another change.
      const roundTrip = structuredClone(shown.body);
      roundTrip.LdapSettings.UserFilter = '(objectClass=user)';
      const resaved = await put(roundTrip);
      assert.equal(resaved.status, 200, resaved.text);
      const stored = (await currentSettings(service.ctx.db)).settings.LdapSettings;
      assert.equal(stored.BindPassword, secret);
      assert.equal(stored.UserFilter, '(objectClass=user)');

      // A new value replaces it; an empty value clears it.
      assert.equal((await put({ LdapSettings: { BindPassword: 'another' } })).status, 200);
      assert.equal((await currentSettings(service.ctx.db)).settings.LdapSettings.BindPassword, 'another');
      assert.equal((await put({ LdapSettings: { BindPassword: '' } })).status, 200);
      assert.equal((await currentSettings(service.ctx.db)).settings.LdapSettings.BindPassword, '');
      assert.equal((await get()).body.LdapSettings.BindPassword, '');
    });
  });
});
