import { Router } from 'express';
import type { ServiceContext } from '../../runtime/context.ts';
import { saveLicense, currentLicense } from '../../license/service.ts';
import { effectiveSettings } from '../../settings/effective-settings.ts';
import { saveSettings, settingsForDisplay, settingsHistory } from '../../settings/service.ts';
import { actorOf } from '../admin-auth.ts';
import { intQuery } from '../query.ts';

/** Admin settings and license (mounted behind requireAdmin). */
export function adminSettingsRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/settings', async (_req, res) => {
    const current = await settingsForDisplay(ctx);
    res.setHeader('X-Settings-Version', String(current.version));
    res.json(current.settings);
  });
  router.put('/settings', async (req, res) => {
    const saved = await saveSettings(ctx, req.body, actorOf(res));
    res.setHeader('X-Settings-Version', String(saved.version));
    res.json(saved.settings);
  });
  router.get('/settings/effective', async (_req, res) => {
    res.json(await effectiveSettings(ctx));
  });
  router.get('/settings/history', async (req, res) => {
    const limit = intQuery(req, 'limit', 20, 1, 200)!;
    const before = intQuery(req, 'before', undefined, 1, Number.MAX_SAFE_INTEGER);
    res.json(await settingsHistory(ctx.db, limit, before));
  });
  router.get('/license', async (_req, res) => {
    const current = await currentLicense(ctx.db);
    res.setHeader('X-License-Version', String(current.version));
    res.json(current.license ?? { IsLicensed: false });
  });
  router.put('/license', async (req, res) => {
    const saved = await saveLicense(ctx, req.body, actorOf(res));
    res.setHeader('X-License-Version', String(saved.version));
    res.json(saved.license ?? { IsLicensed: false });
  });
  return router;
}
