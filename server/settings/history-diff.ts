// What changed between two saved settings versions (GET admin/settings/history/{version}/diff), setting by
// setting. Secrets are compared in clear here and never leave this module: a changed secret reads "changed",
// its values are answered masked.
import type { Database } from '../db/connect.ts';
import { settingsStore } from '../db/stores/settings-store.ts';
import { AppError } from '../errors/app-error.ts';
import { defaultSettings, SECTION_NAMES, type Settings } from './model.ts';
import { MASKED_SECRET, SECRET_SETTINGS } from './secrets.ts';
import { completeSettings } from './shape.ts';

export interface SettingChange {
  /** Section.Key, e.g. IntuneSettings.TenantId. */
  key: string;
  before: unknown;
  after: unknown;
  secret: boolean;
}

export interface SettingsDiff {
  version: number;
  saved_by: string;
  saved_at: string;
  /** The version compared against; 0 is the defaults (before the first save). */
  against: number;
  changes: SettingChange[];
}

const SECRET_KEYS = new Set(SECRET_SETTINGS.map(([section, key]) => `${section}.${key}`));

function masked(value: unknown): unknown {
  return value === '' ? '' : MASKED_SECRET;
}

export function settingsChanges(before: Settings, after: Settings): SettingChange[] {
  const changes: SettingChange[] = [];
  for (const section of SECTION_NAMES) {
    const a = before[section] as unknown as Record<string, unknown>;
    const b = after[section] as unknown as Record<string, unknown>;
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (JSON.stringify(a[key]) === JSON.stringify(b[key])) continue;
      const name = `${section}.${key}`;
      const secret = SECRET_KEYS.has(name);
      changes.push({ key: name, before: secret ? masked(a[key]) : a[key], after: secret ? masked(b[key]) : b[key], secret });
    }
  }
  return changes;
}

/** Version `version` against `against` (default: the version saved before it, or the defaults for the first). */
export async function settingsDiff(db: Database, version: number, against?: number): Promise<SettingsDiff> {
  const notFound = (v: number) => new AppError('mamgate.settings.version_not_found.app_error', { params: { Version: v } });
  const target = await settingsStore.at(db, version);
  if (!target) throw notFound(version);
  const base = against === undefined ? await settingsStore.before(db, version) : against === 0 ? undefined : await settingsStore.at(db, against);
  if (against !== undefined && against !== 0 && !base) throw notFound(against);
  const beforeSettings = base ? completeSettings(base.value) : defaultSettings();
  return {
    version,
    saved_by: target.saved_by,
    saved_at: target.saved_at.toISOString(),
    against: base?.version ?? 0,
    changes: settingsChanges(beforeSettings, completeSettings(target.value)),
  };
}
