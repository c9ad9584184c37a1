// The Tunnel for MAM prerequisites this server cannot see (server/tunnel/prerequisites.ts), one check each, while
// the tunnel keys are set. They warn with "confirm in the … admin center: …" rather than pass: the preflight's
// states are pass / warn / fail, a pass would claim something nobody checked, and a fail would stop a setup that
// may well be right. The Tunnel Gateway service principal is looked up through Microsoft Graph by
// graph_tunnel_gateway when Graph is configured; this check then points there instead of asking twice.
import { tunnelConfigured } from '../../settings/model.ts';
import { appConfigFromSettings } from '../../tunnel/app-config.ts';
import { type PrerequisiteRule, tunnelPrerequisites } from '../../tunnel/prerequisites.ts';
import { type Check, pass, warn } from '../check.ts';

function prerequisiteCheck(id: string, rule: PrerequisiteRule, title: string): Check {
  return {
    id,
    title,
    run({ settings, authority }) {
      if (!tunnelConfigured(settings.TunnelSettings)) return pass('tunnel keys are not configured: not applicable');
      const item = tunnelPrerequisites(appConfigFromSettings(settings), {
        tenantId: settings.IntuneSettings.TenantId,
        tunnelClientId: settings.IntuneSettings.TunnelClientId,
        graphEnabled: settings.GraphSettings.Enable,
        authority,
      }).find((p) => p.rule === rule);
      if (!item) return pass('not applicable to the stored settings');
      if (item.checked_by) return pass(`verified through Microsoft Graph by the check ${item.checked_by} (see its result); not asked again here`);
      return warn(`to confirm, this server cannot see it: ${item.requirement}`, `${item.confirm} If it is not so: ${item.next_step}`);
    },
  };
}

export const TUNNEL_PREREQUISITE_CHECKS: Check[] = [
  prerequisiteCheck('tunnel_identity_keys', 'prerequisite.identity_keys', 'MAM Tunnel: the app-configuration policy sets IntuneMAMUPN and IntuneMAMOID (confirm)'),
  prerequisiteCheck('tunnel_policy', 'prerequisite.tunnel_policy', "MAM Tunnel: the Intune policy's tunnel settings match TunnelSettings (confirm)"),
  prerequisiteCheck('tunnel_in_app_sign_in', 'prerequisite.in_app_sign_in', 'MAM Tunnel: sign-in stays inside the app or a tunnelled Edge (confirm)'),
  prerequisiteCheck(
    'tunnel_gateway_service_principal',
    'prerequisite.gateway_service_principal',
    'MAM Tunnel: the tenant has the Microsoft Tunnel Gateway service principal (confirm without Graph)',
  ),
  prerequisiteCheck('tunnel_admin_consent', 'prerequisite.admin_consent', 'MAM Tunnel: the tunnel-enabled app registration has admin consent (confirm)'),
  prerequisiteCheck('tunnel_license', 'prerequisite.license', 'MAM Tunnel: the tenant has Intune Plan 2 or the Intune Suite (confirm)'),
];
