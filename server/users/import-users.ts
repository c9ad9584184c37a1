// Imports chat-server accounts. Idempotent (upsert by id); a bad row is reported with its line number and does not
// stop or spoil the others: rows are written in batches, and a batch that fails is retried row by row, each in
// its own savepoint.
import type { Readable } from 'node:stream';
import { audit } from '../audit/audit.ts';
import type { Database } from '../db/connect.ts';
import type { Actor } from '../runtime/context.ts';
import { type ImportFormat, readRecords } from './read-records.ts';
import { describeProblems, type UserRecord, userRecordShape } from './user-record.ts';

export interface ImportResult {
  total: number;
  imported: number;
  failed: { line: number; problem: string }[];
}

const BATCH = 500;
const MAX_REPORTED_FAILURES = 1000;

function toRow(record: UserRecord) {
  return {
    id: record.id,
    username: record.username.toLowerCase(),
    email: record.email.toLowerCase(),
    auth_service: record.auth_service,
    auth_data: record.auth_data || null,
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

const UPDATE_COLUMNS = ['username', 'email', 'auth_service', 'auth_data', 'first_name', 'last_name', 'is_bot', 'deleted_at', 'updated_at'];

async function writeBatch(db: Database, batch: { line: number; record: UserRecord }[], result: ImportResult): Promise<void> {
  const upsert = (trx: Database, rows: ReturnType<typeof toRow>[]) => trx('users').insert(rows).onConflict('id').merge(UPDATE_COLUMNS);
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

export async function importUsers(db: Database, input: Readable, format: ImportFormat, actor: Actor): Promise<ImportResult> {
  const result: ImportResult = { total: 0, imported: 0, failed: [] };
  let batch: { line: number; record: UserRecord }[] = [];
  const seen = new Map<string, number>();
  for await (const raw of readRecords(input, format)) {
    result.total++;
    if (raw.problem) {
      fail(result, raw.line, raw.problem);
      continue;
    }
    const parsed = userRecordShape.safeParse(raw.value);
    if (!parsed.success) {
      fail(result, raw.line, describeProblems(parsed.error));
      continue;
    }
    // The same id twice in one file: the first wins, later ones are reported (a batch cannot upsert a row twice).
    const earlier = seen.get(parsed.data.id);
    if (earlier !== undefined) {
      fail(result, raw.line, `id "${parsed.data.id}" already appears on line ${earlier}`);
      continue;
    }
    seen.set(parsed.data.id, raw.line);
    batch.push({ line: raw.line, record: parsed.data });
    if (batch.length >= BATCH) {
      await writeBatch(db, batch, result);
      batch = [];
    }
  }
  if (batch.length > 0) await writeBatch(db, batch, result);
  await audit(db, actor, {
    action: 'users.import',
    outcome: result.failed.length ? 'failure' : 'success',
    details: { total: result.total, imported: result.imported, failed: result.failed.length, format },
  });
  return result;
}
