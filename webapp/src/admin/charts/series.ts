// From the stats answers to what a chart and its table show: one series per group and key, named in words,
// with a colour each; the buckets labelled in UTC (hour: "12-07 14:00", day: "2026-12-07").
import type { AlignmentStatsAnswer, StatsAnswer, StatsBucket } from '../../api/types.ts';
import { ALIGNMENT_LABELS } from '../../shared/labels.ts';

/** Distinguishable on white, and with a dark label text; more series than colours repeat them. */
const PALETTE = ['#1c58d9', '#d24b4e', '#3db887', '#f5ab00', '#8a4fd6', '#0b8aa8', '#e07b39', '#6b7a8f', '#b8336a', '#5c9e31'];

export function bucketLabel(iso: string, bucket: StatsBucket): string {
  return bucket === 'day' ? iso.slice(0, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

/** One series of a bar chart: its name, a count per bucket, its colour. */
export interface BarSeries {
  label: string;
  data: number[];
  color: string;
}

export interface ChartData {
  labels: string[];
  series: BarSeries[];
  total: number;
}

/** "enrolled", "failed: intune_not_licensed", "refused: ent.intune.login.user_mismatch" (the catalogue id without its suffix). */
export function seriesName(group: string, key: string): string {
  return key && key !== 'none' ? `${group}: ${key.replace(/\.app_error$/, '')}` : group;
}

export function chartOfStats(answer: StatsAnswer): ChartData {
  return {
    labels: answer.buckets.map((b) => bucketLabel(b, answer.bucket)),
    series: answer.series.map((s, i) => ({ label: seriesName(s.group, s.key), data: s.counts, color: PALETTE[i % PALETTE.length]! })),
    total: answer.total,
  };
}

export function chartOfAlignment(answer: AlignmentStatsAnswer): ChartData {
  return {
    labels: answer.reports.map((r) => (r.finished_at ?? r.created_at).slice(0, 16).replace('T', ' ')),
    series: answer.statuses.map((status, i) => ({
      label: ALIGNMENT_LABELS[status],
      data: answer.reports.map((r) => r.summary[status] ?? 0),
      color: PALETTE[i % PALETTE.length]!,
    })),
    total: answer.reports.reduce((sum, r) => sum + r.total, 0),
  };
}
