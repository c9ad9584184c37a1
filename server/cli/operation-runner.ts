// Runs an operation in the running service when one listens on the data directory's control socket, and
// otherwise opens the database itself (PGlite admits one process at a time, so it must not while a service runs).
import os from 'node:os';
import { silentChangeSource } from '../changes/feed.ts';
import type { Environment } from '../config/env.ts';
import { callControl } from '../control/client.ts';
import { runOperation } from '../control/operations.ts';
import { controlSocketPath } from '../control/socket-path.ts';
import { AppError, type AppErrorBody } from '../errors/app-error.ts';
import { toAppError } from '../errors/classify.ts';
import { openDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createLogger } from '../observability/logger.ts';

export type OperationOutcome = { ok: true; result: unknown; via: 'service' | 'database' } | { ok: false; error: AppErrorBody };

function operatorName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'local';
  }
}

export async function runCliOperation(env: Environment, name: string, args: Record<string, unknown>): Promise<OperationOutcome> {
  const answer = await callControl(controlSocketPath(env.dataDir), name, args, operatorName());
  if (answer.reached) {
    return answer.error ? { ok: false, error: answer.error } : { ok: true, result: answer.result, via: 'service' };
  }
  const db = openDatabase({ databaseUrl: env.databaseUrl, dataDir: env.dataDir });
  try {
    if (name !== 'migrate') await migrateToLatest(db);
    const ctx = { db, log: createLogger(env.logLevel === 'info' ? 'warn' : env.logLevel), changes: silentChangeSource };
    const result = await runOperation(ctx, name, args, { name: `cli:${operatorName()}`, requestId: null });
    return { ok: true, result, via: 'database' };
  } catch (error) {
    return { ok: false, error: toAppError(error).toBody('') };
  } finally {
    await db.destroy();
  }
}

export function usageError(problem: string): AppError {
  return new AppError('mamgate.cli.usage.app_error', { params: { Problem: problem } });
}
