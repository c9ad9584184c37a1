// The scale curve: the gate and the sign-in with 10k, 100k and 1M users in the database, each user with one live
// enrolled mobile session (so "1M" is 1,000,000 users and 1,000,000 sessions and enrollments). One fresh database
// and one mamgate node per size; per size:
// - gate: one enrolled session (the cached steady state: should not notice the table at all);
// - gate-cold: sessions this node never saw, spread over the whole table, one indexed lookup each;
// - signin: the bench user (one more account among the N), a new device each time: user lookup by objectId plus
//   inserts into tables of N rows.
// Indexed lookups should make the curve flat; the checks only demand that cost grows well below linearly.
import { insertUser } from '../lib/database.ts';
import { API_BASE, deployMamgate } from '../lib/mamgate.ts';
import type { TargetSummary } from '../lib/report.ts';
import type { BenchEnv, Check, Scenario, Target } from '../lib/scenario.ts';
import { seedScale } from '../lib/seed-scale.ts';

/** 10000 → "10k", 1000000 → "1M". */
export function sizeName(n: number): string {
  if (n >= 1e6 && n % 1e5 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 100 === 0) return `${n / 1e3}k`;
  return String(n);
}

const KINDS = ['gate', 'gate-cold', 'signin'] as const;

async function sizeTargets(env: BenchEnv, size: number, coldCount: number, coldWarmup: number): Promise<Target[]> {
  const { connections, runs, warmupS, scaleDurationS } = env.options;
  const name = sizeName(size);
  // Tokens spread evenly over the table: round r gets every runs-th of the first coldCount × runs; then the cold
  // warm-up's (so round 1 does not pay for compiling the lookup path), one for the cold probe (kept out of every
  // round) and one for the steady-state gate.
  const rounds = coldCount * runs;
  const wanted = rounds + coldWarmup + 2;
  const stride = Math.floor(size / wanted);
  const sample = Array.from({ length: wanted }, (_, k) => k * stride);
  env.log(`scale ${name}: seeding ${size.toLocaleString('en')} users with one live enrolled session each`);
  const deployment = await deployMamgate({
    authority: env.idp.url,
    tenantId: env.tenantId,
    clientId: env.clientId,
    users: size,
    sessions: size,
    pin: env.pin.server,
    seed: (url) =>
      seedScale(url, { tenantId: env.tenantId, authService: 'office365', size, lifetimeMs: 30 * 24 * 3_600_000, sample, log: env.log }),
    log: env.log,
  });
  env.defer(() => deployment.stop());
  await insertUser(deployment.database.url, {
    id: 'benchsigninuser01',
    username: 'bench.signin',
    email: 'bench.signin@example.com',
    authService: 'office365',
    objectId: env.signInObjectId,
  });
  const node = await deployment.node(`scale-${name}`);
  const tokens = deployment.tokens;
  const warmupTokens = tokens.slice(rounds, rounds + coldWarmup);
  const coldSlice = (round: number) => Array.from({ length: coldCount }, (_, j) => tokens[j * runs + (round % runs)]!);
  const gateUrl = `${node.url}${API_BASE}/gate`;
  const gate = { url: gateUrl, method: 'GET' as const, connections };
  const oneSession = { authorization: `Bearer ${tokens[wanted - 1]}` };
  const signinUrl = `${node.url}/oauth/intune`;
  const json = { 'content-type': 'application/json' };
  const signin = { url: signinUrl, method: 'POST' as const, headers: json, connections };
  const varied = { kind: 'device-id' as const, body: { access_token: env.accessToken }, prefix: `bench-scale-${name}` };
  const warmup = Math.min(warmupS, scaleDurationS);
  const common = { scenario: 'scale', server: node.server, database: deployment.database.name };
  return [
    {
      ...common,
      id: `scale-${name}-gate`,
      label: `scale ${name}: gate, one enrolled session`,
      warmups: [{ ...gate, headers: oneSession, duration: warmup }],
      load: () => ({ ...gate, headers: oneSession, duration: scaleDurationS }),
      probe: { url: gateUrl, method: 'GET', headers: oneSession, status: 204 },
    },
    {
      ...common,
      id: `scale-${name}-gate-cold`,
      label: `scale ${name}: gate, ${coldCount.toLocaleString('en')} unseen sessions (1 query each)`,
      warmups: coldWarmup > 0 ? [{ ...gate, duration: 0, amount: coldWarmup, vary: { kind: 'bearer-cycle', tokens: warmupTokens } }] : [],
      repeatable: false,
      load: (round) => ({ ...gate, duration: 0, amount: coldCount, vary: { kind: 'bearer-cycle', tokens: coldSlice(round) } }),
      probe: { url: gateUrl, method: 'GET', headers: { authorization: `Bearer ${tokens[wanted - 2]}` }, status: 204 },
    },
    {
      ...common,
      id: `scale-${name}-signin`,
      label: `scale ${name}: sign-in, new device each time`,
      warmups: [{ ...signin, duration: warmup, vary: varied }],
      load: () => ({ ...signin, duration: scaleDurationS, vary: varied }),
      probe: {
        url: signinUrl,
        method: 'POST',
        headers: json,
        body: JSON.stringify({ access_token: env.accessToken, device_id: `bench-scale-probe-${name}` }),
        status: 200,
      },
    },
  ];
}

let sizes: number[] = [];

export const scaleScenario: Scenario = {
  name: 'scale',
  baselines: [],
  // Filled in by targets(): the checks compare the largest size with the smallest.
  checks: [],
  async targets(env: BenchEnv): Promise<Target[]> {
    sizes = env.options.scaleSizes;
    // The same number of cold requests at every size (the smallest table must hold every round's share).
    const coldCount = Math.min(env.options.cycle, Math.floor(sizes[0]! / (env.options.runs + 1)));
    if (coldCount < env.options.connections) throw new Error(`scale: ${sizes[0]} sessions are too few for ${env.options.runs} cold rounds`);
    const coldWarmup = Math.min(coldCount, sizes[0]! - coldCount * env.options.runs - 2);
    const targets: Target[] = [];
    // One size after the other: seeding 1M keeps PostgreSQL busy for about a minute.
    for (const size of sizes) targets.push(...(await sizeTargets(env, size, coldCount, coldWarmup)));
    const small = sizeName(sizes[0]!);
    const large = sizeName(sizes[sizes.length - 1]!);
    const growth = sizes[sizes.length - 1]! / sizes[0]!;
    if (sizes.length > 1) {
      // Linear growth would be `growth`× (100× from 10k to 1M); a tenth of that is a clear "sub-linear".
      const bound = Math.max(2, growth / 10);
      const checks: Check[] = KINDS.map((kind) => ({
        label: `scale ${kind}: cost at ${large} ≤ ${bound}× cost at ${small} (linear would be ${growth}×)`,
        target: `scale-${large}-${kind}`,
        vs: `scale-${small}-${kind}`,
        maxCostRatio: bound,
      }));
      scaleScenario.checks.push(...checks);
    }
    return targets;
  },
  summary(targets: TargetSummary[]): string[] {
    const byId = new Map(targets.map((t) => [t.id, t]));
    const lines: string[] = [];
    for (const kind of KINDS) {
      const points = sizes.map((size) => ({ name: sizeName(size), t: byId.get(`scale-${sizeName(size)}-${kind}`) })).filter((p) => p.t);
      if (points.length === 0) continue;
      const cost = (t: TargetSummary) => ((t.serverCpuPct + t.pgCpuPct) * 1e4) / t.rps;
      const first = points[0]!.t!;
      const curve = points
        .map(
          (p) =>
            `${p.name} ${Math.round(p.t!.rps).toLocaleString('en')} req/s, server ${Math.round(p.t!.serverUsPerReq)} µs/req + PostgreSQL ` +
            `${Math.round((p.t!.pgCpuPct * 1e4) / p.t!.rps)} µs/req (cost ${(cost(p.t!) / cost(first)).toFixed(2)}×)`,
        )
        .join('; ');
      lines.push(`scale curve, ${kind}: ${curve}.`);
    }
    return lines;
  },
};
