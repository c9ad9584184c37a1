import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics.ts';
import { redactPath } from '../util/redact-path.ts';

const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function newRequestId(): string {
  // randomUUID draws from a cached entropy pool; randomBytes per call costs a synchronous RNG call each request.
  return randomUUID().replaceAll('-', '').slice(0, 26);
}

/** The route pattern that answered, for logs and metric labels (a raw path could carry ids or tokens). */
function routeLabel(req: Request): string {
  const pattern = req.route?.path;
  return typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched';
}

/** Gives every request an id (kept from X-Request-Id when well formed), then logs and counts the answer. */
export function requestContext(log: Logger, metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && ACCEPTABLE_REQUEST_ID.test(incoming) ? incoming : newRequestId();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabel(req);
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      metrics.httpDuration.observe({ method: req.method, route }, seconds);
      log.info(
        {
          request_id: requestId,
          method: req.method,
          route,
          path: redactPath(req.path),
          status: res.statusCode,
          duration_ms: Math.round(seconds * 1e4) / 10,
          error_id: res.locals.errorId,
        },
        'request',
      );
    });
    next();
  };
}
