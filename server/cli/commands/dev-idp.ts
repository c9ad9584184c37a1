// `mamgate dev-idp`: the development token issuer, so sign-in can be tried end to end on one machine.
import type { Command } from '../command.ts';
import type { Output } from '../output.ts';
import { isLoopback, portOption, untilSignal } from '../dev-server.ts';

/** Runs the issuer until `until` settles; prints the authority and a curl line that mints a token. */
export async function runDevIdp(options: { port: number; host: string }, output: Output, until: Promise<unknown>): Promise<void> {
  const [{ startDevIdp }, { DEFAULT_CLIENT_ID }] = await Promise.all([import('../../devidp/dev-idp.ts'), import('../../devidp/mint.ts')]);
  const idp = await startDevIdp(options);
  output.out(`authority: ${idp.url}   (start mamgate with MAMGATE_ENTRA_AUTHORITY=${idp.url})`);
  output.out(
    `mint a token: curl -s -X POST ${idp.url}/<TenantId>/token -H 'content-type: application/json' -d '{"aud":"<ClientId>","azp":"${DEFAULT_CLIENT_ID}","scp":"login.mattermost","email":"jane@example.com"}'`,
  );
  output.out(`graph: ${idp.graphUrl}   (MAMGATE_GRAPH_URL=${idp.graphUrl}; register an app with PUT ${idp.url}/admin/apps)`);
  if (!isLoopback(options.host)) output.err(`warning: listening on ${options.host}; the /admin endpoints have no authentication`);
  try {
    await until;
  } finally {
    await idp.stop();
  }
}

export const devIdpCommand: Command = {
  path: ['dev-idp'],
  summary: 'run a development Entra token issuer (keys, discovery, token minting) and Microsoft Graph for local sign-in',
  usage: [
    'mamgate dev-idp [--port 9000] [--host 127.0.0.1]',
    '',
    'Serves /{tenant}/v2.0/.well-known/openid-configuration, /{tenant}/discovery/v2.0/keys, /{tenant}/discovery/keys',
    'and POST /{tenant}/token (JSON: aud, oid, scp, azp|appid, version "1.0"|"2.0", email, upn, expOffset, claims, omit,',
    'header, signWith). Admin: POST /admin/rotate, /admin/down, /admin/up, /admin/hang; GET /admin/stats.',
    '',
    'Development Microsoft Graph (start mamgate with MAMGATE_GRAPH_URL=<authority>/graph):',
    '  POST /{tenant}/oauth2/v2.0/token   client-credentials grant (form: client_id, client_secret,',
    '                                     grant_type=client_credentials, scope=<authority>/graph/.default);',
    '                                     Entra errors with AADSTS codes (7000215, 7000222, 700016, 90002, 500011)',
    '  GET /graph/v1.0/deviceAppManagement/managedAppRegistrations[/{id}/appliedPolicies]',
    "  GET /graph/v1.0/identity/conditionalAccess/policies, /graph/v1.0/servicePrincipals(appId='{appId}'),",
    "      /graph/v1.0/oauth2PermissionGrants?$filter=clientId eq '{id}'",
    '  Admin: PUT /admin/apps {tenant, clientId, secrets:[{value, expiresAt?}], roles, tokenLifetimeSeconds?}',
    '         PUT /admin/graph/registrations {userId, registrations:[{appIdentifier, lastSyncDateTime, flaggedReasons,',
    '             appliedPolicies}]}; PUT /admin/graph/conditional-access-policies | service-principals |',
    '             oauth2-permission-grants {value:[...]}; PUT /admin/graph/page-size {pageSize}',
    '         POST /admin/graph/fault {mode: up|down|hang, tokenEndpoint: up|down|hang,',
    '             throttle: {times, retryAfterSeconds, status: 429|503}}',
    '         POST /admin/graph/revoke-tokens, /admin/graph/reset; GET /admin/graph/stats (calls per endpoint)',
    '',
    'For development only: never expose it beyond this machine.',
  ].join('\n'),
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
  },
  async run({ values, output }) {
    const options = { port: portOption(values.port, 9000), host: String(values.host ?? '127.0.0.1') };
    await runDevIdp(options, output, untilSignal(output));
    return 0;
  },
};
