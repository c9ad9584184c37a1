// How an admin's update becomes the next settings document.
import { defaultSettings, SECTION_NAMES, type Settings } from './model.ts';
import { MASKED_SECRET, readSecret, SECRET_SETTINGS, writeSecret } from './secrets.ts';
import type { SettingsUpdate } from './shape.ts';
import { isGuid, normaliseGuid } from '../util/guid.ts';

/**
 * A carried section replaces the stored one (missing keys take their defaults); sections not carried stay as
 * stored; a secret sent back masked keeps its stored value.
 */
export function applyUpdate(stored: Settings, update: SettingsUpdate): Settings {
  const defaults = defaultSettings();
  const next = structuredClone(stored);
  for (const name of SECTION_NAMES) {
    const carried = update[name];
    if (carried) (next as unknown as Record<string, unknown>)[name] = { ...defaults[name], ...carried };
  }
  for (const ref of SECRET_SETTINGS) {
    if (readSecret(next, ref) === MASKED_SECRET) writeSecret(next, ref, readSecret(stored, ref));
  }
  return normalise(next);
}

function guidOrAsIs(value: string): string {
  const trimmed = value.trim();
  return isGuid(trimmed) ? normaliseGuid(trimmed) : trimmed;
}

/** Trims text and stores GUIDs lower case, as Mattermost does for the tenant and client ids. */
export function normalise(settings: Settings): Settings {
  const s = structuredClone(settings);
  const i = s.IntuneSettings;
  i.TenantId = guidOrAsIs(i.TenantId);
  i.ClientId = guidOrAsIs(i.ClientId);
  i.TunnelClientId = guidOrAsIs(i.TunnelClientId);
  i.AllowedClientIds = [...new Set(i.AllowedClientIds.map(guidOrAsIs).filter((id) => id !== ''))];
  i.AuthService = i.AuthService.trim();
  i.IdAttribute = i.IdAttribute.trim();
  i.IntuneScope = i.IntuneScope.trim();
  const t = s.TunnelSettings;
  t.SiteId = guidOrAsIs(t.SiteId);
  // A trailing space in an app-config value breaks the tunnel on the device.
  t.ConnectionType = t.ConnectionType.trim();
  t.ConnectionName = t.ConnectionName.trim();
  t.ServerAddress = t.ServerAddress.trim();
  t.ProxyPacUrl = t.ProxyPacUrl.trim();
  t.ProxyAddress = t.ProxyAddress.trim();
  t.BypassedUrls = t.BypassedUrls.map((u) => u.trim()).filter((u) => u !== '');
  s.ChatServerSettings.Url = s.ChatServerSettings.Url.trim().replace(/\/+$/, '');
  s.LdapSettings.Url = s.LdapSettings.Url.trim();
  s.LdapSettings.IdAttribute = s.LdapSettings.IdAttribute.trim();
  s.SamlSettings.IdAttribute = s.SamlSettings.IdAttribute.trim();
  s.SamlSettings.AssertionConsumerServiceURL = s.SamlSettings.AssertionConsumerServiceURL.trim();
  return s;
}
