// The admin pages' charts: counts per hour or day over a bounded range, read by one aggregate query each
// (db/stores/stats-store.ts) and answered dense (every bucket of the range, zero where nothing happened), one
// series per group and key, so a chart and its table read the same numbers.
import { type StatsBucket, type StatsCountRow, type StatsRange, statsStore } from '../db/stores/stats-store.ts';
import type { Database } from '../db/connect.ts';
import type { StatsAnswer, StatsSeries } from '../contract/stats.ts';

export type { StatsAnswer, StatsBucket, StatsRange, StatsSeries };

const BUCKET_MS: Record<StatsBucket, number> = { hour: 3_600_000, day: 86_400_000 };
/** The most buckets one answer holds (31 days of hours). */
export const MAX_BUCKETS = 744;
/** The range when none is given: the last 24 hours by hour, the last 30 days by day. */
const DEFAULT_SPAN: Record<StatsBucket, number> = { hour: 24, day: 30 };

/** The start of the bucket holding `at`, in UTC (as date_trunc(…, 'UTC') computes it). */
function truncate(at: Date, bucket: StatsBucket): number {
  return Math.floor(at.getTime() / BUCKET_MS[bucket]) * BUCKET_MS[bucket];
}

/** The range asked for, the default span ending now where a bound is absent. */
export function statsRange(bucket: StatsBucket, since: Date | undefined, until: Date | undefined, now = new Date()): StatsRange {
  const end = until ?? now;
  const start = since ?? new Date(truncate(new Date(end.getTime() - 1), bucket) - (DEFAULT_SPAN[bucket] - 1) * BUCKET_MS[bucket]);
  return { bucket, since: start, until: end };
}

/** How many buckets a range spans (the routes refuse more than MAX_BUCKETS). */
export function bucketCount(range: StatsRange): number {
  return Math.max(0, Math.ceil((range.until.getTime() - truncate(range.since, range.bucket)) / BUCKET_MS[range.bucket]));
}

function dense(range: StatsRange, rows: StatsCountRow[]): StatsAnswer {
  const first = truncate(range.since, range.bucket);
  const step = BUCKET_MS[range.bucket];
  const n = bucketCount(range);
  const series = new Map<string, StatsSeries>();
  for (const row of rows) {
    const name = `${row.group}\u0000${row.key}`;
    let one = series.get(name);
    if (!one) {
      one = { group: row.group, key: row.key, counts: new Array<number>(n).fill(0), total: 0 };
      series.set(name, one);
    }
    const index = Math.round((row.bucket.getTime() - first) / step);
    if (index < 0 || index >= n) continue;
    one.counts[index]! += row.count;
    one.total += row.count;
  }
  const list = [...series.values()].sort((a, b) => b.total - a.total || a.group.localeCompare(b.group) || a.key.localeCompare(b.key));
  return {
    bucket: range.bucket,
    since: range.since.toISOString(),
    until: range.until.toISOString(),
    buckets: Array.from({ length: n }, (_, i) => new Date(first + i * step).toISOString()),
    series: list,
    total: list.reduce((sum, s) => sum + s.total, 0),
  };
}

/** Enrollment reports by status (group) and cause (key). */
export async function enrollmentStats(db: Database, range: StatsRange): Promise<StatsAnswer> {
  return dense(range, await statsStore.enrollmentOutcomes(db, range));
}

/** Intune and SAML sign-ins by outcome (group: success, refused, failure) and refusal id (key). */
export async function signInStats(db: Database, range: StatsRange): Promise<StatsAnswer> {
  return dense(range, await statsStore.signIns(db, range));
}

/** Gate refusals by refusal id (key), repeats inside an entry's window included. */
export async function gateRefusalStats(db: Database, range: StatsRange): Promise<StatsAnswer> {
  return dense(range, await statsStore.gateRefusals(db, range));
}
