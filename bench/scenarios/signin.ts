// POST /oauth/intune for an existing office365 user, with the same RS256 access token the peer verifies:
// mamgate's full sign-in (settings + license read, token verification, user lookup, identity upsert, session
// insert, audit entry, change-feed catch-up) against the peer's verify-only throughput.
// - signin: a new device_id on every request. A sign-in from a new device is the common case, and the cost the
//   issue names (verify + user lookup + session insert) without the replace-on-same-device step.
// - signin-same-device: the same device_id every time, so each sign-in also ends the previous session on that
//   device (UPDATE + change record + NOTIFY to every node); 50 concurrent sign-ins of one user on one device is
//   not a real pattern, so it is shown for information and has no target.
import type { BenchEnv, Scenario, Target } from '../lib/scenario.ts';

export const signinScenario: Scenario = {
  name: 'signin',
  baselines: ['peer'],
  checks: [{ label: 'sign-in ≥ 1.0× express-jwt peer (verify only)', target: 'signin', vs: 'peer', min: 1 }],
  async targets(env: BenchEnv): Promise<Target[]> {
    const node = await (await env.mamgate()).node('signin');
    const url = `${node.url}/oauth/intune`;
    const { connections, durationS, warmupS } = env.options;
    const headers = { 'content-type': 'application/json' };
    const base = { url, method: 'POST' as const, headers, connections };
    const varied = { kind: 'device-id' as const, body: { access_token: env.accessToken }, prefix: `bench-signin-${process.pid}` };
    const fixedBody = JSON.stringify({ access_token: env.accessToken, device_id: 'bench-signin-same-device' });
    return [
      {
        id: 'signin',
        label: 'mamgate sign-in, new device each time',
        scenario: 'signin',
        server: node.server,
        warmups: [{ ...base, duration: warmupS, vary: varied }],
        load: () => ({ ...base, duration: durationS, vary: varied }),
        probe: { url, method: 'POST', headers, body: JSON.stringify({ access_token: env.accessToken, device_id: 'bench-probe' }), status: 200 },
      },
      {
        id: 'signin-same-device',
        label: 'mamgate sign-in, same device (informational)',
        scenario: 'signin',
        server: node.server,
        warmups: [{ ...base, body: fixedBody, duration: warmupS }],
        load: () => ({ ...base, body: fixedBody, duration: durationS }),
        probe: { url, method: 'POST', headers, body: fixedBody, status: 200 },
      },
    ];
  },
};
