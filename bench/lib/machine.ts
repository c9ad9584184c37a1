// What the bench knows about the machine: core pinning with taskset, and CPU/RSS counters from /proc.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

export interface Pinning {
  /** Command prefix for servers (e.g. ["taskset", "-c", "0"]) and for the load generator. */
  server: string[];
  load: string[];
  note: string;
}

export function choosePinning(): Pinning {
  const cores = os.availableParallelism();
  const taskset = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
  if (cores >= 2 && taskset) {
    return {
      server: ['taskset', '-c', '0'],
      load: ['taskset', '-c', '1'],
      note: `servers pinned to core 0, load generator to core 1 (taskset); ${cores} cores; PostgreSQL unpinned`,
    };
  }
  return { server: [], load: [], note: `no pinning (${taskset ? `${cores} core(s)` : 'taskset not found'})` };
}

/** Pinning prefix for one more process on core `core` (wrapped to the cores there are); [] without pinning. */
export function corePin(pin: Pinning, core: number): string[] {
  if (pin.server.length === 0) return [];
  return ['taskset', '-c', String(core % os.availableParallelism())];
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU seconds (user + system) a process has used so far; NaN when it cannot be read. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return Number.NaN;
  }
}

/** Busy and total jiffies of the whole machine (all cores), for "how busy was the host". */
export function hostCpu(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const total = values.reduce((a, b) => a + b, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

/** Resets a process's peak resident set (VmHWM) to its current size; false when the kernel refuses. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Peak resident set size in MiB since start or the last reset; NaN when unreadable. */
export function peakRssMiB(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Busy share of the whole machine over the next `ms` milliseconds, in % (0–100). */
export async function sampleHostBusy(ms: number): Promise<number> {
  const before = hostCpu();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = hostCpu();
  return ((after.busy - before.busy) / (after.total - before.total)) * 100;
}

/**
 * CPU seconds used so far by each PostgreSQL process working for `database`: the backends serving it (their
 * process title names the database) and the server's background processes (WAL writer, checkpointer…, whose
 * titles carry no client address), which work for every database. Compare two samples with `cpuDelta`.
 */
export function postgresCpu(database: string): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!title.startsWith('postgres: ')) continue;
      if (!title.includes('(') || title.includes(` ${database} `)) byPid.set(Number(entry), processCpuSeconds(Number(entry)) || 0);
    } catch {
      // gone meanwhile
    }
  }
  return byPid;
}

/** CPU seconds used between two samples by the processes alive at the second (a process gone meanwhile is lost). */
export function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += Math.max(0, seconds - (before.get(pid) ?? 0));
  return total;
}
