// Shared by the Graph tests: a tenant, an app registered with the dev issuer, a provider for it, and a log that
// keeps every line so a test can prove the secret and tokens never reach it.
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import type { DevIdp } from '../../server/devidp/dev-idp.ts';
import { AppTokenProvider, type AppTokenOptions } from '../../server/graph/app-token.ts';

export const TENANT = '3f1c2a4b-5d6e-4f70-8a9b-0c1d2e3f4a5b';
export const GRAPH_APP = '6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
export const SECRET = 'Xy7~dev.secret-VALUE_never-shown_0123456789';
export const GRAPH_ROLES = ['DeviceManagementApps.Read.All', 'Policy.Read.All', 'Application.Read.All', 'Directory.Read.All'];

export function registerGraphApp(idp: DevIdp, change: Partial<Parameters<DevIdp['registerApp']>[0]> = {}) {
  return idp.registerApp({ tenant: TENANT, clientId: GRAPH_APP, secrets: [{ value: SECRET }], roles: GRAPH_ROLES, ...change });
}

export function providerFor(idp: DevIdp, change: Partial<AppTokenOptions> = {}): AppTokenProvider {
  return new AppTokenProvider({ authority: idp.url, tenantId: TENANT, clientId: GRAPH_APP, clientSecret: SECRET, graphUrl: idp.graphUrl, ...change });
}

export function recordingLog(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

export function decodeClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}
