// What Tunnel for MAM needs that the validator cannot see (seed 000, seed 002): listed for the operator to confirm,
// never passed, with the admin-consent link built from the configured ids on MAMGATE_ENTRA_AUTHORITY's host.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultSettings } from '../../server/settings/model.ts';
import { adminConsentUrl } from '../../server/tunnel/admin-consent-url.ts';
import { tunnelReport } from '../../server/tunnel/validate.ts';
import { CERT_VALID_AT, goodAppConfig, goodTunnelSettings, TUNNEL_CLIENT } from './fixtures.ts';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const SOVEREIGN = 'https://login.microsoftonline.us';

function settingsWithTunnel(change: (s: ReturnType<typeof defaultSettings>) => void = () => {}) {
  const settings = defaultSettings();
  Object.assign(settings.TunnelSettings, goodTunnelSettings());
  settings.IntuneSettings.TenantId = TENANT;
  settings.IntuneSettings.TunnelClientId = TUNNEL_CLIENT;
  change(settings);
  return settings;
}

const rules = (report: ReturnType<typeof tunnelReport>) => report.prerequisites.map((p) => p.rule);

describe('tunnel prerequisites', () => {
  test('stored settings: every prerequisite is listed to confirm, with where to look and the next step', () => {
    const report = tunnelReport(settingsWithTunnel(), {}, { authority: SOVEREIGN, now: CERT_VALID_AT });
    assert.deepEqual(report.findings, [], 'the values themselves are good');
    assert.deepEqual(rules(report), [
      'prerequisite.identity_keys',
      'prerequisite.tunnel_policy',
      'prerequisite.in_app_sign_in',
      'prerequisite.gateway_service_principal',
      'prerequisite.admin_consent',
      'prerequisite.license',
    ]);
    for (const p of report.prerequisites) {
      assert.match(p.confirm, /^Confirm in the Microsoft (Intune|Entra) admin center/, p.rule);
      assert.ok(p.next_step.length > 20 && p.requirement.length > 20, p.rule);
      assert.equal(p.checked_by, undefined, 'Graph is off: nothing is checked for the operator');
    }
    const keys = report.prerequisites.find((p) => p.rule === 'prerequisite.identity_keys')!;
    assert.match(keys.confirm, /IntuneMAMUPN = \{\{userprincipalname\}\} and IntuneMAMOID = \{\{userid\}\}/);
    assert.match(report.prerequisites.find((p) => p.rule === 'prerequisite.gateway_service_principal')!.requirement, /3678c9e9-9681-447a-974d-d19f668fcd88/);
    assert.match(report.prerequisites.find((p) => p.rule === 'prerequisite.license')!.requirement, /Plan 2 or the Microsoft Intune Suite/);
    assert.equal(report.summary.error, 0, 'to confirm is not an error: the exit code stays 0');
  });

  test("the admin-consent link is MAMGATE_ENTRA_AUTHORITY's host, the tenant id and the tunnel client id", () => {
    const consent = tunnelReport(settingsWithTunnel(), {}, { authority: `${SOVEREIGN}/` }).prerequisites.find((p) => p.rule === 'prerequisite.admin_consent')!;
    const expected = `${SOVEREIGN}/${TENANT}/adminconsent?client_id=${TUNNEL_CLIENT}`;
    assert.equal(consent.url, expected);
    assert.ok(consent.next_step.includes(expected));
    assert.match(consent.requirement, new RegExp(TUNNEL_CLIENT));
  });

  test('no link while the tenant or tunnel client id is not a GUID; the next step says what to set', () => {
    for (const change of [(s: ReturnType<typeof defaultSettings>) => (s.IntuneSettings.TunnelClientId = ''), (s: ReturnType<typeof defaultSettings>) => (s.IntuneSettings.TenantId = 'contoso')]) {
      const consent = tunnelReport(settingsWithTunnel(change), {}, { authority: SOVEREIGN }).prerequisites.find((p) => p.rule === 'prerequisite.admin_consent')!;
      assert.equal(consent.url, undefined);
      assert.match(consent.next_step, /Set IntuneSettings\.TenantId and IntuneSettings\.TunnelClientId/);
    }
    assert.equal(adminConsentUrl(SOVEREIGN, TENANT, `${TUNNEL_CLIENT}&redirect_uri=x`), undefined, 'nothing but a GUID goes into the link');
  });

  test('with Graph configured the service principal is left to graph_tunnel_gateway, the rest still to confirm', () => {
    const report = tunnelReport(settingsWithTunnel((s) => (s.GraphSettings.Enable = true)), {}, { authority: SOVEREIGN });
    const principal = report.prerequisites.find((p) => p.rule === 'prerequisite.gateway_service_principal')!;
    assert.equal(principal.checked_by, 'graph_tunnel_gateway');
    assert.deepEqual(report.prerequisites.filter((p) => p.checked_by).map((p) => p.rule), ['prerequisite.gateway_service_principal']);
  });

  test('a pasted policy has its identity keys checked as findings, so they are not asked again', () => {
    const report = tunnelReport(settingsWithTunnel(), { appConfig: goodAppConfig() }, { authority: SOVEREIGN, now: CERT_VALID_AT });
    assert.ok(!rules(report).includes('prerequisite.identity_keys'));
    assert.ok(!rules(report).includes('prerequisite.tunnel_policy'), 'the pasted policy is the policy');
    assert.ok(rules(report).includes('prerequisite.admin_consent'));
    const { IntuneMAMOID: _oid, ...withoutOid } = goodAppConfig();
    const missing = tunnelReport(settingsWithTunnel(), { appConfig: withoutOid }, { authority: SOVEREIGN, now: CERT_VALID_AT });
    assert.deepEqual(
      missing.findings.map((f) => [f.severity, f.rule, f.field]),
      [['error', 'appconfig.identity_keys', 'IntuneMAMOID']],
    );
  });

  test('no tunnel key set: nothing to confirm', () => {
    assert.deepEqual(tunnelReport(defaultSettings(), {}, { authority: SOVEREIGN }).prerequisites, []);
  });
});
