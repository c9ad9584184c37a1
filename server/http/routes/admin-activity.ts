import { Router } from 'express';
import { listAudit } from '../../audit/audit.ts';
import { androidAttempts } from '../../enrollment/android-attempts.ts';
import { listEnrollments } from '../../enrollment/enrollment-history.ts';
import { EVIDENCE_SOURCES, EVIDENCE_STATES, listEvidence } from '../../enrollment/evidence-list.ts';
import type { ServiceContext } from '../../runtime/context.ts';
import { verifyUserEvidence } from '../../enrollment/verify-user.ts';
import { revokeUserSessions } from '../../sessions/admin-revoke.ts';
import { actorOf } from '../admin-auth.ts';
import { intQuery, oneOfQuery, singleQuery, textQuery } from '../query.ts';

/** Enrollments, audit and session revocation for admins (mounted behind requireAdmin). */
export function adminActivityRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/enrollments', async (req, res) => {
    res.json(
      await listEnrollments(ctx.db, {
        status: textQuery(req, 'state') ?? textQuery(req, 'status'),
        userId: textQuery(req, 'user_id'),
        cause: textQuery(req, 'cause'),
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
    const before = singleQuery(req, 'before');
    res.json(
      await listEvidence(ctx.db, {
        state: oneOfQuery(req, 'state', EVIDENCE_STATES),
        source: oneOfQuery(req, 'source', EVIDENCE_SOURCES),
        user: textQuery(req, 'user'),
        limit: intQuery(req, 'limit', 50, 1, 500)!,
        before,
      }),
    );
  });
  router.get('/audit', async (req, res) => {
    res.json(
      await listAudit(ctx.db, {
        action: textQuery(req, 'action'),
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
