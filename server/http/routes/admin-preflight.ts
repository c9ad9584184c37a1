import { Router } from 'express';
import { runPreflight } from '../../preflight/run-preflight.ts';
import type { ServiceContext } from '../../context.ts';
import { sendAnswer } from '../typed-answer.ts';
import { preflightAnswer } from './admin-preflight.schemas.ts';

/** GET …/admin/preflight (mounted behind requireAdmin). */
export function adminPreflightRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/preflight', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    sendAnswer(res, preflightAnswer, await runPreflight(ctx));
  });
  return router;
}
