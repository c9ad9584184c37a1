import { Router } from 'express';
import { listSyncRuns, syncDirectory } from '../../identity/ldap/sync.ts';
import type { ServiceContext } from '../../runtime/context.ts';
import { actorOf } from '../admin-auth.ts';
import { intQuery } from '../query.ts';

/**
 * LDAP sync for admins (mounted behind requireAdmin): POST runs a sync and answers its run row, or the catalogue
 * error of the failure (the run row records it too); GET lists recent runs, newest first.
 */
export function adminLdapRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.post('/ldap/sync', async (_req, res) => {
    res.json(await syncDirectory(ctx, actorOf(res)));
  });
  router.get('/ldap/sync', async (req, res) => {
    res.json(
      await listSyncRuns(ctx.db, intQuery(req, 'limit', 20, 1, 200)!, intQuery(req, 'before', undefined, 1, Number.MAX_SAFE_INTEGER)),
    );
  });
  return router;
}
