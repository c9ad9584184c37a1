// Chat-server-compatible pre-login routes (Mattermost wire format, format=old).
import { Router } from 'express';
import { buildClientConfig, buildClientLicense } from '../../clientconfig/client-config.ts';
import type { PolicyCache } from '../../enrollment/policy-cache.ts';
import { sendAnswer } from '../typed-answer.ts';
import { clientConfigAnswer, clientLicenseAnswer } from './client.schemas.ts';

/** Answered from the node's settings and license, kept current by the change feed (no query per request). */
export function clientRoutes(config: Pick<PolicyCache, 'get'>): Router {
  const router = Router();
  router.get('/api/v4/config/client', async (_req, res) => {
    const now = Date.now();
    const { settings, license } = await config.get(now);
    res.setHeader('Cache-Control', 'no-store');
    sendAnswer(res, clientConfigAnswer, buildClientConfig(settings, license, now));
  });
  router.get('/api/v4/license/client', async (_req, res) => {
    const now = Date.now();
    const { license } = await config.get(now);
    res.setHeader('Cache-Control', 'no-store');
    sendAnswer(res, clientLicenseAnswer, buildClientLicense(license, now));
  });
  return router;
}
