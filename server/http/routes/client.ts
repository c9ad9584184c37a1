// Chat-server-compatible pre-login routes (Mattermost wire format, format=old).
import { Router } from 'express';
import { buildClientConfig, buildClientLicense } from '../../clientconfig/client-config.ts';
import type { Database } from '../../db/connect.ts';
import { currentLicense } from '../../license/service.ts';
import { currentSettings } from '../../settings/service.ts';

export function clientRoutes(db: Database): Router {
  const router = Router();
  router.get('/api/v4/config/client', async (_req, res) => {
    const [{ settings }, { license }] = await Promise.all([currentSettings(db), currentLicense(db)]);
    res.setHeader('Cache-Control', 'no-store');
    res.json(buildClientConfig(settings, license, Date.now()));
  });
  router.get('/api/v4/license/client', async (_req, res) => {
    const { license } = await currentLicense(db);
    res.setHeader('Cache-Control', 'no-store');
    res.json(buildClientLicense(license, Date.now()));
  });
  return router;
}
