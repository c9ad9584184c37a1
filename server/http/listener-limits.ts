// The listener's limits, so slow or idle clients cannot hold the service: a client that sends its headers or its
// body slowly is answered 408 and disconnected, idle keep-alive connections are closed, one connection serves a
// bounded number of requests, and connections beyond the cap are refused as they arrive.
import type http from 'node:http';
import type { Environment } from '../config/env.ts';

type HttpLimits = Pick<
  Environment,
  'httpHeadersTimeoutMs' | 'httpRequestTimeoutMs' | 'httpKeepAliveTimeoutMs' | 'httpMaxRequestsPerSocket' | 'httpMaxConnections'
>;

/** How often node:http looks for requests past their timeouts (its default, 30 s, would let them run 30 s over). */
export const TIMEOUT_CHECK_INTERVAL_MS = 1000;

/** Options for http.createServer (the check interval can only be given there). */
export function httpServerOptions(limits: HttpLimits): http.ServerOptions {
  // node:http refuses a headers timeout longer than the request timeout: the headers are part of the request.
  const request = limits.httpRequestTimeoutMs;
  const headers = request > 0 ? Math.min(limits.httpHeadersTimeoutMs, request) : limits.httpHeadersTimeoutMs;
  return {
    requestTimeout: request,
    headersTimeout: headers,
    connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
  };
}

/**
 * Limits set on the server itself (0: none). The connection cap is off by default: on Node 20 a server with
 * maxConnections set spends about 8 µs more on every request (the gate bench fell from 0.68–0.76× to 0.48× bare
 * node:http), so it belongs at the proxy.
 */
export function applyConnectionLimits(server: http.Server, limits: HttpLimits): void {
  server.keepAliveTimeout = limits.httpKeepAliveTimeoutMs;
  server.maxRequestsPerSocket = limits.httpMaxRequestsPerSocket;
  if (limits.httpMaxConnections > 0) server.maxConnections = limits.httpMaxConnections;
}
