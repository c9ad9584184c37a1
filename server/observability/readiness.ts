import type { ChatServerLink } from '../chatserver/link.ts';
import { AppError } from '../errors/app-error.ts';
import { type Database, databaseReachable } from '../db/connect.ts';
import { pendingMigrations } from '../db/migrate.ts';
import type { GraphStatus } from '../enrollment/graph-recheck-requests.ts';
import { evidenceModeOf } from '../enrollment/mam-policy.ts';
import { companionSettings } from '../settings/companion-settings.ts';
import { currentSettings } from '../settings/service.ts';

export interface Readiness {
  database: 'ok';
  migrations: 'current';
  /** Companion mode: the chat server's configuration and license are current. */
  chat_server?: 'ok';
  /** Graph evidence mode: whether the last evidence sweep reached Microsoft Graph. */
  graph?: 'ok' | 'unavailable';
  /** With graph 'unavailable': the catalogue id of the last sweep's error. */
  graph_error_id?: string;
}

/** What readiness reads of this node's Graph evidence sweeps (GraphRechecks). */
export interface GraphSweeps {
  status(): GraphStatus;
}

/**
 * Ready = the database answers, every migration in migrations/ is applied and, as a companion, the chat server's
 * view is within its stale bound; otherwise the reason as an AppError (its id names the dependency). In graph
 * evidence mode the answer also names whether Graph was reachable at the last evidence sweep.
 */
export async function checkReadiness(db: Database, chatServer?: ChatServerLink, graph?: GraphSweeps): Promise<Readiness> {
  if (!(await databaseReachable(db))) throw new AppError('mamgate.database.unavailable.app_error');
  const pending = await pendingMigrations(db);
  if (pending.length > 0) {
    throw new AppError('mamgate.database.migrations_pending.app_error', {
      params: { Count: pending.length },
      detailed: pending.join(', '),
    });
  }
  const mirror = chatServer?.mirror;
  const view = mirror?.current();
  if (view instanceof AppError) throw view;
  const ready: Readiness = view ? { database: 'ok', migrations: 'current', chat_server: 'ok' } : { database: 'ok', migrations: 'current' };
  if (!graph) return ready;
  const { settings: stored } = await currentSettings(db);
  const settings = view ? companionSettings(stored, view).settings : stored;
  if (evidenceModeOf(settings) !== 'graph') return ready;
  // A Graph outage is named but stays ready (200): verified evidence keeps opening the gate while Graph is down,
  // and a 503 here would pull every node out of the load balancer at once for an outage none of them can fix.
  const lastError = graph.status().last_error_id;
  return lastError ? { ...ready, graph: 'unavailable', graph_error_id: lastError } : { ...ready, graph: 'ok' };
}
