// The com.microsoft.tunnel.* app-configuration values (reference/tunnel-and-plugin.md A1, table (a) rows 6, 11–13),
// read from the stored TunnelSettings or from an app-configuration policy as an admin pastes it, and checked.
import type { Settings } from '../settings/model.ts';
import { isGuid } from '../util/guid.ts';
import { type Finding, finding } from './finding.ts';
import { isBypassEntry, isHostName, isHttpUrl, parsePort, parseServerAddress, parseTrustedRoots } from '../values/parsers.ts';
import { parseAddress } from '../values/ip.ts';
import { type IdentityKey, identityKeyFindings, identityKeysFrom } from './identity-keys.ts';

export const TUNNEL_KEYS = {
  connectionType: 'com.microsoft.tunnel.connection_type',
  connectionName: 'com.microsoft.tunnel.connection_name',
  siteId: 'com.microsoft.tunnel.site_id',
  serverAddress: 'com.microsoft.tunnel.server_address',
  trustedRoots: 'com.microsoft.tunnel.trusted_root_certificates',
  proxyPacUrl: 'com.microsoft.tunnel.proxy_pacurl',
  proxyAddress: 'com.microsoft.tunnel.proxy_address',
  proxyPort: 'com.microsoft.tunnel.proxy_port',
  customConfiguration: 'com.microsoft.tunnel.custom_configuration',
} as const;

/** Keys the Tunnel SDKs read that mamgate does not check (Android's per-app list). */
const OTHER_KNOWN_KEYS = new Set(['com.microsoft.tunnel.targeted_apps']);

export type AppConfigKey = keyof typeof TUNNEL_KEYS | 'bypassedUrls';

export const REQUIRED_KEYS = ['connectionType', 'connectionName', 'siteId', 'serverAddress'] as const;

/** Graph-created MAM tunnel policies use this connection type (reference A1). */
export const MAM_CONNECTION_TYPE = 'MicrosoftProtect';

const SETTINGS_FIELDS: Record<AppConfigKey, string> = {
  connectionType: 'TunnelSettings.ConnectionType',
  connectionName: 'TunnelSettings.ConnectionName',
  siteId: 'TunnelSettings.SiteId',
  serverAddress: 'TunnelSettings.ServerAddress',
  trustedRoots: 'TunnelSettings.TrustedRootCertificates',
  proxyPacUrl: 'TunnelSettings.ProxyPacUrl',
  proxyAddress: 'TunnelSettings.ProxyAddress',
  proxyPort: 'TunnelSettings.ProxyPort',
  customConfiguration: 'TunnelSettings.BypassedUrls',
  bypassedUrls: 'TunnelSettings.BypassedUrls',
};

const APP_CONFIG_FIELDS: Record<AppConfigKey, string> = {
  ...TUNNEL_KEYS,
  bypassedUrls: `${TUNNEL_KEYS.customConfiguration}.bypassedUrls`,
};

/** The tunnel values, as found, with the name each is known by where it came from. */
export interface TunnelAppConfig {
  source: 'stored settings' | 'app configuration';
  values: Partial<Record<AppConfigKey, unknown>>;
  fields: Record<AppConfigKey, string>;
  /** IntuneSettings.TunnelClientId, when known (stored settings); undefined skips that rule. */
  tunnelClientId?: string;
  /** com.microsoft.tunnel.* keys that no SDK reads (typos, usually). */
  unknownKeys: { key: string; value: unknown }[];
  /**
   * IntuneMAMUPN / IntuneMAMOID as the pasted app-configuration policy has them; undefined when the values came
   * from somewhere that cannot hold them (the stored settings, or a paste in TunnelSettings names): the operator
   * then confirms them (prerequisites.ts).
   */
  identityKeys?: Partial<Record<IdentityKey, unknown>>;
}

/** Set means present and, for text, not blank; proxy port 0 is the settings' "no port". */
export function isSet(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

export function appConfigFromSettings(settings: Settings): TunnelAppConfig {
  const t = settings.TunnelSettings;
  return {
    source: 'stored settings',
    values: {
      connectionType: t.ConnectionType,
      connectionName: t.ConnectionName,
      siteId: t.SiteId,
      serverAddress: t.ServerAddress,
      trustedRoots: t.TrustedRootCertificates,
      proxyPacUrl: t.ProxyPacUrl,
      proxyAddress: t.ProxyAddress,
      proxyPort: t.ProxyPort === 0 ? undefined : t.ProxyPort,
      bypassedUrls: t.BypassedUrls,
    },
    fields: SETTINGS_FIELDS,
    tunnelClientId: settings.IntuneSettings.TunnelClientId,
    unknownKeys: [],
  };
}

const BY_KEY = new Map(Object.entries(TUNNEL_KEYS).map(([name, key]) => [key.toLowerCase(), name as keyof typeof TUNNEL_KEYS]));
const BY_SETTING = new Map(
  Object.entries(SETTINGS_FIELDS)
    .filter(([name]) => name !== 'customConfiguration')
    .map(([name, field]) => [field.slice('TunnelSettings.'.length).toLowerCase(), name as AppConfigKey]),
);

/**
 * An app-configuration policy as an admin has it: a {key: value} object (Intune's app config keys, or the
 * TunnelSettings names), a Graph customSettings list [{name, value}], or {customSettings: [...]}.
 */
export function appConfigFromInput(input: Record<string, unknown> | unknown[]): TunnelAppConfig {
  let pairs: [string, unknown][];
  const list = Array.isArray(input) ? input : Array.isArray(input.customSettings) ? input.customSettings : undefined;
  if (list) {
    pairs = list.flatMap((item) => {
      const entry = item && typeof item === 'object' ? (item as Record<string, unknown>) : {};
      return typeof entry.name === 'string' ? [[entry.name, entry.value] as [string, unknown]] : [];
    });
  } else {
    pairs = Object.entries(input as Record<string, unknown>);
  }
  const values: TunnelAppConfig['values'] = {};
  const unknownKeys: TunnelAppConfig['unknownKeys'] = [];
  let customConfiguration: unknown;
  let asPolicy = false;
  for (const [rawKey, value] of pairs) {
    const key = rawKey.trim().toLowerCase();
    if (BY_KEY.has(key)) asPolicy = true;
    const name = BY_KEY.get(key) ?? BY_SETTING.get(key);
    if (name === 'customConfiguration') customConfiguration = value;
    else if (name) values[name] = value;
    else if (key.startsWith('com.microsoft.tunnel.') && !OTHER_KNOWN_KEYS.has(key)) unknownKeys.push({ key: rawKey, value });
  }
  if (customConfiguration !== undefined) values.customConfiguration = customConfiguration;
  // Only a policy written with Intune's own key names is the whole policy; TunnelSettings names are the settings form.
  const identityKeys = asPolicy ? identityKeysFrom(pairs) : undefined;
  return { source: 'app configuration', values, fields: APP_CONFIG_FIELDS, unknownKeys, identityKeys };
}

/** The four required keys that are set (seed 000: all four mean "tunnel required"). */
export function requiredKeysSet(config: TunnelAppConfig): { set: string[]; missing: string[] } {
  const set: string[] = [];
  const missing: string[] = [];
  for (const key of REQUIRED_KEYS) (isSet(config.values[key]) ? set : missing).push(config.fields[key]);
  return { set, missing };
}

export function tunnelRequired(config: TunnelAppConfig): boolean {
  return requiredKeysSet(config).missing.length === 0;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** bypassedUrls from custom_configuration (JSON text or object) or from the stored list. */
function bypassedUrls(config: TunnelAppConfig, out: Finding[]): string[] | undefined {
  const { values, fields } = config;
  if (values.bypassedUrls !== undefined) return Array.isArray(values.bypassedUrls) ? values.bypassedUrls.map(String) : undefined;
  const raw = values.customConfiguration;
  if (!isSet(raw)) return undefined;
  let parsed: unknown = raw;
  if (typeof raw === 'string') {
    try {
      parsed = JSON.parse(raw);
    } catch {
      out.push(
        finding('error', 'appconfig.custom_configuration', fields.customConfiguration, raw, 'custom_configuration is not valid JSON.', 'Write it as JSON, e.g. {"bypassedUrls":["sts.contoso.com"]}.'),
      );
      return undefined;
    }
  }
  const list = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>).bypassedUrls : undefined;
  if (list !== undefined && !(Array.isArray(list) && list.every((u) => typeof u === 'string'))) {
    out.push(
      finding('error', 'appconfig.custom_configuration', fields.customConfiguration, raw, 'custom_configuration.bypassedUrls is not a list of strings.', 'Write it as {"bypassedUrls":["sts.contoso.com"]}.'),
    );
    return undefined;
  }
  return (list as string[] | undefined) ?? [];
}

/** Rows 11 (keys), 12 (trusted roots), 13 (federated tenants) and the proxy values of row 6. */
export function appConfigFindings(config: TunnelAppConfig, now: number): Finding[] {
  const out: Finding[] = [];
  const { values, fields } = config;
  const { set, missing } = requiredKeysSet(config);

  for (const { key, value } of config.unknownKeys) {
    out.push(
      finding('warning', 'appconfig.unknown_key', key, value, `"${key}" is not a key the Tunnel for MAM SDK reads, so it is ignored.`, `Check the spelling against ${Object.values(TUNNEL_KEYS).join(', ')}.`),
    );
  }

  if (set.length === 0) {
    out.push(
      finding('info', 'appconfig.required', fields.connectionType, null, 'MAM Tunnel is not configured: none of the four required keys is set, so clients sign in without the tunnel (seed 000).', `To require the tunnel, set ${REQUIRED_KEYS.map((k) => fields[k]).join(', ')}.`),
    );
  } else if (missing.length > 0) {
    out.push(
      finding('error', 'appconfig.required', missing[0]!, Object.fromEntries(set.map((f) => [f, true])), `The tunnel configuration is partial: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing. Clients treat the tunnel as required only when all four keys are set.`, `Set ${missing.join(', ')}, or clear ${set.join(', ')} to turn MAM Tunnel off.`),
    );
  }

  for (const key of [...REQUIRED_KEYS, 'proxyPacUrl', 'proxyAddress'] as const) {
    const value = values[key];
    if (typeof value === 'string' && value !== '' && value.trim() !== value) {
      out.push(
        finding('warning', 'appconfig.whitespace', fields[key], value, `${fields[key]} has leading or trailing spaces; the SDK reads the value as it is, and such keys break the tunnel.`, 'Remove the spaces around the value.'),
      );
    }
  }

  const type = text(values.connectionType);
  if (type && type !== MAM_CONNECTION_TYPE) {
    out.push(
      finding('warning', 'appconfig.connection_type', fields.connectionType, values.connectionType, `The connection type is "${type}"; Tunnel for MAM policies use "${MAM_CONNECTION_TYPE}".`, `Set ${fields.connectionType} to ${MAM_CONNECTION_TYPE} (microsoftTunnel and MSTunnelProtectMode belong to MDM VPN profiles).`),
    );
  }

  const siteId = text(values.siteId);
  if (isSet(values.siteId) && !(siteId && isGuid(siteId))) {
    out.push(
      finding('error', 'appconfig.site_id', fields.siteId, values.siteId, `${fields.siteId} is not a GUID; it must be the id of the Microsoft Tunnel site.`, 'Copy the site id (a GUID) from Tenant administration › Microsoft Tunnel Gateway › Sites, or GET /deviceManagement/microsoftTunnelSites.'),
    );
  }

  if (isSet(values.serverAddress)) {
    const address = text(values.serverAddress);
    const parsed = address ? parseServerAddress(address) : { ok: false as const, problem: 'it is not text' };
    if (!parsed.ok) {
      out.push(
        finding('error', 'appconfig.server_address', fields.serverAddress, values.serverAddress, `${fields.serverAddress} is not host:port: ${parsed.problem}.`, "Set it to the site's public address, a colon, and the server configuration's listen port, e.g. tunnel.contoso.com:443."),
      );
    }
  }

  if (config.tunnelClientId !== undefined && missing.length === 0) {
    const id = config.tunnelClientId.trim();
    if (!isGuid(id)) {
      out.push(
        finding('error', 'appconfig.tunnel_client_id', 'IntuneSettings.TunnelClientId', config.tunnelClientId, id ? 'IntuneSettings.TunnelClientId is not a GUID.' : 'MAM Tunnel is configured but IntuneSettings.TunnelClientId is empty: clients switch to the tunnel-enabled app registration, whose tokens would be refused.', 'Set IntuneSettings.TunnelClientId to the client ID of the tunnel-enabled mobile app registration.'),
      );
    }
  }

  if (isSet(values.trustedRoots)) {
    const roots = parseTrustedRoots(values.trustedRoots);
    if (!roots.ok) {
      out.push(
        finding('error', 'appconfig.trusted_roots', fields.trustedRoots, values.trustedRoots, `The trusted root certificates cannot be read: ${roots.problem}.`, 'Set a JSON array of trusted-root profiles, each with trustedRootCertificate holding a base64 DER or PEM certificate (export the Intune trusted certificate profiles).'),
      );
    } else {
      for (const root of roots.value) {
        const until = Date.parse(root.certificate.validTo);
        if (!Number.isNaN(until) && until < now) {
          out.push(
            finding('warning', 'appconfig.trusted_roots_expired', `${fields.trustedRoots}[${root.index}]`, root.certificate.subject, `Trusted root ${root.index}${root.displayName ? ` ("${root.displayName}")` : ''} expired on ${root.certificate.validTo}.`, 'Replace it with the current root (and intermediate) certificate of your private CA.'),
          );
        }
      }
    }
  }

  if (isSet(values.proxyPacUrl) && !isHttpUrl(String(values.proxyPacUrl).trim())) {
    out.push(
      finding('error', 'appconfig.proxy_pac_url', fields.proxyPacUrl, values.proxyPacUrl, 'The proxy PAC URL is not an http(s) URL.', 'Set it to the http:// or https:// URL of the PAC file, e.g. https://proxy.contoso.com/proxy.pac.'),
    );
  }

  const hasAddress = isSet(values.proxyAddress);
  const hasPort = isSet(values.proxyPort) && values.proxyPort !== -1;
  if (hasAddress !== hasPort) {
    const field = hasAddress ? fields.proxyPort : fields.proxyAddress;
    out.push(
      finding('error', 'appconfig.proxy', field, hasAddress ? values.proxyAddress : values.proxyPort, `A proxy needs both an address and a port; ${field} is missing.`, `Set both ${fields.proxyAddress} and ${fields.proxyPort}, or neither.`),
    );
  } else if (hasAddress) {
    const host = text(values.proxyAddress) ?? '';
    const port = parsePort(values.proxyPort);
    if (!isHostName(host) && !parseAddress(host)) {
      out.push(finding('error', 'appconfig.proxy', fields.proxyAddress, values.proxyAddress, 'The proxy address is not a host name or IP address.', 'Set the proxy host only (no scheme, no port), e.g. proxy.contoso.com.'));
    } else if (!port.ok) {
      out.push(finding('error', 'appconfig.proxy', fields.proxyPort, values.proxyPort, `The proxy port is not valid: ${port.problem}.`, 'Set the proxy port, 1–65535, e.g. 8080.'));
    }
  }
  if (hasAddress && isSet(values.proxyPacUrl)) {
    out.push(
      finding('warning', 'appconfig.proxy_both', fields.proxyAddress, values.proxyAddress, 'Both a PAC URL and an explicit proxy are set; clients use one of them.', 'Keep only one: the PAC URL, or the proxy address and port.'),
    );
  }

  if (set.length > 0 && config.identityKeys) out.push(...identityKeyFindings(config.identityKeys));

  const urls = bypassedUrls(config, out);
  if (urls !== undefined || set.length > 0) {
    const bad = (urls ?? []).filter((u) => !isBypassEntry(u));
    if (bad.length > 0) {
      out.push(
        finding('warning', 'appconfig.bypassed_urls_form', fields.bypassedUrls, bad, `Bypassed URL entries that are not a host name or http(s) URL: ${bad.join(', ')}.`, 'List host names (sts.contoso.com, *.contoso.com) or full http(s) URLs.'),
      );
    }
    if (set.length > 0 && (urls ?? []).length === 0) {
      out.push(
        finding('info', 'appconfig.bypassed_urls', fields.bypassedUrls, [], 'No bypassed URLs are set. In a federated tenant (AD FS or another STS) sign-in loops until the federation server is bypassed.', `If your tenant is federated, add the STS host (e.g. sts.contoso.com) to ${fields.bypassedUrls}.`),
      );
    }
  }
  return out;
}
