// The gate as the companion of a chat server (server/enrollment/companion-gate.ts): GET /plugins/mamgate/api/v1/gate
// with the chat server's own session tokens. Who a token belongs to is asked of the chat server once and remembered
// (server/chatserver/token-identities.ts: 60 s accepted, 30 s refused); the policy comes from the chat server's
// configuration and license, the evidence from mamgate's records. dev-chat stands in for the chat server, in its
// own process (bench/servers/dev-chat.ts), set up through its /dev/ control API: an admin session for mamgate
// (MAMGATE_CHAT_SERVER_URL / _TOKEN), Intune on (office365) and an Enterprise Advanced license, one protected user
// (office365, imported into mamgate from the bulk export) with a mobile session that reported `enrolled`, and a
// web session of the same user. mamgate runs on a fresh, empty database of its own.
// - companion-gate-mobile: the mobile session with the mobile app's User-Agent: identity, policy and evidence all
//   from the node's memory after the first request (the enrolled-evidence path);
// - companion-gate-web: the web session with a browser's User-Agent: passes before evidence (not_required);
// - the storm (durations): 10,000 distinct unknown tokens, 200 at once from the load generator, then the same
//   10,000 again; dev-chat's counters say how many /users/me calls mamgate made and how many were under way at once.
//   Twice: dev-chat answering at once, and held 5 ms a call (its slow mode), so the calls overlap and the node's
//   limit (N = 16 at once) is what bounds them.
// Pinning: dev-chat on core 2 with 3+ cores; on 2 cores on the servers' core (0), never on the load generator's:
// it idles while the cached targets are measured (the mirror's poll every 5 s, an identity re-read per token every
// 60 s), and in the storm it shares core 0 with mamgate, as a chat server on the same host would.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addDurationRatios, type DurationCheck, type DurationRun, type DurationSection, type DurationSummary, summariseDurations } from '../lib/durations.ts';
import { measure } from '../lib/load.ts';
import { corePin, peakRssMiB, resetPeakRss } from '../lib/machine.ts';
import { API_BASE, deployMamgate, type MamgateNode } from '../lib/mamgate.ts';
import { type ServerProcess, startServer } from '../lib/processes.ts';
import type { TargetSummary } from '../lib/report.ts';
import type { BenchEnv, Scenario, Target } from '../lib/scenario.ts';

const DEV_CHAT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../servers/dev-chat.ts');
export const MOBILE_USER_AGENT = 'Mattermost Mobile/2.22.0+612 (iOS; 17.5; iPhone15,2)';
const MOBILE = MOBILE_USER_AGENT;
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const OBJECT_ID = '5F1B2C3D-0000-4000-8000-000000000001';
/** dev-chat's counter for GET /api/v4/users/me (counted under the route pattern /users/{user_id}). */
const USERS_ME = 'GET /api/v4/users/{user_id}';
const STORM_TOKENS = 10_000;
const STORM_CONCURRENCY = 200;
/** Chat-server calls one mamgate node makes at once (CHAT_SERVER_CALL_DEFAULTS.maxConcurrent). */
const CALLS_AT_ONCE = 16;
/** dev-chat answering at once, and held 5 ms a call (its slow mode) so that calls overlap. */
const STORM_VARIANTS = [
  { id: 'a', label: 'dev-chat answering at once', delayMs: 0 },
  { id: 'b', label: 'dev-chat 5 ms per call', delayMs: 5 },
];

interface DevChatStats {
  calls: Record<string, number>;
  maxConcurrent: number;
}

interface Setup {
  chat: ServerProcess;
  api: string;
  resetUrl: string;
  node: MamgateNode;
  database: string;
  pinNote: string;
}

let setup: Setup | undefined;

async function json<T>(url: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const answer = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await answer.text();
  if (!answer.ok) throw new Error(`${init.method ?? 'GET'} ${url} → ${answer.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const stats = (s: Setup) => json<DevChatStats>(`${s.api}/dev/stats`);

/** Asks the gate once and checks the state it answers with (so each row measures the path it names). */
async function expectState(url: string, token: string, userAgent: string, state: string): Promise<void> {
  const answer = await fetch(url, { headers: { authorization: `Bearer ${token}`, 'user-agent': userAgent } });
  await answer.text();
  const got = answer.headers.get('x-mam-state');
  if (answer.status !== 204 || got !== state) throw new Error(`companion gate: expected 204 ${state}, got ${answer.status} ${got}`);
}

export const companionGateScenario: Scenario = {
  name: 'companion',
  baselines: ['bare', 'express', 'peer'],
  checks: [
    { label: 'companion gate, mobile enrolled ≥ 0.7× bare node:http', target: 'companion-gate-mobile', vs: 'bare', min: 0.7 },
    { label: 'companion gate, mobile enrolled ≥ 12× express-jwt peer', target: 'companion-gate-mobile', vs: 'peer', min: 12 },
    { label: 'companion gate, web session ≥ 0.7× bare node:http', target: 'companion-gate-web', vs: 'bare', min: 0.7 },
    { label: 'companion gate, web session ≥ 12× express-jwt peer', target: 'companion-gate-web', vs: 'peer', min: 12 },
  ],
  async targets(env: BenchEnv): Promise<Target[]> {
    const cores = os.availableParallelism();
    const pinChat = cores >= 3 ? corePin(env.pin, 2) : env.pin.server;
    const pinNote = pinChat.length
      ? `dev-chat on core ${pinChat.at(-1)}${cores >= 3 ? '' : ' with the servers'}, load generator on core ${env.pin.load.at(-1)}`
      : 'no pinning';
    const chat = await startServer({
      name: 'dev-chat',
      argv: [process.execPath, '--import', 'tsx', DEV_CHAT],
      pin: pinChat,
      env: { NODE_ENV: 'production' },
      ready: /dev-chat listening on (\S+)/,
    });
    env.defer(() => chat.stop());
    const [api, control] = chat.url.split(',') as [string, string];
    const admin = await json<{ id: string }>(`${api}/dev/users`, {
      method: 'POST',
      body: { username: 'sysadmin', email: 'admin@example.com', roles: 'system_user system_admin' },
    });
    const adminSession = await json<{ token: string }>(`${api}/dev/sessions`, { method: 'POST', body: { user_id: admin.id } });
    await json(`${api}/dev/config`, {
      method: 'PATCH',
      body: { IntuneSettings: { Enable: true, TenantId: env.tenantId, ClientId: env.clientId, AuthService: 'office365' }, Office365Settings: { Enable: true } },
    });
    await json(`${api}/dev/license`, { method: 'PUT', body: { IsLicensed: true, SkuShortName: 'advanced' } });
    const user = await json<{ id: string; username: string; email: string }>(`${api}/dev/users`, {
      method: 'POST',
      body: { username: 'bench.mobile', email: 'bench.mobile@example.com', auth_service: 'office365', auth_data: OBJECT_ID },
    });
    const mobile = await json<{ token: string }>(`${api}/dev/sessions`, {
      method: 'POST',
      body: { user_id: user.id, device_id: 'apple_rn:bench-device', props: { isMobile: 'true', os: 'iOS' } },
    });
    const web = await json<{ token: string }>(`${api}/dev/sessions`, { method: 'POST', body: { user_id: user.id } });

    const deployment = await deployMamgate({
      authority: env.idp.url,
      tenantId: env.tenantId,
      clientId: env.clientId,
      users: 1,
      sessions: 1,
      pin: env.pin.server,
      cpuProfileDir: env.profileDir,
      env: { MAMGATE_CHAT_SERVER_URL: api, MAMGATE_CHAT_SERVER_TOKEN: adminSession.token },
      configure: false,
      log: env.log,
    });
    env.defer(() => deployment.stop());
    const node = await deployment.node('companion');
    // The user as the bulk export gives it (its objectId in auth_data), then the app's client report.
    const line = JSON.stringify({ type: 'user', user: { username: user.username, email: user.email, auth_service: 'office365', auth_data: OBJECT_ID } });
    const imported = await json<{ imported: number }>(`${node.url}${API_BASE}/admin/users/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${deployment.adminToken}`, 'content-type': 'application/x-ndjson' },
      body: `{"type":"version","version":1}\n${line}\n`,
    });
    if (imported.imported !== 1) throw new Error(`companion: imported ${imported.imported} users, expected 1`);
    await json(`${node.url}${API_BASE}/enrollment`, {
      method: 'POST',
      headers: { authorization: `Bearer ${mobile.token}`, 'user-agent': MOBILE },
      body: { event_id: 'bench-companion-enrolled', status: 'enrolled' },
    });
    const url = `${node.url}${API_BASE}/gate`;
    await expectState(url, mobile.token, MOBILE, 'enrolled');
    await expectState(url, web.token, BROWSER, 'not_required');
    await fetch(`${control}/reset-stats`, { method: 'POST' }); // the storm's notes count calls from here on
    setup = { chat, api, resetUrl: `${control}/reset-stats`, node, database: deployment.database.name, pinNote };
    env.log(`companion: dev-chat at ${api} (pid ${chat.pid}); ${pinNote}`);

    const { connections, durationS, warmupS } = env.options;
    const base = { url, method: 'GET' as const, connections };
    const common = { scenario: 'companion', server: node.server, database: deployment.database.name, helperPids: [chat.pid] };
    const target = (id: string, label: string, headers: Record<string, string>): Target => ({
      ...common,
      id,
      label,
      warmups: [{ ...base, headers, duration: warmupS }],
      load: () => ({ ...base, headers, duration: durationS }),
      probe: { url, method: 'GET', headers, status: 204 },
    });
    return [
      target('companion-gate-mobile', 'mamgate companion gate, cached chat-server mobile session (enrolled)', {
        authorization: `Bearer ${mobile.token}`,
        'user-agent': MOBILE,
      }),
      target('companion-gate-web', 'mamgate companion gate, cached chat-server web session', {
        authorization: `Bearer ${web.token}`,
        'user-agent': BROWSER,
      }),
      target('companion-node-own-session', 'the standalone gate on the companion node (one of its own enrolled sessions)', {
        authorization: `Bearer ${deployment.tokens[0]}`,
        'user-agent': MOBILE,
      }),
    ];
  },
  summary(targets: TargetSummary[]): string[] {
    const rows = targets.filter((t) => t.scenario === 'companion');
    if (!setup || rows.length === 0) return [];
    const chat = rows.map((t) => `${t.id} ${Math.round(t.helperCpuPct)}%`).join(', ');
    return [`companion gate: dev-chat CPU while measured (the "proxy" figure of the log lines): ${chat}; ${setup.pinNote}.`];
  },
  async durations(env: BenchEnv): Promise<DurationSection> {
    const s = setup!;
    const url = `${s.node.url}${API_BASE}/gate`;
    // What the cached targets cost the chat server since the setup: identity re-reads (60 s TTL) and the mirror's polls.
    const before = await stats(s);
    const steadyCalls = before.calls[USERS_ME] ?? 0;
    const measureOptions = { serverPid: s.node.server.pid, pin: env.pin.load, database: s.database, helperPids: [s.chat.pid] };
    const n = STORM_TOKENS.toLocaleString('en');
    const summaries: DurationSummary[] = [];
    const checks: DurationCheck[] = [];
    const notes: string[] = [];
    let wrong = 0;
    for (const variant of STORM_VARIANTS) {
      const first: DurationRun[] = [];
      const second: DurationRun[] = [];
      const perRound: { calls1: number; calls2: number; atOnce: number; chatCpu: number; mamgateCpu: number }[] = [];
      await json(`${s.api}/dev/mode`, { method: 'POST', body: variant.delayMs ? { mode: 'slow', delayMs: variant.delayMs } : { mode: 'up' } });
      for (let round = 0; round < env.options.runs; round++) {
        // Distinct in every round and variant (and shaped like a chat-server token: 26 characters), so none is remembered yet.
        const prefix = `storm${variant.id}${round}x`;
        const tokens = Array.from({ length: STORM_TOKENS }, (_, i) => `${prefix}${String(i).padStart(26 - prefix.length, '0')}`);
        const spec = {
          url,
          method: 'GET' as const,
          headers: { 'user-agent': MOBILE },
          connections: STORM_CONCURRENCY,
          duration: 0,
          amount: STORM_TOKENS,
          vary: { kind: 'bearer-cycle' as const, tokens },
        };
        await fetch(s.resetUrl, { method: 'POST' });
        const base = await stats(s);
        resetPeakRss(s.node.server.pid);
        const pass1 = await measure(spec, measureOptions);
        const rss1 = peakRssMiB(s.node.server.pid);
        const after1 = await stats(s);
        const pass2 = await measure(spec, measureOptions);
        const after2 = await stats(s);
        const calls1 = (after1.calls[USERS_ME] ?? 0) - (base.calls[USERS_ME] ?? 0);
        const calls2 = (after2.calls[USERS_ME] ?? 0) - (after1.calls[USERS_ME] ?? 0);
        for (const m of [pass1, pass2]) {
          wrong += m.errors + m.timeouts + Object.entries(m.statusCodes).reduce((sum, [code, count]) => sum + (code === '401' ? 0 : count), 0);
        }
        first.push({ seconds: pass1.durationS, peakRssMiB: rss1, phases: {} });
        second.push({ seconds: pass2.durationS, peakRssMiB: peakRssMiB(s.node.server.pid), phases: {} });
        perRound.push({ calls1, calls2, atOnce: after2.maxConcurrent, chatCpu: pass1.helperCpuPct, mamgateCpu: pass1.serverCpuPct });
        env.log(
          `storm (${variant.label}) round ${round + 1}/${env.options.runs}: pass 1 ${pass1.durationS.toFixed(2)} s (${Math.round(pass1.rps)} req/s, ` +
            `${calls1} chat-server calls, mamgate CPU ${Math.round(pass1.serverCpuPct)}%, dev-chat ${Math.round(pass1.helperCpuPct)}%), ` +
            `pass 2 ${pass2.durationS.toFixed(2)} s (${calls2} calls); most calls at once ${after2.maxConcurrent}`,
        );
      }
      const id = `storm-${variant.id}`;
      const pass1 = summariseDurations({ id: `${id}-1`, label: `storm, ${variant.label}: pass 1, ${n} distinct unknown tokens`, scenario: 'companion', units: STORM_TOKENS, runs: first });
      const pass2 = summariseDurations({ id: `${id}-2`, label: `storm, ${variant.label}: pass 2, the same ${n} again`, scenario: 'companion', units: STORM_TOKENS, vs: `${id}-1`, runs: second });
      summaries.push(pass1, pass2);
      // The worst round decides each check.
      const worst = (values: number[], away: (v: number) => number) => values.reduce((a, b) => (away(b) > away(a) ? b : a));
      const calls1 = worst(perRound.map((r) => r.calls1), (v) => Math.abs(v - STORM_TOKENS));
      const calls2 = worst(perRound.map((r) => r.calls2), (v) => v);
      const atOnce = worst(perRound.map((r) => r.atOnce), (v) => v);
      checks.push(
        { label: `storm, ${variant.label}: chat-server calls in pass 1 = ${n} (one per token)`, value: calls1, unit: 'count', min: STORM_TOKENS, bound: STORM_TOKENS, pass: calls1 === STORM_TOKENS },
        { label: `storm, ${variant.label}: chat-server calls in pass 2 (refusals remembered 30 s)`, value: calls2, unit: 'count', bound: 0, pass: calls2 === 0 },
        { label: `storm, ${variant.label}: chat-server calls at once ≤ N = ${CALLS_AT_ONCE} (dev-chat's maxConcurrent)`, value: atOnce, unit: 'count', bound: CALLS_AT_ONCE, pass: atOnce <= CALLS_AT_ONCE },
      );
      notes.push(
        `${variant.label}, per round: ${perRound
          .map((r, i) => `${i + 1}: ${r.calls1} + ${r.calls2} calls, at most ${r.atOnce} at once, pass 1 mamgate ${Math.round(r.mamgateCpu)}% / dev-chat ${Math.round(r.chatCpu)}% CPU`)
          .join('; ')}.`,
      );
    }
    await json(`${s.api}/dev/mode`, { method: 'POST', body: { mode: 'up' } });
    addDurationRatios(summaries);
    checks.push({ label: 'storm: answers other than 401 session_expired (errors, timeouts, 503 queue full)', value: wrong, unit: 'count', bound: 0, pass: wrong === 0 });
    return {
      title: 'Companion gate: a storm of unknown chat-server tokens',
      unit: 'token',
      summaries,
      checks,
      notes: [
        `Each pass: ${n} requests with the mobile app's User-Agent, each a token dev-chat does not know, ${STORM_CONCURRENCY} at once from the load generator; ` +
          'pass 2 right after pass 1. Chat-server calls: dev-chat\'s count of GET /api/v4/users/me; "at once": its most /api/v4 calls under way (reset before each round). ' +
          `"5 ms per call": dev-chat's slow mode, every call held 5 ms, so calls overlap and the node's limit is what bounds them; answering at once, dev-chat ` +
          `(sharing a core with mamgate on 2 cores) finishes each call before the next arrives. peak RSS: mamgate's. ${s.pinNote}.`,
        ...notes,
        `Before the storm, the cached targets' whole run cost dev-chat ${steadyCalls} GET /users/me (the 60 s identity TTL, per token) and the mirror's polls.`,
      ],
    };
  },
};
