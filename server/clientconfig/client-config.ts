// The chat-server-compatible pre-login answers (reference/mattermost-intune.md §2 and §7). Values are strings,
// as Mattermost's format=old answers are.
import { activeLicense, type License, qualifiesForIntune } from '../license/model.ts';
import { effectiveIntuneScope, type Settings, tunnelConfigured } from '../settings/model.ts';
import { isIntuneConfigured, tunnelProblems } from '../settings/rules.ts';

import packageJson from '../../package.json' with { type: 'json' };

export const SERVICE_VERSION: string = packageJson.version;

export type ClientConfig = Record<string, string>;

/**
 * What the client needs for MAM Tunnel (seed 000), sent only beside IntuneMAMEnabled=true and only while the four
 * tunnel keys are configured: requireMAMTunnel "true", the tunnel-enabled client id to enroll with, and the four
 * com.microsoft.tunnel.* values the client should find in its Intune app configuration.
 */
export const TUNNEL_CLIENT_CONFIG_KEYS = [
  'requireMAMTunnel',
  'MAMTunnelClientId',
  'MAMTunnelConnectionType',
  'MAMTunnelConnectionName',
  'MAMTunnelSiteId',
  'MAMTunnelServerAddress',
] as const;

function tunnelClientConfig(settings: Settings): Record<(typeof TUNNEL_CLIENT_CONFIG_KEYS)[number], string> | undefined {
  const t = settings.TunnelSettings;
  // A stored document that fails the tunnel rules (written around the API) does not send the client into the tunnel.
  if (!tunnelConfigured(t) || tunnelProblems(settings).length > 0) return undefined;
  return {
    requireMAMTunnel: 'true',
    MAMTunnelClientId: settings.IntuneSettings.TunnelClientId.trim(),
    MAMTunnelConnectionType: t.ConnectionType.trim(),
    MAMTunnelConnectionName: t.ConnectionName.trim(),
    MAMTunnelSiteId: t.SiteId.trim(),
    MAMTunnelServerAddress: t.ServerAddress.trim(),
  };
}

export function buildClientConfig(settings: Settings, license: License | null, now: number): ClientConfig {
  const config: ClientConfig = {
    Version: SERVICE_VERSION,
    BuildNumber: SERVICE_VERSION,
    EnableSignUpWithOffice365: String(settings.Office365Settings.Enable),
    EnableSaml: String(settings.SamlSettings.Enable),
    EnableLdap: String(settings.LdapSettings.Enable),
  };
  // Below Enterprise Advanced none of the Intune keys is sent, so the client never takes the Intune path.
  if (!qualifiesForIntune(license, now)) return config;
  const enabled = isIntuneConfigured(settings);
  config.IntuneMAMEnabled = String(enabled);
  if (enabled) {
    config.IntuneScope = effectiveIntuneScope(settings.IntuneSettings);
    if (settings.IntuneSettings.AuthService) config.IntuneAuthService = settings.IntuneSettings.AuthService;
    // Without the tunnel keys nothing here changes for anyone (seed 000).
    const tunnel = tunnelClientConfig(settings);
    if (tunnel) Object.assign(config, tunnel);
  }
  return config;
}

export function buildClientLicense(license: License | null, now: number): ClientConfig {
  const active = activeLicense(license, now);
  if (!active) return { IsLicensed: 'false' };
  const answer: ClientConfig = { IsLicensed: 'true', SkuShortName: active.SkuShortName };
  if (active.SkuName) answer.SkuName = active.SkuName;
  if (active.ExpiresAt !== undefined) answer.ExpiresAt = String(active.ExpiresAt);
  return answer;
}
