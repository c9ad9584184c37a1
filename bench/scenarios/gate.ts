// GET /plugins/mamgate/api/v1/gate with 100,000 live enrolled sessions in PostgreSQL:
// - gate: one enrolled session token on every request (the steady state of an nginx auth_request);
// - gate-mobile-ua: the same with the mobile app's User-Agent, the request the companion rows send;
// - gate-cycle-warm: cycling over `cycle` different enrolled sessions, after one pass has loaded them;
// - gate-cycle-cold: `cycle` requests, each for a session this node has never seen (a fresh slice of the seeded
//   sessions every round): every answer needs a database read.
import { API_BASE } from '../lib/mamgate.ts';
import type { BenchEnv, Scenario, Target } from '../lib/scenario.ts';
import { MOBILE_USER_AGENT } from './companion-gate.ts';

export const gateScenario: Scenario = {
  name: 'gate',
  baselines: ['bare', 'express', 'peer'],
  checks: [
    { label: 'gate ≥ 8× express-jwt peer', target: 'gate', vs: 'peer', min: 8 },
    { label: 'gate ≥ 0.5× bare node:http', target: 'gate', vs: 'bare', min: 0.5 },
    { label: 'gate p99 ≤ 10 ms', target: 'gate', maxP99Ms: 10 },
  ],
  async targets(env: BenchEnv): Promise<Target[]> {
    const deployment = await env.mamgate();
    const node = await deployment.node('gate');
    const url = `${node.url}${API_BASE}/gate`;
    const { connections, durationS, warmupS, runs } = env.options;
    const tokens = deployment.tokens;
    // Slice 0 for the warm variant, slices 1..runs for the cold rounds: every cold round meets unseen sessions.
    const cycle = Math.min(env.options.cycle, Math.floor(tokens.length / (runs + 1)));
    if (cycle < connections) throw new Error(`not enough seeded sessions for the cycling variants (cycle ${cycle})`);
    const slice = (n: number) => tokens.slice(n * cycle, (n + 1) * cycle);
    const one = tokens[0]!;
    const headers = { authorization: `Bearer ${one}` };
    const mobileHeaders = { ...headers, 'user-agent': MOBILE_USER_AGENT };
    const base = { url, method: 'GET' as const, connections };
    const warmSlice = slice(0);
    const n = cycle.toLocaleString('en');
    return [
      {
        id: 'gate',
        label: 'mamgate gate, one enrolled session',
        scenario: 'gate',
        server: node.server,
        warmups: [{ ...base, headers, duration: warmupS }],
        load: () => ({ ...base, headers, duration: durationS }),
        probe: { url, method: 'GET', headers, status: 204 },
      },
      {
        // The same request with the mobile app's User-Agent, as the companion rows send it: their fair comparison.
        id: 'gate-mobile-ua',
        label: "mamgate gate, one enrolled session, the mobile app's User-Agent",
        scenario: 'gate',
        server: node.server,
        warmups: [{ ...base, headers: mobileHeaders, duration: warmupS }],
        load: () => ({ ...base, headers: mobileHeaders, duration: durationS }),
        probe: { url, method: 'GET', headers: mobileHeaders, status: 204 },
      },
      {
        id: 'gate-cycle-warm',
        label: `mamgate gate, cycling ${n} sessions (warm cache)`,
        scenario: 'gate',
        server: node.server,
        warmups: [
          { ...base, amount: cycle, duration: 0, vary: { kind: 'bearer-cycle', tokens: warmSlice } },
          { ...base, duration: warmupS, vary: { kind: 'bearer-cycle', tokens: warmSlice } },
        ],
        load: () => ({ ...base, duration: durationS, vary: { kind: 'bearer-cycle', tokens: warmSlice } }),
        probe: { url, method: 'GET', headers: { authorization: `Bearer ${warmSlice[1]}` }, status: 204 },
      },
      {
        id: 'gate-cycle-cold',
        label: `mamgate gate, ${n} unseen sessions (cold: 1 query each)`,
        scenario: 'gate',
        server: node.server,
        warmups: [],
        repeatable: false,
        load: (round) => ({ ...base, duration: 0, amount: cycle, vary: { kind: 'bearer-cycle', tokens: slice(round + 1) } }),
        // The probe uses a session outside every slice, so no cold session is loaded before its round.
        probe: { url, method: 'GET', headers: { authorization: `Bearer ${tokens[tokens.length - 1]}` }, status: 204 },
      },
    ];
  },
};
