// Rows of ldap_sync_runs: one per sync, saying how it went and, when it failed, which catalogue error and why.
// The sync's lock is here too: it is what makes one run at a time, and the run rows rely on it.
import type { SyncMode, Watermark } from '../../identity/ldap/sync-plan.ts';
import type { Database } from '../connect.ts';

export type SyncTrigger = 'manual' | 'schedule';
export type SyncStatus = 'running' | 'succeeded' | 'failed';

export interface SyncRun {
  id: number;
  status: SyncStatus;
  trigger: SyncTrigger;
  requested_by: string;
  /** Entries read from the directory. */
  entries: number;
  /** Entries matched to an account (by email, then by username). */
  matched: number;
  /** Entries whose id attribute holds no GUID (missing, or not a GUID). */
  without_id: number;
  error_id: string | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
  /** full: the whole directory was read; incremental: only the entries changed since the watermark. */
  kind: SyncMode;
  /** Why a sync asked to be incremental read the whole directory (no watermark, another server, a gap…). */
  fallback_reason: string | null;
  /** What this run left for the next incremental one (null until it succeeded). */
  watermark: Watermark | null;
  /** Entries written (added or changed; removed too on a full pass). */
  changed: number;
  /** Accounts whose directory entries changed in an incremental run, and their alignment statuses now. */
  affected_users: number;
  reclassified: Record<string, number> | null;
}

interface SyncRunRow extends Omit<SyncRun, 'started_at' | 'finished_at'> {
  started_at: Date;
  finished_at: Date | null;
}

export interface SyncCounts {
  entries: number;
  matched: number;
  without_id: number;
}

export interface SyncOutcome extends SyncCounts {
  kind: SyncMode;
  fallback_reason: string | null;
  watermark: Watermark;
  changed: number;
  affected_users: number;
  reclassified: Record<string, number> | null;
}

function toRun(row: SyncRunRow): SyncRun {
  return {
    ...row,
    id: Number(row.id),
    started_at: new Date(row.started_at).toISOString(),
    finished_at: row.finished_at ? new Date(row.finished_at).toISOString() : null,
  };
}

/** pg_try_advisory_xact_lock key held for the length of a sync: one sync at a time across every node. */
export const LDAP_SYNC_LOCK_KEY = 7_316_012_001;

export const syncRunStore = {
  /**
   * Takes the sync lock for the rest of the transaction `trx` unless another node holds it. Answers the database's
   * clock when it was taken (same statement: the sync dates its read by it), undefined when another sync holds it.
   */
  async tryLock(trx: Database): Promise<Date | undefined> {
    const { rows } = (await trx.raw('select pg_try_advisory_xact_lock(?::bigint) as locked, clock_timestamp() as now', [LDAP_SYNC_LOCK_KEY])) as {
      rows: { locked: boolean; now: Date }[];
    };
    return rows[0]?.locked ? new Date(rows[0].now) : undefined;
  },
  async start(db: Database, trigger: SyncTrigger, requestedBy: string): Promise<number> {
    const [row] = (await db('ldap_sync_runs').insert({ status: 'running', trigger, requested_by: requestedBy }).returning('id')) as { id: number }[];
    return Number(row!.id);
  },
  async succeed(db: Database, id: number, outcome: SyncOutcome): Promise<void> {
    await db('ldap_sync_runs')
      .where({ id })
      .update({
        status: 'succeeded',
        ...outcome,
        watermark: JSON.stringify(outcome.watermark),
        reclassified: outcome.reclassified ? JSON.stringify(outcome.reclassified) : null,
        finished_at: db.fn.now(),
      });
  },
  /** Progress of a running sync (entries read so far, and the kind once decided), written outside its transaction. */
  async progress(db: Database, id: number, progress: { entries: number; kind?: SyncMode; fallback_reason?: string | null }): Promise<void> {
    await db('ldap_sync_runs').where({ id, status: 'running' }).update(progress);
  },
  /** The watermark of the latest good sync, or null. */
  async lastWatermark(db: Database): Promise<Watermark | null> {
    const row = (await db('ldap_sync_runs').where({ status: 'succeeded' }).orderBy('id', 'desc').first('watermark')) as { watermark: Watermark | null } | undefined;
    return row?.watermark ?? null;
  },
  /** True when no good full pass started in the last `hours` (a failed one does not count: it caught nothing). */
  async isFullDue(db: Database, hours: number): Promise<boolean> {
    const { rows } = (await db.raw(
      `select coalesce(max(started_at) <= now() - make_interval(mins => ?::int), true) as due from ldap_sync_runs
        where status = 'succeeded' and kind = 'full'`,
      [Math.ceil(hours * 60)],
    )) as { rows: { due: boolean }[] };
    return rows[0]?.due === true;
  },
  async fail(db: Database, id: number, errorId: string, error: string): Promise<void> {
    await db('ldap_sync_runs').where({ id }).update({ status: 'failed', error_id: errorId, error, finished_at: db.fn.now() });
  },
  /**
   * Runs still 'running' that no sync is running any more (the node stopped mid-way): called by the sync that holds
   * the lock, so none of them is running. A minute's margin spares an attempt that is just about to try the lock.
   */
  async failInterrupted(db: Database, exceptId: number, errorId: string, error: string): Promise<void> {
    await db('ldap_sync_runs')
      .where({ status: 'running' })
      .whereNot({ id: exceptId })
      .whereRaw("started_at < now() - interval '1 minute'")
      .update({ status: 'failed', error_id: errorId, error, finished_at: db.fn.now() });
  },
  /** A scheduled attempt that found another sync running leaves no row. */
  async discard(db: Database, id: number): Promise<void> {
    await db('ldap_sync_runs').where({ id }).delete();
  },
  /** The latest good sync, and the latest good full one (for /metrics and the admin page). */
  async latestGood(db: Database): Promise<{ last: SyncRun | undefined; lastFull: SyncRun | undefined }> {
    const last = (await db('ldap_sync_runs').where({ status: 'succeeded' }).orderBy('id', 'desc').first()) as SyncRunRow | undefined;
    const lastFull =
      last?.kind === 'full' ? last : ((await db('ldap_sync_runs').where({ status: 'succeeded', kind: 'full' }).orderBy('id', 'desc').first()) as SyncRunRow | undefined);
    return { last: last ? toRun(last) : undefined, lastFull: lastFull ? toRun(lastFull) : undefined };
  },
  async find(db: Database, id: number): Promise<SyncRun | undefined> {
    const row = (await db('ldap_sync_runs').where({ id }).first()) as SyncRunRow | undefined;
    return row ? toRun(row) : undefined;
  },
  async recent(db: Database, limit: number, beforeId?: number): Promise<SyncRun[]> {
    const query = db('ldap_sync_runs').orderBy('id', 'desc').limit(limit);
    if (beforeId !== undefined) query.where('id', '<', beforeId);
    return ((await query) as SyncRunRow[]).map(toRun);
  },
  /** True when no sync of any node started in the last `minutes` (the database's clock, shared by every node). */
  async isDue(db: Database, minutes: number): Promise<boolean> {
    const { rows } = (await db.raw('select coalesce(max(started_at) <= now() - make_interval(mins => ?::int), true) as due from ldap_sync_runs', [
      Math.ceil(minutes),
    ])) as { rows: { due: boolean }[] };
    return rows[0]?.due === true;
  },
};
