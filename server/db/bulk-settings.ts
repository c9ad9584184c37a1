// Settings for the big set-based statements of one transaction (a sync's merge, a report's ranges), scoped to it.
import type { Knex } from 'knex';

export interface BulkOptions {
  /** false: no nested-loop joins, for statements whose every join spans a whole range and whose statistics may lag behind a sync's writes. */
  nestedLoops?: boolean;
  /**
   * true: the commit does not wait for its WAL to reach the disk. Only for writes that a later ordinary commit
   * makes durable: the WAL is flushed in order, so that commit's flush covers them, and a crash before it can
   * lose only writes whose outcome nobody was told of yet (a report's rows before its run is marked completed).
   */
  asyncCommit?: boolean;
  /** The statistics target of ANALYZE in this transaction (rows sampled: 300 × target). */
  statisticsTarget?: number;
  /**
   * false: no sequential scans where an index serves, for statements that join a few rows (an incremental sync's
   * changed entries and touched accounts) to whole tables: index lookups for each row, never a scan of every
   * account and entry (a table without an index, such as the staging table, is still scanned).
   */
  tableScans?: boolean;
}

/** No JIT (compiling these statements costs more than running them) and room to hash and sort 100,000s of rows in memory. */
export async function tuneForBulk(trx: Knex.Transaction, options: BulkOptions = {}): Promise<void> {
  const settings: [string, string][] = [
    ['jit', 'off'],
    ['work_mem', '64MB'],
    ['enable_nestloop', options.nestedLoops === false ? 'off' : 'on'],
  ];
  // Otherwise left as the server has it (which may be stricter than 'on', for a synchronous standby).
  if (options.asyncCommit) settings.push(['synchronous_commit', 'off']);
  if (options.statisticsTarget !== undefined) settings.push(['default_statistics_target', String(options.statisticsTarget)]);
  if (options.tableScans === false) settings.push(['enable_seqscan', 'off']);
  await trx.raw(`select ${settings.map(() => 'set_config(?, ?, true)').join(', ')}`, settings.flat());
}
