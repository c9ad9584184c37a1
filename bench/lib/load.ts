// Runs one measurement: the load generator in its own (pinned) process against a server process, with the
// server's CPU time and peak RSS and the host's CPU sampled between the generator's START and its RESULT.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadSpec } from './load-spec.ts';
import { cpuDelta, hostCpu, peakRssMiB, postgresCpu, processCpuSeconds, resetPeakRss } from './machine.ts';

const LOADGEN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'loadgen.ts');

export interface Measurement extends LoadResult {
  /** CPU the server process used, in % of one core. */
  serverCpuPct: number;
  /** Busy share of all cores of the machine (server + generator + PostgreSQL + everything else). */
  hostCpuPct: number;
  /** CPU of PostgreSQL for the bench database (its backends and the server's background processes), % of one core. */
  pgCpuPct: number;
  /** CPU of everything else on the machine (other programs), in % of one core: high means a disturbed run. */
  otherCpuPct: number;
  /** Peak RSS of the server process during this measurement (MiB); NaN when unknown. */
  peakRssMiB: number;
  /** CPU of the target's helper processes (a proxy), in % of one core; 0 when it has none. */
  helperCpuPct: number;
  /** When the load ran, on the monotonic clock in µs (the clock V8 CPU profiles use), to cut profiles by target. */
  window: { fromUs: number; toUs: number };
}

const running = new Set<ChildProcess>();

/** Ends the load generators under way (on Ctrl-C), by their own pids. */
export function stopLoad(): void {
  for (const child of running) child.kill('SIGTERM');
}

export interface MeasureOptions {
  serverPid: number;
  /** Pinning prefix of the load generator. */
  pin: string[];
  /** Name of the bench database: its backends' CPU is reported apart from the rest of the machine. */
  database?: string;
  /** More server processes (several nodes behind a proxy): CPU and peak RSS are summed with the server's. */
  extraServerPids?: number[];
  /** Helper processes (a proxy): their CPU is reported apart as helperCpuPct. */
  helperPids?: number[];
}

export async function measure(spec: LoadSpec, o: MeasureOptions): Promise<Measurement> {
  const serverPids = [o.serverPid, ...(o.extraServerPids ?? [])];
  const sumCpu = (pids: number[]) => pids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
  const helpers = o.helperPids ?? [];
  const pgCpu = () => (o.database ? postgresCpu(o.database) : new Map<number, number>());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mamgate-bench-'));
  const specFile = path.join(dir, 'spec.json');
  writeFileSync(specFile, JSON.stringify(spec));
  try {
    const argv = [...o.pin, process.execPath, '--import', 'tsx', LOADGEN, specFile];
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.once('close', () => running.delete(child));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    let start: { cpu: number; helperCpu: number; pg: Map<number, number>; host: ReturnType<typeof hostCpu>; at: bigint } | undefined;
    let result: Measurement | undefined;
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line === 'START') {
        for (const pid of serverPids) resetPeakRss(pid);
        start = { cpu: sumCpu(serverPids), helperCpu: sumCpu(helpers), pg: pgCpu(), host: hostCpu(), at: process.hrtime.bigint() };
      } else if (line.startsWith('RESULT ') && start) {
        const wallS = Number(process.hrtime.bigint() - start.at) / 1e9;
        const host = hostCpu();
        const load = JSON.parse(line.slice(7)) as LoadResult;
        const serverCpuPct = ((sumCpu(serverPids) - start.cpu) / wallS) * 100;
        const helperCpuPct = ((sumCpu(helpers) - start.helperCpu) / wallS) * 100;
        const hostCpuPct = ((host.busy - start.host.busy) / (host.total - start.host.total)) * 100;
        const pgCpuPct = (cpuDelta(start.pg, pgCpu()) / wallS) * 100;
        result = {
          ...load,
          serverCpuPct,
          hostCpuPct,
          pgCpuPct,
          otherCpuPct: Math.max(0, hostCpuPct * os.availableParallelism() - serverCpuPct - helperCpuPct - load.generatorCpuPct - pgCpuPct),
          // Several nodes: the sum of their peaks (each node's own high-water mark during the run).
          peakRssMiB: serverPids.reduce((sum, pid) => sum + peakRssMiB(pid), 0),
          helperCpuPct,
          window: { fromUs: Number(start.at / 1000n), toUs: Number(process.hrtime.bigint() / 1000n) },
        };
      }
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode) => resolve(exitCode));
    });
    if (code !== 0 || !result) throw new Error(`load generator failed (exit ${code}): ${stderr.trim()}`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
