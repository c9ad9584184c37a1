import { Router } from 'express';
import { runPreflight } from '../../preflight/run-preflight.ts';
import type { ServiceContext } from '../../runtime/context.ts';

/** GET …/admin/preflight (mounted behind requireAdmin). */
export function adminPreflightRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/preflight', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await runPreflight(ctx));
  });
  return router;
}
