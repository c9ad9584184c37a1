// Checks only Microsoft Graph can answer: the Graph app's credentials and permissions, the Conditional Access
// policy that requires app protection, the mobile apps' consent to the Intune MAM service, the Tunnel Gateway's
// service principal, and whether the evidence sweeps reach Graph. Each does not apply while GraphSettings.Enable
// is off; a Graph failure makes it warn or fail with the catalogue's message and next step, never pass.
import { AppError } from '../../errors/app-error.ts';
import { entryFor, isErrorId } from '../../errors/catalogue.ts';
import type { ConditionalAccessPolicy } from '../../graph/resources.ts';
import { tunnelConfigured } from '../../settings/model.ts';
import { type Check, type CheckResult, type CheckState, fail, type PreflightInput, pass, warn } from '../check.ts';
import { TUNNEL_GATEWAY_APP_ID } from '../../tunnel/tunnel-gateway.ts';
import type { PreflightGraph } from '../preflight-graph.ts';

/**
 * "Microsoft Mobile Application Management", the resource the Intune SDK enrolls against (AADSTS650057 when a
 * mobile app has no consented permission to it, AADSTS650052 when the tenant has no service principal for it).
 * App id from /work/shared/reference/entra-saml-ldap.md §2 (an Intune SDK error naming it:
 * https://github.com/microsoftconnect/ms-intune-app-sdk-ios/issues/17; first-party app id lists, which the
 * search index shows mapping 0a5f63c0-… to "Microsoft Mobile Application Management").
 */
export const MAM_SERVICE_APP_ID = '0a5f63c0-b750-4f38-a71c-4fc0d58b89e2';

/** The grant controls that require app protection (conditionalaccessgrantcontrols.md, builtInControls). */
const APP_PROTECTION_CONTROLS = ['approvedApplication', 'compliantApplication'];

/**
 * The application permissions the Graph checks need, each satisfied by any of the roles Graph documents for the
 * call (api-reference/v1.0/api/…: the least privileged first).
 */
const NEEDED: { name: string; anyOf: string[]; state: CheckState; forWhat: string }[] = [
  {
    name: 'DeviceManagementApps.Read.All',
    anyOf: ['DeviceManagementApps.Read.All', 'DeviceManagementApps.ReadWrite.All'],
    state: 'fail',
    forWhat: "the gate cannot verify any user's Intune registration",
  },
  {
    name: 'Policy.Read.All',
    anyOf: ['Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess'],
    state: 'warn',
    forWhat: 'the Conditional Access check cannot run',
  },
  {
    name: 'Application.Read.All',
    anyOf: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All'],
    state: 'warn',
    forWhat: 'the service principal checks cannot run',
  },
  {
    // oauth2permissiongrant-list.md: Directory.Read.All is the least privileged application permission.
    name: 'Directory.Read.All',
    anyOf: ['Directory.Read.All', 'DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All'],
    state: 'warn',
    forWhat: 'the MAM consent check cannot read the delegated permission grants',
  },
];

const NOT_APPLICABLE = 'GraphSettings.Enable is off: not applicable';

/** A Graph failure (or a check's missing client) as this check's result, never a pass. */
function problem(error: unknown, state: 'warn' | 'fail', prefix = ''): CheckResult {
  if (error instanceof AppError) {
    const detail = error.detailed ? ` (${error.detailed})` : '';
    return { state, evidence: `${prefix}${error.message}${detail}`, next_step: entryFor(error.id).next_step, error_id: error.id };
  }
  return { state, evidence: `${prefix}${(error as Error).message}`, next_step: 'See the service log.' };
}

/** The Graph of this run, or the result of a check that cannot ask it. */
function graphOf(input: PreflightInput, whenMissing: 'warn' | 'fail'): PreflightGraph | CheckResult {
  if (!input.settings.GraphSettings.Enable) return pass(NOT_APPLICABLE);
  if (input.graph === undefined) {
    return warn('not checked: this process has no Microsoft Graph link', 'Run the preflight through the running service (admin API or `mamgate preflight`).');
  }
  if (input.graph instanceof AppError) return problem(input.graph, whenMissing, whenMissing === 'warn' ? 'not checked: ' : '');
  return input.graph;
}

function isResult(value: PreflightGraph | CheckResult): value is CheckResult {
  return 'state' in value;
}

export const graphCredentialsCheck: Check = {
  id: 'graph_credentials',
  title: 'The Graph app obtains a token with the permissions mamgate needs',
  async run(input) {
    const graph = graphOf(input, 'fail');
    if (isResult(graph)) return graph;
    let roles: string[];
    try {
      roles = await graph.tokenRoles();
    } catch (error) {
      return problem(error, 'fail');
    }
    const who = `a token for app ${input.settings.GraphSettings.ClientId} in tenant ${input.settings.IntuneSettings.TenantId}`;
    const evidence = `${who} carries ${roles.length > 0 ? roles.join(', ') : 'no application permission'}`;
    const missing = NEEDED.filter((need) => !need.anyOf.some((role) => roles.includes(role)));
    if (missing.length === 0) return pass(evidence);
    const id = 'mamgate.preflight.graph_permission_missing.app_error';
    const found = `${evidence}; missing ${missing.map((m) => m.name).join(', ')}: ${missing.map((m) => `without ${m.name} ${m.forWhat}`).join('; ')}`;
    return missing.some((m) => m.state === 'fail') ? fail(found, id, entryFor(id).next_step) : warn(found, entryFor(id).next_step, id);
  },
};

function includesApp(policy: ConditionalAccessPolicy, appId: string): boolean {
  const applications = (policy.conditions?.applications ?? {}) as { includeApplications?: unknown; excludeApplications?: unknown };
  const list = (value: unknown) => (Array.isArray(value) ? value.map((v) => String(v).toLowerCase()) : []);
  const id = appId.toLowerCase();
  if (list(applications.excludeApplications).includes(id)) return false;
  const included = list(applications.includeApplications);
  return included.includes(id) || included.includes('all');
}

function requiresAppProtection(policy: ConditionalAccessPolicy): boolean {
  const controls = policy.grantControls?.builtInControls ?? [];
  return controls.some((control) => APP_PROTECTION_CONTROLS.includes(control));
}

const describePolicy = (p: ConditionalAccessPolicy) => `"${p.displayName ?? p.id}" (${p.state ?? 'no state'}, ${(p.grantControls?.builtInControls ?? []).join('+')})`;

export const conditionalAccessCheck: Check = {
  id: 'graph_conditional_access',
  title: "A Conditional Access policy requires app protection for the chat server's API app",
  async run(input) {
    const graph = graphOf(input, 'warn');
    if (isResult(graph)) return graph;
    const apiApp = input.settings.IntuneSettings.ClientId;
    const nextStep = entryFor('mamgate.preflight.app_protection_policy_missing.app_error').next_step;
    if (!apiApp) return warn('not checked: IntuneSettings.ClientId (the chat server\'s API app) is empty', entryFor('model.config.is_valid.intune_client_id.app_error').next_step);
    let policies: ConditionalAccessPolicy[];
    try {
      policies = await graph.conditionalAccessPolicies();
    } catch (error) {
      return problem(error, 'warn');
    }
    const protecting = policies.filter((p) => requiresAppProtection(p) && includesApp(p, apiApp));
    const enabled = protecting.filter((p) => p.state === 'enabled');
    if (enabled.length > 0) return pass(`${policies.length} polic${policies.length === 1 ? 'y' : 'ies'} read; enforced for ${apiApp}: ${enabled.map(describePolicy).join(', ')}`);
    const reportOnly = protecting.filter((p) => p.state === 'enabledForReportingButNotEnforced');
    const disabled = protecting.filter((p) => p.state !== 'enabled' && p.state !== 'enabledForReportingButNotEnforced');
    const seen = [
      reportOnly.length > 0 ? `report-only, not enforced: ${reportOnly.map(describePolicy).join(', ')}` : '',
      disabled.length > 0 ? `not enabled: ${disabled.map(describePolicy).join(', ')}` : '',
    ].filter(Boolean);
    const evidence = `${policies.length} polic${policies.length === 1 ? 'y' : 'ies'} read; none enforced requires app protection (approvedApplication or compliantApplication) for ${apiApp} or All${seen.length > 0 ? `; ${seen.join('; ')}` : ''}`;
    return warn(evidence, nextStep, 'mamgate.preflight.app_protection_policy_missing.app_error');
  },
};

export const mamServicePrincipalCheck: Check = {
  id: 'graph_mam_service_principal',
  title: 'The tenant has the Microsoft Mobile Application Management service principal',
  async run(input) {
    const graph = graphOf(input, 'warn');
    if (isResult(graph)) return graph;
    try {
      const principal = await graph.servicePrincipalByAppId(MAM_SERVICE_APP_ID);
      if (principal) return pass(`service principal ${principal.id} for app ${MAM_SERVICE_APP_ID} (${principal.displayName ?? 'Microsoft Mobile Application Management'})`);
      return fail(`no service principal for app ${MAM_SERVICE_APP_ID} in tenant ${input.settings.IntuneSettings.TenantId} (AADSTS650052)`, 'mamgate.preflight.mam_service_principal_missing.app_error');
    } catch (error) {
      return problem(error, 'warn');
    }
  },
};

export const mamConsentCheck: Check = {
  id: 'graph_mam_consent',
  title: 'Each allowed mobile app has admin consent to Microsoft Mobile Application Management',
  async run(input) {
    const graph = graphOf(input, 'warn');
    if (isResult(graph)) return graph;
    const clients = input.settings.IntuneSettings.AllowedClientIds;
    if (clients.length === 0) return pass('no mobile client id is allowed: nothing to check (see allowed_clients)');
    try {
      const mam = await graph.servicePrincipalByAppId(MAM_SERVICE_APP_ID);
      if (!mam) {
        return fail(
          `no mobile app can be consented to Microsoft Mobile Application Management: the tenant has no service principal for ${MAM_SERVICE_APP_ID}`,
          'mamgate.preflight.mam_service_principal_missing.app_error',
        );
      }
      const findings = await Promise.all(
        clients.map(async (clientId) => {
          const principal = await graph.servicePrincipalByAppId(clientId);
          if (!principal) return { clientId, ok: false, id: 'mamgate.preflight.client_service_principal_missing.app_error' as const, text: `${clientId}: no service principal in the tenant` };
          const grants = (await graph.delegatedGrantsOf(principal.id)).filter((g) => g.clientId === principal.id && g.resourceId === mam.id);
          const admin = grants.filter((g) => g.consentType === 'AllPrincipals' && (g.scope ?? '').trim() !== '');
          if (admin.length > 0) {
            const scopes = [...new Set(admin.flatMap((g) => (g.scope ?? '').split(' ').filter(Boolean)))].join(' ');
            return { clientId, ok: true, text: `${clientId}: admin consent (AllPrincipals) for ${scopes}` };
          }
          const text =
            grants.length > 0
              ? `${clientId}: ${grants.length} grant(s) to the MAM service, none admin-consented for all users (consentType ${[...new Set(grants.map((g) => g.consentType ?? '?'))].join(', ')})`
              : `${clientId}: no delegated grant to the MAM service (AADSTS650057)`;
          return { clientId, ok: false, id: 'mamgate.preflight.mam_consent_missing.app_error' as const, text };
        }),
      );
      const evidence = findings.map((f) => f.text).join('; ');
      const bad = findings.filter((f) => !f.ok);
      if (bad.length === 0) return pass(evidence);
      const ids = [...new Set(bad.map((f) => f.id!))];
      const steps = ids.map((id) => entryFor(id).next_step).join(' ');
      return fail(evidence, ids.includes('mamgate.preflight.mam_consent_missing.app_error') ? 'mamgate.preflight.mam_consent_missing.app_error' : ids[0]!, steps);
    } catch (error) {
      return problem(error, 'warn');
    }
  },
};

export const tunnelGatewayCheck: Check = {
  id: 'graph_tunnel_gateway',
  title: 'The tenant has the Microsoft Tunnel Gateway service principal (tunnel keys set)',
  async run(input) {
    if (!input.settings.GraphSettings.Enable) return pass(NOT_APPLICABLE);
    if (!tunnelConfigured(input.settings.TunnelSettings)) return pass('tunnel keys are not configured: not applicable');
    const graph = graphOf(input, 'warn');
    if (isResult(graph)) return graph;
    try {
      const principal = await graph.servicePrincipalByAppId(TUNNEL_GATEWAY_APP_ID);
      if (principal) return pass(`service principal ${principal.id} for app ${TUNNEL_GATEWAY_APP_ID} (${principal.displayName ?? 'Microsoft Tunnel Gateway'})`);
      return fail(`tunnel keys are configured but tenant ${input.settings.IntuneSettings.TenantId} has no service principal for ${TUNNEL_GATEWAY_APP_ID}`, 'mamgate.preflight.tunnel_gateway_missing.app_error');
    } catch (error) {
      return problem(error, 'warn');
    }
  },
};

export const graphEvidenceCheck: Check = {
  id: 'graph_evidence',
  title: "This node's evidence sweeps reach Microsoft Graph",
  run({ settings, graphStatus }) {
    if (!settings.GraphSettings.Enable) return pass(NOT_APPLICABLE);
    if (!graphStatus) return pass('this process does not sweep Graph for evidence: not applicable');
    const watched = `${graphStatus.watched} user(s) watched, ${graphStatus.due} due`;
    const last = graphStatus.last_sweep_at ? `last successful sweep at ${graphStatus.last_sweep_at}` : 'no successful sweep yet';
    const errorId = graphStatus.last_error_id;
    if (errorId) {
      const id = isErrorId(errorId) ? errorId : 'mamgate.graph.unavailable.app_error';
      return warn(
        `Graph outage: the last evidence sweep failed with ${errorId}; ${last}; ${watched}. Verified evidence stays valid until its last sync is older than IntuneSettings.MaxSyncAgeHours; pending users stay refused.`,
        entryFor(id).next_step,
        id,
      );
    }
    if (!graphStatus.last_sweep_at) return pass(`no sweep has run yet (no protected user was due); ${watched}`);
    return pass(`${last}; ${watched}`);
  },
};

export const GRAPH_CHECKS: Check[] = [graphCredentialsCheck, conditionalAccessCheck, mamServicePrincipalCheck, mamConsentCheck, tunnelGatewayCheck, graphEvidenceCheck];
