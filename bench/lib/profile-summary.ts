// Summarises a V8 .cpuprofile (from `node --cpu-prof`): top functions by self time, self time by origin
// (mamgate's server/ folders, each npm package, node internals, GC, idle), and inclusive time of chosen frames.
//   node --import tsx bench/lib/profile-summary.ts FILE.cpuprofile [--top 25] [--focus name,name] [--target ID]
// --target cuts the profile to that target's measured runs, read from latest.json beside the profile.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function origin(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native/builtin)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 14).split('/');
    return `npm:${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  const server = /\/(server|bench|bin|migrations)\/(.*)$/.exec(url);
  if (server) {
    const parts = server[2]!.split('/');
    return `${server[1]}/${parts.length > 1 ? parts[0] : parts[0]!.replace(/\.ts$/, '')}`;
  }
  return path.basename(url);
}

function frameKey(frame: CallFrame): string {
  const where = frame.url ? `${frame.url.replace(/^file:\/\/.*?\/(server|node_modules|bench|bin)\//, '$1/')}:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'} ${where}`.trim();
}

export interface ProfileSummary {
  totalMs: number;
  top: { frame: string; selfMs: number; pct: number }[];
  origins: { origin: string; selfMs: number; pct: number }[];
  focus: { name: string; inclusiveMs: number; pct: number }[];
  /** Time of each sample charged to the innermost mamgate frame (server/…) on its stack, so time in libraries
   * (zod, knex, pg…) shows under the mamgate function that called them (synchronous stacks only). */
  byServerFrame: { frame: string; ms: number; pct: number }[];
}

export function summariseProfile(
  profile: CpuProfile,
  options: { top?: number; focus?: string[]; windows?: { fromUs: number; toUs: number }[] } = {},
): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  const windows = options.windows;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    at += profile.timeDeltas[i] ?? 0;
    // Sample times are on the monotonic clock (µs), like process.hrtime in the runner.
    if (windows && !windows.some((w) => at >= w.fromUs && at <= w.toUs)) continue;
    // timeDeltas[i] is the time before sample i; the sample's weight is the next delta (the usual approximation).
    const weight = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + weight);
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byFrame = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  const focus = options.focus ?? [];
  const focusUs = new Map<string, number>(focus.map((f) => [f, 0]));
  const byServer = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const key = frameKey(node.callFrame);
    byFrame.set(key, (byFrame.get(key) ?? 0) + us);
    const o = origin(node.callFrame.url, node.callFrame.functionName);
    byOrigin.set(o, (byOrigin.get(o) ?? 0) + us);
    let owner = '(no mamgate frame on the stack)';
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
      const frame = byId.get(up)!.callFrame;
      if (/\/server\//.test(frame.url) && !frame.url.includes('/node_modules/')) {
        owner = frameKey(frame);
        break;
      }
    }
    if (node.callFrame.functionName !== '(idle)') byServer.set(owner, (byServer.get(owner) ?? 0) + us);
    if (focus.length) {
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const name = byId.get(at)!.callFrame.functionName;
        if (focusUs.has(name) && !seen.has(name)) {
          seen.add(name);
          focusUs.set(name, focusUs.get(name)! + us);
        }
      }
    }
  }
  const pct = (us: number) => (us / total) * 100;
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return {
    totalMs: total / 1000,
    top: sorted(byFrame)
      .slice(0, options.top ?? 25)
      .map(([frame, us]) => ({ frame, selfMs: us / 1000, pct: pct(us) })),
    origins: sorted(byOrigin).map(([o, us]) => ({ origin: o, selfMs: us / 1000, pct: pct(us) })),
    focus: [...focusUs].map(([name, us]) => ({ name, inclusiveMs: us / 1000, pct: pct(us) })),
    byServerFrame: sorted(byServer)
      .slice(0, options.top ?? 25)
      .map(([frame, us]) => ({ frame, ms: us / 1000, pct: pct(us) })),
  };
}

export function formatProfileSummary(file: string, s: ProfileSummary): string {
  const lines = [`${file}: ${(s.totalMs / 1000).toFixed(1)} s sampled`, '', 'self time by origin:'];
  for (const o of s.origins.filter((o) => o.pct >= 0.5)) lines.push(`  ${o.pct.toFixed(1).padStart(5)}%  ${o.origin}`);
  lines.push('', 'top functions by self time:');
  for (const t of s.top) lines.push(`  ${t.pct.toFixed(1).padStart(5)}%  ${t.frame}`);
  lines.push('', 'busy time by innermost mamgate frame (libraries charged to their mamgate caller):');
  for (const f of s.byServerFrame) lines.push(`  ${f.pct.toFixed(1).padStart(5)}%  ${f.frame}`);
  if (s.focus.length) {
    lines.push('', 'inclusive time of:');
    for (const f of s.focus) lines.push(`  ${f.pct.toFixed(1).padStart(5)}%  ${f.name}`);
  }
  return lines.join('\n');
}

export const DEFAULT_FOCUS = [
  'loginByIntune',
  'verify',
  'checkSignature',
  'matchUser',
  'currentSettings',
  'currentLicense',
  'openSession',
  'audit',
  'catchUp',
  'transaction',
  'checkCached',
  'hashToken',
  'sessionTokenFrom',
  'newRequestId',
  'writeHead',
  'parserOnIncoming',
  'handle',
  'query',
  'processTicksAndRejections',
];

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const files = args.filter((a) => a.endsWith('.cpuprofile'));
  const topAt = args.indexOf('--top');
  const focusAt = args.indexOf('--focus');
  const targetAt = args.indexOf('--target');
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    let windows: { fromUs: number; toUs: number }[] | undefined;
    if (targetAt >= 0) {
      const report = JSON.parse(readFileSync(path.join(path.dirname(file), 'latest.json'), 'utf8')) as {
        targets: { id: string; runs: { window: { fromUs: number; toUs: number } }[] }[];
      };
      windows = report.targets.find((t) => t.id === args[targetAt + 1])?.runs.map((r) => r.window);
      if (!windows) throw new Error(`no target ${args[targetAt + 1]} in latest.json`);
    }
    const summary = summariseProfile(profile, {
      windows,
      top: topAt >= 0 ? Number(args[topAt + 1]) : 25,
      focus: focusAt >= 0 ? args[focusAt + 1]!.split(',') : DEFAULT_FOCUS,
    });
    process.stdout.write(`${formatProfileSummary(file, summary)}\n\n`);
  }
}
