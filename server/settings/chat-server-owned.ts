// As a companion, what the chat server owns is changed in the chat server's System Console, not in mamgate: such
// edits are refused with a catalogue error that says where to make them.
import { settingsStore } from '../db/stores/settings-store.ts';
import { AppError } from '../errors/app-error.ts';
import type { ServiceContext } from '../context.ts';
import { chatServerValue, companionSettings } from './companion-settings.ts';
import { SECTION_NAMES, type Settings } from './model.ts';
import { completeSettings, type SettingsUpdate } from './shape.ts';

const INTUNE_CONSOLE_PLACE = 'System Console > Environment > Mobile App Management';
const LICENSE_CONSOLE_PLACE = 'System Console > About > Edition and License';

/**
 * As a companion, an update may carry what the chat server owns only as the chat server has it (a whole section
 * sent back as the settings answer showed it); anything else would be an edit without effect.
 */
export function refuseChatServerOwnedEdits(ctx: ServiceContext, update: SettingsUpdate): void {
  const view = ctx.chatServer?.mirror?.current();
  if (!view || view instanceof AppError) return;
  for (const [section, values] of Object.entries(update)) {
    for (const [key, value] of Object.entries(values ?? {})) {
      const name = `${section}.${key}`;
      const owned = chatServerValue(name, view);
      if (owned !== undefined && JSON.stringify(owned) !== JSON.stringify(value)) {
        throw new AppError('mamgate.chatserver.owned_setting.app_error', { params: { What: name, Where: INTUNE_CONSOLE_PLACE } });
      }
    }
  }
}

/**
 * Whether this node is a companion. A command run without the service has no link: it is one when the environment
 * names a chat server or the stored ChatServerSettings.Url does (what the service would connect to on start).
 */
async function isCompanion(ctx: ServiceContext): Promise<boolean> {
  if (ctx.chatServer) return ctx.chatServer.companion;
  if (ctx.environmentChatServerUrl) return true;
  const stored = await settingsStore.latest(ctx.db);
  return completeSettings(stored?.value).ChatServerSettings.Url !== '';
}

/** As a companion, the license is the chat server's: mamgate enforces the vendor's tier, it does not grant it. */
export async function refuseLicenseEdit(ctx: ServiceContext): Promise<void> {
  if (!(await isCompanion(ctx))) return;
  throw new AppError('mamgate.chatserver.owned_setting.app_error', {
    params: { What: 'The license', Where: LICENSE_CONSOLE_PLACE },
  });
}

/** As a companion, the settings answer shows what the chat server owns as the chat server has it. */
export function withChatServerValues(ctx: Pick<ServiceContext, 'chatServer'>, settings: Settings): Settings {
  const view = ctx.chatServer?.mirror?.current();
  if (!view || view instanceof AppError) return settings;
  const shown = structuredClone(settings) as unknown as Record<string, Record<string, unknown>>;
  for (const section of SECTION_NAMES) {
    for (const key of Object.keys(shown[section]!)) {
      const owned = chatServerValue(`${section}.${key}`, view);
      if (owned !== undefined) shown[section]![key] = owned;
    }
  }
  return shown as unknown as Settings;
}

/** What a save is validated as: as a companion, the stored settings as the node would decide on them. */
export function asDecidedOn(ctx: Pick<ServiceContext, 'chatServer'>, stored: Settings): Settings {
  const view = ctx.chatServer?.mirror?.current();
  if (!view || view instanceof AppError) return stored;
  return companionSettings(stored, view).settings;
}
