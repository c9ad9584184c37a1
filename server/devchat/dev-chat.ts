// A development stand-in for the Mattermost server, for tests and `mamgate dev-chat`: REST v4 and the WebSocket
// as mamgate uses them through @mattermost/client, following Mattermost's published contract (the files each
// part follows are named at the top of rest-api.ts, websocket-hub.ts, request-auth.ts, model.ts, chat-config.ts,
// client-config.ts, chat-license.ts, bulk-export.ts and chat-error.ts), plus a control API under /dev/ that sets
// users, sessions, configuration and license and makes the API fail. It has no authentication on /dev/: it
// listens on loopback unless told otherwise and answers /dev/ to loopback clients only.
import { createServer, type IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { exportJsonl } from './bulk-export.ts';
import { CallStats } from './call-stats.ts';
import type { JsonObject } from './chat-config.ts';
import { ChatError } from './chat-error.ts';
import type { LicenseInput } from './chat-license.ts';
import { ChatState } from './chat-state.ts';
import {
  ControlProblem,
  configPatchSchema,
  isLoopback,
  licenseSchema,
  modeSchema,
  newSessionSchema,
  newUserSchema,
  parseWith,
} from './control-api.ts';
import { BodyTooLargeError } from '../http/plain/capped-body.ts';
import { sendJson } from '../http/plain/send-json.ts';
import { readBody } from './http-io.ts';
import { newId } from './ids.ts';
import { type ChatMode, ModeGate, StoppedError } from './mode-gate.ts';
import type { ChatSession, ChatUser } from './model.ts';
import { authenticate } from './request-auth.ts';
import { matchRoute, restRoutes } from './rest-api.ts';
import { type NewSession, type NewUser, UnknownUserError } from './store.ts';
import { WebSocketHub } from './websocket-hub.ts';
import { listenOn } from '../util/listen.ts';

export type { ChatMode } from './mode-gate.ts';
export type { ChatSession, ChatUser } from './model.ts';
export type { NewSession, NewUser } from './store.ts';
export type { LicenseInput } from './chat-license.ts';

export interface DevChatOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Plugin settings to obfuscate in GET /api/v4/config, as a manifest's `secret: true` would: {pluginId: [keys]}. */
  secretPluginKeys?: Record<string, string[]>;
  /** The Mattermost version claimed (Version, X-Version-Id, hello). Default 11.3.0. */
  version?: string;
  /** How long an unauthenticated WebSocket may stay open (Mattermost: 5 s). */
  webSocketAuthTimeoutMs?: number;
}

export interface DevChatStats {
  /** Calls per route pattern, e.g. "GET /api/v4/users/{user_id}"; unmatched paths count as "GET (unmatched)". */
  calls: Record<string, number>;
  /** /api/v4 calls under way now, and the most at once since the start (or resetStats). */
  concurrent: number;
  maxConcurrent: number;
  webSockets: { open: number; authenticated: number; opened: number };
  revocations: number;
  mode: ChatMode;
}

export interface DevChat {
  url: string;
  host: string;
  port: number;
  addUser(user: NewUser): ChatUser;
  /** Creates a session (a random 26-character token unless given); throws for an unknown user. */
  addSession(session: NewSession): ChatSession;
  /** JSON merge patch of the server config; broadcasts config_changed. */
  patchConfig(patch: JsonObject): void;
  /** Sets or removes the license; broadcasts license_changed. */
  setLicense(license: LicenseInput): void;
  setMode(mode: ChatMode, delayMs?: number): void;
  stats(): DevChatStats;
  resetStats(): void;
  sessionsOf(userId: string): ChatSession[];
  exportJsonl(): string;
  /** Drops every WebSocket connection (no closing handshake), to exercise reconnects. */
  closeWebSockets(): void;
  stop(): Promise<void>;
}

const API_PREFIX = '/api/v4/';
const WEBSOCKET_PATH = /^\/api\/v4\/websocket\/?$/;

export async function startDevChat(options: DevChatOptions = {}): Promise<DevChat> {
  const host = options.host ?? '127.0.0.1';
  const state = new ChatState({ version: options.version ?? '11.3.0', buildNumber: 'dev' }, options.secretPluginKeys ?? {});
  const hub = new WebSocketHub(state, options.webSocketAuthTimeoutMs ?? 5000);
  const gate = new ModeGate();
  const callStats = new CallStats();
  const routes = restRoutes(state, { revoked: (ids) => hub.closeSessions(ids) });

  const patchConfig = (patch: JsonObject) => {
    state.patchConfig(patch);
    hub.broadcast('config_changed', { config: state.clientConfig(true) });
  };
  const setLicense = (license: LicenseInput) => {
    state.setLicense(license);
    hub.broadcast('license_changed', { license: state.sanitizedClientLicense() });
  };
  const setMode = (mode: ChatMode, delayMs?: number) => gate.set(mode, delayMs);
  const stats = (): DevChatStats => ({
    calls: { ...callStats.calls },
    concurrent: callStats.concurrent,
    maxConcurrent: callStats.maxConcurrent,
    webSockets: hub.counts(),
    revocations: state.store.revocations,
    mode: gate.mode,
  });

  function setApiHeaders(res: ServerResponse, req: IncomingMessage, requestId: string): void {
    res.setHeader('X-Request-Id', requestId);
    res.setHeader('X-Version-Id', state.versionId());
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (req.method === 'GET') res.setHeader('Expires', '0');
  }

  function sendError(res: ServerResponse, error: ChatError, requestId: string): void {
    sendJson(res, error.status, error.toBody(requestId, state.developerMode()));
  }

  /** Counts the call, then waits at the mode gate; false when the gate answered (503) or the server stopped. */
  async function admit(res: ServerResponse, pattern: string, requestId: string): Promise<boolean> {
    const leave = callStats.enter(pattern);
    res.on('finish', leave);
    res.on('close', leave); // also an answer never finished (client gone, server stopped)
    try {
      if ((await gate.pass()) === 'down') {
        sendError(res, new ChatError(503, 'api.context.server_busy.app_error', 'dev-chat mode down'), requestId);
        return false;
      }
      return true;
    } catch (error) {
      if (error instanceof StoppedError) res.destroy();
      else throw error;
      return false;
    }
  }

  async function serveApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const requestId = newId();
    const method = req.method ?? 'GET';
    const match = matchRoute(routes, method, url.pathname);
    const pattern = match.kind === 'route' ? `${method} ${match.route.pattern}` : `${method} (unmatched)`;
    setApiHeaders(res, req, requestId);
    if (!(await admit(res, pattern, requestId))) return;
    if (match.kind === 'wrong-method') {
      // The path exists for other methods: 405 with Allow, no body (gorilla/mux's default answer).
      res.writeHead(405, { Allow: match.allow.join(', ') });
      return void res.end();
    }
    if (match.kind === 'none') {
      const detailed = `There doesn't appear to be an api call for the url='${url.pathname}'.`;
      return sendError(res, new ChatError(404, 'api.context.404.app_error', detailed), requestId);
    }
    try {
      const session = authenticate(state.store, req, { requireSession: match.route.requireSession, trustRequester: false });
      const body = await match.route.handle({ req, url, params: match.params, session, body: () => readBody(req) });
      sendJson(res, 200, body);
    } catch (error) {
      if (error instanceof ChatError) return sendError(res, error, requestId);
      if (error instanceof BodyTooLargeError) {
        return sendError(res, new ChatError(413, 'api.context.request_body_too_large.app_error', error.message), requestId);
      }
      throw error;
    }
  }

  async function serveControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!isLoopback(req.socket.remoteAddress)) throw new ControlProblem(403, 'the /dev/ API answers loopback clients only');
    const key = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
    switch (key) {
      case 'POST /dev/users':
        return sendJson(res, 201, state.store.addUser(parseWith(newUserSchema, await readBody(req))));
      case 'POST /dev/sessions': {
        const input = parseWith(newSessionSchema, await readBody(req));
        try {
          return sendJson(res, 201, state.store.addSession(input));
        } catch (error) {
          if (error instanceof UnknownUserError) throw new ControlProblem(400, `user_id: no user ${input.user_id}`);
          throw error;
        }
      }
      case 'PATCH /dev/config':
        patchConfig(parseWith(configPatchSchema, await readBody(req)));
        return sendJson(res, 200, state.sanitizedConfig());
      case 'PUT /dev/license':
        setLicense(parseWith(licenseSchema, await readBody(req)));
        return sendJson(res, 200, state.clientLicenseFor(undefined));
      case 'POST /dev/mode': {
        const { mode, delayMs } = parseWith(modeSchema, await readBody(req));
        setMode(mode, delayMs);
        return sendJson(res, 200, { mode: gate.mode, delayMs: gate.delayMs });
      }
      case 'GET /dev/stats':
        return sendJson(res, 200, stats());
      case 'GET /dev/export':
        return sendJson(res, 200, exportJsonl(state.store.users.values(), state.build.version), { 'content-type': 'application/x-ndjson' });
    }
    throw new ControlProblem(404, `no ${key} on dev-chat`);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://dev-chat');
    const served = url.pathname.startsWith(API_PREFIX)
      ? serveApi(req, res, url)
      : url.pathname.startsWith('/dev/')
        ? serveControl(req, res, url)
        : Promise.reject(new ControlProblem(404, `no ${req.method} ${url.pathname} on dev-chat`));
    served.catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof ControlProblem) return sendJson(res, error.status, { error: 'invalid_request', error_description: error.message });
      if (error instanceof BodyTooLargeError) return sendJson(res, 413, { error: 'invalid_request', error_description: error.message });
      sendJson(res, 500, { error: 'server_error', error_description: String((error as Error)?.message ?? error) });
    });
  });

  /** An HTTP answer on a socket whose upgrade is refused, written through a ServerResponse like any other. */
  function upgradeResponse(req: IncomingMessage, socket: Duplex): ServerResponse {
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Socket);
    res.on('finish', () => socket.destroy());
    return res;
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://dev-chat');
    const requestId = newId();
    if (!WEBSOCKET_PATH.test(url.pathname)) {
      const res = upgradeResponse(req, socket);
      setApiHeaders(res, req, requestId);
      return sendError(res, new ChatError(404, 'api.context.404.app_error'), requestId);
    }
    const res = upgradeResponse(req, socket);
    setApiHeaders(res, req, requestId);
    const admitted = await admit(res, 'GET /api/v4/websocket', requestId);
    if (!admitted) return;
    let session: ChatSession | undefined;
    try {
      // TrustRequester and no session required: a bad token upgrades to an unauthenticated connection.
      session = authenticate(state.store, req, { requireSession: false, trustRequester: true });
    } catch (error) {
      if (error instanceof ChatError) return sendError(res, error, requestId);
      throw error;
    }
    res.detachSocket(socket as Socket);
    res.emit('close'); // the call is over for the concurrency counter
    hub.accept(req, socket, head, session ? { session, token: session.token } : undefined);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    upgrade(req, socket, head).catch(() => socket.destroy());
  });

  const { url, port } = await listenOn(server, options.port ?? 0, host);

  return {
    url,
    host,
    port,
    addUser: (user) => state.store.addUser(parseWith(newUserSchema, JSON.stringify(user))),
    addSession: (session) => state.store.addSession(parseWith(newSessionSchema, JSON.stringify(session))),
    patchConfig: (patch) => patchConfig(parseWith(configPatchSchema, JSON.stringify(patch))),
    setLicense: (license) => setLicense(parseWith(licenseSchema, JSON.stringify(license))),
    setMode: (mode, delayMs) => setMode(parseWith(modeSchema, JSON.stringify({ mode, delayMs })).mode, delayMs),
    stats,
    resetStats: () => callStats.reset(),
    sessionsOf: (userId) => state.store.sessionsOf(userId),
    exportJsonl: () => exportJsonl(state.store.users.values(), state.build.version),
    closeWebSockets: () => hub.dropAll(),
    async stop() {
      gate.stop();
      await hub.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
