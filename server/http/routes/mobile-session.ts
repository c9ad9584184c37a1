import { Router } from 'express';
import { type CompanionGate, isChatServerToken } from '../../enrollment/companion-gate.ts';
import type { GateService } from '../../enrollment/gate-service.ts';
import { reportEnrollmentByChatToken } from '../../enrollment/report-companion-enrollment.ts';
import { parseEnrollmentReport, reportEnrollment } from '../../enrollment/report-enrollment.ts';
import { sessionStatus } from '../../enrollment/session-status.ts';
import type { ServiceContext } from '../../context.ts';
import { sessionTokenFrom } from '../../sessions/session-token.ts';
import { gateCheckOf, requireCsrfProof, requireSession } from '../session-auth.ts';
import { sendAnswer } from '../typed-answer.ts';
import { enrollmentAnswer, sessionStatusAnswer } from './mobile-session.schemas.ts';

/** The mobile client's own routes under /plugins/mamgate/api/v1 (session token, enrolled or not). */
export function mobileSessionRoutes(ctx: ServiceContext, gate: GateService, companion: CompanionGate | undefined): Router {
  const router = Router();
  router.get('/session', requireSession(gate), (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    sendAnswer(res, sessionStatusAnswer, sessionStatus(gateCheckOf(res)));
  });
  // Not behind requireSession: a replayed report of a failure must get its first answer although the session
  // has ended since; reportEnrollment checks the session itself. A cookie-carried report needs the CSRF proof.
  router.post('/enrollment', requireCsrfProof(), async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const report = parseEnrollmentReport(req.body);
    const actor = { name: 'mobile-session', requestId: String(res.locals.requestId) };
    const token = sessionTokenFrom(req.headers);
    const answer =
      companion && isChatServerToken(ctx.chatServer, token)
        ? await reportEnrollmentByChatToken(ctx, companion, token, report, actor)
        : await reportEnrollment(ctx, token, report, actor, (await gate.policies.get()).policy.evidence);
    sendAnswer(res, enrollmentAnswer, answer);
  });
  return router;
}
