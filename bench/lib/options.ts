// Command-line options of `npm run bench`.
import { parseArgs } from 'node:util';

export interface BenchOptions {
  quick: boolean;
  only: string[] | undefined;
  runs: number;
  durationS: number;
  warmupS: number;
  connections: number;
  sessions: number;
  users: number;
  /** Distinct sessions the cycling gate variants go through. */
  cycle: number;
  profile: boolean;
  resultsDir: string;
  /** Seconds to wait at most for the machine to be quiet (< 25% busy) before starting. */
  quietWaitS: number;
  /** Database sizes of the scale curve: users, each with one live enrolled session. */
  scaleSizes: number[];
  /** Seconds per measured run of the scale and nodes targets (shorter than --duration: many targets). */
  scaleDurationS: number;
  /** Population sizes of the identity-report scenario. */
  reportUsers: number[];
}

export const USAGE = `npm run bench -- [options]
  --quick              about a minute: one short run per target (default: 3 runs, median)
  --only LIST          comma-separated scenarios: gate, companion, signin, scale, nodes, report, graph, stats (default: all)
  --runs N             measured runs per target (default 3, quick 1)
  --duration S         seconds per measured run (default 8, quick 4)
  --warmup S           seconds of warm-up per target (default 3, quick 2)
  --connections N      concurrent connections (default 50)
  --sessions N         live sessions seeded in PostgreSQL (default 100000)
  --users N            users the seeded sessions belong to (default 10000)
  --cycle N            distinct sessions of the cycling gate variants (default 10000)
  --profile            V8 CPU profile of the mamgate process (figures then not comparable), summarised at the end
  --results DIR        where latest.json / latest.md go (default bench/results)
  --quiet-wait S       wait at most S seconds for the machine to be quiet before starting (default 60, quick 20)
  --scale-sizes LIST   database sizes of the scale scenario, users = sessions (default 10000,100000,1000000;
                       quick 10000,100000)
  --scale-duration S   seconds per measured run of the scale and nodes targets (default half of --duration)
  --report-users LIST  population sizes of the identity report (default 10000,100000; quick 10000)`;

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new Error(`--${name} must be a positive number, got "${value}"`);
  return n;
}

/** At most 10 sizes of at most 5,000,000 each, so seeding stays bounded (1,000,000 takes about a minute). */
function scaleSizes(value: string | undefined, quick: boolean): number[] {
  if (value === undefined) return quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
  const sizes = value.split(',').map((s) => Math.round(positive('scale-sizes', s.trim().replace(/_/g, ''), 0)));
  if (sizes.length > 10 || sizes.some((n) => n > 5_000_000 || n < 1000)) throw new Error('--scale-sizes: 1 to 10 sizes, each 1000 to 5000000');
  return [...new Set(sizes)].sort((a, b) => a - b);
}

export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      runs: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      sessions: { type: 'string' },
      users: { type: 'string' },
      cycle: { type: 'string' },
      profile: { type: 'boolean', default: false },
      results: { type: 'string' },
      'quiet-wait': { type: 'string' },
      'scale-sizes': { type: 'string' },
      'scale-duration': { type: 'string' },
      'report-users': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const quick = values.quick ?? false;
  const durationS = positive('duration', values.duration, quick ? 4 : 8);
  return {
    quick,
    only: values.only?.split(',').map((s) => s.trim()).filter(Boolean),
    runs: Math.round(positive('runs', values.runs, quick ? 1 : 3)),
    durationS,
    warmupS: positive('warmup', values.warmup, quick ? 2 : 3),
    connections: Math.round(positive('connections', values.connections, 50)),
    sessions: Math.round(positive('sessions', values.sessions, 100_000)),
    users: Math.round(positive('users', values.users, 10_000)),
    cycle: Math.round(positive('cycle', values.cycle, 10_000)),
    profile: values.profile ?? false,
    resultsDir: values.results ?? 'bench/results',
    quietWaitS: values['quiet-wait'] === '0' ? 0 : positive('quiet-wait', values['quiet-wait'], quick ? 20 : 60),
    scaleSizes: scaleSizes(values['scale-sizes'], quick),
    scaleDurationS: positive('scale-duration', values['scale-duration'], Math.max(2, durationS / 2)),
    reportUsers: (values['report-users'] ?? (quick ? '10000' : '10000,100000')).split(',').map((s) => Math.round(positive('report-users', s.trim(), 0))),
  };
}
