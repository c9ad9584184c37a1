// The preflight of a companion node (dev-chat as the chat server) with Graph enabled, against the development
// Graph in dev-idp: a good tenant where every Graph check passes, then one broken thing at a time (a missing role,
// no/report-only/other-app Conditional Access policy, no or user-only MAM consent, no MAM service principal, no
// Tunnel Gateway with tunnel keys, Graph down), each yielding its warn or fail and next step; and a chat server that
// refuses the admin token. The dev Graph's data follows the v1.0 resources: conditionalAccessPolicy (state,
// conditions.applications.includeApplications, grantControls.builtInControls), servicePrincipal (id, appId) and
// oauth2PermissionGrant (clientId and resourceId are service principal ids, consentType AllPrincipals = admin
// consent, scope space-separated).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import type { DevChat } from '../../server/devchat/dev-chat.ts';
import type { DevIdp } from '../../server/devidp/dev-idp.ts';
import { GraphLink } from '../../server/graph/graph-link.ts';
import { MAM_SERVICE_APP_ID } from '../../server/preflight/checks/graph.ts';
import { TUNNEL_GATEWAY_APP_ID } from '../../server/tunnel/tunnel-gateway.ts';
import { checkReadiness } from '../../server/observability/readiness.ts';
import { OFFICIAL_MOBILE_CLIENT_IDS } from '../../server/settings/model.ts';
import { currentSettings } from '../../server/settings/service.ts';
import { GRAPH_ROLES, registerGraphApp, SECRET } from '../graph/fixtures.ts';
import { adminUrl } from '../support/intune.ts';
import { type GraphCompanion, startGraphCompanion } from '../support/graph-companion.ts';
import { call, startTestService, storeSettingsUnvalidated, type TestService } from '../support/service.ts';

/** The chat server's API app registration (IntuneSettings.ClientId on the chat server). */
const API_APP = '66666666-7777-4888-9999-000000000000';
const [PROD_APP, BETA_APP] = OFFICIAL_MOBILE_CLIENT_IDS;

interface Check {
  id: string;
  state: 'pass' | 'warn' | 'fail';
  evidence: string;
  next_step: string;
  error_id?: string;
}

const SP = {
  mam: { id: 'a1000000-0000-4000-8000-000000000001', appId: MAM_SERVICE_APP_ID, displayName: 'Microsoft Mobile Application Management' },
  prod: { id: 'a1000000-0000-4000-8000-000000000002', appId: PROD_APP!, displayName: 'Mattermost Mobile' },
  beta: { id: 'a1000000-0000-4000-8000-000000000003', appId: BETA_APP!, displayName: 'Mattermost Mobile Beta' },
  tunnel: { id: 'a1000000-0000-4000-8000-000000000004', appId: TUNNEL_GATEWAY_APP_ID, displayName: 'Microsoft Tunnel Gateway' },
};

const adminConsent = (client: { id: string }) => ({
  id: `grant-${client.id}`,
  clientId: client.id,
  consentType: 'AllPrincipals',
  principalId: null,
  resourceId: SP.mam.id,
  scope: 'DeviceManagementManagedApps.ReadWrite',
});

function appProtectionPolicy(change: Record<string, unknown> = {}, includeApplications: string[] = [API_APP]) {
  return {
    id: 'c1000000-0000-4000-8000-000000000001',
    displayName: 'Require app protection for the chat server',
    state: 'enabled',
    conditions: {
      applications: { includeApplications, excludeApplications: [] as string[] },
      users: { includeUsers: ['All'] },
      platforms: { includePlatforms: ['iOS', 'android'] },
      clientAppTypes: ['mobileAppsAndDesktopClients'],
    },
    grantControls: { operator: 'OR', builtInControls: ['approvedApplication', 'compliantApplication'] },
    ...change,
  };
}

describe('preflight of a companion node with Graph', { timeout: 180_000 }, () => {
  let idp: DevIdp;
  let chat: DevChat;
  let adminToken: string;
  let service: TestService;

  function goodTenant(): void {
    registerGraphApp(idp);
    idp.graph.setFault({ mode: 'up', tokenEndpoint: 'up' });
    idp.graph.setServicePrincipals([SP.mam, SP.prod, SP.beta, SP.tunnel]);
    idp.graph.setPermissionGrants([adminConsent(SP.prod), adminConsent(SP.beta)]);
    idp.graph.setConditionalAccessPolicies([appProtectionPolicy()]);
  }

  /**
   * GET …/admin/preflight. A fresh GraphLink each time, as a changed registration would get with new credentials
   * (a link keeps its token while the credentials stay the same). The service wires ctx.graph itself; setting it
   * here keeps these tests independent of that wiring.
   */
  const preflight = async (target = service): Promise<{ checks: Map<string, Check>; order: string[]; text: string }> => {
    target.ctx.graph = new GraphLink({ authority: idp.url, graphUrl: idp.graphUrl, clientSecret: SECRET }, pino({ level: 'silent' }));
    const answer = await call(adminUrl(target.url, 'preflight'), { token: target.adminToken });
    assert.equal(answer.status, 200, answer.text);
    const list = answer.body.checks as Check[];
    return { checks: new Map(list.map((c) => [c.id, c])), order: list.map((c) => c.id), text: answer.text };
  };

  let started: GraphCompanion | undefined;
  before(async () => {
    started = await startGraphCompanion({
      apiAppId: API_APP,
      prepareIdp: (dev) => {
        idp = dev;
        goodTenant();
      },
    });
    ({ chat, service, adminToken } = started);
  });
  after(() => started?.close());

  test("a good tenant: the chat server's connection comes first, and every Graph check passes on the chat server's settings", async () => {
    const { checks, order, text } = await preflight();
    assert.equal(order[0], 'chat_server');
    const connection = checks.get('chat_server')!;
    assert.equal(connection.state, 'pass', connection.evidence);
    assert.ok(connection.evidence.includes(chat.url), connection.evidence);
    assert.match(connection.evidence, /read at \d{4}-\d\d-\d\dT/);
    assert.ok(!text.includes(adminToken), 'the admin token is never shown');
    assert.ok(!text.includes(SECRET), 'the Graph secret is never shown');
    // mamgate's own store has no license and Intune off: these pass only on the chat server's view.
    assert.equal(checks.get('license')!.state, 'pass', checks.get('license')!.evidence);
    assert.equal(checks.get('intune_enabled')!.state, 'pass');
    for (const id of ['graph_credentials', 'graph_conditional_access', 'graph_mam_service_principal', 'graph_mam_consent', 'graph_tunnel_gateway', 'graph_evidence']) {
      const check = checks.get(id)!;
      assert.equal(check.state, 'pass', `${id}: ${check.evidence} / ${check.next_step}`);
    }
    assert.match(checks.get('graph_credentials')!.evidence, /DeviceManagementApps\.Read\.All/);
    assert.match(checks.get('graph_conditional_access')!.evidence, /Require app protection for the chat server/);
    assert.match(checks.get('graph_mam_consent')!.evidence, new RegExp(`${PROD_APP}: admin consent \\(AllPrincipals\\) for DeviceManagementManagedApps\\.ReadWrite`));
    assert.match(checks.get('graph_tunnel_gateway')!.evidence, /tunnel keys are not configured: not applicable/);
  });

  test('a Conditional Access policy for All resources counts; one that only asks for MFA does not', async () => {
    try {
      idp.graph.setConditionalAccessPolicies([appProtectionPolicy({}, ['All'])]);
      assert.equal((await preflight()).checks.get('graph_conditional_access')!.state, 'pass');
      idp.graph.setConditionalAccessPolicies([appProtectionPolicy({ grantControls: { operator: 'OR', builtInControls: ['mfa'] } })]);
      assert.equal((await preflight()).checks.get('graph_conditional_access')!.state, 'warn');
    } finally {
      goodTenant();
    }
  });

  test('the token without DeviceManagementApps.Read.All → graph_credentials fails: the gate cannot verify', async () => {
    registerGraphApp(idp, { roles: GRAPH_ROLES.filter((r) => r !== 'DeviceManagementApps.Read.All') });
    try {
      const check = (await preflight()).checks.get('graph_credentials')!;
      assert.equal(check.state, 'fail');
      assert.equal(check.error_id, 'mamgate.preflight.graph_permission_missing.app_error');
      assert.match(check.evidence, /missing DeviceManagementApps\.Read\.All: without DeviceManagementApps\.Read\.All the gate cannot verify/);
      assert.match(check.next_step, /Grant admin consent/);
    } finally {
      goodTenant();
    }
  });

  test('the token without Policy.Read.All → graph_credentials warns, and the Conditional Access check warns with Graph\'s refusal', async () => {
    registerGraphApp(idp, { roles: GRAPH_ROLES.filter((r) => r !== 'Policy.Read.All') });
    try {
      const { checks } = await preflight();
      const credentials = checks.get('graph_credentials')!;
      assert.equal(credentials.state, 'warn', credentials.evidence);
      assert.match(credentials.evidence, /missing Policy\.Read\.All/);
      const policies = checks.get('graph_conditional_access')!;
      assert.equal(policies.state, 'warn', policies.evidence);
      assert.equal(policies.error_id, 'mamgate.graph.forbidden.app_error');
      assert.match(policies.evidence, /Authorization_RequestDenied/);
    } finally {
      goodTenant();
    }
  });

  test('a wrong Graph secret → graph_credentials fails with the token error, the other Graph checks are not checked', async () => {
    registerGraphApp(idp, { secrets: [{ value: 'another-secret-value' }] });
    try {
      const { checks, text } = await preflight();
      const credentials = checks.get('graph_credentials')!;
      assert.equal(credentials.state, 'fail', credentials.evidence);
      assert.equal(credentials.error_id, 'mamgate.graph.token.invalid_secret.app_error');
      assert.equal(checks.get('graph_mam_consent')!.state, 'warn');
      assert.ok(!text.includes(SECRET));
    } finally {
      goodTenant();
    }
  });

  test('no Conditional Access policy → warns: it is the control a modified client cannot get around', async () => {
    idp.graph.setConditionalAccessPolicies([]);
    try {
      const check = (await preflight()).checks.get('graph_conditional_access')!;
      assert.equal(check.state, 'warn');
      assert.equal(check.error_id, 'mamgate.preflight.app_protection_policy_missing.app_error');
      assert.match(check.evidence, /0 policies read/);
      assert.match(check.next_step, /modified mobile client cannot get around/);
    } finally {
      goodTenant();
    }
  });

  test('a report-only policy → warns and names it as not enforced', async () => {
    idp.graph.setConditionalAccessPolicies([appProtectionPolicy({ state: 'enabledForReportingButNotEnforced' })]);
    try {
      const check = (await preflight()).checks.get('graph_conditional_access')!;
      assert.equal(check.state, 'warn');
      assert.match(check.evidence, /report-only, not enforced: "Require app protection for the chat server"/);
    } finally {
      goodTenant();
    }
  });

  test("a policy that does not include the chat server's API app (or excludes it) → warns", async () => {
    idp.graph.setConditionalAccessPolicies([appProtectionPolicy({}, ['00000003-0000-0ff1-ce00-000000000000'])]);
    try {
      const check = (await preflight()).checks.get('graph_conditional_access')!;
      assert.equal(check.state, 'warn');
      assert.match(check.evidence, new RegExp(`none enforced requires app protection .* for ${API_APP}`));
      const excluded = appProtectionPolicy({}, ['All']);
      excluded.conditions.applications.excludeApplications = [API_APP];
      idp.graph.setConditionalAccessPolicies([excluded]);
      assert.equal((await preflight()).checks.get('graph_conditional_access')!.state, 'warn');
    } finally {
      goodTenant();
    }
  });

  test('a mobile app without a delegated grant to the MAM service → graph_mam_consent fails (AADSTS650057)', async () => {
    idp.graph.setPermissionGrants([adminConsent(SP.prod)]);
    try {
      const check = (await preflight()).checks.get('graph_mam_consent')!;
      assert.equal(check.state, 'fail');
      assert.equal(check.error_id, 'mamgate.preflight.mam_consent_missing.app_error');
      assert.match(check.evidence, new RegExp(`${BETA_APP}: no delegated grant to the MAM service \\(AADSTS650057\\)`));
      assert.match(check.evidence, new RegExp(`${PROD_APP}: admin consent`));
      assert.match(check.next_step, /Grant admin consent/);
    } finally {
      goodTenant();
    }
  });

  test('a grant consented by one user only (consentType Principal) → graph_mam_consent fails', async () => {
    idp.graph.setPermissionGrants([
      adminConsent(SP.prod),
      { ...adminConsent(SP.beta), consentType: 'Principal', principalId: 'b2000000-0000-4000-8000-000000000001' },
    ]);
    try {
      const check = (await preflight()).checks.get('graph_mam_consent')!;
      assert.equal(check.state, 'fail');
      assert.match(check.evidence, new RegExp(`${BETA_APP}: 1 grant\\(s\\) to the MAM service, none admin-consented for all users \\(consentType Principal\\)`));
    } finally {
      goodTenant();
    }
  });

  test('an admin grant to another resource does not count', async () => {
    idp.graph.setPermissionGrants([adminConsent(SP.prod), { ...adminConsent(SP.beta), resourceId: SP.tunnel.id, scope: 'Tunnel_Allow' }]);
    try {
      assert.equal((await preflight()).checks.get('graph_mam_consent')!.state, 'fail');
    } finally {
      goodTenant();
    }
  });

  test('no MAM service principal in the tenant → graph_mam_service_principal fails (AADSTS650052), so does consent', async () => {
    idp.graph.setServicePrincipals([SP.prod, SP.beta, SP.tunnel]);
    try {
      const { checks } = await preflight();
      const principal = checks.get('graph_mam_service_principal')!;
      assert.equal(principal.state, 'fail');
      assert.equal(principal.error_id, 'mamgate.preflight.mam_service_principal_missing.app_error');
      assert.match(principal.evidence, /AADSTS650052/);
      assert.match(principal.next_step, /Intune license/);
      assert.equal(checks.get('graph_mam_consent')!.state, 'fail');
    } finally {
      goodTenant();
    }
  });

  test('tunnel keys set but no Tunnel Gateway service principal → graph_tunnel_gateway fails', async () => {
    const { settings } = await currentSettings(service.ctx.db);
    const original = structuredClone(settings);
    settings.TunnelSettings.ConnectionType = 'MicrosoftProtect';
    settings.TunnelSettings.ConnectionName = 'mam-tunnel';
    settings.TunnelSettings.SiteId = 'd1000000-0000-4000-8000-000000000001';
    settings.TunnelSettings.ServerAddress = 'tunnel.contoso.com:443';
    await storeSettingsUnvalidated(service, settings, 'test');
    try {
      assert.equal((await preflight()).checks.get('graph_tunnel_gateway')!.state, 'pass');
      idp.graph.setServicePrincipals([SP.mam, SP.prod, SP.beta]);
      const check = (await preflight()).checks.get('graph_tunnel_gateway')!;
      assert.equal(check.state, 'fail');
      assert.equal(check.error_id, 'mamgate.preflight.tunnel_gateway_missing.app_error');
      assert.match(check.next_step, /mst-ca-provisioning\.ps1/);
    } finally {
      await storeSettingsUnvalidated(service, original, 'test');
      goodTenant();
    }
  });

  test('Graph down → the Graph checks warn with the outage (never pass), graph_evidence names it, /readyz stays ready', async () => {
    idp.graph.setFault({ mode: 'down' });
    try {
      // An evidence sweep that meets the outage, as the gate's re-checks would.
      await assert.rejects(service.ctx.graphRechecks!.verifyNow({ userId: 'pf-user', objectId: '7a2b3c4d-0000-4000-8000-000000000001' }));
      const { checks } = await preflight();
      for (const id of ['graph_conditional_access', 'graph_mam_service_principal', 'graph_mam_consent']) {
        const check = checks.get(id)!;
        assert.equal(check.state, 'warn', `${id}: ${check.evidence}`);
        assert.equal(check.error_id, 'mamgate.graph.unavailable.app_error');
        assert.match(check.evidence, /503/);
      }
      const evidence = checks.get('graph_evidence')!;
      assert.equal(evidence.state, 'warn');
      assert.match(evidence.evidence, /Graph outage: the last evidence sweep failed with mamgate\.graph\.unavailable\.app_error/);
      assert.match(evidence.evidence, /no successful sweep yet|last successful sweep at/);
      const ready = await checkReadiness(service.ctx.db, service.link, service.ctx.graphRechecks);
      assert.equal(ready.graph, 'unavailable');
      assert.equal(ready.graph_error_id, 'mamgate.graph.unavailable.app_error');
      assert.equal(ready.chat_server, 'ok');
      assert.equal((await call(`${service.url}/readyz`)).status, 200);
    } finally {
      goodTenant();
    }
    await service.ctx.graphRechecks!.verifyNow({ userId: 'pf-user', objectId: '7a2b3c4d-0000-4000-8000-000000000001' });
    const after = (await preflight()).checks.get('graph_evidence')!;
    assert.equal(after.state, 'pass', after.evidence);
    assert.match(after.evidence, /last successful sweep at/);
    assert.equal((await checkReadiness(service.ctx.db, service.link, service.ctx.graphRechecks)).graph, 'ok');
  });

  test("a chat server that refuses the admin token → chat_server fails with the catalogue's next step; nothing else is judged", async () => {
    const other = await startTestService({
      env: { chatServerUrl: chat.url, chatServerToken: 'not-a-valid-admin-token', entraAuthority: idp.url, graphUrl: idp.graphUrl, graphClientSecret: SECRET },
    });
    try {
      const { checks, order, text } = await preflight(other);
      assert.equal(order[0], 'chat_server');
      const connection = checks.get('chat_server')!;
      assert.equal(connection.state, 'fail');
      assert.equal(connection.error_id, 'mamgate.chatserver.admin_token_refused.app_error');
      assert.ok(connection.evidence.includes(chat.url));
      assert.match(connection.next_step, /personal access token/);
      assert.ok(!text.includes('not-a-valid-admin-token'), 'the admin token is never shown');
      for (const [id, check] of checks) if (id !== 'chat_server') assert.equal(check.state, 'warn', `${id} is not judged on settings the node does not have`);
    } finally {
      await other.close();
    }
  });
});
