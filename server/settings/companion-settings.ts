// The settings a companion node decides on, and where each value came from: what the chat server owns (its
// native IntuneSettings since 11.3, and whether its own sign-in providers are on) from its configuration;
// mamgate's other settings from the plugin's settings in the chat server's configuration where they are set
// there, otherwise from mamgate's store; secrets always from mamgate's store or the environment (the chat server
// hands plugin secrets out obfuscated).
import type { ChatServerView } from '../chatserver/chat-server-view.ts';
import { normalise } from './merge.ts';
import { MAMGATE_ONLY_SECTIONS, SECTION_NAMES, type Settings } from './model.ts';
import { MASKED_SECRET, SECRET_SETTINGS } from './secrets.ts';

export type SettingSource = 'chat_server' | 'plugin_settings' | 'mamgate' | 'environment';

export interface SourcedSettings {
  settings: Settings;
  /** "Section.Key" → where the value in `settings` came from. */
  sources: Record<string, SettingSource>;
}

/** The settings the chat server owns natively, as "Section.Key" → what to read in its view. */
const NATIVE: Record<string, (view: ChatServerView) => unknown> = {
  'IntuneSettings.Enable': (v) => v.intune?.Enable,
  'IntuneSettings.TenantId': (v) => v.intune?.TenantId,
  'IntuneSettings.ClientId': (v) => v.intune?.ClientId,
  'IntuneSettings.AuthService': (v) => v.intune?.AuthService,
  'Office365Settings.Enable': (v) => v.office365Enabled,
  'SamlSettings.Enable': (v) => v.samlEnabled,
};

/** The chat server's own value of a setting, or undefined when it does not own that setting (or has no such setting). */
export function chatServerValue(key: string, view: ChatServerView): unknown {
  return NATIVE[key]?.(view);
}

const SECRETS = new Set<string>(SECRET_SETTINGS.map(([s, k]) => `${s}.${k}`));

/** A plugin setting as the model's type: the console saves lists as comma-separated text and may save numbers as text. */
function asModelType(value: unknown, like: unknown): unknown {
  if (Array.isArray(like)) {
    if (Array.isArray(value)) return value.map(String);
    return typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter((v) => v !== '') : undefined;
  }
  if (typeof like === 'boolean') return typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : undefined;
  if (typeof like === 'number') {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
    return Number.isFinite(n) ? n : undefined;
  }
  return typeof value === 'string' && value !== MASKED_SECRET ? value : undefined;
}

/** The chat server keeps plugin setting keys case-insensitively (they may come back lower-cased). */
function pluginValues(view: ChatServerView): Map<string, unknown> {
  return new Map(Object.entries(view.pluginSettings).map(([key, value]) => [key.toLowerCase(), value]));
}

export function companionSettings(stored: Settings, view: ChatServerView): SourcedSettings {
  const settings = structuredClone(stored);
  const sources: Record<string, SettingSource> = {};
  const plugin = pluginValues(view);
  for (const section of SECTION_NAMES) {
    const values = settings[section] as unknown as Record<string, unknown>;
    for (const key of Object.keys(values)) {
      const name = `${section}.${key}`;
      sources[name] = 'mamgate';
      const native = NATIVE[name]?.(view);
      if (native !== undefined) {
        values[key] = native;
        sources[name] = 'chat_server';
        continue;
      }
      if (SECRETS.has(name) || MAMGATE_ONLY_SECTIONS.includes(section)) continue;
      const fromPlugin = plugin.has(name.toLowerCase()) ? asModelType(plugin.get(name.toLowerCase()), values[key]) : undefined;
      if (fromPlugin !== undefined) {
        values[key] = fromPlugin;
        sources[name] = 'plugin_settings';
      }
    }
  }
  return { settings: normalise(settings), sources };
}
