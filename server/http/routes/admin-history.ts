import { Router } from 'express';
import { listAdminTokens, revokeAdminToken } from '../../admin/tokens.ts';
import type { ServiceContext } from '../../context.ts';
import { settingsDiff } from '../../settings/history-diff.ts';
import { actorOf } from '../admin-auth.ts';
import { parseParams, parseQuery } from '../query.ts';
import { adminTokenParams as TOKEN_PARAM, settingsDiffQuery as DIFF_QUERY, settingsVersionParams as VERSION_PARAM } from './admin-history.schemas.ts';

/**
 * What changed and who may act (mounted behind requireAdmin): the diff of a settings version against the one
 * before it (or `against`), the admin tokens (never their secret) and their revocation.
 */
export function adminHistoryRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/settings/history/:version/diff', async (req, res) => {
    const { version } = parseParams(req, VERSION_PARAM);
    const { against } = parseQuery(req, DIFF_QUERY);
    res.json(await settingsDiff(ctx.db, version, against));
  });
  router.get('/admin-tokens', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ items: await listAdminTokens(ctx.db) });
  });
  router.post('/admin-tokens/:id/revoke', async (req, res) => {
    const { id } = parseParams(req, TOKEN_PARAM);
    await revokeAdminToken(ctx.db, id, actorOf(res));
    res.json({ id, revoked: true });
  });
  return router;
}
