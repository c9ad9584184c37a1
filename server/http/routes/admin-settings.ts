import { Router } from 'express';
import type { ServiceContext } from '../../context.ts';
import { saveLicense, currentLicense } from '../../license/service.ts';
import { effectiveSettings } from '../../settings/effective-settings.ts';
import { settingsShape } from '../../settings/shape.ts';
import { saveSettings, settingsForDisplay, settingsHistory } from '../../settings/service.ts';
import { actorOf } from '../admin-auth.ts';
import { parseQuery } from '../query.ts';
import { sendAnswer } from '../typed-answer.ts';
import { effectiveSettingsAnswer, licenseAnswer, settingsHistoryAnswer, settingsHistoryQuery } from './admin-settings.schemas.ts';

/** Admin settings and license (mounted behind requireAdmin). */
export function adminSettingsRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/settings', async (_req, res) => {
    const current = await settingsForDisplay(ctx);
    res.setHeader('X-Settings-Version', String(current.version));
    sendAnswer(res, settingsShape, current.settings);
  });
  router.put('/settings', async (req, res) => {
    const saved = await saveSettings(ctx, req.body, actorOf(res));
    res.setHeader('X-Settings-Version', String(saved.version));
    sendAnswer(res, settingsShape, saved.settings);
  });
  router.get('/settings/effective', async (_req, res) => {
    sendAnswer(res, effectiveSettingsAnswer, await effectiveSettings(ctx));
  });
  router.get('/settings/history', async (req, res) => {
    const { limit, before } = parseQuery(req, settingsHistoryQuery);
    sendAnswer(res, settingsHistoryAnswer, await settingsHistory(ctx.db, limit, before));
  });
  router.get('/license', async (_req, res) => {
    const current = await currentLicense(ctx.db);
    res.setHeader('X-License-Version', String(current.version));
    sendAnswer(res, licenseAnswer, current.license ?? { IsLicensed: false });
  });
  router.put('/license', async (req, res) => {
    const saved = await saveLicense(ctx, req.body, actorOf(res));
    res.setHeader('X-License-Version', String(saved.version));
    sendAnswer(res, licenseAnswer, saved.license ?? { IsLicensed: false });
  });
  return router;
}
