// Imports chat-server accounts. Idempotent (upsert by id); a bad row is reported with its line number and does not
// stop or spoil the others: rows are written in batches, and a batch that fails is retried row by row, each in
// its own savepoint.
import { AUDIT_ACTIONS } from '../contract/audit-actions.ts';
import type { Readable } from 'node:stream';
import { audit } from '../audit/audit.ts';
import type { Database } from '../db/connect.ts';
import { type ImportedUser, userStore } from '../db/stores/user-store.ts';
import type { Actor } from '../context.ts';
import { importLineOf, type UsernameResolver } from './bulk-export.ts';
import { type ImportFormat, readRecords } from './read-records.ts';
import { describeProblems, type UserRecord, userRecordShape } from './user-record.ts';
import { canonicalAuthData } from '../util/guid.ts';

export interface ImportResult {
  total: number;
  imported: number;
  /** Lines of a bulk export that are not about accounts (teams, channels, posts…). */
  skipped: number;
  failed: { line: number; problem: string }[];
}

const BATCH = 500;
const ENTRA_SERVICES = new Set(['office365', 'saml']);
const MAX_REPORTED_FAILURES = 1000;

function toRow(record: UserRecord): ImportedUser {
  return {
    id: record.id,
    username: record.username.toLowerCase(),
    email: record.email.toLowerCase(),
    auth_service: record.auth_service,
    // Entra accounts' objectIds in the one stored form (lower case); other auth data exactly as exported.
    auth_data: (ENTRA_SERVICES.has(record.auth_service) ? canonicalAuthData(record.auth_data) : record.auth_data) || null,
    first_name: record.first_name,
    last_name: record.last_name,
    is_bot: record.is_bot,
    deleted_at: record.delete_at > 0 ? new Date(record.delete_at) : null,
    updated_at: new Date(),
  };
}

function explain(error: unknown): string {
  const e = error as { code?: string; constraint?: string; message?: string };
  if (e.code === '23505') {
    if (e.constraint?.includes('email')) return 'the email belongs to another account';
    if (e.constraint?.includes('username')) return 'the username belongs to another account';
    if (e.constraint?.includes('auth')) return 'the auth data belongs to another account of the same auth service';
    return 'a unique value belongs to another account';
  }
  return 'the row could not be stored';
}

async function writeBatch(db: Database, batch: { line: number; record: UserRecord }[], result: ImportResult): Promise<void> {
  const upsert = (trx: Database, rows: ImportedUser[]) => userStore.upsertImported(trx, rows);
  try {
    await db.transaction((trx) => upsert(trx, batch.map((b) => toRow(b.record))));
    result.imported += batch.length;
  } catch {
    for (const { line, record } of batch) {
      try {
        await db.transaction((trx) => upsert(trx, [toRow(record)]));
        result.imported++;
      } catch (error) {
        fail(result, line, explain(error));
      }
    }
  }
}

function fail(result: ImportResult, line: number, problem: string): void {
  if (result.failed.length < MAX_REPORTED_FAILURES) result.failed.push({ line, problem });
}

/** Bulk-export accounts carry no id: theirs is found by username, a batch at a time. */
async function withResolvedIds(
  pending: { line: number; value: Record<string, unknown> }[],
  resolve: UsernameResolver | undefined,
  result: ImportResult,
): Promise<{ line: number; value: Record<string, unknown> }[]> {
  const usernames = [...new Set(pending.map((p) => String(p.value.username ?? '').toLowerCase()).filter((u) => u !== ''))];
  const ids = resolve && usernames.length > 0 ? await resolve(usernames) : new Map<string, string>();
  const resolved: { line: number; value: Record<string, unknown> }[] = [];
  for (const p of pending) {
    const id = ids.get(String(p.value.username ?? '').toLowerCase());
    if (id) resolved.push({ line: p.line, value: { ...p.value, id } });
    else fail(result, p.line, `no chat-server user is named "${String(p.value.username ?? '')}" (bulk-export accounts are matched by username)`);
  }
  return resolved;
}

export async function importUsers(
  db: Database,
  input: Readable,
  format: ImportFormat,
  actor: Actor,
  resolveUsernames?: UsernameResolver,
): Promise<ImportResult> {
  const result: ImportResult = { total: 0, imported: 0, skipped: 0, failed: [] };
  let batch: { line: number; record: UserRecord }[] = [];
  let withoutId: { line: number; value: Record<string, unknown> }[] = [];
  const seen = new Map<string, number>();
  const take = async (line: number, value: Record<string, unknown>): Promise<void> => {
    const parsed = userRecordShape.safeParse(value);
    if (!parsed.success) {
      fail(result, line, describeProblems(parsed.error));
      return;
    }
    // The same id twice in one file: the first wins, later ones are reported (a batch cannot upsert a row twice).
    const earlier = seen.get(parsed.data.id);
    if (earlier !== undefined) {
      fail(result, line, `id "${parsed.data.id}" already appears on line ${earlier}`);
      return;
    }
    seen.set(parsed.data.id, line);
    batch.push({ line, record: parsed.data });
    if (batch.length >= BATCH) {
      await writeBatch(db, batch, result);
      batch = [];
    }
  };
  const resolvePending = async (): Promise<void> => {
    const pending = withoutId;
    withoutId = [];
    for (const p of await withResolvedIds(pending, resolveUsernames, result)) await take(p.line, p.value);
  };
  for await (const raw of readRecords(input, format)) {
    result.total++;
    if (raw.problem) {
      fail(result, raw.line, raw.problem);
      continue;
    }
    const line = importLineOf(raw.value!);
    if (line.kind === 'other') {
      result.skipped++;
      continue;
    }
    if (line.value.id === undefined || line.value.id === '') {
      withoutId.push({ line: raw.line, value: line.value });
      if (withoutId.length >= BATCH) await resolvePending();
      continue;
    }
    await take(raw.line, line.value);
  }
  if (withoutId.length > 0) await resolvePending();
  if (batch.length > 0) await writeBatch(db, batch, result);
  await audit(db, actor, {
    action: AUDIT_ACTIONS.usersImport,
    outcome: result.failed.length ? 'failure' : 'success',
    details: { total: result.total, imported: result.imported, skipped: result.skipped, failed: result.failed.length, format },
  });
  return result;
}
