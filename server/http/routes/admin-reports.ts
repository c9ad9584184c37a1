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
import { intQuery } from '../query.ts';

function statusQuery(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string' && (ALIGNMENT_STATUSES as readonly string[]).includes(value)) return value;
  throw new AppError('mamgate.request.invalid_query_param.app_error', {
    params: { Field: 'status', Problem: `one of ${ALIGNMENT_STATUSES.join(', ')}` },
  });
}

function formatQuery(value: unknown): ExportFormat {
  if (value === undefined || value === 'csv') return 'csv';
  if (value === 'jsonl') return 'jsonl';
  throw new AppError('mamgate.request.invalid_query_param.app_error', { params: { Field: 'format', Problem: 'csv or jsonl' } });
}

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
        status: statusQuery(req.query.status),
        search: typeof req.query.q === 'string' && req.query.q ? req.query.q.slice(0, 128) : undefined,
        afterSeq: intQuery(req, 'after', undefined, 0, Number.MAX_SAFE_INTEGER),
        limit: intQuery(req, 'limit', 100, 1, 1000)!,
      }),
    );
  });
  router.get(`${base}/:id/download`, async (req, res) => {
    const format = formatQuery(req.query.format);
    const chunks = exportReport(ctx, req.params.id, format, statusQuery(req.query.status));
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
