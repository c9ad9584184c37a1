// GET /plugins/mamgate/api/v1/gate — the hot path, usable as an nginx auth_request target. It runs on plain
// node:http ahead of Express: no body, no routing, no query when the node's memory already has the answer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { type AppError, isAppError } from '../errors/app-error.ts';
import { toAppError } from '../errors/classify.ts';
import type { GateRefusalAudit } from '../enrollment/gate-refusal-audit.ts';
import type { GateCheck, GateService } from '../enrollment/gate-service.ts';
import { effectiveState } from '../enrollment/gate-decision.ts';
import type { Metrics } from '../observability/metrics.ts';
import { sessionTokenFrom } from '../sessions/session-token.ts';
import { writeAppError } from './answer.ts';
import { requestIdFor } from './request-context.ts';

export const GATE_PATH = '/plugins/mamgate/api/v1/gate';

export function isGateRequest(url: string | undefined): boolean {
  if (!url?.startsWith(GATE_PATH)) return false;
  const rest = url.charCodeAt(GATE_PATH.length);
  return Number.isNaN(rest) || rest === 63 /* ? */;
}

export function createGateHandler(gate: GateService, metrics: Metrics, log: Logger, refusals: GateRefusalAudit) {
  const decisions = metrics.gateDecisions;

  function refuse(res: ServerResponse, requestId: string, error: AppError): void {
    decisions.inc({ outcome: error.id });
    if (error.status >= 500) log.warn({ request_id: requestId, error_id: error.id, detail: error.detailed }, 'gate unavailable');
    writeAppError(res, requestId, error, { 'cache-control': 'no-store', 'x-request-id': requestId, 'x-mam-error': error.id });
  }

  function answer(res: ServerResponse, requestId: string, check: GateCheck): void {
    if (check.refusal) {
      refusals.record(check.session, check.refusal, requestId);
      refuse(res, requestId, check.refusal);
      return;
    }
    decisions.inc({ outcome: 'allowed' });
    const session = check.session!;
    res.writeHead(204, {
      'cache-control': 'no-store',
      'x-request-id': requestId,
      'x-mam-state': effectiveState(session, check.policy),
      'x-user-id': session.userId,
    });
    res.end();
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = requestIdFor(req.headers['x-request-id']);
    req.resume(); // a body, if any, is ignored
    const token = sessionTokenFrom(req.headers);
    const cached = gate.checkCached(token, Date.now());
    if (cached) {
      if (isAppError(cached)) refuse(res, requestId, cached);
      else answer(res, requestId, cached);
      return;
    }
    gate.check(token).then(
      (check) => answer(res, requestId, check),
      (error: unknown) => refuse(res, requestId, toAppError(error)),
    );
  };
}
