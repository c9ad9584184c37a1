// Every environment variable mamgate reads, with a default that works on a developer's machine.
import path from 'node:path';

export interface Environment {
  host: string;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  entraAuthority: string;
  jwksCooldownMs: number;
  logLevel: string;
  loginRatePerIpPerMinute: number;
  loginRatePerTenantPerMinute: number;
  loginRateUnverifiedPerMinute: number;
  /** How long a node's sign-in attempts wait before they are added to the shared budgets together. */
  loginRateSyncMs: number;
  /** node:http server limits, so slow or idle clients cannot hold the service. */
  httpHeadersTimeoutMs: number;
  httpRequestTimeoutMs: number;
  httpKeepAliveTimeoutMs: number;
  httpMaxRequestsPerSocket: number;
  httpMaxConnections: number;
  mobileSessionHours: number;
  /** Express "trust proxy": which proxies may set X-Forwarded-For / -Proto. */
  trustProxy: string;
  /** How often a node reads the change feed when no notification woke it. */
  feedPollMs: number;
  /** After this long without a successful read of the change feed, the gate fails closed. */
  feedStaleMs: number;
  /** The chat server mamgate is the companion of; these win over ChatServerSettings. */
  chatServerUrl: string | undefined;
  chatServerToken: string | undefined;
  /** How often the chat server's configuration and license are read when no WebSocket event said they changed. */
  chatServerPollMs: number;
  /** A chat-server view older than this is not decided on (the gate answers 503). */
  chatServerStaleMs: number;
  chatServerTimeoutMs: number;
  /** Microsoft Graph (sovereign clouds and tests set it). */
  graphUrl: string;
  /** Wins over GraphSettings.ClientSecret. */
  graphClientSecret: string | undefined;
}

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  return {
    host: env.HOST || '127.0.0.1',
    port: integer('PORT', env.PORT, 8080),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.MAMGATE_DATA_DIR || './data'),
    entraAuthority: (env.MAMGATE_ENTRA_AUTHORITY || 'https://login.microsoftonline.com').replace(/\/+$/, ''),
    jwksCooldownMs: integer('MAMGATE_JWKS_COOLDOWN_MS', env.MAMGATE_JWKS_COOLDOWN_MS, 300_000),
    logLevel: env.LOG_LEVEL || 'info',
    loginRatePerIpPerMinute: integer('MAMGATE_LOGIN_RATE_PER_IP', env.MAMGATE_LOGIN_RATE_PER_IP, 60),
    loginRatePerTenantPerMinute: integer('MAMGATE_LOGIN_RATE_PER_TENANT', env.MAMGATE_LOGIN_RATE_PER_TENANT, 3000),
    loginRateUnverifiedPerMinute: integer('MAMGATE_LOGIN_RATE_UNVERIFIED', env.MAMGATE_LOGIN_RATE_UNVERIFIED, 600),
    loginRateSyncMs: integer('MAMGATE_LOGIN_RATE_SYNC_MS', env.MAMGATE_LOGIN_RATE_SYNC_MS, 100),
    httpHeadersTimeoutMs: integer('MAMGATE_HTTP_HEADERS_TIMEOUT_MS', env.MAMGATE_HTTP_HEADERS_TIMEOUT_MS, 15_000),
    httpRequestTimeoutMs: integer('MAMGATE_HTTP_REQUEST_TIMEOUT_MS', env.MAMGATE_HTTP_REQUEST_TIMEOUT_MS, 60_000),
    httpKeepAliveTimeoutMs: integer('MAMGATE_HTTP_KEEP_ALIVE_TIMEOUT_MS', env.MAMGATE_HTTP_KEEP_ALIVE_TIMEOUT_MS, 65_000),
    httpMaxRequestsPerSocket: integer('MAMGATE_HTTP_MAX_REQUESTS_PER_SOCKET', env.MAMGATE_HTTP_MAX_REQUESTS_PER_SOCKET, 0),
    httpMaxConnections: integer('MAMGATE_HTTP_MAX_CONNECTIONS', env.MAMGATE_HTTP_MAX_CONNECTIONS, 0),
    mobileSessionHours: integer('MAMGATE_MOBILE_SESSION_HOURS', env.MAMGATE_MOBILE_SESSION_HOURS, 720),
    trustProxy: env.MAMGATE_TRUST_PROXY || 'loopback',
    feedPollMs: integer('MAMGATE_FEED_POLL_MS', env.MAMGATE_FEED_POLL_MS, 1000),
    feedStaleMs: integer('MAMGATE_FEED_STALE_MS', env.MAMGATE_FEED_STALE_MS, 5000),
    chatServerUrl: env.MAMGATE_CHAT_SERVER_URL || undefined,
    chatServerToken: env.MAMGATE_CHAT_SERVER_TOKEN || undefined,
    chatServerPollMs: integer('MAMGATE_CHAT_SERVER_POLL_MS', env.MAMGATE_CHAT_SERVER_POLL_MS, 5000),
    chatServerStaleMs: integer('MAMGATE_CHAT_SERVER_STALE_MS', env.MAMGATE_CHAT_SERVER_STALE_MS, 30_000),
    chatServerTimeoutMs: integer('MAMGATE_CHAT_SERVER_TIMEOUT_MS', env.MAMGATE_CHAT_SERVER_TIMEOUT_MS, 3000),
    graphUrl: (env.MAMGATE_GRAPH_URL || 'https://graph.microsoft.com').replace(/\/+$/, ''),
    graphClientSecret: env.MAMGATE_GRAPH_CLIENT_SECRET || undefined,
  };
}
