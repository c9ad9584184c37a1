import type { Database } from '../db/connect.ts';
import { type AuditEntry, auditStore } from '../db/stores/audit-store.ts';
import type { Actor } from '../runtime/context.ts';

/** Writes one audit entry. Callers pass reasons and ids, never tokens, passwords or keys. */
export async function audit(
  db: Database,
  actor: Actor,
  entry: Omit<AuditEntry, 'actor' | 'request_id'>,
): Promise<void> {
  await auditStore.insert(db, { ...entry, actor: actor.name, request_id: actor.requestId });
}

export async function listAudit(db: Database, filter: { limit: number; beforeId?: number; action?: string }) {
  const rows = await auditStore.page(db, filter);
  return {
    items: rows.map((row) => ({ ...row, id: Number(row.id), at: new Date(row.at).toISOString() })),
    next_before: rows.length === filter.limit ? Number(rows[rows.length - 1]!.id) : null,
  };
}
