import type { Database } from '../db/connect.ts';
import { type AuditEntry, auditStore, type NamedAuditRow } from '../db/stores/audit-store.ts';
import { userStore } from '../db/stores/user-store.ts';
import type { Actor } from '../context.ts';
import type { AuditAction } from '../contract/audit-actions.ts';
import { adminTokenActorsNamed } from './actor-names.ts';

/** Writes one audit entry. Callers pass reasons and ids, never tokens, passwords or keys. */
export async function audit(
  db: Database,
  actor: Actor,
  entry: Omit<AuditEntry, 'actor' | 'request_id' | 'action'> & { action: AuditAction },
): Promise<void> {
  await auditStore.insert(db, { ...entry, actor: actor.name, request_id: actor.requestId });
}

export interface AuditFilter {
  limit: number;
  beforeId?: number;
  action?: string;
  /** An actor as written in the log, or the name of an admin token. */
  actor?: string;
  /** A user id, username or email. */
  user?: string;
  since?: Date;
  until?: Date;
}

export interface AuditItem {
  id: number;
  at: string;
  actor: string;
  /** The admin token's name when the actor is `admin-token:<id>`. */
  actor_name: string | null;
  action: string;
  target: string | null;
  /** The admin token's name when the target is `admin_token:<id>`. */
  target_name: string | null;
  outcome: AuditEntry['outcome'];
  request_id: string | null;
  details: Record<string, unknown>;
  /** The user the entry is about, with the names the service knows (null ones for a user it never imported). */
  user: { id: string; username: string | null; email: string | null } | null;
}

function toItem(row: NamedAuditRow): AuditItem {
  return {
    id: Number(row.id),
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    actor_name: row.actor_token_name,
    action: row.action,
    target: row.target,
    target_name: row.target_token_name,
    outcome: row.outcome,
    request_id: row.request_id,
    details: row.details,
    user: row.subject_user_id ? { id: row.subject_user_id, username: row.username, email: row.email } : null,
  };
}

/** Audit entries newest first; every given filter holds (AND). An actor or user that names nobody matches nothing. */
export async function listAudit(db: Database, filter: AuditFilter): Promise<{ items: AuditItem[]; next_before: number | null }> {
  const actors = filter.actor ? [filter.actor, ...(await adminTokenActorsNamed(db, filter.actor))] : undefined;
  const subjectUserId = filter.user ? ((await userStore.findByRef(db, filter.user))?.id ?? filter.user) : undefined;
  const rows = await auditStore.page(db, { ...filter, actors, subjectUserId });
  return {
    items: rows.map(toItem),
    next_before: rows.length === filter.limit ? Number(rows[rows.length - 1]!.id) : null,
  };
}
