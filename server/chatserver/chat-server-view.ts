// What mamgate reads of the chat server's configuration and license, in the domain's words. Built from
// `GET /api/v4/config` (server/public/model/config.go: IntuneSettings since 11.3, Office365Settings,
// SamlSettings, PluginSettings.Plugins) and `GET /api/v4/license/client?format=old` (every value a string).
import type { License } from '../license/model.ts';

/** The chat server's native Intune settings; undefined on a server without them (before 11.3). */
export interface NativeIntuneSettings {
  Enable: boolean;
  TenantId: string;
  ClientId: string;
  AuthService: string;
}

export interface ChatServerView {
  intune: NativeIntuneSettings | undefined;
  office365Enabled: boolean;
  samlEnabled: boolean;
  /** PluginSettings.Plugins["mamgate"] as the chat server keeps it (keys may come back lower-cased). */
  pluginSettings: Record<string, unknown>;
  license: License | null;
  /** When this view was read (ms since the epoch). */
  readAt: number;
}

export const PLUGIN_ID = 'mamgate';

type Json = Record<string, unknown>;

function section(config: Json, name: string): Json | undefined {
  const value = config[name];
  return value && typeof value === 'object' ? (value as Json) : undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function nativeIntune(config: Json): NativeIntuneSettings | undefined {
  const intune = section(config, 'IntuneSettings');
  if (!intune) return undefined;
  return {
    Enable: intune.Enable === true,
    TenantId: text(intune.TenantId),
    ClientId: text(intune.ClientId),
    AuthService: text(intune.AuthService),
  };
}

function pluginSettingsOf(config: Json): Record<string, unknown> {
  const plugins = section(section(config, 'PluginSettings') ?? {}, 'Plugins') ?? {};
  const mine = plugins[PLUGIN_ID];
  return mine && typeof mine === 'object' ? { ...(mine as Json) } : {};
}

/** The client license's strings as a License, or null when the server is unlicensed. */
export function licenseOf(clientLicense: Json): License | null {
  if (clientLicense.IsLicensed !== 'true') return null;
  const license: License = { IsLicensed: true, SkuShortName: text(clientLicense.SkuShortName).toLowerCase() };
  if (text(clientLicense.SkuName)) license.SkuName = text(clientLicense.SkuName);
  const expires = Number(clientLicense.ExpiresAt);
  if (Number.isFinite(expires) && expires > 0) license.ExpiresAt = expires;
  return license;
}

export function chatServerViewOf(config: Json, clientLicense: Json, readAt: number): ChatServerView {
  return {
    intune: nativeIntune(config),
    office365Enabled: section(config, 'Office365Settings')?.Enable === true,
    samlEnabled: section(config, 'SamlSettings')?.Enable === true,
    pluginSettings: pluginSettingsOf(config),
    license: licenseOf(clientLicense),
    readAt,
  };
}
