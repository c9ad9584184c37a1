import { AUDIT_ACTIONS, SIGN_IN_ACTIONS } from '../../contract/audit-actions.ts';
import type { StatsBucket } from '../../contract/stats.ts';
import type { Database } from '../connect.ts';

export type { StatsBucket };

export interface StatsRange {
  bucket: StatsBucket;
  /** Inclusive. */
  since: Date;
  /** Exclusive. */
  until: Date;
}

/** One count of one bucket: `group` and `key` name the series (status and cause, outcome and refusal id…). */
export interface StatsCountRow {
  bucket: Date;
  group: string;
  key: string;
  count: number;
}

/** A gate refusal entry stands for itself and the repeats counted in memory since the previous one (gate-refusal-audit.ts). */
const GATE_WEIGHT = "1 + coalesce((details->>'repeats_since_last_entry')::int, 0)";


// Each aggregate reads one time range of one table by an index whose leading columns are the filter (audit_log
// (action, at), enrollment_events (created_at)), and counts per UTC bucket with date_trunc … group by. The bench
// (bench/scenarios/stats.ts, `npm run bench -- --only stats`) times them at 1M audit rows.
function counted(rows: { bucket: Date; group: string | null; key: string | null; count: string | number }[]): StatsCountRow[] {
  return rows.map((r) => ({ bucket: new Date(r.bucket), group: r.group ?? '', key: r.key ?? '', count: Number(r.count) }));
}

export const statsStore = {
  /** Enrollment reports per bucket by status (group) and classified cause (key). */
  async enrollmentOutcomes(db: Database, range: StatsRange): Promise<StatsCountRow[]> {
    return counted(
      await db('enrollment_events')
        .select(db.raw("date_trunc(?, created_at, 'UTC') as bucket, status as \"group\", cause as key, count(*) as count", [range.bucket]))
        .where('created_at', '>=', range.since)
        .andWhere('created_at', '<', range.until)
        .groupByRaw('1, 2, 3'),
    );
  },
  /** Intune and SAML sign-ins per bucket by outcome (group) and refusal id (key; '' for a success). */
  async signIns(db: Database, range: StatsRange): Promise<StatsCountRow[]> {
    return counted(
      await db('audit_log')
        .select(db.raw("date_trunc(?, at, 'UTC') as bucket, outcome as \"group\", coalesce(details->>'error_id', '') as key, count(*) as count", [range.bucket]))
        .whereIn('action', SIGN_IN_ACTIONS)
        .andWhere('at', '>=', range.since)
        .andWhere('at', '<', range.until)
        .groupByRaw('1, 2, 3'),
    );
  },
  /** Gate refusals per bucket by refusal id (key), each entry weighted by the repeats it carries. */
  async gateRefusals(db: Database, range: StatsRange): Promise<StatsCountRow[]> {
    return counted(
      await db('audit_log')
        .select(db.raw(`date_trunc(?, at, 'UTC') as bucket, 'refused' as "group", coalesce(details->>'error_id', '') as key, sum(${GATE_WEIGHT}) as count`, [range.bucket]))
        .where('action', AUDIT_ACTIONS.gateRefused)
        .andWhere('at', '>=', range.since)
        .andWhere('at', '<', range.until)
        .groupByRaw('1, 2, 3'),
    );
  },
};
