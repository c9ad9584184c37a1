// The identity-alignment report as an operator runs it against a running node, through the admin API: LDAP sync
// (POST …/admin/ldap/sync, answers when the sync is done), start the report job (POST …/reports/identity-alignment),
// poll its status until completed, and download the CSV to a file. Baseline in the same run: `ldapsearch -E
// pr=1000/noprompt` paging the same entries, bound as the same service account, output to /dev/null. Measured at
// each population size (--report-users, default 10,000 and 100,000) so the per-user cost shows how it grows.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ldapSettingsFor, startTestDirectory, type TestDirectory } from '../../test/support/slapd.ts';
import { addDurationRatios, type DurationCheck, type DurationRun, type DurationSection, type DurationSummary, summariseDurations } from '../lib/durations.ts';
import { randomUUID } from 'node:crypto';
import { Attribute, Change, Client } from 'ldapts';
import { directoryEntries, kindOf, seedIdentities } from '../lib/identity-population.ts';
import { peakRssMiB, resetPeakRss } from '../lib/machine.ts';
import { API_BASE, deployMamgate, type MamgateNode } from '../lib/mamgate.ts';
import type { BenchEnv, Scenario } from '../lib/scenario.ts';

const USER_FILTER = '(objectClass=inetOrgPerson)';
const ATTRIBUTES = ['msDS-aadObjectId', 'mail', 'uid'];
const POLL_MS = 50;
const MAX_RATIO = 8;
const MAX_RSS_MIB = 200;
/** Incremental sync + re-classification of the touched accounts over a full ldapsearch page-through (issue 19). */
const MAX_INCREMENTAL_RATIO = 0.25;
const MAX_QUIET_RATIO = 0.05;
/** Share of the entries changed before each incremental round. */
const CHANGED_SHARE = 0.01;
/** The incremental bounds are checked from this size on (below it the fixed cost of a sync dominates). */
const INCREMENTAL_CHECK_FROM = 100_000;
/** Per-user cost at the largest size over the smallest: above this the cost grows faster than linearly. */
const MAX_PER_USER_GROWTH = 1.25;

const seconds = (fromNs: bigint) => Number(process.hrtime.bigint() - fromNs) / 1e9;

/** Raw paging of the same entries by the OpenLDAP client, to /dev/null: the floor of any directory read. */
async function ldapsearch(env: BenchEnv, directory: TestDirectory): Promise<DurationRun> {
  const argv = [
    ...env.pin.server,
    'ldapsearch',
    ...['-x', '-LLL', '-H', directory.url, '-D', directory.bindDn, '-w', directory.bindPassword, '-b', directory.baseDn],
    ...['-E', 'pr=1000/noprompt', USER_FILTER, ...ATTRIBUTES],
  ];
  const started = process.hrtime.bigint();
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const elapsed = seconds(started);
  if (code !== 0) throw new Error(`ldapsearch exited with ${code}: ${stderr.slice(0, 500)}`);
  return { seconds: elapsed, peakRssMiB: Number.NaN, phases: {} };
}

/** How many entries ldapsearch sees: the check that both sides page the same directory. */
async function ldapsearchCount(directory: TestDirectory): Promise<number> {
  const argv = ['-x', '-LLL', '-H', directory.url, '-D', directory.bindDn, '-w', directory.bindPassword, '-b', directory.baseDn, '-E', 'pr=1000/noprompt', USER_FILTER, '1.1'];
  const child = spawn('ldapsearch', argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  let count = 0;
  let carry = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (carry + chunk.toString()).split('\n');
    carry = lines.pop()!;
    for (const line of lines) if (line.startsWith('dn: ')) count++;
  });
  await new Promise((resolve) => child.once('exit', resolve));
  return count;
}

async function call(node: MamgateNode, token: string, method: string, route: string): Promise<Response> {
  const answer = await fetch(`${node.url}${API_BASE}/admin${route}`, { method, headers: { authorization: `Bearer ${token}` } });
  if (!answer.ok) throw new Error(`${method} ${route} → ${answer.status} ${await answer.text()}`);
  return answer;
}

interface ReportOutcome {
  run: DurationRun;
  /** Peak RSS (MiB) of each phase: the VmHWM is reset when a phase starts. */
  peaks: Record<string, number>;
  summary: Record<string, number>;
  csvFile: string;
}

/** One full report the operator's way; the node's VmHWM is reset first and read at the end. */
async function fullReport(node: MamgateNode, token: string, users: number, csvFile: string): Promise<ReportOutcome> {
  const pid = node.server.pid;
  const peaks: Record<string, number> = {};
  resetPeakRss(pid);
  const started = process.hrtime.bigint();
  const sync = (await (await call(node, token, 'POST', '/ldap/sync')).json()) as { status: string; entries: number };
  const synced = process.hrtime.bigint();
  peaks.sync = peakRssMiB(pid);
  resetPeakRss(pid);
  if (sync.status !== 'succeeded' || sync.entries !== users) throw new Error(`sync: ${JSON.stringify(sync)}`);
  const { id } = (await (await call(node, token, 'POST', '/reports/identity-alignment')).json()) as { id: string };
  let status: { status: string; summary: Record<string, number>; error: string | null };
  for (;;) {
    status = (await (await call(node, token, 'GET', `/reports/identity-alignment/${id}`)).json()) as typeof status;
    if (status.status !== 'queued' && status.status !== 'running') break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  if (status.status !== 'completed') throw new Error(`report ${id} ${status.status}: ${status.error}`);
  const reconciled = process.hrtime.bigint();
  peaks.reconcile = peakRssMiB(pid);
  resetPeakRss(pid);
  const download = await call(node, token, 'GET', `/reports/identity-alignment/${id}/download?format=csv`);
  await pipeline(Readable.fromWeb(download.body as import('node:stream/web').ReadableStream), createWriteStream(csvFile));
  const total = seconds(started);
  peaks.download = peakRssMiB(pid);
  return {
    peaks,
    run: {
      seconds: total,
      peakRssMiB: Math.max(...Object.values(peaks)),
      phases: { sync: Number(synced - started) / 1e9, reconcile: Number(reconciled - synced) / 1e9, download: seconds(reconciled) },
    },
    summary: status.summary,
    csvFile,
  };
}

/**
 * 1% of the entries get a new msDS-aadObjectId (entries without the aadUser class a new cn), spread over the
 * directory and different each round, as the directory's root DN, outside the measured time.
 */
async function changeDirectory(directory: TestDirectory, users: number, round: number): Promise<number> {
  const root = new Client({ url: directory.url });
  await root.bind(directory.rootDn, directory.rootPassword);
  const step = Math.round(1 / CHANGED_SHARE);
  const indexes = Array.from({ length: Math.floor(users / step) }, (_, k) => k * step + ((round * 37) % step));
  try {
    for (let at = 0; at < indexes.length; at += 50) {
      await Promise.all(
        indexes.slice(at, at + 50).map((i) => {
          const kind = kindOf(i);
          const dn = `uid=${kind === 'not-in-directory' ? `orphan${i}` : `bench.user${i}`},ou=people,${directory.baseDn}`;
          const modification =
            kind === 'ldap-without-id' ? new Attribute({ type: 'cn', values: [`changed ${round}`] }) : new Attribute({ type: 'msDS-aadObjectId', values: [randomUUID()] });
          return root.modify(dn, new Change({ operation: 'replace', modification }));
        }),
      );
    }
  } finally {
    await root.unbind();
  }
  return indexes.length;
}

interface IncrementalOutcome {
  run: DurationRun;
  sync: { kind: string; entries: number; changed: number; affected_users: number; fallback_reason: string | null };
}

/** One incremental sync through the admin API: it answers when the entries are merged and the touched accounts classified. */
async function incrementalSync(node: MamgateNode, token: string): Promise<IncrementalOutcome> {
  resetPeakRss(node.server.pid);
  const started = process.hrtime.bigint();
  const sync = (await (await call(node, token, 'POST', '/ldap/sync?mode=incremental')).json()) as IncrementalOutcome['sync'] & { status: string };
  const elapsed = seconds(started);
  if (sync.status !== 'succeeded' || sync.kind !== 'incremental') throw new Error(`incremental sync: ${JSON.stringify(sync)}`);
  return { sync, run: { seconds: elapsed, peakRssMiB: peakRssMiB(node.server.pid), phases: {} } };
}

function csvRows(file: string): number {
  const text = readFileSync(file, 'utf8');
  return text.split('\r\n').length - 2; // header, and the empty string after the last line end
}

async function measureSize(env: BenchEnv, users: number, scratch: string): Promise<DurationSummary[]> {
  const n = users.toLocaleString('en');
  let step = Date.now();
  const deployment = await deployMamgate({
    authority: env.idp.url,
    tenantId: env.tenantId,
    clientId: env.clientId,
    users,
    sessions: 0,
    pin: env.pin.server,
    cpuProfileDir: env.profileDir,
    log: env.log,
  });
  let directory: TestDirectory | undefined;
  try {
    await seedIdentities(deployment.database.url, users, env.tenantId);
    env.log(`report ${n}: users and identities seeded in ${((Date.now() - step) / 1000).toFixed(1)} s`);
    step = Date.now();
    // Entries last changed long ago, as in a directory in use (slapadd would stamp them all with the load's second).
    directory = await startTestDirectory({ entries: directoryEntries(users), modifiedAt: '20260101000000Z' });
    const seen = await ldapsearchCount(directory);
    if (seen !== users) throw new Error(`the directory holds ${seen} entries, expected ${users}`);
    env.log(`report ${n}: slapd with ${n} entries (slapadd -q) ready in ${((Date.now() - step) / 1000).toFixed(1)} s`);
    const node = await deployment.node(`report-${users}`);
    await fetch(`${node.url}${API_BASE}/admin/settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${deployment.adminToken}`, 'content-type': 'application/json' },
      // No scheduled syncs: the bench's own syncs are the ones measured (a scheduled one would answer 409 to them).
      body: JSON.stringify({ LdapSettings: ldapSettingsFor(directory, { UserFilter: USER_FILTER, SyncIntervalMinutes: 0 }) }),
    }).then(async (answer) => {
      if (!answer.ok) throw new Error(`LdapSettings → ${answer.status} ${await answer.text()}`);
    });

    resetPeakRss(node.server.pid);
    env.log(`report ${n}: node resident before the first sync ${peakRssMiB(node.server.pid).toFixed(0)} MiB`);
    // Warm-up: one of each, discarded; the measured syncs then replace a full directory, as every later sync does.
    await ldapsearch(env, directory);
    const warm = await fullReport(node, deployment.adminToken, users, path.join(scratch, `warmup-${users}.csv`));
    const rows = csvRows(warm.csvFile);
    if (rows !== users) throw new Error(`the CSV has ${rows} rows, expected ${users}`);
    const missing = Object.entries(warm.summary).filter(([, count]) => count === 0);
    env.log(`report ${n}: warm-up ${warm.run.seconds.toFixed(2)} s, ${rows} CSV rows, statuses ${JSON.stringify(warm.summary)}`);
    if (missing.length) throw new Error(`statuses missing from the population: ${missing.map(([s]) => s).join(', ')}`);

    const raw: DurationRun[] = [];
    const report: DurationRun[] = [];
    for (let round = 0; round < env.options.runs; round++) {
      raw.push(await ldapsearch(env, directory));
      const outcome = await fullReport(node, deployment.adminToken, users, path.join(scratch, `report-${users}.csv`));
      report.push(outcome.run);
      const r = outcome.run;
      const peaks = Object.entries(outcome.peaks).map(([phase, mib]) => `${phase} ${mib.toFixed(0)}`).join(', ');
      env.log(
        `round ${round + 1}/${env.options.runs} report ${n}: ldapsearch ${raw[round]!.seconds.toFixed(2)} s, report ${r.seconds.toFixed(2)} s ` +
          `(sync ${r.phases.sync!.toFixed(2)}, reconcile ${r.phases.reconcile!.toFixed(2)}, download ${r.phases.download!.toFixed(2)}), peak RSS ${r.peakRssMiB.toFixed(0)} MiB (${peaks})`,
      );
    }
    // Incremental rounds: 1% of the entries changed (not measured), an incremental sync (measured), then another
    // with nothing changed since (measured). A full sync first leaves the watermark they start from.
    await call(node, deployment.adminToken, 'POST', '/ldap/sync?mode=full');
    const changedRuns: DurationRun[] = [];
    const quietRuns: DurationRun[] = [];
    for (let round = 0; round < env.options.runs; round++) {
      const changed = await changeDirectory(directory, users, round);
      const busy = await incrementalSync(node, deployment.adminToken);
      if (busy.sync.entries < changed) throw new Error(`the incremental sync read ${busy.sync.entries} entries, ${changed} changed`);
      changedRuns.push(busy.run);
      const quiet = await incrementalSync(node, deployment.adminToken);
      quietRuns.push(quiet.run);
      env.log(
        `round ${round + 1}/${env.options.runs} incremental ${n}: ${changed} changed → ${busy.run.seconds.toFixed(3)} s (read ${busy.sync.entries}, wrote ${busy.sync.changed}, ` +
          `${busy.sync.affected_users} accounts classified again, peak RSS ${busy.run.peakRssMiB.toFixed(0)} MiB); nothing changed → ${quiet.run.seconds.toFixed(3)} s (read ${quiet.sync.entries})`,
      );
    }
    const base = { scenario: 'report', units: users };
    return [
      summariseDurations({ ...base, id: `ldapsearch-${users}`, label: `ldapsearch -E pr=1000, ${n} entries`, runs: raw }),
      summariseDurations({ ...base, id: `report-${users}`, label: `mamgate report (sync + reconcile + CSV), ${n} users`, runs: report, vs: `ldapsearch-${users}` }),
      summariseDurations({
        ...base,
        id: `incremental-1pct-${users}`,
        label: `incremental sync + re-classification, 1% of ${n} changed`,
        runs: changedRuns,
        vs: `ldapsearch-${users}`,
      }),
      summariseDurations({ ...base, id: `incremental-0-${users}`, label: `incremental sync, nothing changed, ${n} entries`, runs: quietRuns, vs: `ldapsearch-${users}` }),
    ];
  } finally {
    await directory?.stop();
    await deployment.stop();
  }
}

function checksOf(summaries: DurationSummary[]): DurationCheck[] {
  const reports = summaries.filter((s) => s.id.startsWith('report-'));
  const checks: DurationCheck[] = [];
  for (const s of reports) {
    const n = s.units.toLocaleString('en');
    checks.push({ label: `report ${n} ≤ ${MAX_RATIO}× ldapsearch`, value: s.ratio ?? Number.NaN, unit: 'x', bound: MAX_RATIO, pass: (s.ratio ?? Infinity) <= MAX_RATIO });
    checks.push({ label: `report ${n} peak RSS of the node`, value: s.peakRssMiB, unit: 'MiB', bound: MAX_RSS_MIB, pass: s.peakRssMiB <= MAX_RSS_MIB });
  }
  for (const [prefix, bound, what] of [
    ['incremental-1pct-', MAX_INCREMENTAL_RATIO, '1% changed'],
    ['incremental-0-', MAX_QUIET_RATIO, 'nothing changed'],
  ] as const) {
    for (const s of summaries.filter((x) => x.id.startsWith(prefix) && x.units >= INCREMENTAL_CHECK_FROM)) {
      const n = s.units.toLocaleString('en');
      checks.push({ label: `incremental ${n}, ${what}, ≤ ${bound}× ldapsearch`, value: s.ratio ?? Number.NaN, unit: 'x', bound, pass: (s.ratio ?? Infinity) <= bound });
    }
  }
  if (reports.length > 1) {
    const smallest = reports[0]!;
    const largest = reports[reports.length - 1]!;
    const growth = largest.microsPerUnit / smallest.microsPerUnit;
    checks.push({
      label: `report µs/user at ${largest.units.toLocaleString('en')} over ${smallest.units.toLocaleString('en')} (not faster than linear)`,
      value: growth,
      unit: 'x',
      bound: MAX_PER_USER_GROWTH,
      pass: growth <= MAX_PER_USER_GROWTH,
    });
  }
  return checks;
}

export const reportScenario: Scenario = {
  name: 'report',
  baselines: [],
  checks: [],
  targets: async () => [],
  async durations(env: BenchEnv): Promise<DurationSection> {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'mamgate-bench-report-'));
    try {
      const summaries: DurationSummary[] = [];
      for (const users of [...env.options.reportUsers].sort((a, b) => a - b)) summaries.push(...(await measureSize(env, users, scratch)));
      addDurationRatios(summaries);
      return {
        title: 'Identity report (duration per full run; medians)',
        summaries,
        checks: checksOf(summaries),
        notes: [
          'report: POST admin/ldap/sync, POST admin/reports/identity-alignment, poll its status every 50 ms, GET …/download?format=csv to a file; ' +
            'one warm-up of each first, so each measured sync replaces a full directory.',
          'ldapsearch: -x -E pr=1000/noprompt, bound as the same service account, same filter and attributes, output to /dev/null, pinned like the node.',
          'peak RSS: VmHWM of the mamgate process, reset before each report run.',
          'incremental: after the full runs, per round 1% of the entries get a new msDS-aadObjectId (or cn) as the root DN (not measured), then ' +
            'POST admin/ldap/sync?mode=incremental (measured: read the changed entries, merge them, classify the touched accounts again; no report, no download), ' +
            'then the same with nothing changed since (the contextCSN has not moved: no search). Entries are loaded with an old modifyTimestamp and entryCSN.',
        ],
      };
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  },
};
