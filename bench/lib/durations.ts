// Duration-based measurements (a job run start to finish, e.g. the identity report), beside the runner's req/s
// targets: each run's wall time and the server's peak RSS, medians over the runs, ratios against a baseline
// measured in the same run, and the cost per unit (per user) so a scale curve shows how the cost grows.
import { median } from './report.ts';

export interface DurationRun {
  seconds: number;
  /** VmHWM of the server process during the run (NaN for a baseline with no server of ours). */
  peakRssMiB: number;
  /** Named parts of the run in seconds (e.g. sync, reconcile, download). */
  phases: Record<string, number>;
}

export interface DurationSummary {
  id: string;
  label: string;
  scenario: string;
  /** Units (users) the run went over, for the per-unit cost. */
  units: number;
  runs: DurationRun[];
  seconds: number;
  spreadPct: number;
  peakRssMiB: number;
  phases: Record<string, number>;
  /** Id of the baseline this one is compared with, and seconds / baseline seconds. */
  vs?: string;
  ratio?: number;
  microsPerUnit: number;
}

export interface DurationCheck {
  label: string;
  value: number;
  unit: 'x' | 'MiB' | 'count';
  /** The value must be ≤ bound (and ≥ min when set: min = bound asks for exactly bound). */
  bound: number;
  min?: number;
  pass: boolean;
}

export interface DurationSection {
  title: string;
  summaries: DurationSummary[];
  checks: DurationCheck[];
  notes: string[];
  /** What `units` counts, for the column headers (default "user"). */
  unit?: string;
}

export function summariseDurations(base: Omit<DurationSummary, 'seconds' | 'spreadPct' | 'peakRssMiB' | 'phases' | 'microsPerUnit'>): DurationSummary {
  const seconds = median(base.runs.map((r) => r.seconds));
  const phaseNames = [...new Set(base.runs.flatMap((r) => Object.keys(r.phases)))];
  const rss = base.runs.map((r) => r.peakRssMiB).filter((v) => !Number.isNaN(v));
  return {
    ...base,
    seconds,
    spreadPct: base.runs.length > 1 ? ((Math.max(...base.runs.map((r) => r.seconds)) - Math.min(...base.runs.map((r) => r.seconds))) / seconds) * 100 : 0,
    peakRssMiB: rss.length ? Math.max(...rss) : Number.NaN,
    phases: Object.fromEntries(phaseNames.map((name) => [name, median(base.runs.map((r) => r.phases[name] ?? Number.NaN))])),
    microsPerUnit: (seconds * 1e6) / base.units,
  };
}

/** Sets `ratio` on each summary that names a baseline (`vs`) present in the list. */
export function addDurationRatios(summaries: DurationSummary[]): void {
  const byId = new Map(summaries.map((s) => [s.id, s]));
  for (const s of summaries) if (s.vs && byId.has(s.vs)) s.ratio = s.seconds / byId.get(s.vs)!.seconds;
}

const columns = (unit = 'user') => ['measurement', `${unit}s`, 'median s', '±%', 'ratio', `µs/${unit}`, 'peak RSS MiB', 'phases (median s)'];

function cells(s: DurationSummary): string[] {
  const num = (n: number | undefined, digits: number) => (n !== undefined && Number.isFinite(n) ? n.toFixed(digits) : '–');
  return [
    s.label,
    s.units.toLocaleString('en'),
    num(s.seconds, 2),
    num(s.spreadPct, 0),
    s.ratio !== undefined ? `${num(s.ratio, 2)}× ${s.vs}` : '–',
    num(s.microsPerUnit, 1),
    num(s.peakRssMiB, 0),
    Object.entries(s.phases)
      .map(([name, v]) => `${name} ${num(v, 2)}`)
      .join(', ') || '–',
  ];
}

function checkLine(c: DurationCheck): string {
  const count = (n: number) => n.toLocaleString('en');
  const value =
    c.unit === 'x'
      ? `${c.value.toFixed(2)}× (≤ ${c.bound}×)`
      : c.unit === 'MiB'
        ? `${c.value.toFixed(0)} MiB (≤ ${c.bound} MiB)`
        : `${count(c.value)} (${c.min === c.bound ? '=' : '≤'} ${count(c.bound)})`;
  return `${c.pass ? 'PASS' : 'MISS'}  ${c.label}: ${value}`;
}

export function formatDurationsText(sections: DurationSection[]): string {
  return sections
    .map((section) => {
      const COLUMNS = columns(section.unit);
      const body = section.summaries.map(cells);
      const widths = COLUMNS.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
      const line = (row: string[]) => row.map((c, i) => (i === 0 || i === row.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
      return [section.title, line(COLUMNS), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line), '', ...section.checks.map(checkLine)].join('\n');
    })
    .join('\n\n');
}

export function formatDurationsMarkdown(sections: DurationSection[]): string {
  return sections
    .map((section) =>
      [
        `## ${section.title}`,
        '',
        `| ${columns(section.unit).join(' | ')} |`,
        `|${columns(section.unit).map((_, i, all) => (i === 0 || i === all.length - 1 ? '---' : '---:')).join('|')}|`,
        ...section.summaries.map((s) => `| ${cells(s).join(' | ')} |`),
        '',
        ...section.checks.map((c) => `- ${checkLine(c)}`),
        ...section.notes.map((n) => `- ${n}`),
        '',
      ].join('\n'),
    )
    .join('\n');
}
