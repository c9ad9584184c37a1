// The chat-server-compatible pre-login answers (reference/mattermost-intune.md §2 and §7). Values are strings,
// as Mattermost's format=old answers are.
import { activeLicense, type License, qualifiesForIntune } from '../license/model.ts';
import { effectiveIntuneScope, type Settings } from '../settings/model.ts';
import { isIntuneConfigured } from '../settings/rules.ts';

import packageJson from '../../package.json' with { type: 'json' };

export const SERVICE_VERSION: string = packageJson.version;

export type ClientConfig = Record<string, string>;

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
