// Runs operations in the running service when one listens on the data directory's control socket, and otherwise
// opens the database itself (PGlite admits one process at a time, so it must not while a service runs).
import os from 'node:os';
import type { Environment } from '../config/env.ts';
import { callControl, probeControlSocket } from '../control/client.ts';
import { controlSocketPath } from '../control/socket-path.ts';
import { AppError, type AppErrorBody } from '../errors/app-error.ts';
import { toAppError } from '../errors/classify.ts';

export type OperationOutcome = { ok: true; result: unknown } | { ok: false; error: AppErrorBody };

export interface OperationChannel {
  via: 'service' | 'database';
  run(name: string, args: Record<string, unknown>): Promise<OperationOutcome>;
  close(): Promise<void>;
}

function operatorName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'local';
  }
}

function throughService(socketPath: string): OperationChannel {
  return {
    via: 'service',
    async run(name, args) {
      const answer = await callControl(socketPath, name, args, operatorName());
      if (!answer.reached) return { ok: false, error: new AppError('mamgate.database.unavailable.app_error', { detailed: 'the service stopped' }).toBody('') };
      return answer.error ? { ok: false, error: answer.error } : { ok: true, result: answer.result };
    },
    close: async () => undefined,
  };
}

// The domain and the database drivers are loaded only here: a command that goes through the running service
// starts without them.
async function onDatabase(env: Environment, migrate: boolean): Promise<OperationChannel> {
  const [{ silentChangeSource }, { runOperation }, { openDatabase }, { migrateToLatest }, { createLogger }] = await Promise.all([
    import('../changes/feed.ts'),
    import('../control/operations.ts'),
    import('../db/connect.ts'),
    import('../db/migrate.ts'),
    import('../observability/logger.ts'),
  ]);
  const db = openDatabase({ databaseUrl: env.databaseUrl, dataDir: env.dataDir });
  if (migrate) await migrateToLatest(db);
  const ctx = { db, log: createLogger(env.logLevel === 'info' ? 'warn' : env.logLevel), changes: silentChangeSource, entraAuthority: env.entraAuthority, environmentChatServerUrl: env.chatServerUrl };
  const actor = { name: `cli:${operatorName()}`, requestId: null };
  return {
    via: 'database',
    async run(name, args) {
      try {
        return { ok: true, result: await runOperation(ctx, name, args, actor) };
      } catch (error) {
        return { ok: false, error: toAppError(error).toBody('') };
      }
    },
    close: () => db.destroy(),
  };
}

/** One channel for several operations (a command that polls a job keeps the embedded database open meanwhile). */
export async function openOperationChannel(env: Environment, options: { migrate?: boolean } = {}): Promise<OperationChannel> {
  const socketPath = controlSocketPath(env.dataDir);
  if (await probeControlSocket(socketPath)) return throughService(socketPath);
  return onDatabase(env, options.migrate ?? true);
}

export async function runCliOperation(env: Environment, name: string, args: Record<string, unknown>): Promise<OperationOutcome> {
  let channel: OperationChannel;
  try {
    channel = await openOperationChannel(env, { migrate: name !== 'migrate' });
  } catch (error) {
    return { ok: false, error: toAppError(error).toBody('') };
  }
  try {
    return await channel.run(name, args);
  } finally {
    await channel.close();
  }
}

export function usageError(problem: string): AppError {
  return new AppError('mamgate.cli.usage.app_error', { params: { Problem: problem } });
}
