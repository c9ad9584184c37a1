// The settings this node decides on, for the admin's settings answer: standalone, mamgate's store; as a companion,
// the chat server's values where it owns them (see companion-settings.ts), with where each value came from.
// Secrets are masked.
import { AppError } from '../errors/app-error.ts';
import type { ServiceContext } from '../context.ts';
import { companionSettings, type SettingSource } from './companion-settings.ts';
import type { Settings } from './model.ts';
import { maskSecrets } from './secrets.ts';
import { currentSettings } from './service.ts';

export interface EffectiveSettings {
  mode: 'standalone' | 'companion';
  version: number;
  settings: Settings;
  sources: Record<string, SettingSource>;
  chat_server?: { url: string; reachable: boolean; error_id?: string; read_at?: string };
}

export async function effectiveSettings(ctx: ServiceContext): Promise<EffectiveSettings> {
  const stored = await currentSettings(ctx.db);
  const link = ctx.chatServer;
  const mirror = link?.mirror;
  const own: Record<string, SettingSource> = {};
  if (link) {
    const target = link.targetSources(stored.settings.ChatServerSettings);
    own['ChatServerSettings.Url'] = target.Url;
    own['ChatServerSettings.AdminToken'] = target.AdminToken;
  }
  if (!mirror) {
    const sources: Record<string, SettingSource> = {};
    for (const [section, values] of Object.entries(stored.settings)) {
      for (const key of Object.keys(values)) sources[`${section}.${key}`] = 'mamgate';
    }
    return { mode: 'standalone', version: stored.version, settings: maskSecrets(stored.settings), sources: { ...sources, ...own } };
  }
  const view = mirror.current();
  const url = link!.connection!.url;
  if (view instanceof AppError) throw view;
  const { settings, sources } = companionSettings(stored.settings, view);
  return {
    mode: 'companion',
    version: stored.version,
    settings: maskSecrets(settings),
    sources: { ...sources, ...own },
    chat_server: { url, reachable: true, read_at: new Date(view.readAt).toISOString() },
  };
}
