import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { contentTypeOf } from '../../identity/report/export-format.ts';
import {
  cancelReport,
  exportReport,
  listReports,
  reportRows,
  reportStatus,
  startIdentityReport,
} from '../../identity/report/report-jobs.ts';
import type { ServiceContext } from '../../context.ts';
import { actorOf } from '../admin-auth.ts';
import { parseQuery } from '../query.ts';
import { sendAnswer } from '../typed-answer.ts';
import {
  reportDownloadQuery,
  reportListQuery,
  reportRowsAnswer,
  reportRowsQuery,
  reportRunAnswer,
  reportRunListAnswer,
} from './admin-reports.schemas.ts';

/** Identity-alignment reports for admins (mounted behind requireAdmin). */
export function adminReportRoutes(ctx: ServiceContext): Router {
  const router = Router();
  const base = '/reports/identity-alignment';
  router.post(base, async (_req, res) => {
    const { done: _done, ...run } = await startIdentityReport(ctx, actorOf(res));
    sendAnswer(res, reportRunAnswer, run, 202);
  });
  router.get(base, async (req, res) => {
    sendAnswer(res, reportRunListAnswer, await listReports(ctx, parseQuery(req, reportListQuery).limit));
  });
  router.get(`${base}/:id`, async (req, res) => {
    sendAnswer(res, reportRunAnswer, await reportStatus(ctx, req.params.id));
  });
  router.post(`${base}/:id/cancel`, async (req, res) => {
    sendAnswer(res, reportRunAnswer, await cancelReport(ctx, req.params.id, actorOf(res)));
  });
  router.get(`${base}/:id/rows`, async (req, res) => {
    const query = parseQuery(req, reportRowsQuery);
    const page = await reportRows(ctx, req.params.id, { status: query.status, search: query.q, afterSeq: query.after, limit: query.limit });
    sendAnswer(res, reportRowsAnswer, page);
  });
  router.get(`${base}/:id/download`, async (req, res) => {
    const query = parseQuery(req, reportDownloadQuery);
    const format = query.format ?? 'csv';
    const chunks = exportReport(ctx, req.params.id, format, query.status);
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
