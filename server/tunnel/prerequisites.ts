// What Tunnel for MAM needs that mamgate cannot see from where it runs: values in the Intune app-configuration
// policy, the Microsoft Tunnel Gateway service principal, admin consent for the tunnel-enabled app registration,
// and the tenant's licence (seed 000 "Intune configuration requirements" and "Entra / Microsoft Tunnel permission
// setup"; seed 002 on Plan 2 / Suite). Each is an item for the operator to confirm, never a pass: the validator
// lists them beside its findings, the preflight reports each as a check (checks/tunnel-prerequisites.ts).
import { TUNNEL_GATEWAY_APP_ID } from './tunnel-gateway.ts';
import { adminConsentUrl } from './admin-consent-url.ts';
import { isSet, REQUIRED_KEYS, type TunnelAppConfig } from './app-config.ts';
import { IDENTITY_KEYS } from './identity-keys.ts';

export type PrerequisiteRule =
  | 'prerequisite.identity_keys'
  | 'prerequisite.tunnel_policy'
  | 'prerequisite.in_app_sign_in'
  | 'prerequisite.gateway_service_principal'
  | 'prerequisite.admin_consent'
  | 'prerequisite.license';

export interface Prerequisite {
  rule: PrerequisiteRule;
  /** What must be true. */
  requirement: string;
  /** "Confirm in the … admin center: …": where the operator looks. */
  confirm: string;
  /** What to do when it is not so. */
  next_step: string;
  /** The admin-consent link, built from the configured tenant and tunnel client ids. */
  url?: string;
  /** A preflight check that verifies it through Microsoft Graph instead; the operator need not confirm it then. */
  checked_by?: string;
}

export interface PrerequisiteContext {
  tenantId: string;
  tunnelClientId: string;
  /** GraphSettings.Enable: the preflight's graph_tunnel_gateway check looks the service principal up. */
  graphEnabled: boolean;
  /** MAMGATE_ENTRA_AUTHORITY, the host of the admin-consent link. */
  authority: string;
}

const INTUNE = 'Microsoft Intune admin center';
const ENTRA = 'Microsoft Entra admin center';
const POLICY = `${INTUNE} › Apps › App configuration policies › the Managed apps policy that targets the Mattermost app`;

function identityKeys(): Prerequisite {
  const pairs = IDENTITY_KEYS.map((k) => `${k.key} = ${k.token}`).join(' and ');
  return {
    rule: 'prerequisite.identity_keys',
    requirement: `The app-configuration policy sets ${pairs}: line-of-business apps such as Mattermost get the user's identity only from there.`,
    confirm: `Confirm in the ${POLICY} › Settings › General configuration settings: ${pairs}, with no spaces inside the braces.`,
    next_step: `Add the missing keys to that policy; or pass the policy's settings to \`mamgate tunnel validate FILE\` ({"appConfig": {...}}) to have them checked.`,
  };
}

function tunnelPolicy(config: TunnelAppConfig): Prerequisite {
  const value = (key: (typeof REQUIRED_KEYS)[number]) => (isSet(config.values[key]) ? String(config.values[key]).trim() : '(not set)');
  return {
    rule: 'prerequisite.tunnel_policy',
    requirement: `The same policy turns the tunnel on for the app with the values this server announces: connection type ${value('connectionType')}, connection name "${value('connectionName')}", site ${value('siteId')}, server ${value('serverAddress')}.`,
    confirm: `Confirm in the ${POLICY} › Settings › Microsoft Tunnel for Mobile Application Management settings: Use Microsoft Tunnel for MAM = Yes, Connection name "${value('connectionName')}", the site whose id is ${value('siteId')}.`,
    next_step: 'Make the policy and TunnelSettings agree (the clients follow the policy, this server checks tokens against TunnelSettings).',
  };
}

function inAppSignIn(): Prerequisite {
  return {
    rule: 'prerequisite.in_app_sign_in',
    requirement: 'Sign-in happens inside the app (an embedded web view) or in Microsoft Edge set up for the tunnel: an external browser or ASWebAuthenticationSession is not routed through the tunnel (seed 000).',
    confirm: `Confirm in the ${INTUNE} › Apps › App configuration policies: if users sign in through Edge, Edge has its own policy with com.microsoft.intune.mam.managedbrowser.TunnelAvailable.IntuneMAMOnly = true, targeting the same groups.`,
    next_step: 'Configure Edge for Tunnel for MAM on the same groups, or keep authentication inside the app.',
  };
}

function gatewayServicePrincipal(graphEnabled: boolean): Prerequisite {
  return {
    rule: 'prerequisite.gateway_service_principal',
    requirement: `The tenant has the Microsoft Tunnel Gateway service principal (app id ${TUNNEL_GATEWAY_APP_ID}).`,
    confirm: `Confirm in the ${ENTRA} › Enterprise applications (Application type: Microsoft Applications) › search ${TUNNEL_GATEWAY_APP_ID}: "Microsoft Tunnel Gateway" is listed.`,
    next_step:
      "Run Microsoft's mst-ca-provisioning.ps1 with Microsoft Graph PowerShell (Connect-MgGraph -Scopes \"Application.ReadWrite.All\" first if it cannot provision); it ends with \"Successfully provisioned the Service Principal for Microsoft Tunnel Gateway\".",
    ...(graphEnabled ? { checked_by: 'graph_tunnel_gateway' } : {}),
  };
}

function adminConsent(context: PrerequisiteContext): Prerequisite {
  const url = adminConsentUrl(context.authority, context.tenantId, context.tunnelClientId);
  const client = context.tunnelClientId.trim() || '(IntuneSettings.TunnelClientId is not set)';
  return {
    rule: 'prerequisite.admin_consent',
    requirement: `The tunnel-enabled app registration ${client} has admin consent for its delegated permissions (Microsoft Tunnel Gateway › Tunnel_Allow, Microsoft Mobile Application Management).`,
    confirm: `Confirm in the ${ENTRA} › App registrations › ${client} › API permissions: every permission shows "Granted for" your organisation.`,
    next_step: url
      ? `After the Tunnel Gateway service principal exists, a Global or Privileged Role Administrator opens ${url} and accepts.`
      : 'Set IntuneSettings.TenantId and IntuneSettings.TunnelClientId (GUIDs) so this server can give the admin-consent link, or grant consent from the app registration\'s API permissions page.',
    ...(url ? { url } : {}),
  };
}

function license(): Prerequisite {
  return {
    rule: 'prerequisite.license',
    requirement: 'The tenant has Microsoft Intune Plan 2 or the Microsoft Intune Suite: Tunnel for MAM comes with them as an add-on (seed 002), beside the Intune licence every user needs.',
    confirm: `Confirm in the ${INTUNE} › Tenant administration › Intune add-ons (or the Microsoft 365 admin center › Billing › Your products): Intune Plan 2 or Intune Suite is active.`,
    next_step: 'Add Intune Plan 2 or the Intune Suite to the tenant (a trial is enough to test); Tunnel for MAM is not available without one of them (seed 002).',
  };
}

/** The items to confirm while any tunnel key is set; none when the tunnel is off (nothing changes for clients). */
export function tunnelPrerequisites(config: TunnelAppConfig, context: PrerequisiteContext): Prerequisite[] {
  if (!REQUIRED_KEYS.some((key) => isSet(config.values[key]))) return [];
  return [
    // A pasted policy had its identity keys checked as findings (identity-keys.ts): nothing left to confirm.
    ...(config.identityKeys ? [] : [identityKeys()]),
    ...(config.source === 'stored settings' ? [tunnelPolicy(config)] : []),
    inAppSignIn(),
    gatewayServicePrincipal(context.graphEnabled),
    adminConsent(context),
    license(),
  ];
}
