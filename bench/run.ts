// `npm run bench`: every scenario in one run, on loopback, with bounded duration. Servers (mamgate and each
// baseline) run in their own processes pinned to one core; the load generator (autocannon) runs in its own
// process pinned to the other. Each target is warmed up, then measured in rounds (targets interleaved, so a
// drift of the machine hits every target alike); the table reports medians and ratios from this run only.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type DevIdp, startDevIdp } from '../server/devidp/dev-idp.ts';
import { insertUser } from './lib/database.ts';
import type { DurationSection } from './lib/durations.ts';
import { type Measurement, measure, stopLoad } from './lib/load.ts';
import { choosePinning, sampleHostBusy } from './lib/machine.ts';
import { deployMamgate, type MamgateDeployment } from './lib/mamgate.ts';
import { type BenchOptions, parseOptions, USAGE } from './lib/options.ts';
import type { ServerProcess } from './lib/processes.ts';
import { DEFAULT_FOCUS, formatProfileSummary, summariseProfile } from './lib/profile-summary.ts';
import { addRatios, evaluate, formatText, type Report, summarise, writeReport } from './lib/report.ts';
import type { BaselineId, BenchEnv, Probe, Scenario, Target } from './lib/scenario.ts';
import { startBaseline } from './scenarios/baselines.ts';
import { companionGateScenario } from './scenarios/companion-gate.ts';
import { gateScenario } from './scenarios/gate.ts';
import { graphRechecksScenario } from './scenarios/graph-rechecks.ts';
import { statsScenario } from './scenarios/stats.ts';
import { nodesScenario } from './scenarios/nodes.ts';
import { reportScenario } from './scenarios/report.ts';
import { scaleScenario } from './scenarios/scale.ts';
import { signinScenario } from './scenarios/signin.ts';

/**
 * Each round measures the targets in the same cycle from a different start: the machine's background load drifts over minutes, and a
 * target always measured last (or right after the heaviest one) would carry that drift in every round.
 */
function rotated<T>(items: T[], round: number, rounds: number): T[] {
  // Spread the starting points over the round: with 3 rounds each target is early, middle and late once.
  const start = Math.floor((round * items.length) / rounds) % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

const SCENARIOS: Scenario[] = [gateScenario, companionGateScenario, signinScenario, scaleScenario, nodesScenario, reportScenario, graphRechecksScenario, statsScenario];
const BASELINE_ORDER: BaselineId[] = ['bare', 'express', 'peer'];

const TENANT_ID = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const CLIENT_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const MOBILE_CLIENT_ID = '9ac649f1-4f77-44d6-9792-b2f54ab3c9a7';
const SIGN_IN_OID = '11111111-2222-4333-8444-555555555555';

/** Other programs' CPU (% of one core) above which a measured run counts as disturbed and is repeated. */
const DISTURBED_PCT = 25;
const MAX_RETRIES = 8;

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function probe(target: Target): Promise<void> {
  const p: Probe = target.probe;
  const answer = await fetch(p.url, { method: p.method, headers: p.headers, body: p.body });
  const text = await answer.text();
  if (answer.status !== p.status) {
    throw new Error(`${target.id}: expected ${p.status} from ${p.method} ${p.url}, got ${answer.status} ${text.slice(0, 300)}`);
  }
}

function select(options: BenchOptions): Scenario[] {
  if (!options.only) return SCENARIOS;
  const unknown = options.only.filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown.length) throw new Error(`unknown scenario(s): ${unknown.join(', ')} (known: ${SCENARIOS.map((s) => s.name).join(', ')})`);
  return SCENARIOS.filter((s) => options.only!.includes(s.name));
}

async function main(): Promise<number> {
  const parsed = parseOptions(process.argv.slice(2));
  if (parsed === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const options = parsed;
  const started = Date.now();
  const scenarios = select(options);
  const pin = choosePinning();
  log(pin.note);
  // Other programs competing for the cores make every figure lower and noisier: wait a while for quiet, and say
  // in the report how busy the machine was.
  let busyBefore = await sampleHostBusy(2000);
  const quietDeadline = Date.now() + options.quietWaitS * 1000;
  if (busyBefore > 25 && options.quietWaitS > 0) log(`machine ${Math.round(busyBefore)}% busy: waiting up to ${options.quietWaitS} s for quiet`);
  while (busyBefore > 25 && Date.now() < quietDeadline) busyBefore = await sampleHostBusy(2000);
  const busyNote =
    busyBefore > 20
      ? `the machine was ${Math.round(busyBefore)}% busy before the run started: other programs competed, figures are unreliable`
      : `the machine was ${Math.round(busyBefore)}% busy before the run started`;
  if (busyBefore > 20) log(`warning: ${busyNote}`);
  const profileDir = options.profile ? path.resolve(options.resultsDir, 'profiles', new Date().toISOString().replace(/[:.]/g, '-')) : undefined;

  const cleanups: (() => Promise<void>)[] = [];
  /** Measured windows of each mamgate target (and its server's pid), to cut the CPU profiles by target. */
  const windows = new Map<string, { pid: number; list: { fromUs: number; toUs: number }[] }>();
  let idp: DevIdp | undefined;
  const onSignal = () => {
    log('interrupted: stopping servers and dropping the bench database');
    stopLoad();
    void Promise.allSettled(cleanups.map((c) => c())).then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // The dev issuer lives in this process: it serves the JWKS once to each side, then idles during measurement.
    idp = await startDevIdp();
    cleanups.push(() => idp!.stop());
    const accessToken = idp.mint({
      tenant: TENANT_ID,
      aud: CLIENT_ID,
      azp: MOBILE_CLIENT_ID,
      scp: 'login.mattermost',
      oid: SIGN_IN_OID,
      email: 'bench.signin@example.com',
      expOffset: 3 * 3600,
    });

    const baselines = new Map<BaselineId, Promise<{ server: ServerProcess; target: Target }>>();
    let mamgate: Promise<MamgateDeployment> | undefined;
    let benchDatabase: string | undefined;
    const env: BenchEnv = {
      options,
      pin,
      idp,
      tenantId: TENANT_ID,
      clientId: CLIENT_ID,
      accessToken,
      signInObjectId: SIGN_IN_OID,
      log,
      defer(cleanup) {
        cleanups.push(cleanup);
      },
      profileDir,
      baseline(id) {
        let started = baselines.get(id);
        if (!started) {
          started = startBaseline(id, env);
          baselines.set(id, started);
          cleanups.push(async () => (await started!).server.stop());
        }
        return started;
      },
      mamgate() {
        mamgate ??= (async () => {
          const deployment = await deployMamgate({
            authority: idp!.url,
            tenantId: TENANT_ID,
            clientId: CLIENT_ID,
            users: options.users,
            sessions: options.sessions,
            pin: pin.server,
            cpuProfileDir: profileDir,
            log,
          });
          cleanups.push(() => deployment.stop());
          await insertUser(deployment.database.url, {
            id: 'benchsigninuser01',
            username: 'bench.signin',
            email: 'bench.signin@example.com',
            authService: 'office365',
            objectId: SIGN_IN_OID,
          });
          benchDatabase = deployment.database.name;
          log(`database ${deployment.database.name} ready`);
          return deployment;
        })();
        return mamgate;
      },
    };

    const measureOptions = (target: Target) => ({
      serverPid: target.server.pid,
      pin: pin.load,
      database: target.database ?? benchDatabase,
      extraServerPids: target.extraServerPids,
      helperPids: target.helperPids,
    });
    const targets: Target[] = [];
    for (const id of BASELINE_ORDER) {
      if (scenarios.some((s) => s.baselines.includes(id))) targets.push((await env.baseline(id)).target);
    }
    for (const scenario of scenarios) targets.push(...(await scenario.targets(env)));
    for (const target of targets) await probe(target);
    log(`targets: ${targets.map((t) => t.id).join(', ')}`);

    for (const target of targets) {
      for (const spec of target.warmups) await measure(spec, measureOptions(target));
    }
    log(`warm-up done (${((Date.now() - started) / 1000).toFixed(0)} s)`);

    const runs = new Map<string, Measurement[]>(targets.map((t) => [t.id, []]));
    let retries = 0;
    for (let round = 0; round < options.runs; round++) {
      for (const target of rotated(targets, round, options.runs)) {
        // A run during which other programs took more than a quarter of a core is repeated (at most twice, within a
        // budget for the whole bench), keeping the least disturbed attempt; every target is treated alike.
        let m = await measure(target.load(round), measureOptions(target));
        for (let attempt = 1; attempt < 3 && m.otherCpuPct > DISTURBED_PCT && target.repeatable !== false && retries < MAX_RETRIES; attempt++) {
          retries++;
          log(`round ${round + 1} ${target.id} disturbed (other programs ${Math.round(m.otherCpuPct)}% CPU): again`);
          const again = await measure(target.load(round), measureOptions(target));
          if (again.otherCpuPct < m.otherCpuPct) m = again;
        }
        if (!target.server.alive()) throw new Error(`${target.server.name} died:\n${target.server.tail().join('\n')}`);
        runs.get(target.id)!.push(m);
        if (target.server.name.startsWith('mamgate')) {
          const entry = windows.get(target.id) ?? { pid: target.server.pid, list: [] };
          entry.list.push(m.window);
          windows.set(target.id, entry);
        }
        log(
          `round ${round + 1}/${options.runs} ${target.id}: ${Math.round(m.rps)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, ` +
            `server CPU ${Math.round(m.serverCpuPct)}% (${Math.round((m.serverCpuPct * 1e4) / m.rps)} µs/req), generator ${Math.round(m.generatorCpuPct)}%, ` +
            `PostgreSQL ${Math.round(m.pgCpuPct)}%, ${target.helperPids ? `proxy ${Math.round(m.helperCpuPct)}%, ` : ''}other ${Math.round(m.otherCpuPct)}%`,
        );
      }
    }

    const durations: DurationSection[] = [];
    for (const scenario of scenarios) if (scenario.durations) durations.push(await scenario.durations(env));

    const summaries = targets.map((t) => summarise(t, runs.get(t.id)!));
    addRatios(summaries);
    const report: Report = {
      generatedAt: new Date().toISOString(),
      machine: { node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), pinning: pin.note },
      settings: {
        runs: options.runs,
        duration_s: options.durationS,
        warmup_s: options.warmupS,
        connections: options.connections,
        sessions: options.sessions,
        users: options.users,
        cycle: options.cycle,
        quick: options.quick,
        busy_before_pct: Math.round(busyBefore),
        repeated_runs: retries,
        ...(scenarios.some((s) => s.name === 'scale' || s.name === 'nodes')
          ? { scale_sizes: options.scaleSizes.join('/'), scale_duration_s: options.scaleDurationS }
          : {}),
      },
      profiled: options.profile,
      targets: summaries,
      checks: evaluate(
        scenarios.flatMap((s) => s.checks),
        summaries,
      ),
      durations,
      notes: [
        busyNote,
        'req/s, p50, p99: medians over the runs; ±% is the spread (max − min) of req/s over the runs.',
        '×peer / ×bare: req/s median divided by the express-jwt peer / bare node:http median of this same run.',
        'srv CPU%: CPU of the server process in % of one core; srv µs/req: its CPU time per request; gen CPU%: the load generator (near 100 = it is the limit); ' +
          'pg CPU%: PostgreSQL (backends of the bench database and the background writers); other CPU%: everything else on the machine (other ' +
          `programs), in % of one core. A run with other CPU above ${DISTURBED_PCT}% was repeated (at most twice, ` +
          `${MAX_RETRIES} repeats per bench), keeping the least disturbed attempt.`,
        'Latency from autocannon in whole milliseconds. bad: responses with another status than expected, errors, timeouts.',
        'gate-cycle-cold: a fixed number of requests (one per unseen session), so its req/s includes the ramp of one pass.',
        ...scenarios.flatMap((s) => s.summary?.(summaries) ?? []),
      ],
    };
    process.stdout.write(`\n${formatText(report)}\n\n`);
    if (!options.profile) {
      const written = writeReport(report, options.resultsDir);
      log(`wrote ${written.json} and ${written.md}`);
    } else {
      writeReport(report, profileDir!);
    }
    log(`finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return 0;
  } finally {
    // Stop servers first (a profiled server writes its profile on exit), then the issuer.
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: Error) => log(`cleanup: ${error.message}`));
    if (profileDir && existsSync(profileDir)) summariseProfiles(profileDir, windows);
  }
}

/** Summaries of each main-thread profile in `dir`: over each target's measured windows, then the whole life. */
function summariseProfiles(dir: string, windows: Map<string, { pid: number; list: { fromUs: number; toUs: number }[] }>): void {
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread (others: the tsx loader).
  const files = readdirSync(dir).filter((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f));
  const parts: string[] = [];
  for (const file of files) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    for (const [target, { pid, list }] of windows) {
      if (!file.includes(`.${pid}.0.`)) continue;
      parts.push(formatProfileSummary(`${file} — ${target} (measured runs only)`, summariseProfile(profile, { focus: DEFAULT_FOCUS, windows: list })));
    }
    parts.push(formatProfileSummary(`${file} — whole process life`, summariseProfile(profile, { focus: DEFAULT_FOCUS, top: 15 })));
  }
  const text = parts.join('\n\n');
  writeFileSync(path.join(dir, 'summary.txt'), `${text}\n`);
  process.stdout.write(`${text}\n`);
  log(`profiles and summary in ${dir}`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    log(`failed: ${(error as Error)?.stack ?? String(error)}`);
    process.exitCode = 1;
  },
);
