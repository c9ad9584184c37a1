// The pre-login answers of reference/mattermost-intune.md §2 for every license tier × Intune state, through the
// real HTTP routes, with the license set through PUT admin/license.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API_BASE } from '../../server/http/app.ts';
import { defaultSettings } from '../../server/settings/model.ts';
import { call, startTestService, type TestService, storeSettingsUnvalidated } from '../support/service.ts';

const TENANT = '12345678-1234-1234-1234-123456789012';
const CLIENT = '87654321-4321-4321-4321-210987654321';
const INTUNE_KEYS = ['IntuneMAMEnabled', 'IntuneScope', 'IntuneAuthService'];

type IntuneState = 'on-office365' | 'on-saml' | 'off' | 'incomplete';
const STATES: IntuneState[] = ['on-office365', 'on-saml', 'off', 'incomplete'];

interface LicenseCase {
  label: string;
  body: Record<string, unknown>;
  qualifies: boolean;
  clientLicense: Record<string, string>;
}

const LICENSES: LicenseCase[] = [
  { label: 'no license', body: { IsLicensed: false }, qualifies: false, clientLicense: { IsLicensed: 'false' } },
  {
    label: 'Professional',
    body: { IsLicensed: true, SkuShortName: 'professional' },
    qualifies: false,
    clientLicense: { IsLicensed: 'true', SkuShortName: 'professional' },
  },
  {
    label: 'Enterprise',
    body: { IsLicensed: true, SkuShortName: 'enterprise' },
    qualifies: false,
    clientLicense: { IsLicensed: 'true', SkuShortName: 'enterprise' },
  },
  {
    label: 'Enterprise Advanced',
    body: { IsLicensed: true, SkuShortName: 'advanced' },
    qualifies: true,
    clientLicense: { IsLicensed: 'true', SkuShortName: 'advanced' },
  },
  {
    label: 'Entry',
    body: { IsLicensed: true, SkuShortName: 'entry' },
    qualifies: true,
    clientLicense: { IsLicensed: 'true', SkuShortName: 'entry' },
  },
  {
    label: 'expired Enterprise Advanced',
    body: { IsLicensed: true, SkuShortName: 'advanced', ExpiresAt: Date.now() - 60_000 },
    qualifies: false,
    clientLicense: { IsLicensed: 'false' },
  },
];

describe('pre-login client config and license (§2)', () => {
  let service: TestService;
  before(async () => {
    service = await startTestService();
  });
  after(() => service.close());

  const admin = (path: string, body: unknown) =>
    call(`${service.url}${API_BASE}/admin/${path}`, { method: 'PUT', token: service.adminToken, body });
  const clientConfig = () => call<Record<string, unknown>>(`${service.url}/api/v4/config/client?format=old`);
  const clientLicense = () => call<Record<string, unknown>>(`${service.url}/api/v4/license/client?format=old`);

  async function setState(state: IntuneState): Promise<void> {
    const intune = { Enable: true, TenantId: TENANT, ClientId: CLIENT, AuthService: 'office365' };
    if (state === 'incomplete') {
      // Invalid documents are refused by the API, so write one straight to the store: the read path must fail closed.
      const doc = defaultSettings();
      doc.Office365Settings.Enable = true;
      Object.assign(doc.IntuneSettings, { ...intune, TenantId: '' });
      await storeSettingsUnvalidated(service, doc, 'test:incomplete');
      return;
    }
    const body =
      state === 'on-office365'
        ? { IntuneSettings: intune, Office365Settings: { Enable: true }, SamlSettings: { Enable: false } }
        : state === 'on-saml'
          ? { IntuneSettings: { ...intune, AuthService: 'saml' }, Office365Settings: { Enable: false }, SamlSettings: { Enable: true } }
          : { IntuneSettings: { ...intune, Enable: false }, Office365Settings: { Enable: true }, SamlSettings: { Enable: false } };
    const answer = await admin('settings', body);
    assert.equal(answer.status, 200, answer.text);
  }

  for (const license of LICENSES) {
    describe(license.label, () => {
      before(async () => {
        const answer = await admin('license', license.body);
        assert.equal(answer.status, 200, answer.text);
      });

      test('license/client answers strings', async () => {
        const answer = await clientLicense();
        assert.equal(answer.status, 200);
        for (const [key, value] of Object.entries(license.clientLicense)) assert.equal(answer.body[key], value, key);
        for (const value of Object.values(answer.body)) assert.equal(typeof value, 'string');
        if (license.clientLicense.IsLicensed === 'false') assert.equal(answer.body.SkuShortName, undefined);
      });

      for (const state of STATES) {
        test(`Intune ${state}`, async () => {
          await setState(state);
          const answer = await clientConfig();
          assert.equal(answer.status, 200);
          assert.equal(answer.headers.get('cache-control'), 'no-store');
          for (const value of Object.values(answer.body)) assert.equal(typeof value, 'string');
          const config = answer.body;
          if (!license.qualifies) {
            for (const key of INTUNE_KEYS) assert.equal(key in config, false, `${key} must be absent below the tier`);
            return;
          }
          if (state === 'on-office365' || state === 'on-saml') {
            assert.equal(config.IntuneMAMEnabled, 'true');
            assert.equal(config.IntuneScope, `api://${CLIENT}/login.mattermost`);
            assert.equal(config.IntuneAuthService, state === 'on-saml' ? 'saml' : 'office365');
          } else {
            assert.equal(config.IntuneMAMEnabled, 'false');
            assert.equal('IntuneScope' in config, false);
            assert.equal('IntuneAuthService' in config, false);
          }
        });
      }
    });
  }

  describe('Enterprise Advanced details', () => {
    before(async () => {
      assert.equal((await admin('license', { IsLicensed: true, SkuShortName: 'advanced' })).status, 200);
    });

    test('a configured IntuneScope is sent as configured', async () => {
      const scope = 'https://msmamservice.api.application/.default';
      const answer = await admin('settings', {
        IntuneSettings: { Enable: true, TenantId: TENANT, ClientId: CLIENT, AuthService: 'office365', IntuneScope: scope },
        Office365Settings: { Enable: true },
      });
      assert.equal(answer.status, 200, answer.text);
      assert.equal((await clientConfig()).body.IntuneScope, scope);
    });

    test('a stored document with a bad tenant id also fails closed', async () => {
      const doc = defaultSettings();
      doc.Office365Settings.Enable = true;
      Object.assign(doc.IntuneSettings, { Enable: true, TenantId: 'contoso', ClientId: CLIENT, AuthService: 'office365' });
      await storeSettingsUnvalidated(service, doc, 'test:bad-tenant');
      const config = (await clientConfig()).body;
      assert.equal(config.IntuneMAMEnabled, 'false');
      assert.equal('IntuneScope' in config, false);
    });

    test('SKU case is normalised', async () => {
      assert.equal((await admin('license', { IsLicensed: true, SkuShortName: 'Advanced' })).status, 200);
      assert.equal((await clientLicense()).body.SkuShortName, 'advanced');
    });

    test('a license expiring in the future still counts', async () => {
      const body = { IsLicensed: true, SkuShortName: 'entry', ExpiresAt: Date.now() + 3_600_000 };
      assert.equal((await admin('license', body)).status, 200);
      const license = (await clientLicense()).body;
      assert.equal(license.IsLicensed, 'true');
      assert.equal(license.SkuShortName, 'entry');
      await setState('on-office365');
      assert.equal((await clientConfig()).body.IntuneMAMEnabled, 'true');
    });
  });

  describe('invalid licenses are refused and nothing is stored', () => {
    for (const [label, body] of [
      ['an unknown SKU', { IsLicensed: true, SkuShortName: 'platinum' }],
      ['IsLicensed true without a SKU', { IsLicensed: true }],
      ['IsLicensed as a string', { IsLicensed: 'true', SkuShortName: 'advanced' }],
      ['SkuShortName as a number', { IsLicensed: true, SkuShortName: 30 }],
      ['ExpiresAt as a word', { IsLicensed: true, SkuShortName: 'advanced', ExpiresAt: 'tomorrow' }],
      ['an object-valued extra field', { IsLicensed: true, SkuShortName: 'advanced', Features: { intune: true } }],
      ['no IsLicensed at all', { SkuShortName: 'advanced' }],
      ['a list', [{ IsLicensed: true, SkuShortName: 'advanced' }]],
    ] as const) {
      test(label, async () => {
        const before = await call(`${service.url}${API_BASE}/admin/license`, { token: service.adminToken });
        const answer = await admin('license', body);
        assert.equal(answer.status, 400, answer.text);
        assert.equal(answer.body.id, 'mamgate.license.invalid.app_error');
        assert.equal(answer.body.status_code, 400);
        const afterAnswer = await call(`${service.url}${API_BASE}/admin/license`, { token: service.adminToken });
        assert.equal(afterAnswer.headers.get('x-license-version'), before.headers.get('x-license-version'));
        assert.deepEqual(afterAnswer.body, before.body);
      });
    }
  });
});
