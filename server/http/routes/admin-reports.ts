import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { AppError } from '../../errors/app-error.ts';
import { ALIGNMENT_STATUSES } from '../../identity/report/alignment-status.ts';
import { contentTypeOf, type ExportFormat } from '../../identity/report/export-format.ts';
import {
  cancelReport,
  exportReport,
  listReports,
  reportRows,
  reportStatus,
  startIdentityReport,
} from '../../identity/report/report-jobs.ts';
import type { ServiceContext } from '../../runtime/context.ts';
import { actorOf } from '../admin-auth.ts';
import { intQuery, oneOfQuery, textQuery } from '../query.ts';

const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'jsonl'];

/** Identity-alignment reports for admins (mounted behind requireAdmin). */
export function adminReportRoutes(ctx: ServiceContext): Router {
  const router = Router();
  const base = '/reports/identity-alignment';
  router.post(base, async (_req, res) => {
    const { done: _done, ...run } = await startIdentityReport(ctx, actorOf(res));
    res.status(202).json(run);
  });
  router.get(base, async (req, res) => {
    res.json(await listReports(ctx, intQuery(req, 'limit', 20, 1, 200)!));
  });
  router.get(`${base}/:id`, async (req, res) => {
    res.json(await reportStatus(ctx, req.params.id));
  });
  router.post(`${base}/:id/cancel`, async (req, res) => {
    res.json(await cancelReport(ctx, req.params.id, actorOf(res)));
  });
  router.get(`${base}/:id/rows`, async (req, res) => {
    res.json(
      await reportRows(ctx, req.params.id, {
        status: oneOfQuery(req, 'status', ALIGNMENT_STATUSES),
        search: textQuery(req, 'q'),
        afterSeq: intQuery(req, 'after', undefined, 0, Number.MAX_SAFE_INTEGER),
        limit: intQuery(req, 'limit', 100, 1, 1000)!,
      }),
    );
  });
  router.get(`${base}/:id/download`, async (req, res) => {
    const format = oneOfQuery(req, 'format', EXPORT_FORMATS) ?? 'csv';
    const chunks = exportReport(ctx, req.params.id, format, oneOfQuery(req, 'status', ALIGNMENT_STATUSES));
    const first = await chunks.next(); // an unknown id fails here, before any header is sent
    res.setHeader('Content-Type', contentTypeOf(format));
    res.setHeader('Content-Disposition', `attachment; filename="identity-alignment-${req.params.id}.${format}"`);
    res.setHeader('Cache-Control', 'no-store');
    async function* all() {
      if (!first.done) yield first.value;
      yield* chunks;
    }
    await pipeline(Readable.from(all()), res);
  });
  return router;
}
