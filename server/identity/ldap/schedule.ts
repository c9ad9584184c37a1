// Scheduled LDAP syncs: every LdapSettings.SyncIntervalMinutes while LDAP is enabled, incremental (only what
// changed since the watermark) unless no good full pass started in the last FullSyncIntervalHours (0: every sync
// is full): the full pass is what sees deleted entries. Each node checks once a minute whether a sync is due (by
// the latest run of any node, on the database's clock); the sync's advisory lock lets only one node read the
// directory at a time. Timers are unref'd: they never keep the process alive.
import type { ServiceContext } from '../../context.ts';
import { currentSettings } from '../../settings/service.ts';
import type { DirectoryTimeouts } from './directory-client.ts';
import { runSync } from './sync.ts';
import { syncRunStore } from '../../db/stores/sync-run-store.ts';

export interface LdapScheduleOptions {
  /** How often a node checks whether a sync is due. */
  checkEveryMs?: number;
  /** Delay of the first check after start. */
  firstCheckMs?: number;
  timeouts?: Partial<DirectoryTimeouts>;
}

export interface LdapSchedule {
  /** Stops checking and waits for a sync in progress on this node to end (bounded by the LDAP timeouts). */
  stop(): Promise<void>;
}

const SCHEDULE_ACTOR = { name: 'schedule', requestId: null };

export function startLdapSchedule(ctx: ServiceContext, options: LdapScheduleOptions = {}): LdapSchedule {
  const checkEveryMs = options.checkEveryMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let stopped = false;
  let lastProblem = '';

  async function check(): Promise<void> {
    const { settings } = await currentSettings(ctx.db);
    const ldap = settings.LdapSettings;
    if (!ldap.Enable || !(ldap.SyncIntervalMinutes > 0)) return;
    if (!(await syncRunStore.isDue(ctx.db, ldap.SyncIntervalMinutes))) return;
    const fullDue = !(ldap.FullSyncIntervalHours > 0) || (await syncRunStore.isFullDue(ctx.db, ldap.FullSyncIntervalHours));
    await runSync(ctx, { trigger: 'schedule', actor: SCHEDULE_ACTOR, timeouts: options.timeouts, mode: fullDue ? 'full' : 'incremental' });
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = check()
        .then(() => {
          lastProblem = '';
        })
        .catch((error: unknown) => {
          // A failed sync is already logged with its run; say other problems (settings, database) once each.
          const problem = error instanceof Error ? error.message : String(error);
          if (problem !== lastProblem) ctx.log.warn({ err: error }, 'scheduled ldap sync did not run');
          lastProblem = problem;
        })
        .finally(() => {
          inFlight = undefined;
          schedule(checkEveryMs);
        });
    }, delayMs);
    timer.unref();
  }

  schedule(options.firstCheckMs ?? 15_000);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
