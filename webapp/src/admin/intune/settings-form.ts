// The Intune page's form: which settings it edits, the form's values from the settings, and the update it saves
// (whole sections, as the PUT replaces every section it carries).
import type { Settings, SettingsUpdate } from '../../api/types.ts';
import { schemaOf } from '../schema.ts';

export type FormValue = string | boolean;
export type FormState = Record<string, FormValue>;

export const INTUNE_KEYS = [
  'IntuneSettings.Enable',
  'IntuneSettings.AuthService',
  'IntuneSettings.TenantId',
  'IntuneSettings.ClientId',
  'IntuneSettings.IdAttribute',
  'IntuneSettings.IntuneScope',
  'IntuneSettings.AllowedClientIds',
  'IntuneSettings.EnableUserCreation',
];
export const PROVIDER_KEYS = ['Office365Settings.Enable', 'SamlSettings.Enable'];
export const TUNNEL_KEYS = [
  'IntuneSettings.TunnelClientId',
  'TunnelSettings.ConnectionType',
  'TunnelSettings.ConnectionName',
  'TunnelSettings.SiteId',
  'TunnelSettings.ServerAddress',
  'TunnelSettings.TrustedRootCertificates',
  'TunnelSettings.ProxyPacUrl',
  'TunnelSettings.ProxyAddress',
  'TunnelSettings.ProxyPort',
  'TunnelSettings.BypassedUrls',
];
export const FORM_KEYS = [...INTUNE_KEYS, ...PROVIDER_KEYS, ...TUNNEL_KEYS];
const LIST_KEYS = new Set(['IntuneSettings.AllowedClientIds', 'TunnelSettings.BypassedUrls']);

export const PROVIDERS: { value: string; enabledBy: string }[] = [
  { value: 'office365', enabledBy: 'Office365Settings.Enable' },
  { value: 'saml', enabledBy: 'SamlSettings.Enable' },
];

function read(settings: Settings, key: string): unknown {
  const [section, name] = key.split('.') as [string, string];
  return (settings as unknown as Record<string, Record<string, unknown>>)[section]?.[name];
}

export function toForm(settings: Settings): FormState {
  const form: FormState = {};
  for (const key of FORM_KEYS) {
    const value = read(settings, key);
    form[key] = typeof value === 'boolean' ? value : Array.isArray(value) ? value.join(',') : String(value ?? '');
  }
  return form;
}

function listOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Whole sections, as loaded, with the form's values: a PUT replaces every section it carries. */
export function toUpdate(form: FormState, loaded: Settings): SettingsUpdate {
  const sections = {
    IntuneSettings: { ...loaded.IntuneSettings },
    Office365Settings: { ...loaded.Office365Settings },
    SamlSettings: { ...loaded.SamlSettings },
    TunnelSettings: { ...loaded.TunnelSettings },
  } as unknown as Record<string, Record<string, unknown>>;
  for (const key of FORM_KEYS) {
    const [section, name] = key.split('.') as [string, string];
    const value = form[key];
    let out: unknown = value;
    if (LIST_KEYS.has(key)) out = listOf(String(value));
    else if (key === 'TunnelSettings.ProxyPort') {
      const text = String(value).trim();
      out = text === '' ? 0 : /^\d+$/.test(text) ? Number(text) : text; // a non-number is refused by the server
    }
    sections[section]![name] = out;
  }
  return sections as unknown as SettingsUpdate;
}

export function fieldId(key: string): string {
  return `field-${key.replace('.', '-')}`;
}

export function optionLabel(key: string, value: string): string {
  return schemaOf(key).options?.find((o) => o.value === value)?.display_name ?? value;
}
