// `mamgate dev-idp`: the development token issuer, so sign-in can be tried end to end on one machine.
import { AppError } from '../../errors/app-error.ts';
import type { Command } from '../command.ts';
import type { Output } from '../output.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function portFrom(value: unknown): number {
  const port = Number(value ?? 9000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new AppError('mamgate.cli.usage.app_error', { params: { Problem: `--port must be 0-65535, got "${String(value)}"` } });
  }
  return port;
}

/** Runs the issuer until `until` settles; prints the authority and a curl line that mints a token. */
export async function runDevIdp(options: { port: number; host: string }, output: Output, until: Promise<unknown>): Promise<void> {
  const [{ startDevIdp }, { DEFAULT_CLIENT_ID }] = await Promise.all([import('../../devidp/dev-idp.ts'), import('../../devidp/mint.ts')]);
  const idp = await startDevIdp(options);
  output.out(`authority: ${idp.url}   (start mamgate with MAMGATE_ENTRA_AUTHORITY=${idp.url})`);
  output.out(
    `mint a token: curl -s -X POST ${idp.url}/<TenantId>/token -H 'content-type: application/json' -d '{"aud":"<ClientId>","azp":"${DEFAULT_CLIENT_ID}","email":"jane@example.com"}'`,
  );
  if (!LOOPBACK.has(options.host)) output.err(`warning: listening on ${options.host}; the /admin endpoints have no authentication`);
  try {
    await until;
  } finally {
    await idp.stop();
  }
}

export const devIdpCommand: Command = {
  path: ['dev-idp'],
  summary: 'run a development Entra token issuer (keys, discovery, token minting) for local sign-in',
  usage: [
    'mamgate dev-idp [--port 9000] [--host 127.0.0.1]',
    '',
    'Serves /{tenant}/v2.0/.well-known/openid-configuration, /{tenant}/discovery/v2.0/keys, /{tenant}/discovery/keys',
    'and POST /{tenant}/token (JSON: aud, oid, scp, azp|appid, version "1.0"|"2.0", email, upn, expOffset, claims, omit,',
    'header, signWith). Admin: POST /admin/rotate, /admin/down, /admin/up, /admin/hang; GET /admin/stats.',
    'For development only: never expose it beyond this machine.',
  ].join('\n'),
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
  },
  async run({ values, output }) {
    const options = { port: portFrom(values.port), host: String(values.host ?? '127.0.0.1') };
    const stopped = new Promise<void>((resolve) => {
      const onSignal = (signal: NodeJS.Signals) => {
        output.err(`${signal} received: stopping`);
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        resolve();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    await runDevIdp(options, output, stopped);
    return 0;
  },
};
