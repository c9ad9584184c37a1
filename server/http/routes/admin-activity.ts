import { Router } from 'express';
import { listAudit } from '../../audit/audit.ts';
import { androidAttempts } from '../../enrollment/android-attempts.ts';
import { listEnrollments } from '../../enrollment/enrollment-history.ts';
import { listEvidence } from '../../enrollment/evidence-list.ts';
import type { ServiceContext } from '../../context.ts';
import { verifyUserEvidence } from '../../enrollment/verify-user.ts';
import { revokeUserSessions } from '../../enrollment/admin-revoke.ts';
import { userDetail } from '../../users/user-detail.ts';
import { actorOf } from '../admin-auth.ts';
import { parseParams, parseQuery } from '../query.ts';
import { sendAnswer } from '../typed-answer.ts';
import {
  androidAttemptsAnswer,
  androidAttemptsQuery,
  auditListAnswer,
  auditQuery,
  enrollmentListAnswer,
  enrollmentsQuery,
  evidenceListAnswer,
  evidenceQuery,
  revokedSessionsAnswer,
  userDetailAnswer,
  userDetailParams,
  verifiedUserAnswer,
} from './admin-activity.schemas.ts';

/** Enrollments, audit, a user's detail and session revocation for admins (mounted behind requireAdmin). */
export function adminActivityRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/enrollments', async (req, res) => {
    const query = parseQuery(req, enrollmentsQuery);
    const page = await listEnrollments(ctx.db, {
      status: query.state ?? query.status,
      userId: query.user_id,
      cause: query.cause,
      limit: query.limit,
      beforeId: query.before,
    });
    sendAnswer(res, enrollmentListAnswer, page);
  });
  router.get('/android-attempts', async (req, res) => {
    const { days } = parseQuery(req, androidAttemptsQuery);
    sendAnswer(res, androidAttemptsAnswer, await androidAttempts(ctx.db, new Date(Date.now() - days * 86_400_000)));
  });
  router.get('/evidence', async (req, res) => {
    sendAnswer(res, evidenceListAnswer, await listEvidence(ctx.db, parseQuery(req, evidenceQuery)));
  });
  router.get('/audit', async (req, res) => {
    const q = parseQuery(req, auditQuery);
    sendAnswer(res, auditListAnswer, await listAudit(ctx.db, { action: q.action, actor: q.actor, user: q.user, since: q.since, until: q.until, limit: q.limit, beforeId: q.before }));
  });
  router.get('/users/:id', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    sendAnswer(res, userDetailAnswer, await userDetail(ctx.db, parseParams(req, userDetailParams).id));
  });
  router.post('/users/:id/evidence/verify', async (req, res) => {
    sendAnswer(res, verifiedUserAnswer, await verifyUserEvidence(ctx, req.params.id));
  });
  router.post('/users/:id/sessions/revoke', async (req, res) => {
    sendAnswer(res, revokedSessionsAnswer, await revokeUserSessions(ctx, req.params.id, actorOf(res)));
  });
  return router;
}
