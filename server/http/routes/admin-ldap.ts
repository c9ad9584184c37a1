import { Router } from 'express';
import { listSyncRuns, syncDirectory } from '../../identity/ldap/sync.ts';
import type { ServiceContext } from '../../runtime/context.ts';
import { actorOf } from '../admin-auth.ts';
import { intQuery, oneOfQuery } from '../query.ts';

/**
 * LDAP sync for admins (mounted behind requireAdmin): POST runs a sync (?mode=full|incremental) and answers its run row, or the catalogue
 * error of the failure (the run row records it too); GET lists recent runs, newest first.
 */
export function adminLdapRoutes(ctx: ServiceContext): Router {
  const router = Router();
  // ?mode=full (the default) or incremental: only what changed since the watermark, or a full pass that says why.
  router.post('/ldap/sync', async (req, res) => {
    const mode = oneOfQuery(req, 'mode', ['full', 'incremental'] as const);
    res.json(await syncDirectory(ctx, actorOf(res), { mode }));
  });
  router.get('/ldap/sync', async (req, res) => {
    res.json(
      await listSyncRuns(ctx.db, intQuery(req, 'limit', 20, 1, 200)!, intQuery(req, 'before', undefined, 1, Number.MAX_SAFE_INTEGER)),
    );
  });
  return router;
}
