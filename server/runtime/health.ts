import type { ChatServerLink } from '../chatserver/link.ts';
import { AppError } from '../errors/app-error.ts';
import { type Database, databaseReachable } from '../db/connect.ts';
import { pendingMigrations } from '../db/migrate.ts';

export interface Readiness {
  database: 'ok';
  migrations: 'current';
  /** Companion mode: the chat server's configuration and license are current. */
  chat_server?: 'ok';
}

/**
 * Ready = the database answers, every migration in migrations/ is applied and, as a companion, the chat server's
 * view is within its stale bound; otherwise the reason as an AppError (its id names the dependency).
 */
export async function checkReadiness(db: Database, chatServer?: ChatServerLink): Promise<Readiness> {
  if (!(await databaseReachable(db))) throw new AppError('mamgate.database.unavailable.app_error');
  const pending = await pendingMigrations(db);
  if (pending.length > 0) {
    throw new AppError('mamgate.database.migrations_pending.app_error', {
      params: { Count: pending.length },
      detailed: pending.join(', '),
    });
  }
  const mirror = chatServer?.mirror;
  if (!mirror) return { database: 'ok', migrations: 'current' };
  const view = mirror.current();
  if (view instanceof AppError) throw view;
  return { database: 'ok', migrations: 'current', chat_server: 'ok' };
}
