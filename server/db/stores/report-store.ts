import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Database } from '../connect.ts';

/** A pooled connection as knex hands it out on PostgreSQL; knex drops one marked disposed instead of reusing it. */
type PooledClient = pg.Client & { __knex__disposed?: string };

export type ReportStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';

export interface ReportRunRow {
  id: string;
  kind: string;
  status: ReportStatus;
  total: number;
  processed: number;
  summary: Record<string, number>;
  requested_by: string;
  error: string | null;
  cancel_requested: boolean;
  created_at: Date;
  finished_at: Date | null;
}

/** A report row: the account, the objectId each source last saw for it, and the alignment. */
export interface ReportRowRecord {
  run_id: string;
  seq: number;
  user_id: string;
  username: string;
  email: string;
  auth_service: string;
  auth_data: string | null;
  oauth_object_id: string | null;
  oauth_seen_at: Date | null;
  saml_object_id: string | null;
  saml_seen_at: Date | null;
  ldap_object_id: string | null;
  ldap_seen_at: Date | null;
  status: string;
  error_id: string | null;
  mam_error: string | null;
  next_step: string;
}

export interface RowFilter {
  status?: string;
  /** Matches username, email or user id (case-insensitive substring). */
  search?: string;
  afterSeq?: number;
  limit: number;
}

export const reportStore = {
  async createRun(db: Database, run: Pick<ReportRunRow, 'id' | 'kind' | 'requested_by'>): Promise<ReportRunRow> {
    const [row] = (await db('report_runs').insert({ ...run, status: 'queued' }).returning('*')) as ReportRunRow[];
    return row!;
  },
  findRun(db: Database, id: string): Promise<ReportRunRow | undefined> {
    return db('report_runs').where({ id }).first();
  },
  async latestCompleted(db: Database, kind: string): Promise<ReportRunRow | undefined> {
    return (await reportStore.lastCompleted(db, kind, 1))[0];
  },
  listRuns(db: Database, kind: string, limit: number): Promise<ReportRunRow[]> {
    return db('report_runs').where({ kind }).orderBy('created_at', 'desc').limit(limit);
  },
  /** The last `limit` completed runs of a kind, newest first. */
  lastCompleted(db: Database, kind: string, limit: number): Promise<ReportRunRow[]> {
    return db('report_runs').where({ kind, status: 'completed' }).orderBy('created_at', 'desc').limit(limit);
  },
  async updateRun(db: Database, id: string, fields: Partial<Omit<ReportRunRow, 'id'>>): Promise<void> {
    const values: Record<string, unknown> = { ...fields };
    if (fields.summary) values.summary = JSON.stringify(fields.summary);
    await db('report_runs').where({ id }).update(values);
  },
  /** The error ids of a run's rows of these statuses, with how many rows name each, most frequent first. */
  async errorCounts(db: Database, runId: string, statuses: string[]): Promise<{ error_id: string; n: number }[]> {
    const rows = (await db('report_rows')
      .where({ run_id: runId })
      .whereIn('status', statuses)
      .whereNotNull('error_id')
      .select('error_id', db.raw('count(*)::int as n'))
      .groupBy('error_id')
      .orderByRaw('count(*) desc, error_id')) as { error_id: string; n: number }[];
    return rows.map((row) => ({ error_id: row.error_id, n: Number(row.n) }));
  },
  rows(db: Database, runId: string, filter: RowFilter, columns: readonly string[] = ['*']): Promise<ReportRowRecord[]> {
    const query = db('report_rows').select(...columns).where({ run_id: runId }).orderBy('seq').limit(filter.limit);
    if (filter.status) query.where('status', filter.status);
    if (filter.afterSeq !== undefined) query.where('seq', '>', filter.afterSeq);
    // Unfiltered, a run's seqs are dense (1..n), so the next page is a closed range. Without the upper bound the
    // planner, short of statistics on fresh rows, reads every row after the cursor and sorts them on each page.
    if (filter.afterSeq !== undefined && !filter.status && !filter.search) query.where('seq', '<=', filter.afterSeq + filter.limit);
    if (filter.search) {
      const like = `%${filter.search.replace(/[\\%_]/g, '\\$&').toLowerCase()}%`;
      query.where((q) => q.whereRaw('lower(username) like ?', [like]).orWhereRaw('lower(email) like ?', [like]).orWhere('user_id', filter.search!));
    }
    return query;
  },

  /**
   * PostgreSQL only: a run's rows (seq order, only `status` when given) as COPY writes them in CSV, every
   * non-null field quoted, each row ending with LF. `columns` are SQL expressions over report_rows.
   */
  async *copyCsv(db: Database, runId: string, status: string | undefined, columns: string[]): AsyncGenerator<Buffer> {
    const connection = (await db.client.acquireConnection()) as PooledClient;
    let complete = false;
    try {
      // COPY takes no parameters: the values are written as literals, escaped by the driver.
      const where = [`run_id = ${connection.escapeLiteral(runId)}`];
      if (status !== undefined) where.push(`status = ${connection.escapeLiteral(status)}`);
      const sql = `copy (select ${columns.join(', ')} from report_rows where ${where.join(' and ')} order by seq)
        to stdout with (format csv, force_quote *)`;
      for await (const chunk of connection.query(copyTo(sql))) yield chunk as Buffer;
      complete = true;
    } finally {
      // A COPY left part-way (the reader went away, or it failed) leaves the connection mid-protocol: close it.
      if (!complete) {
        connection.__knex__disposed = 'a report download ended before its COPY did';
        connection.end().catch(() => undefined);
      }
      await db.client.releaseConnection(connection);
    }
  },
};
