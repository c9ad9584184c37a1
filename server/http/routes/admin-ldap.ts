import { Router } from 'express';
import { listSyncRuns, syncDirectory } from '../../identity/ldap/sync.ts';
import type { ServiceContext } from '../../context.ts';
import { actorOf } from '../admin-auth.ts';
import { parseQuery } from '../query.ts';
import { sendAnswer } from '../typed-answer.ts';
import { syncModeQuery, syncRunAnswer, syncRunListAnswer, syncRunsQuery } from './admin-ldap.schemas.ts';

/**
 * LDAP sync for admins (mounted behind requireAdmin): POST runs a sync (?mode=full|incremental) and answers its run row, or the catalogue
 * error of the failure (the run row records it too); GET lists recent runs, newest first.
 */
export function adminLdapRoutes(ctx: ServiceContext): Router {
  const router = Router();
  // ?mode=full (the default) or incremental: only what changed since the watermark, or a full pass that says why.
  router.post('/ldap/sync', async (req, res) => {
    const { mode } = parseQuery(req, syncModeQuery);
    sendAnswer(res, syncRunAnswer, await syncDirectory(ctx, actorOf(res), { mode }));
  });
  router.get('/ldap/sync', async (req, res) => {
    const { limit, before } = parseQuery(req, syncRunsQuery);
    sendAnswer(res, syncRunListAnswer, await listSyncRuns(ctx.db, limit, before));
  });
  return router;
}
