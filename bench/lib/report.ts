// Medians, ratios and checks over the measured runs, printed as a table and written as JSON and Markdown.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type DurationSection, formatDurationsMarkdown, formatDurationsText } from './durations.ts';
import type { Measurement } from './load.ts';
import type { Check, Target } from './scenario.ts';

export interface TargetSummary {
  id: string;
  label: string;
  scenario: string;
  runs: Measurement[];
  rps: number;
  /** (max − min) / median of req/s over the runs, in %. */
  spreadPct: number;
  p50: number;
  p99: number;
  serverCpuPct: number;
  /** Server CPU time per request (µs): robust to a busy machine, unlike req/s. */
  serverUsPerReq: number;
  generatorCpuPct: number;
  hostCpuPct: number;
  pgCpuPct: number;
  otherCpuPct: number;
  peakRssMiB: number;
  /** CPU of the target's helper processes (a proxy), % of one core; 0 when it has none. */
  helperCpuPct: number;
  /** Responses with another status than the probe's, plus socket errors and timeouts, over all runs. */
  failures: number;
  vsPeer?: number;
  vsBare?: number;
}

export interface CheckResult extends Check {
  value: number;
  unit: 'x' | 'ms';
  bound: number;
  pass: boolean;
  /** Context that does not decide the check (e.g. the same ratio in CPU per request). */
  note?: string;
}

export interface Report {
  generatedAt: string;
  machine: { node: string; cpu: string; cores: number; pinning: string };
  settings: Record<string, unknown>;
  profiled: boolean;
  targets: TargetSummary[];
  checks: CheckResult[];
  notes: string[];
  /** Duration-based scenarios (e.g. the identity report), each its own table. */
  durations?: DurationSection[];
}

export function median(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarise(target: Target, runs: Measurement[]): TargetSummary {
  const rps = runs.map((r) => r.rps);
  const m = median(rps);
  const expected = String(target.probe.status);
  return {
    id: target.id,
    label: target.label,
    scenario: target.scenario,
    runs,
    rps: m,
    spreadPct: runs.length > 1 ? ((Math.max(...rps) - Math.min(...rps)) / m) * 100 : 0,
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    serverCpuPct: median(runs.map((r) => r.serverCpuPct)),
    serverUsPerReq: median(runs.map((r) => (r.serverCpuPct * 1e4) / r.rps)),
    generatorCpuPct: median(runs.map((r) => r.generatorCpuPct)),
    hostCpuPct: median(runs.map((r) => r.hostCpuPct)),
    pgCpuPct: median(runs.map((r) => r.pgCpuPct)),
    otherCpuPct: median(runs.map((r) => r.otherCpuPct)),
    peakRssMiB: Math.max(...runs.map((r) => r.peakRssMiB)),
    helperCpuPct: median(runs.map((r) => r.helperCpuPct ?? 0)),
    failures: runs.reduce(
      (sum, r) =>
        sum + r.errors + r.timeouts + Object.entries(r.statusCodes).reduce((s, [code, count]) => s + (code === expected ? 0 : count), 0),
      0,
    ),
  };
}

export function addRatios(targets: TargetSummary[]): void {
  const peer = targets.find((t) => t.id === 'peer')?.rps;
  const bare = targets.find((t) => t.id === 'bare')?.rps;
  for (const t of targets) {
    if (peer) t.vsPeer = t.rps / peer;
    if (bare) t.vsBare = t.rps / bare;
  }
}

export function evaluate(checks: Check[], targets: TargetSummary[]): CheckResult[] {
  const byId = new Map(targets.map((t) => [t.id, t]));
  const results: CheckResult[] = [];
  for (const check of checks) {
    const target = byId.get(check.target);
    if (!target) continue;
    if (check.vs !== undefined && check.min !== undefined) {
      const vs = byId.get(check.vs);
      if (!vs) continue;
      const value = target.rps / vs.rps;
      const cpu = vs.serverUsPerReq / target.serverUsPerReq;
      results.push({
        ...check,
        value,
        unit: 'x',
        bound: check.min,
        pass: value >= check.min && target.failures === 0,
        note: `server CPU per request: ${target.serverUsPerReq.toFixed(0)} µs vs ${vs.serverUsPerReq.toFixed(0)} µs = ${cpu.toFixed(2)}×`,
      });
    }
    if (check.vs !== undefined && check.maxCostRatio !== undefined) {
      const vs = byId.get(check.vs);
      if (!vs) continue;
      // The whole cost of an answer: the server's CPU and PostgreSQL's, per request.
      const cost = (t: TargetSummary) => ((t.serverCpuPct + t.pgCpuPct) * 1e4) / t.rps;
      const value = cost(target) / cost(vs);
      results.push({
        ...check,
        value,
        unit: 'x',
        bound: check.maxCostRatio,
        pass: value <= check.maxCostRatio && target.failures === 0 && vs.failures === 0,
        note: `server + PostgreSQL CPU per request: ${cost(target).toFixed(0)} µs vs ${cost(vs).toFixed(0)} µs; req/s ${fmt.int(target.rps)} vs ${fmt.int(vs.rps)}`,
      });
    }
    if (check.maxP99Ms !== undefined) {
      const bare = byId.get('bare');
      results.push({
        ...check,
        value: target.p99,
        unit: 'ms',
        bound: check.maxP99Ms,
        pass: target.p99 <= check.maxP99Ms && target.failures === 0,
        note: bare ? `bare node:http p99 in this run: ${bare.p99} ms` : undefined,
      });
    }
  }
  return results;
}

const fmt = {
  int: (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '–'),
  one: (n: number | undefined) => (n !== undefined && Number.isFinite(n) ? n.toFixed(n >= 10 ? 1 : 2) : '–'),
  ms: (n: number) => (Number.isFinite(n) ? `${n}` : '–'),
};

const COLUMNS = ['target', 'req/s', '±%', 'p50 ms', 'p99 ms', '×peer', '×bare', 'srv CPU%', 'srv µs/req', 'gen CPU%', 'pg CPU%', 'other CPU%', 'peak RSS MiB', 'bad'];

function rows(report: Report): string[][] {
  return report.targets.map((t) => [
    t.label,
    fmt.int(t.rps),
    fmt.one(t.spreadPct),
    fmt.ms(t.p50),
    fmt.ms(t.p99),
    fmt.one(t.vsPeer),
    fmt.one(t.vsBare),
    fmt.int(t.serverCpuPct),
    fmt.int(t.serverUsPerReq),
    fmt.int(t.generatorCpuPct),
    fmt.int(t.pgCpuPct),
    fmt.int(t.otherCpuPct),
    fmt.int(t.peakRssMiB),
    String(t.failures),
  ]);
}

function checkLine(c: CheckResult): string {
  const value = c.unit === 'x' ? `${c.value.toFixed(2)}×` : `${c.value} ms`;
  return `${c.pass ? 'PASS' : 'MISS'}  ${c.label}: ${value}${c.note ? `  (${c.note})` : ''}`;
}

export function formatText(report: Report): string {
  if (report.targets.length === 0 && report.durations?.length) return formatDurationsText(report.durations); // duration scenarios only
  const body = rows(report);
  const widths = COLUMNS.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    line(COLUMNS),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...body.map(line),
    '',
    ...report.checks.map(checkLine),
    ...(report.durations?.length ? ['', formatDurationsText(report.durations)] : []),
    ...(report.profiled ? ['', 'PROFILED RUN: the server ran under --cpu-prof; figures are not comparable with normal runs.'] : []),
  ].join('\n');
}

export function formatMarkdown(report: Report): string {
  const body = rows(report);
  const reqPerSecond = report.targets.length > 0 || !report.durations?.length; // a run of duration scenarios only has no req/s table
  return [
    `# mamgate bench — ${report.generatedAt}`,
    '',
    `Node ${report.machine.node}, ${report.machine.cores} × ${report.machine.cpu}; ${report.machine.pinning}.`,
    `Settings: ${Object.entries(report.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}.`,
    ...(reqPerSecond
      ? [
          '',
          `| ${COLUMNS.join(' | ')} |`,
          `|${COLUMNS.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
          ...body.map((r) => `| ${r.join(' | ')} |`),
          '',
          ...report.checks.map((c) => `- ${checkLine(c)}`),
          '',
          ...report.notes.map((n) => `- ${n}`),
        ]
      : ['', `- ${report.notes[0]}`]),
    ...(report.durations?.length ? ['', formatDurationsMarkdown(report.durations)] : []),
    ...(report.profiled ? ['', '**Profiled run**: the server ran under `--cpu-prof`; figures are not comparable.'] : []),
    '',
  ].join('\n');
}

export function writeReport(report: Report, dir: string): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = path.join(dir, 'latest.json');
  const md = path.join(dir, 'latest.md');
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(md, formatMarkdown(report));
  return { json, md };
}
