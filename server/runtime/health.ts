import { AppError } from '../errors/app-error.ts';
import { type Database, databaseReachable } from '../db/connect.ts';
import { pendingMigrations } from '../db/migrate.ts';

/** Ready = the database answers and every migration in migrations/ is applied; otherwise the reason as an AppError. */
export async function checkReadiness(db: Database): Promise<{ database: 'ok'; migrations: 'current' }> {
  if (!(await databaseReachable(db))) throw new AppError('mamgate.database.unavailable.app_error');
  const pending = await pendingMigrations(db);
  if (pending.length > 0) {
    throw new AppError('mamgate.database.migrations_pending.app_error', {
      params: { Count: pending.length },
      detailed: pending.join(', '),
    });
  }
  return { database: 'ok', migrations: 'current' };
}
