// Admin tokens: made by `mamgate admin token create`, shown once, stored hashed, revocable.
import { AUDIT_ACTIONS } from '../contract/audit-actions.ts';
import { AppError } from '../errors/app-error.ts';
import { audit } from '../audit/audit.ts';
import type { Database } from '../db/connect.ts';
import { adminTokenStore } from '../db/stores/admin-token-store.ts';
import type { Actor } from '../context.ts';
import { hashToken, newId, newSecretToken } from '../util/secret-token.ts';

export const ADMIN_TOKEN_PREFIX = 'mga_';

export interface AdminTokenInfo {
  id: string;
  name: string;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AdminPrincipal {
  tokenId: string;
  name: string;
}

function iso(date: Date | null): string | null {
  return date ? new Date(date).toISOString() : null;
}

export async function createAdminToken(db: Database, name: string, actor: Actor): Promise<{ info: AdminTokenInfo; token: string }> {
  const token = newSecretToken(ADMIN_TOKEN_PREFIX);
  const row = await db.transaction(async (trx) => {
    const created = await adminTokenStore.insert(trx, {
      id: newId(),
      name: name || 'admin',
      token_hash: hashToken(token),
      created_by: actor.name,
    });
    await audit(trx, actor, { action: AUDIT_ACTIONS.adminTokenCreate, target: `admin_token:${created.id}`, outcome: 'success' });
    return created;
  });
  return { info: toInfo(row), token };
}

function toInfo(row: Awaited<ReturnType<typeof adminTokenStore.list>>[number]): AdminTokenInfo {
  return {
    id: row.id,
    name: row.name,
    created_by: row.created_by,
    created_at: iso(row.created_at)!,
    last_used_at: iso(row.last_used_at),
    revoked_at: iso(row.revoked_at),
  };
}

export async function listAdminTokens(db: Database): Promise<AdminTokenInfo[]> {
  return (await adminTokenStore.list(db)).map(toInfo);
}

export async function revokeAdminToken(db: Database, id: string, actor: Actor): Promise<void> {
  const found = await db.transaction(async (trx) => {
    const revoked = await adminTokenStore.revoke(trx, id);
    if (revoked) await audit(trx, actor, { action: AUDIT_ACTIONS.adminTokenRevoke, target: `admin_token:${id}`, outcome: 'success' });
    return revoked;
  });
  if (!found) throw new AppError('mamgate.admin.token_not_found.app_error', { params: { Id: id } });
}

/** The admin behind a bearer token, or an AppError 401 (missing, unknown and revoked tokens look alike). */
export async function authenticateAdmin(db: Database, bearer: string | undefined): Promise<AdminPrincipal> {
  if (!bearer?.startsWith(ADMIN_TOKEN_PREFIX)) {
    throw new AppError('mamgate.admin.unauthorized.app_error', {
      detailed: bearer ? 'not an admin token' : 'no bearer token',
      headers: { 'WWW-Authenticate': 'Bearer realm="mamgate-admin"' },
    });
  }
  const row = await adminTokenStore.findActiveByHash(db, hashToken(bearer));
  if (!row) {
    throw new AppError('mamgate.admin.unauthorized.app_error', {
      detailed: 'unknown or revoked admin token',
      headers: { 'WWW-Authenticate': 'Bearer realm="mamgate-admin", error="invalid_token"' },
    });
  }
  noteUse(db, row.id);
  return { tokenId: row.id, name: row.name };
}

/**
 * last_used_at is for the operator ("last used 5 min ago"), not for security: recorded at most once a minute per
 * token, so a busy admin page does not write a row per request. This node skips the statement within the minute;
 * the statement's own condition keeps other nodes from writing more often either.
 */
export const LAST_USED_INTERVAL_MS = 60_000;
const lastNoted = new Map<string, number>();

function noteUse(db: Database, tokenId: string, now = Date.now()): void {
  const last = lastNoted.get(tokenId);
  if (last !== undefined && now - last < LAST_USED_INTERVAL_MS) return;
  lastNoted.set(tokenId, now);
  void adminTokenStore.touch(db, tokenId, `${LAST_USED_INTERVAL_MS / 1000} seconds`).catch(() => lastNoted.delete(tokenId));
}
