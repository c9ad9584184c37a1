import { Router } from 'express';
import type { ServiceContext } from '../../context.ts';
import { validateTunnelRequest } from '../../tunnel/service.ts';
import { sendAnswer } from '../typed-answer.ts';
import { tunnelReportAnswer } from './admin-tunnel.schemas.ts';

/** POST …/admin/tunnel/validate (mounted behind requireAdmin): findings for a body, or the stored settings. */
export function adminTunnelRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.post('/tunnel/validate', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    sendAnswer(res, tunnelReportAnswer, await validateTunnelRequest(ctx.db, ctx.entraAuthority, req.body));
  });
  return router;
}
