// Two mamgate nodes on one PostgreSQL behind the harness's round-robin TCP proxy, against one node behind the
// same proxy (so both sides pay the proxy): the gate with one enrolled session, and the sign-in with a new device
// each time. Both nodes use the shared bench database (the gate scenario's 100,000 sessions).
// Pinning: node A where every server runs (core 0); node B and the proxy on the cores after the load
// generator's when there are enough (4+ cores: B on 2, proxy on 3), else next to the generator (2 cores: B,
// the proxy and the generator all on core 1) — so on 2 cores the pair cannot double, and the table says by how
// much it gains. Server CPU of the pair is both nodes; the proxy's CPU is reported apart.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corePin } from '../lib/machine.ts';
import { API_BASE } from '../lib/mamgate.ts';
import { startServer } from '../lib/processes.ts';
import type { TargetSummary } from '../lib/report.ts';
import type { BenchEnv, Scenario, Target } from '../lib/scenario.ts';

const PROXY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../servers/round-robin-proxy.ts');

let pinningNote = '';

export const nodesScenario: Scenario = {
  name: 'nodes',
  baselines: [],
  checks: [],
  async targets(env: BenchEnv): Promise<Target[]> {
    const cores = os.availableParallelism();
    const pinB = corePin(env.pin, cores >= 3 ? 2 : 1);
    const pinProxy = corePin(env.pin, cores >= 4 ? 3 : 1);
    pinningNote = env.pin.server.length
      ? `node A on core ${env.pin.server.at(-1)}, node B on core ${pinB.at(-1)}, proxy on core ${pinProxy.at(-1)}, load generator on core ${env.pin.load.at(-1)}`
      : 'no pinning';
    const deployment = await env.mamgate();
    const a = await deployment.node('pair-a');
    const b = await deployment.node('pair-b', { pin: pinB });
    const proxy = await startServer({
      name: 'round-robin-proxy',
      argv: [process.execPath, '--import', 'tsx', PROXY],
      pin: pinProxy,
      env: { PROXY_ROUTES: `${a.url}|${a.url},${b.url}` },
      ready: /round-robin proxy listening on (\S+)/,
    });
    env.defer(() => proxy.stop());
    const [viaOne, viaPair] = proxy.url.split(',') as [string, string];
    const { connections, warmupS, scaleDurationS } = env.options;
    const warmup = Math.min(warmupS, scaleDurationS);
    const session = { authorization: `Bearer ${deployment.tokens[1]}` };
    const json = { 'content-type': 'application/json' };
    const varied = { kind: 'device-id' as const, body: { access_token: env.accessToken }, prefix: 'bench-nodes' };
    const probeBody = (device: string) => JSON.stringify({ access_token: env.accessToken, device_id: device });
    const targets: Target[] = [];
    for (const [count, base] of [
      [1, viaOne],
      [2, viaPair],
    ] as const) {
      const pair = count === 2 ? { extraServerPids: [b.server.pid] } : {};
      const common = { scenario: 'nodes', server: a.server, helperPids: [proxy.pid], ...pair };
      const gate = { url: `${base}${API_BASE}/gate`, method: 'GET' as const, headers: session, connections };
      const signin = { url: `${base}/oauth/intune`, method: 'POST' as const, headers: json, connections };
      const nodes = count === 1 ? '1 node' : '2 nodes';
      targets.push(
        {
          ...common,
          id: `nodes-${count}-gate`,
          label: `${nodes} behind the proxy: gate, one enrolled session`,
          warmups: [{ ...gate, duration: warmup }],
          load: () => ({ ...gate, duration: scaleDurationS }),
          probe: { url: gate.url, method: 'GET', headers: session, status: 204 },
        },
        {
          ...common,
          id: `nodes-${count}-signin`,
          label: `${nodes} behind the proxy: sign-in, new device each time`,
          warmups: [{ ...signin, duration: warmup, vary: varied }],
          load: () => ({ ...signin, duration: scaleDurationS, vary: varied }),
          probe: { url: signin.url, method: 'POST', headers: json, body: probeBody(`bench-nodes-probe-${count}`), status: 200 },
        },
      );
    }
    return targets;
  },
  summary(targets: TargetSummary[]): string[] {
    const byId = new Map(targets.map((t) => [t.id, t]));
    const lines: string[] = [];
    for (const kind of ['gate', 'signin']) {
      const one = byId.get(`nodes-1-${kind}`);
      const two = byId.get(`nodes-2-${kind}`);
      if (!one || !two) continue;
      const proxyUs = (t: TargetSummary) => Math.round((t.helperCpuPct * 1e4) / t.rps);
      lines.push(
        `two nodes, ${kind}: the pair does ${(two.rps / one.rps).toFixed(2)}× the req/s of one node through the same proxy ` +
          `(${Math.round(two.rps).toLocaleString('en')} vs ${Math.round(one.rps).toLocaleString('en')}); server CPU ${Math.round(two.serverUsPerReq)} vs ` +
          `${Math.round(one.serverUsPerReq)} µs/req (both nodes summed), proxy ${Math.round(two.helperCpuPct)}% vs ${Math.round(one.helperCpuPct)}% CPU ` +
          `(${proxyUs(two)} vs ${proxyUs(one)} µs/req); ${pinningNote}.`,
      );
    }
    return lines;
  },
};
