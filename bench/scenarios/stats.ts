// What the charts' aggregate endpoints cost at 1,000,000 audit entries (issue 18: "read PostgreSQL efficiently at
// 1M audit rows; state the query cost"). One mamgate node on a database holding 1,000,000 audit entries spread
// evenly over the last 30 days (55% gate refusals, 35% Intune sign-ins with 1 in 7 refused, the rest other
// actions) and 100,000 enrollment reports over the same days. Each endpoint is asked over HTTP per hour (the last
// 24 hours: about 1/30 of the rows) and per day (the last 30 days: all of them), against the baseline of the same
// run: `select count(*) from audit_log`, one scan of the whole table by PostgreSQL itself.
import pg from 'pg';
import { addDurationRatios, type DurationCheck, type DurationRun, type DurationSection, type DurationSummary, summariseDurations } from '../lib/durations.ts';
import { peakRssMiB, resetPeakRss } from '../lib/machine.ts';
import { API_BASE, deployMamgate } from '../lib/mamgate.ts';
import type { BenchEnv, Scenario } from '../lib/scenario.ts';

const AUDIT_ROWS = 1_000_000;
const ENROLLMENT_EVENTS = 100_000;
const DAYS = 30;
const ENDPOINTS = ['gate-refusals', 'sign-ins', 'enrollments'] as const;
const BUCKETS = ['hour', 'day'] as const;
/** The hourly range reads 1/30 of the rows through audit_log (action, at): under one scan of the whole table. */
const HOUR_BOUND = 1;
/**
 * The daily range reads every row of its action and decodes its details (the refusal id, the repeats): a parallel
 * scan with a hash aggregate, within ten counts of the table. Cheaper needs a rollup of past hours, not an index.
 */
const DAY_BOUND = 10;

async function seed(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Entry i at now − 30 days × i / N: evenly over the range, the newest now.
    await client.query(
      `insert into audit_log (at, actor, action, target, outcome, details)
       select now() - make_interval(secs => ${DAYS * 86_400}::float8 * i / ${AUDIT_ROWS}), 'anonymous',
              case when i % 20 < 11 then 'gate.refused' when i % 20 < 18 then 'login.intune' else 'settings.save' end,
              'user:bench' || (i % 1000),
              case when i % 20 < 11 then 'refused' when i % 20 < 18 and i % 7 = 0 then 'refused' when i % 20 < 18 then 'success' else 'success' end,
              case when i % 20 < 11 then jsonb_build_object('error_id', 'ent.intune.enrollment.required.app_error', 'repeats_since_last_entry', i % 3)
                   when i % 20 < 18 and i % 7 = 0 then jsonb_build_object('error_id', 'ent.intune.login.user_mismatch.app_error')
                   else '{}'::jsonb end
         from generate_series(1, ${AUDIT_ROWS}) as i`,
    );
    const { rows } = await client.query<{ id: string; user_id: string }>('select id, user_id from sessions order by id limit 100');
    if (rows.length === 0) throw new Error('stats: the deployment has no session to hang enrollment reports on');
    await client.query(
      `insert into enrollment_events (event_id, session_id, user_id, status, cause, answer, created_at)
       select 'bench-' || i, (s.ids)[1 + i % array_length(s.ids, 1)], (s.users)[1 + i % array_length(s.users, 1)],
              case when i % 10 < 7 then 'enrolled' when i % 10 < 9 then 'declined' else 'failed' end,
              case when i % 10 < 7 then 'none' when i % 10 < 9 then 'msal_cancelled' else 'missing_mam_permission' end,
              '{}'::jsonb, now() - make_interval(secs => ${DAYS * 86_400}::float8 * i / ${ENROLLMENT_EVENTS})
         from generate_series(1, ${ENROLLMENT_EVENTS}) as i,
              (select array_agg(id order by id) as ids, array_agg(user_id order by id) as users from (select id, user_id from sessions order by id limit 100) x) s`,
    );
    await client.query('VACUUM (ANALYZE) audit_log, enrollment_events');
  } finally {
    await client.end();
  }
}

async function timed<T>(run: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await run();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, value };
}

/** The baseline: PostgreSQL counting every audit entry (one scan of the table). */
async function fullScan(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('select count(*) as n from audit_log');
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

export const statsScenario: Scenario = {
  name: 'stats',
  baselines: [],
  checks: [],
  targets: async () => [],
  async durations(env: BenchEnv): Promise<DurationSection> {
    const deployment = await deployMamgate({
      authority: env.idp.url,
      tenantId: env.tenantId,
      clientId: env.clientId,
      users: 1000,
      sessions: 1000,
      pin: env.pin.server,
      log: env.log,
    });
    try {
      const seedStart = Date.now();
      await seed(deployment.database.url);
      env.log(`stats: ${AUDIT_ROWS.toLocaleString('en')} audit entries and ${ENROLLMENT_EVENTS.toLocaleString('en')} enrollment reports seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
      const node = await deployment.node('stats');
      const ask = async (endpoint: string, bucket: string) => {
        const answer = await fetch(`${node.url}${API_BASE}/admin/stats/${endpoint}?bucket=${bucket}`, { headers: { authorization: `Bearer ${deployment.adminToken}` } });
        if (!answer.ok) throw new Error(`stats ${endpoint} ${bucket}: ${answer.status} ${(await answer.text()).slice(0, 200)}`);
        return (await answer.json()) as { total: number; buckets: string[] };
      };
      // Warm-up: one of each (plans cached, pages in memory), then the measured rounds.
      await fullScan(deployment.database.url);
      for (const endpoint of ENDPOINTS) for (const bucket of BUCKETS) await ask(endpoint, bucket);

      const scans: DurationRun[] = [];
      const runs = new Map<string, DurationRun[]>();
      const totals = new Map<string, number>();
      for (let round = 0; round < env.options.runs; round++) {
        const scan = await timed(() => fullScan(deployment.database.url));
        scans.push({ seconds: scan.seconds, peakRssMiB: Number.NaN, phases: {} });
        for (const endpoint of ENDPOINTS) {
          for (const bucket of BUCKETS) {
            resetPeakRss(node.server.pid);
            const { seconds, value } = await timed(() => ask(endpoint, bucket));
            const id = `stats-${endpoint}-${bucket}`;
            runs.set(id, [...(runs.get(id) ?? []), { seconds, peakRssMiB: peakRssMiB(node.server.pid), phases: {} }]);
            totals.set(id, value.total);
          }
        }
        env.log(`stats round ${round + 1}/${env.options.runs}: full scan ${(scan.seconds * 1000).toFixed(0)} ms; ${[...runs].map(([id, r]) => `${id.slice(6)} ${(r[r.length - 1]!.seconds * 1000).toFixed(0)} ms`).join(', ')}`);
      }

      const summaries: DurationSummary[] = [
        summariseDurations({ id: 'stats-scan', label: `select count(*) from audit_log, ${AUDIT_ROWS.toLocaleString('en')} rows`, scenario: 'stats', units: AUDIT_ROWS, runs: scans }),
      ];
      const checks: DurationCheck[] = [];
      for (const endpoint of ENDPOINTS) {
        for (const bucket of BUCKETS) {
          const id = `stats-${endpoint}-${bucket}`;
          const rows = endpoint === 'enrollments' ? ENROLLMENT_EVENTS : AUDIT_ROWS;
          const span = bucket === 'hour' ? 'the last 24 hours by hour' : `the last ${DAYS} days by day`;
          summaries.push(
            summariseDurations({
              id,
              label: `GET admin/stats/${endpoint}, ${span} (${totals.get(id)!.toLocaleString('en')} counted)`,
              scenario: 'stats',
              units: rows,
              runs: runs.get(id)!,
              vs: 'stats-scan',
            }),
          );
        }
      }
      addDurationRatios(summaries);
      for (const summary of summaries.slice(1)) {
        const bound = summary.id.endsWith('-hour') ? HOUR_BOUND : DAY_BOUND;
        checks.push({ label: `${summary.label.split(' (')[0]} ≤ ${bound}× a full count of audit_log`, value: summary.ratio!, unit: 'x', bound, pass: summary.ratio! <= bound });
      }
      return {
        title: `Charts' aggregate endpoints at ${AUDIT_ROWS.toLocaleString('en')} audit entries`,
        unit: 'row',
        summaries,
        checks,
        notes: [
          `Seeded: ${AUDIT_ROWS.toLocaleString('en')} audit entries evenly over ${DAYS} days (55% gate.refused, 35% login.intune of which 1 in 7 refused, 10% settings.save) and ${ENROLLMENT_EVENTS.toLocaleString('en')} enrollment reports; VACUUM ANALYZE after seeding.`,
          'Each request goes through the node over HTTP (admin token, JSON answer of every bucket of the range); the baseline is PostgreSQL counting the whole audit_log in the same run. The audit queries read the range of one action through audit_log (action, at); enrollments through enrollment_events (created_at).',
        ],
      };
    } finally {
      await deployment.stop();
    }
  },
};
