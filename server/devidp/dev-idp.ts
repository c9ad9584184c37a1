// A development Entra-like token issuer on node:http, for tests and `mamgate dev-idp`. It serves the discovery and
// key endpoints at the paths Entra uses (so MAMGATE_ENTRA_AUTHORITY can point at it) and mints tokens on request.
// It also answers the client-credentials grant (POST /{tenant}/oauth2/v2.0/token) and serves a development
// Microsoft Graph under /graph (so MAMGATE_GRAPH_URL can point at {url}/graph): client-credentials.ts, dev-graph.ts.
// The /admin endpoints (rotate keys, take the key endpoint down or make it hang, read counters, set the Graph's
// data and faults) have no authentication: it listens on loopback unless told otherwise, and must never face a
// network.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { AppRegistry, type RegisteredAppInput } from './client-credentials.ts';
import { DevGraph } from './dev-graph.ts';
import { handleGraphAdmin } from './dev-graph-admin.ts';
import { HttpProblem, parseWith, readJson, readText, send } from './http-io.ts';
import { KeyRing, type RotateOptions, type SigningKey } from './key-ring.ts';
import { MintError, type MintRequest, mintRequestSchema, mintToken } from './mint.ts';
import { listenOn } from '../util/listen.ts';

/** up: keys served; down: HTTP 503; hang: requests are held unanswered (to exercise the verifier's timeout). */
export type JwksMode = 'up' | 'down' | 'hang';

export interface DevIdpStats {
  jwksFetches: number;
  tokensMinted: number;
  mode: JwksMode;
  currentKid: string;
  publishedKids: string[];
}

export interface DevIdp {
  /** The authority: set MAMGATE_ENTRA_AUTHORITY (or TokenVerifier's authority) to this. */
  url: string;
  host: string;
  port: number;
  /** The development Graph's base URL ({url}/graph): set MAMGATE_GRAPH_URL (or GraphClient's graphUrl) to this. */
  graphUrl: string;
  /** The development Graph's data, faults and counters (the same as /admin/graph/*). */
  graph: DevGraph;
  /** Registers (or replaces) an app for the client-credentials grant (the same as PUT /admin/apps). */
  registerApp(app: RegisteredAppInput): { tenant: string; clientId: string; servicePrincipalId: string };
  /** In-process minting, the same as POST /{tenant}/token. */
  mint(request: MintRequest & { tenant: string }): string;
  rotate(options?: RotateOptions): Promise<{ kid: string }>;
  setJwksMode(mode: JwksMode): void;
  stats(): DevIdpStats;
  stop(): Promise<void>;
}

export interface DevIdpOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

const TENANT = /^[A-Za-z0-9.-]{1,64}$/;
const TOKEN_LIFETIME_SECONDS = 3600;

const rotateSchema = z.strictObject({
  keepOld: z.boolean().optional(),
  use: z.enum(['sig', 'enc']).optional(),
  modulusLength: z.number().int().min(512).max(8192).optional(),
});

function publicJwk(key: SigningKey, version: '1.0' | '2.0', issuer: string): Record<string, unknown> {
  // Entra's v1 keys carry x5t (= kid); v2 keys carry the issuer they sign for.
  const common = { kty: 'RSA', use: key.use, kid: key.kid, n: key.publicJwk.n, e: key.publicJwk.e };
  return version === '1.0' ? { ...common, x5t: key.kid } : { ...common, issuer };
}

export async function startDevIdp(options: DevIdpOptions = {}): Promise<DevIdp> {
  const ring = await KeyRing.create();
  const host = options.host ?? '127.0.0.1';
  let url = '';
  let mode: JwksMode = 'up';
  let jwksFetches = 0;
  let tokensMinted = 0;
  const held = new Set<{ res: ServerResponse; answer: () => void }>();
  const apps = new AppRegistry();
  const graph = new DevGraph(ring, () => `${url}/graph`);

  const mint = (request: MintRequest, tenant: string): string => {
    const token = mintToken(request, { ring, tenant, issuerBase: url });
    tokensMinted++;
    return token;
  };

  const serveKeys = (res: ServerResponse, tenant: string, version: '1.0' | '2.0') => {
    jwksFetches++;
    const answer = () => {
      const issuer = `${url}/${tenant}/v2.0`;
      send(res, 200, { keys: ring.published.map((key) => publicJwk(key, version, issuer)) });
    };
    if (mode === 'down') return send(res, 503, { error: 'temporarily_unavailable', error_description: 'the key endpoint is down (dev-idp admin)' });
    if (mode === 'hang') {
      const entry = { res, answer };
      held.add(entry);
      res.on('close', () => held.delete(entry));
      return;
    }
    answer();
  };

  const discovery = (tenant: string, version: '1.0' | '2.0') => ({
    issuer: version === '2.0' ? `${url}/${tenant}/v2.0` : `${url}/${tenant}/`,
    jwks_uri: version === '2.0' ? `${url}/${tenant}/discovery/v2.0/keys` : `${url}/${tenant}/discovery/keys`,
    token_endpoint: `${url}/${tenant}/token`,
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['none'],
    response_types_supported: ['token'],
  });

  const stats = (): DevIdpStats => ({
    jwksFetches,
    tokensMinted,
    mode,
    currentKid: ring.current.kid,
    publishedKids: ring.published.map((k) => k.kid),
  });

  const setJwksMode = (next: JwksMode) => {
    mode = next;
    if (next !== 'hang') {
      for (const entry of held) (next === 'up' ? entry.answer : () => entry.res.destroy())();
      held.clear();
    }
  };

  const rotate = async (rotateOptions?: RotateOptions) => ({ kid: (await ring.rotate(rotateOptions)).kid });

  const clientCredentials = async (req: IncomingMessage, res: ServerResponse, tenant: string) => {
    if (!graph.tokenEndpointUp(res)) return;
    const form = new URLSearchParams(await readText(req));
    const answer = apps.issue(form, tenant, { ring, issuerBase: url, resource: `${url}/graph`, issued: (uti) => graph.issuedToken(uti) });
    send(res, answer.status, answer.body);
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? '/', 'http://dev-idp');
    const path = requestUrl.pathname;
    const [first = '', ...rest] = path.split('/').filter(Boolean);
    const tail = rest.join('/');
    const method = req.method ?? 'GET';
    if (first === 'graph' && rest[0] === 'v1.0') return graph.handle(req, res, `/${rest.slice(1).join('/')}`, requestUrl.searchParams);
    if (first === 'admin' && (tail === 'apps' || tail.startsWith('graph/'))) {
      if (await handleGraphAdmin(method, tail, req, res, graph, apps)) return;
    } else if (first === 'admin') {
      if (method === 'GET' && tail === 'stats') return send(res, 200, stats());
      if (method === 'POST' && tail === 'rotate') return send(res, 200, await rotate(parseWith(rotateSchema, await readJson(req))));
      if (method === 'POST' && (tail === 'up' || tail === 'down' || tail === 'hang')) {
        setJwksMode(tail);
        return send(res, 200, { mode });
      }
    } else if (TENANT.test(first)) {
      if (method === 'GET' && tail === 'v2.0/.well-known/openid-configuration') return send(res, 200, discovery(first, '2.0'));
      if (method === 'GET' && tail === '.well-known/openid-configuration') return send(res, 200, discovery(first, '1.0'));
      if (method === 'GET' && tail === 'discovery/v2.0/keys') return serveKeys(res, first, '2.0');
      if (method === 'GET' && tail === 'discovery/keys') return serveKeys(res, first, '1.0');
      if (method === 'POST' && tail === 'oauth2/v2.0/token') return clientCredentials(req, res, first);
      if (method === 'POST' && tail === 'token') {
        const request = parseWith(mintRequestSchema, await readJson(req));
        return send(res, 200, { access_token: mint(request, first), expires_in: request.expOffset ?? TOKEN_LIFETIME_SECONDS, token_type: 'Bearer' });
      }
    }
    throw new HttpProblem(404, 'not_found', `no ${method} ${path} on the dev issuer`);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof HttpProblem) return send(res, error.status, { error: error.code, error_description: error.message });
      if (error instanceof MintError) return send(res, 400, { error: 'invalid_request', error_description: error.message });
      send(res, 500, { error: 'server_error', error_description: String((error as Error)?.message ?? error) });
    });
  });
  const listening = await listenOn(server, options.port ?? 0, host);
  url = listening.url;
  const { port } = listening;

  return {
    url,
    host,
    port,
    graphUrl: `${url}/graph`,
    graph,
    registerApp: (app) => apps.set(app),
    mint: ({ tenant, ...request }) => mint(parseWith(mintRequestSchema, request), tenant),
    rotate,
    setJwksMode,
    stats,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const entry of held) entry.res.destroy();
        held.clear();
        graph.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
