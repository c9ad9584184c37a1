import { Router } from 'express';
import { enrollmentStats, gateRefusalStats, signInStats, type StatsAnswer, type StatsRange, statsRange } from '../../admin/stats.ts';
import type { Database } from '../../db/connect.ts';
import { alignmentOverReports } from '../../identity/report/report-jobs.ts';
import type { ServiceContext } from '../../context.ts';
import { parseQuery } from '../query.ts';
import { sendAnswer } from '../typed-answer.ts';
import { alignmentStatsAnswer, alignmentStatsQuery, statsAnswer, statsQuery } from './admin-stats.schemas.ts';

/** The counts behind the admin pages' charts (mounted behind requireAdmin). */
export function adminStatsRoutes(ctx: ServiceContext): Router {
  const router = Router();
  const counts = (path: string, read: (db: Database, range: StatsRange) => Promise<StatsAnswer>) =>
    router.get(`/stats/${path}`, async (req, res) => {
      const q = parseQuery(req, statsQuery);
      sendAnswer(res, statsAnswer, await read(ctx.db, statsRange(q.bucket ?? 'hour', q.since, q.until)));
    });
  counts('enrollments', enrollmentStats);
  counts('sign-ins', signInStats);
  counts('gate-refusals', gateRefusalStats);
  router.get('/stats/alignment', async (req, res) => {
    sendAnswer(res, alignmentStatsAnswer, await alignmentOverReports(ctx, parseQuery(req, alignmentStatsQuery).reports));
  });
  return router;
}
