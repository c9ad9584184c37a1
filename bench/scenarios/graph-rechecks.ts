// What 10,000 pending protected users cost Microsoft Graph (issue 15: "a bounded, stated number of Graph calls per
// minute"). One mamgate node with Graph evidence on (GraphSettings.Enable, EnrollmentEvidence auto → graph) against
// the development Graph of the runner's dev issuer; 10,000 office365 users with objectIds, each with one live mobile
// session, and in the dev Graph one registration of the Mattermost app per user with no applied policy (no_policy:
// pending however often it is checked, and each check of a user costs its applied-policies read — the dearest
// pending case). The gate is asked once for every session (each 403: the users become the re-check worker's, checked
// at once, then with backoff), and the dev Graph's counters say how many Graph calls the node made in a window of
// WINDOW_S from the first of those requests. Counts, not speed: valid on a loaded machine (a slower machine makes
// fewer calls, never more).
//
// The bound is what server/enrollment/graph-rechecks.ts's limits imply: a sweep starts at most every
// minSweepIntervalMs (2 s) and checks at most maxUsersPerSweep (100) due users with one read of the tenant's
// registration list (⌈registrations / page size⌉ pages) plus one applied-policies read per registration of a
// configured app of a due user. In W seconds: at most ⌊W / 2⌋ + 1 sweeps × (pages + 100) calls.
import { GRAPH_APP, GRAPH_ROLES, SECRET } from '../../test/graph/fixtures.ts';
import { countGraphEvidence, objectIdFor } from '../lib/database.ts';
import type { DurationCheck, DurationSection } from '../lib/durations.ts';
import { measure } from '../lib/load.ts';
import { API_BASE, deployMamgate } from '../lib/mamgate.ts';
import type { BenchEnv, Scenario } from '../lib/scenario.ts';
import { RECHECK_TIMING } from '../../server/enrollment/graph-rechecks.ts';
import { MOBILE_USER_AGENT } from './companion-gate.ts';

const USERS = 10_000;
/** The measured window, from the first gate request (longer when the gate wave itself takes longer). */
const WINDOW_S = 60;
/** Registrations per page of the dev Graph's list (Graph pages managedAppRegistrations server-side). */
const PAGE_SIZE = 1000;

async function admin(url: string, token: string, method: string, body: unknown): Promise<void> {
  const answer = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!answer.ok) throw new Error(`${method} ${url} → ${answer.status} ${(await answer.text()).slice(0, 300)}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export const graphRechecksScenario: Scenario = {
  name: 'graph',
  baselines: [],
  checks: [],
  targets: async () => [],
  async durations(env: BenchEnv): Promise<DurationSection> {
    const graph = env.idp.graph;
    graph.reset();
    env.idp.registerApp({ tenant: env.tenantId, clientId: GRAPH_APP, secrets: [{ value: SECRET }], roles: GRAPH_ROLES });
    const deployment = await deployMamgate({
      authority: env.idp.url,
      tenantId: env.tenantId,
      clientId: env.clientId,
      users: USERS,
      sessions: USERS,
      pin: env.pin.server,
      env: { MAMGATE_GRAPH_URL: env.idp.graphUrl, MAMGATE_GRAPH_CLIENT_SECRET: SECRET },
      log: env.log,
    });
    try {
      const node = await deployment.node('graph');
      await admin(`${node.url}${API_BASE}/admin/settings`, deployment.adminToken, 'PUT', { GraphSettings: { Enable: true, ClientId: GRAPH_APP } });
      const gate = `${node.url}${API_BASE}/gate`;
      // From here on the dev Graph counts (reset clears its data too, so the registrations are set after it).
      graph.reset();
      graph.setPageSize(PAGE_SIZE);
      for (let i = 0; i < USERS; i++) {
        graph.setRegistrations(objectIdFor(i), [
          { id: `bench-reg-${i}`, appIdentifier: { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: 'com.mattermost.rn' }, appliedPolicies: [] },
        ]);
      }
      const started = Date.now();
      // Every pending user asks once: the gate refuses (403) and hands the user to the re-check worker.
      const wave = await measure(
        {
          url: gate,
          method: 'GET',
          headers: { 'user-agent': MOBILE_USER_AGENT },
          connections: 50,
          duration: 0,
          amount: USERS,
          vary: { kind: 'bearer-cycle', tokens: deployment.tokens },
        },
        { serverPid: node.server.pid, pin: env.pin.load, database: deployment.database.name },
      );
      const waveS = (Date.now() - started) / 1000;
      await sleep(started + WINDOW_S * 1000 - Date.now());
      const windowS = (Date.now() - started) / 1000;
      const stats = graph.stats();
      const checked = await countGraphEvidence(deployment.database.url);
      const list = stats.calls.managedAppRegistrations ?? 0;
      const total = Object.values(stats.calls).reduce((sum, n) => sum + n, 0);
      const pages = Math.ceil(USERS / PAGE_SIZE);
      const perSweep = pages + RECHECK_TIMING.maxUsersPerSweep;
      const maxSweeps = Math.floor(windowS / (RECHECK_TIMING.minSweepIntervalMs / 1000)) + 1;
      const bound = maxSweeps * perSweep;
      const perMinute = (n: number) => Math.round((n * 60) / windowS);
      const refused = wave.statusCodes['403'] ?? 0;
      const checks: DurationCheck[] = [
        {
          label: `Graph calls in ${windowS.toFixed(0)} s with ${USERS.toLocaleString('en')} pending users ≤ (⌊${windowS.toFixed(0)} s / 2 s⌋ + 1 = ${maxSweeps} sweeps) × (${pages} list pages + ${RECHECK_TIMING.maxUsersPerSweep} policy reads) — ≤ ${(30 * perSweep).toLocaleString('en')} a minute`,
          value: total,
          unit: 'count',
          bound,
          pass: total <= bound,
        },
        { label: `gate answers other than 403 while the users were pending`, value: USERS - refused, unit: 'count', bound: 0, pass: refused === USERS },
        { label: 'users checked at least once in the window (> 0: the worker ran)', value: checked, unit: 'count', bound: USERS, pass: checked > 0 && checked <= USERS },
      ];
      env.log(`graph re-checks: ${total} Graph calls in ${windowS.toFixed(1)} s (${perMinute(total)}/min; ${list} list pages), ${checked} users checked, wave ${waveS.toFixed(1)} s`);
      return {
        title: 'Graph re-checks: 10,000 pending users',
        unit: 'user',
        summaries: [],
        checks,
        notes: [
          `Graph calls per minute: ${perMinute(total).toLocaleString('en')} (${total.toLocaleString('en')} in ${windowS.toFixed(1)} s: ${list} registration-list pages ≈ ${Math.round(list / pages)} sweeps, ` +
            `${(total - list).toLocaleString('en')} applied-policies reads); the bound the limits imply: 30 sweeps a minute × (${pages} + ${RECHECK_TIMING.maxUsersPerSweep}) = ${(30 * perSweep).toLocaleString('en')} a minute, whatever the number of pending users.`,
          `Token requests to the dev issuer in the window: ${stats.tokenRequests} (cached until shortly before expiry). Users checked at least once: ${checked.toLocaleString('en')} of ${USERS.toLocaleString('en')} ` +
            `(at most 100 a sweep: the first check of all of them takes ≥ ${Math.ceil(USERS / RECHECK_TIMING.maxUsersPerSweep) * (RECHECK_TIMING.minSweepIntervalMs / 1000)} s); the gate wave (${USERS.toLocaleString('en')} requests, one per user) took ${waveS.toFixed(1)} s.`,
          'Counts, not speed: a loaded machine makes fewer sweeps, never more.',
        ],
      };
    } finally {
      await deployment.stop();
      graph.reset();
    }
  },
};
