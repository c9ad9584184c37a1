// Starting, following, cancelling and reading identity-alignment reports.
import { AUDIT_ACTIONS } from '../../contract/audit-actions.ts';
import { adminTokenNames } from '../../audit/actor-names.ts';
import { audit } from '../../audit/audit.ts';
import { runsOnPostgres } from '../../db/connect.ts';
import { type ReportRowRecord, type ReportRunRow, reportStore, type RowFilter } from '../../db/stores/report-store.ts';
import { AppError } from '../../errors/app-error.ts';
import type { Actor, ServiceContext } from '../../context.ts';
import { newId } from '../../util/secret-token.ts';
import { CsvLineEnds, csvColumnSql, EXPORT_FIELDS, type ExportFormat, exportHeader, exportLines } from './export-format.ts';
import { ALIGNMENT_STATUSES, type AlignmentStatus } from './statuses.ts';
import { runIdentityReport } from './run-report.ts';

export const IDENTITY_REPORT = 'identity-alignment';

export interface ReportRunView {
  id: string;
  status: ReportRunRow['status'];
  total: number;
  processed: number;
  progress: number;
  summary: Record<string, number>;
  requested_by: string;
  /** The admin token's name when an admin token started the report. */
  requested_by_name: string | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

function view(run: ReportRunRow, names: Map<string, string> = new Map()): ReportRunView {
  return {
    id: run.id,
    status: run.status,
    total: run.total,
    processed: run.processed,
    progress: run.total > 0 ? Math.min(1, run.processed / run.total) : run.status === 'completed' ? 1 : 0,
    summary: run.summary,
    requested_by: run.requested_by,
    requested_by_name: names.get(run.requested_by) ?? null,
    error: run.error,
    created_at: new Date(run.created_at).toISOString(),
    finished_at: run.finished_at ? new Date(run.finished_at).toISOString() : null,
  };
}

async function findRun(ctx: ServiceContext, id: string): Promise<ReportRunRow> {
  const run = await reportStore.findRun(ctx.db, id);
  if (!run) throw new AppError('mamgate.report.not_found.app_error', { params: { Id: id.slice(0, 64) } });
  return run;
}

/** Starts a report on this node and answers at once; the job runs in the background. */
export async function startIdentityReport(ctx: ServiceContext, actor: Actor): Promise<ReportRunView & { done: Promise<void> }> {
  const run = await reportStore.createRun(ctx.db, { id: newId(), kind: IDENTITY_REPORT, requested_by: actor.name });
  await audit(ctx.db, actor, { action: AUDIT_ACTIONS.reportStart, target: `report:${run.id}`, outcome: 'success' });
  const done = runIdentityReport(ctx.db, run.id, ctx.log);
  return { ...(await namedView(ctx, run)), done };
}

/** The run's view with the name of the admin token that started it. */
async function namedView(ctx: ServiceContext, run: ReportRunRow): Promise<ReportRunView> {
  return view(run, await adminTokenNames(ctx.db, [run.requested_by]));
}

export async function reportStatus(ctx: ServiceContext, id: string): Promise<ReportRunView> {
  return namedView(ctx, await findRun(ctx, id));
}

export async function listReports(ctx: ServiceContext, limit: number): Promise<ReportRunView[]> {
  const runs = await reportStore.listRuns(ctx.db, IDENTITY_REPORT, limit);
  const names = await adminTokenNames(ctx.db, runs.map((r) => r.requested_by));
  return runs.map((run) => view(run, names));
}

export async function latestCompletedReport(ctx: ServiceContext): Promise<ReportRunView | undefined> {
  const run = await reportStore.latestCompleted(ctx.db, IDENTITY_REPORT);
  return run ? view(run) : undefined;
}

export async function cancelReport(ctx: ServiceContext, id: string, actor: Actor): Promise<ReportRunView> {
  const run = await findRun(ctx, id);
  if (run.status === 'queued' || run.status === 'running') {
    await reportStore.updateRun(ctx.db, id, { cancel_requested: true });
    await audit(ctx.db, actor, { action: AUDIT_ACTIONS.reportCancel, target: `report:${id}`, outcome: 'success' });
  }
  return namedView(ctx, await findRun(ctx, id));
}

export async function reportRows(ctx: ServiceContext, id: string, filter: RowFilter): Promise<{ items: ReportRowRecord[]; next_after: number | null }> {
  await findRun(ctx, id);
  const items = await reportStore.rows(ctx.db, id, filter);
  return { items, next_after: items.length === filter.limit ? items[items.length - 1]!.seq : null };
}

const EXPORT_PAGE = 2000;
const EXPORT_COLUMNS = ['seq', ...EXPORT_FIELDS];

/**
 * The report's rows as export text, in chunks (memory stays flat whatever the row count). CSV on PostgreSQL
 * comes from COPY: 0.17-0.25 s for 100,000 rows, where only reading them into the service took 0.3-0.4 s.
 * Otherwise the rows are read a page at a time and formatted here.
 */
export async function* exportReport(ctx: ServiceContext, id: string, format: ExportFormat, status?: string): AsyncGenerator<string | Buffer> {
  await findRun(ctx, id);
  yield exportHeader(format);
  if (format === 'csv' && runsOnPostgres(ctx.db)) {
    const lineEnds = new CsvLineEnds();
    for await (const chunk of reportStore.copyCsv(ctx.db, id, status, EXPORT_FIELDS.map(csvColumnSql))) yield lineEnds.convert(chunk);
    return;
  }
  let afterSeq = 0; // seqs start at 1: a bounded first page too
  for (;;) {
    // One page at a time: reading the next one while this one is sent was slower (both parse and format on
    // the same thread, and two pages of rows make more garbage).
    const rows = await reportStore.rows(ctx.db, id, { status, afterSeq, limit: EXPORT_PAGE }, EXPORT_COLUMNS);
    if (rows.length === 0) return;
    yield exportLines(rows, format);
    afterSeq = rows[rows.length - 1]!.seq;
  }
}

export interface AlignmentOverReports {
  statuses: AlignmentStatus[];
  /** The last completed reports, oldest first. */
  reports: { id: string; created_at: string; finished_at: string | null; total: number; summary: Record<AlignmentStatus, number> }[];
}

/** The alignment summary of the last `limit` completed reports, oldest first (the identity page's chart). */
export async function alignmentOverReports(ctx: ServiceContext, limit: number): Promise<AlignmentOverReports> {
  const runs = await reportStore.lastCompleted(ctx.db, IDENTITY_REPORT, limit);
  return {
    statuses: [...ALIGNMENT_STATUSES],
    reports: runs.reverse().map((run) => {
      const { id, created_at, finished_at, total, summary } = view(run);
      return { id, created_at, finished_at, total, summary: Object.fromEntries(ALIGNMENT_STATUSES.map((s) => [s, Number(summary[s] ?? 0)])) as Record<AlignmentStatus, number> };
    }),
  };
}
