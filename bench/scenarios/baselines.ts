// The named baselines, each a server in its own process: bare node:http hello, Express 5 hello, and the peer
// stack (Express 5 + express-jwt 8 + jwks-rsa 4) verifying the bench's RS256 access token on every request.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BaselineId, BenchEnv, Target } from '../lib/scenario.ts';
import { type ServerProcess, startServer } from '../lib/processes.ts';

const SERVERS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../servers');
const READY = /listening on (http:\/\/\S+)/;

export async function startBaseline(id: BaselineId, env: BenchEnv): Promise<{ server: ServerProcess; target: Target }> {
  const file = { bare: 'bare-http.ts', express: 'express-hello.ts', peer: 'express-jwt-peer.ts' }[id];
  const server = await startServer({
    name: id,
    argv: [process.execPath, '--import', 'tsx', path.join(SERVERS, file)],
    pin: env.pin.server,
    env: {
      NODE_ENV: 'production',
      JWKS_URI: `${env.idp.url}/${env.tenantId}/discovery/v2.0/keys`,
      JWT_ISSUER: `${env.idp.url}/${env.tenantId}/v2.0`,
      JWT_AUDIENCE: env.clientId,
    },
    ready: READY,
  });
  const connections = env.options.connections;
  const duration = env.options.durationS;
  const warmup = env.options.warmupS;
  const base = (url: string, headers?: Record<string, string>) => ({ url, method: 'GET' as const, headers, connections });
  const target = (label: string, url: string, status: number, headers?: Record<string, string>): Target => ({
    id,
    label,
    scenario: 'baseline',
    server,
    warmups: [{ ...base(url, headers), duration: warmup }],
    load: () => ({ ...base(url, headers), duration }),
    probe: { url, method: 'GET', headers, status },
  });
  switch (id) {
    case 'bare':
      return { server, target: target('bare node:http hello', `${server.url}/`, 200) };
    case 'express':
      return { server, target: target('Express 5 hello', `${server.url}/hello`, 200) };
    case 'peer':
      return {
        server,
        target: target('express-jwt 8 + jwks-rsa 4 (RS256 verify)', `${server.url}/protected`, 200, {
          authorization: `Bearer ${env.accessToken}`,
        }),
      };
  }
}
