// From the stats answers to what a chart and its table show: one series per group and key, named in words,
// with a colour by what it means (a success green, a refusal red); the buckets labelled in UTC (hour:
// "12-07 14:00", day: "2026-12-07").
import type { AlignmentStatsAnswer, StatsAnswer, StatsBucket } from '../../api/types.ts';
import { ALIGNMENT_LABELS } from '../../shared/labels.ts';

/** Shades per meaning, darkest first; a group with more keys than shades repeats them. */
const GOOD = ['#2e8b57', '#66bb8a', '#1b5e3a'];
const WARN = ['#d98a00', '#f2bd4c', '#9c6200'];
const BAD = ['#c62828', '#e57373', '#8e1b1b', '#f2a1a1', '#a33d6b'];
const OTHER = ['#1c58d9', '#8a4fd6', '#0b8aa8', '#6b7a8f', '#b8336a'];

/** The groups of the stats answers (enrollment statuses, sign-in outcomes) and the alignment statuses. */
const TONE_OF: Record<string, string[]> = {
  enrolled: GOOD,
  success: GOOD,
  aligned: GOOD,
  declined: WARN,
  missing_source: WARN,
  failed: BAD,
  failure: BAD,
  refused: BAD,
  mismatch: BAD,
};

/** A colour for each group in order; keys of one group get its shades one after another. */
function colours(groups: string[]): string[] {
  const used = new Map<string[], number>();
  return groups.map((group) => {
    const tone = TONE_OF[group] ?? OTHER;
    const n = used.get(tone) ?? 0;
    used.set(tone, n + 1);
    return tone[n % tone.length]!;
  });
}

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
  const colour = colours(answer.series.map((s) => s.group));
  return {
    labels: answer.buckets.map((b) => bucketLabel(b, answer.bucket)),
    series: answer.series.map((s, i) => ({ label: seriesName(s.group, s.key), data: s.counts, color: colour[i]! })),
    total: answer.total,
  };
}

/** "#2 12-07 13:25": its place among the reports shown (oldest first) and when it finished, in UTC. Reports run
 * one after another can finish in the same second, so the time alone does not tell them apart. */
export function reportLabel(report: { created_at: string; finished_at: string | null }, index: number): string {
  return `#${index + 1} ${bucketLabel(report.finished_at ?? report.created_at, 'hour')}`;
}

export function chartOfAlignment(answer: AlignmentStatsAnswer): ChartData {
  const colour = colours(answer.statuses);
  return {
    labels: answer.reports.map((r, i) => reportLabel(r, i)),
    series: answer.statuses.map((status, i) => ({
      label: ALIGNMENT_LABELS[status],
      data: answer.reports.map((r) => r.summary[status] ?? 0),
      color: colour[i]!,
    })),
    total: answer.reports.reduce((sum, r) => sum + r.total, 0),
  };
}
