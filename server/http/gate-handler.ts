// GET /plugins/mamgate/api/v1/gate — the hot path, usable as an nginx auth_request target. It runs on plain
// node:http ahead of Express: no body, no routing, no query when the node's memory already has the answer.
// mamgate's own sessions (mgs_…) are decided by the standalone gate; as the companion of a chat server, every
// other request is decided by the companion gate (no token at all: the chat server decides).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { ChatServerLink } from '../chatserver/link.ts';
import { type CompanionCheck, type CompanionGate, type GateRequest, isChatServerToken } from '../enrollment/companion-gate.ts';
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

export interface CompanionGating {
  link: ChatServerLink;
  gate: CompanionGate;
}

export function createGateHandler(
  gate: GateService,
  metrics: Metrics,
  log: Logger,
  refusals: GateRefusalAudit,
  companion?: CompanionGating,
) {
  const decisions = metrics.gateDecisions;

  function refuse(res: ServerResponse, requestId: string, error: AppError): void {
    decisions.inc({ outcome: error.id });
    if (error.status >= 500) log.warn({ request_id: requestId, error_id: error.id, detail: error.detailed }, 'gate unavailable');
    writeAppError(res, requestId, error, { 'cache-control': 'no-store', 'x-request-id': requestId, 'x-mam-error': error.id });
  }

  function pass(res: ServerResponse, requestId: string, state: string, userId: string | undefined): void {
    decisions.inc({ outcome: 'allowed' });
    const headers: Record<string, string> = { 'cache-control': 'no-store', 'x-request-id': requestId, 'x-mam-state': state };
    if (userId) headers['x-user-id'] = userId;
    res.writeHead(204, headers);
    res.end();
  }

  function answer(res: ServerResponse, requestId: string, check: GateCheck): void {
    if (check.refusal) {
      refusals.record(check.session, check.refusal, requestId);
      refuse(res, requestId, check.refusal);
      return;
    }
    const session = check.session!;
    if (check.androidUnprotected) refusals.recordAndroidUnprotected(session, requestId);
    pass(res, requestId, effectiveState(session, check.policy, check.verified, check.androidUnprotected), session.userId);
  }

  function answerCompanion(res: ServerResponse, requestId: string, check: CompanionCheck): void {
    if (check.refusal) {
      refusals.record({ id: null, userId: check.user?.id ?? null }, check.refusal, requestId);
      refuse(res, requestId, check.refusal);
      return;
    }
    if (check.state === 'android_unprotected') refusals.recordAndroidUnprotected({ id: null, userId: check.user?.id ?? null }, requestId);
    pass(res, requestId, check.state, check.user?.id);
  }

  function companionGate(res: ServerResponse, requestId: string, request: GateRequest, now: number): void {
    if (!gate.upToDate(now)) {
      refuse(res, requestId, gate.unavailable());
      return;
    }
    const cached = companion!.gate.checkCached(request, now);
    if (cached) {
      answerCompanion(res, requestId, cached);
      return;
    }
    companion!.gate.check(request, now).then(
      (check) => answerCompanion(res, requestId, check),
      (error: unknown) => refuse(res, requestId, toAppError(error)),
    );
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = requestIdFor(req.headers['x-request-id']);
    req.resume(); // a body, if any, is ignored
    const token = sessionTokenFrom(req.headers);
    const now = Date.now();
    if (companion && isChatServerToken(companion.link, token)) {
      if (token) companionGate(res, requestId, { token, userAgent: req.headers['user-agent'] }, now);
      else pass(res, requestId, 'no_token', undefined);
      return;
    }
    const userAgent = req.headers['user-agent'];
    const cached = gate.checkCached(token, now, userAgent);
    if (cached) {
      if (isAppError(cached)) refuse(res, requestId, cached);
      else answer(res, requestId, cached);
      return;
    }
    gate.check(token, now, userAgent).then(
      (check) => answer(res, requestId, check),
      (error: unknown) => refuse(res, requestId, toAppError(error)),
    );
  };
}
