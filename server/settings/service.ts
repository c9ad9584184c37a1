import { AUDIT_ACTIONS } from '../contract/audit-actions.ts';
import { AppError } from '../errors/app-error.ts';
import { audit } from '../audit/audit.ts';
import { adminTokenNames } from '../audit/actor-names.ts';
import { recordChange } from '../changes/feed.ts';
import type { Database } from '../db/connect.ts';
import { settingsStore, type StoredVersion } from '../db/stores/settings-store.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { asDecidedOn, refuseChatServerOwnedEdits, withChatServerValues } from './chat-server-owned.ts';
import { applyUpdate } from './merge.ts';
import { defaultSettings, SECTION_NAMES, type Settings } from './model.ts';
import { settingsProblems } from './rules.ts';
import { maskSecrets, SECRET_SETTINGS } from './secrets.ts';
import { completeSettings, parseSettingsUpdate, type SettingsUpdate } from './shape.ts';

export interface SettingsVersion {
  version: number;
  settings: Settings;
  saved_by: string;
  saved_at: string;
}

function toVersion(stored: StoredVersion<unknown> | undefined): SettingsVersion {
  if (!stored) return { version: 0, settings: defaultSettings(), saved_by: '', saved_at: '' };
  return {
    version: stored.version,
    settings: completeSettings(stored.value),
    saved_by: stored.saved_by,
    saved_at: stored.saved_at.toISOString(),
  };
}

/** The current settings (defaults at version 0 before the first save), secrets in clear: for internal use. */
export async function currentSettings(db: Database): Promise<SettingsVersion> {
  return toVersion(await settingsStore.latest(db));
}

/** The stored settings, secrets masked; as a companion, what the chat server owns as the chat server has it. */
export async function settingsForDisplay(ctx: Pick<ServiceContext, 'db' | 'chatServer'>): Promise<SettingsVersion> {
  const current = await currentSettings(ctx.db);
  return { ...current, settings: maskSecrets(withChatServerValues(ctx, current.settings)) };
}

/** Saved versions newest first, secrets masked, each with the name of the admin token that saved it (if one did). */
export async function settingsHistory(
  db: Database,
  limit: number,
  beforeVersion?: number,
): Promise<(SettingsVersion & { saved_by_name: string | null })[]> {
  const rows = await settingsStore.history(db, limit, beforeVersion);
  const names = await adminTokenNames(db, rows.map((r) => r.saved_by));
  return rows.map((row) => {
    const version = toVersion(row);
    return { ...version, settings: maskSecrets(version.settings), saved_by_name: names.get(row.saved_by) ?? null };
  });
}

/** Names of the settings that differ; secrets are named but their values never leave this function. */
function changedKeys(before: Settings, after: Settings): string[] {
  const changed: string[] = [];
  for (const section of SECTION_NAMES) {
    const a = before[section] as unknown as Record<string, unknown>;
    const b = after[section] as unknown as Record<string, unknown>;
    for (const key of Object.keys(b)) {
      if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) changed.push(`${section}.${key}`);
    }
  }
  return changed;
}

/**
 * Validates an admin's update against the whole resulting document and stores it as a new version. A refused
 * save throws the AppError of its first problem (all problems listed) and stores nothing.
 */
export async function saveSettings(ctx: ServiceContext, input: unknown, actor: Actor): Promise<SettingsVersion> {
  try {
    return await storeSettings(ctx, parseSettingsUpdate(input), actor);
  } catch (error) {
    if (error instanceof AppError) {
      await audit(ctx.db, actor, {
        action: AUDIT_ACTIONS.settingsSave,
        outcome: 'refused',
        details: { error_id: error.id, fields: error.fieldErrors.map((e) => `${e.field}: ${e.id}`) },
      });
    }
    throw error;
  }
}

async function storeSettings(ctx: ServiceContext, update: SettingsUpdate, actor: Actor): Promise<SettingsVersion> {
  const saved = await ctx.db.transaction(async (trx) => {
    await settingsStore.lock(trx);
    refuseChatServerOwnedEdits(ctx, update);
    const before = toVersion(await settingsStore.latest(trx));
    const next = applyUpdate(before.settings, update);
    const problems = settingsProblems(asDecidedOn(ctx, next));
    if (problems.length > 0) throw AppError.fromFieldErrors(problems);
    const changed = changedKeys(before.settings, next);
    const stored = toVersion(await settingsStore.insert(trx, next, actor.name, actor.requestId));
    await recordChange(trx, 'settings', String(stored.version));
    const secretKeys = new Set(SECRET_SETTINGS.map(([s, k]) => `${s}.${k}`));
    await audit(trx, actor, {
      action: AUDIT_ACTIONS.settingsSave,
      target: `settings:v${stored.version}`,
      outcome: 'success',
      details: { changed, changed_secrets: changed.filter((k) => secretKeys.has(k)) },
    });
    return stored;
  });
  await ctx.changes.catchUp();
  return { ...saved, settings: maskSecrets(saved.settings) };
}
