import { Router } from 'express';
import type { GateService } from '../../enrollment/gate-service.ts';
import { parseEnrollmentReport, reportEnrollment } from '../../enrollment/report-enrollment.ts';
import { sessionStatus } from '../../enrollment/session-status.ts';
import type { ServiceContext } from '../../runtime/context.ts';
import { sessionTokenFrom } from '../../sessions/session-token.ts';
import { gateCheckOf, requireSession } from '../session-auth.ts';

/** The mobile client's own routes under /plugins/mamgate/api/v1 (session token, enrolled or not). */
export function mobileSessionRoutes(ctx: ServiceContext, gate: GateService): Router {
  const router = Router();
  router.get('/session', requireSession(gate), (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(sessionStatus(gateCheckOf(res)));
  });
  // Not behind requireSession: a replayed report of a failure must get its first answer although the session
  // has ended since; reportEnrollment checks the session itself.
  router.post('/enrollment', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const report = parseEnrollmentReport(req.body);
    const actor = { name: 'mobile-session', requestId: String(res.locals.requestId) };
    res.json(await reportEnrollment(ctx, sessionTokenFrom(req.headers), report, actor));
  });
  return router;
}
