import { AUDIT_ACTIONS } from '../contract/audit-actions.ts';
import { audit } from '../audit/audit.ts';
import { recordChange } from '../changes/feed.ts';
import type { Database } from '../db/connect.ts';
import { licenseStore } from '../db/stores/settings-store.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { refuseLicenseEdit } from '../settings/chat-server-owned.ts';
import { type License, parseLicense } from './model.ts';

export interface LicenseVersion {
  version: number;
  license: License | null;
  saved_by: string;
  saved_at: string;
}

export async function currentLicense(db: Database): Promise<LicenseVersion> {
  const stored = await licenseStore.latest(db);
  if (!stored) return { version: 0, license: null, saved_by: '', saved_at: '' };
  return {
    version: stored.version,
    license: stored.value as License | null,
    saved_by: stored.saved_by,
    saved_at: stored.saved_at.toISOString(),
  };
}

export async function saveLicense(ctx: ServiceContext, input: unknown, actor: Actor): Promise<LicenseVersion> {
  await refuseLicenseEdit(ctx);
  const license = parseLicense(input);
  const saved = await ctx.db.transaction(async (trx) => {
    const row = await licenseStore.insert(trx, license, actor.name, actor.requestId);
    await recordChange(trx, 'license', String(row.version));
    await audit(trx, actor, {
      action: AUDIT_ACTIONS.licenseSave,
      target: `license:v${row.version}`,
      outcome: 'success',
      details: { sku: license?.SkuShortName ?? null, licensed: license !== null },
    });
    return row;
  });
  await ctx.changes.catchUp();
  return { version: saved.version, license, saved_by: saved.saved_by, saved_at: saved.saved_at.toISOString() };
}
