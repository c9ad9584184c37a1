import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics.ts';
import { redactPath } from '../util/redact-path.ts';

const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The incoming X-Request-Id when well formed, else a new one. */
export function requestIdFor(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : newRequestId();
}

export interface AnsweredRequest {
  requestId: string;
  method: string;
  route: string;
  path: string;
  status: number;
  seconds: number;
  errorId?: string;
}

/** The log line and the metrics of one answered request (Express routes and the plain node:http ones alike). */
export function recordAnswer(log: Logger, metrics: Metrics, answered: AnsweredRequest): void {
  const { method, route, status, seconds } = answered;
  metrics.httpRequests.inc({ method, route, status: String(status) });
  metrics.httpDuration.observe({ method, route }, seconds);
  log.info(
    {
      request_id: answered.requestId,
      method,
      route,
      path: redactPath(answered.path),
      status,
      duration_ms: Math.round(seconds * 1e4) / 10,
      error_id: answered.errorId,
    },
    'request',
  );
}

export function newRequestId(): string {
  // randomUUID draws from a cached entropy pool; randomBytes per call costs a synchronous RNG call each request.
  return randomUUID().replaceAll('-', '').slice(0, 26);
}

/** Set by a router that answers without a route pattern (the admin pages): a fixed label, never the raw path. */
export const ROUTE_LABEL = 'routeLabel';

/**
 * Remembers the route pattern with its mount path at the moment the router picks the route. Read at the end
 * instead, req.baseUrl has already been put back to the outer router's when the route's handler failed (a 400
 * from PUT …/admin/settings was labelled "/settings").
 */
function rememberRoute(req: Request, res: Response): void {
  let route: Request['route'];
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set: (value: Request['route']) => {
      route = value;
      if (typeof value?.path === 'string') res.locals[ROUTE_LABEL] = `${req.baseUrl}${value.path}`;
    },
  });
}

/** The route pattern that answered, for logs and metric labels (a raw path could carry ids or tokens). */
function routeLabel(res: Response): string {
  const label = res.locals[ROUTE_LABEL];
  return typeof label === 'string' ? label : 'unmatched';
}

/** Gives every request an id (kept from X-Request-Id when well formed), then logs and counts the answer. */
export function requestContext(log: Logger, metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const requestId = requestIdFor(req.get('x-request-id'));
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    rememberRoute(req, res);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      recordAnswer(log, metrics, {
        requestId,
        method: req.method,
        route: routeLabel(res),
        path: req.path,
        status: res.statusCode,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
        errorId: res.locals.errorId,
      });
    });
    next();
  };
}
