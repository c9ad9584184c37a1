import { Router } from 'express';
import type { ChatServerLink } from '../../chatserver/link.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { Database } from '../../db/connect.ts';
import { checkReadiness, type GraphSweeps } from '../../observability/readiness.ts';
import { sendAnswer } from '../typed-answer.ts';
import { healthAnswer, readinessAnswer } from './ops.schemas.ts';

export function opsRoutes(db: Database, metrics: Metrics, chatServer?: ChatServerLink, graph?: GraphSweeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    sendAnswer(res, healthAnswer, { status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    sendAnswer(res, readinessAnswer, { status: 'ready', ...(await checkReadiness(db, chatServer, graph)) });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
