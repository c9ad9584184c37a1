import { Router } from 'express';
import { listAudit } from '../../audit/audit.ts';
import { androidAttempts } from '../../enrollment/android-attempts.ts';
import { listEnrollments } from '../../enrollment/enrollment-history.ts';
import { EVIDENCE_SOURCES, EVIDENCE_STATES, listEvidence } from '../../enrollment/evidence-list.ts';
import { AppError } from '../../errors/app-error.ts';
import type { ServiceContext } from '../../runtime/context.ts';
import { verifyUserEvidence } from '../../enrollment/verify-user.ts';
import { revokeUserSessions } from '../../sessions/admin-revoke.ts';
import { actorOf } from '../admin-auth.ts';
import { intQuery } from '../query.ts';

function textQuery(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value.slice(0, 128) : undefined;
}

/** An optional query parameter that must be one of `allowed`, or the catalogue's 400 naming it. */
function oneOfQuery<T extends string>(value: unknown, name: string, allowed: readonly T[]): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new AppError('mamgate.request.invalid_query_param.app_error', { params: { Field: name, Problem: `one of ${allowed.join(', ')}` } });
}

/** Enrollments, audit and session revocation for admins (mounted behind requireAdmin). */
export function adminActivityRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/enrollments', async (req, res) => {
    res.json(
      await listEnrollments(ctx.db, {
        status: textQuery(req.query.state ?? req.query.status),
        userId: textQuery(req.query.user_id),
        cause: textQuery(req.query.cause),
        limit: intQuery(req, 'limit', 50, 1, 500)!,
        beforeId: intQuery(req, 'before', undefined, 1, Number.MAX_SAFE_INTEGER),
      }),
    );
  });
  router.get('/android-attempts', async (req, res) => {
    const days = intQuery(req, 'days', 7, 1, 90)!;
    res.json(await androidAttempts(ctx.db, new Date(Date.now() - days * 86_400_000)));
  });
  router.get('/evidence', async (req, res) => {
    const before = req.query.before;
    if (before !== undefined && typeof before !== 'string') {
      throw new AppError('mamgate.request.invalid_query_param.app_error', { params: { Field: 'before', Problem: 'the next_before value of an earlier answer' } });
    }
    res.json(
      await listEvidence(ctx.db, {
        state: oneOfQuery(req.query.state, 'state', EVIDENCE_STATES),
        source: oneOfQuery(req.query.source, 'source', EVIDENCE_SOURCES),
        user: textQuery(req.query.user),
        limit: intQuery(req, 'limit', 50, 1, 500)!,
        before,
      }),
    );
  });
  router.get('/audit', async (req, res) => {
    res.json(
      await listAudit(ctx.db, {
        action: textQuery(req.query.action),
        limit: intQuery(req, 'limit', 50, 1, 500)!,
        beforeId: intQuery(req, 'before', undefined, 1, Number.MAX_SAFE_INTEGER),
      }),
    );
  });
  router.post('/users/:id/evidence/verify', async (req, res) => {
    res.json(await verifyUserEvidence(ctx, req.params.id));
  });
  router.post('/users/:id/sessions/revoke', async (req, res) => {
    res.json(await revokeUserSessions(ctx, req.params.id, actorOf(res)));
  });
  return router;
}
