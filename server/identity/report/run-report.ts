// The identity-alignment report as a job: users are read a page at a time, classified, and written as report
// rows; progress is stored after every page, and a cancel request is honoured between pages.
import type { Logger } from 'pino';
import type { Database } from '../../db/connect.ts';
import { type ReportRowRecord, reportStore } from '../../db/stores/report-store.ts';
import { currentSettings } from '../../settings/service.ts';
import { ALIGNMENT_STATUSES, type AlignmentContext, type AlignmentStatus, classifyAlignment } from './alignment-status.ts';
import { duplicateObjectIds, usersWithSources } from './sources-query.ts';

const PAGE = 1000;

export type StatusSummary = Record<AlignmentStatus, number>;

export function emptySummary(): StatusSummary {
  return Object.fromEntries(ALIGNMENT_STATUSES.map((s) => [s, 0])) as StatusSummary;
}

async function alignmentContext(db: Database): Promise<AlignmentContext> {
  const { settings } = await currentSettings(db);
  return { ldapEnabled: settings.LdapSettings.Enable, duplicateIds: await duplicateObjectIds(db) };
}

export async function runIdentityReport(db: Database, runId: string, log: Logger): Promise<void> {
  try {
    // The duplicate check (a pass over every identity), the count and the first page are read at the same time
    // (on a server, each on its own connection; on PGlite one after the other).
    let next = usersWithSources(db, null, PAGE);
    next.catch(() => undefined); // when the context fails first, the job fails with its error
    const [context, counted] = await Promise.all([alignmentContext(db), db('users').count('* as n') as Promise<{ n: number }[]>]);
    await reportStore.updateRun(db, runId, { status: 'running', total: Number(counted[0]?.n ?? 0) });
    const summary = emptySummary();
    let seq = 0;
    // The next page is read while this one is written (on a server, on another connection): at most two pages in
    // memory, and the read and the write run at the same time. On PGlite the read waits for the write's turn.
    for (;;) {
      const users = await next;
      if (users.length === 0) break;
      next = usersWithSources(db, users[users.length - 1]!.id, PAGE);
      next.catch(() => undefined); // a failed write ends the job first; the pending read is then not awaited
      const run = await reportStore.findRun(db, runId);
      if (run?.cancel_requested) {
        await next.catch(() => undefined);
        await reportStore.updateRun(db, runId, { status: 'cancelled', summary, finished_at: new Date() });
        return;
      }
      const rows: ReportRowRecord[] = users.map((user) => {
        const alignment = classifyAlignment(user, context);
        summary[alignment.status]++;
        const { id, ldap_raw_value, in_directory: _inDirectory, ...sources } = user;
        // A directory value that is not a GUID is shown as read.
        return { run_id: runId, seq: ++seq, user_id: id, ...sources, ldap_object_id: sources.ldap_object_id ?? ldap_raw_value, ...alignment };
      });
      await reportStore.insertPage(db, runId, rows, { processed: seq, summary });
    }
    await reportStore.updateRun(db, runId, { status: 'completed', processed: seq, total: seq, summary, finished_at: new Date() });
  } catch (error) {
    log.error({ err: error, report_id: runId }, 'identity report failed');
    await reportStore
      .updateRun(db, runId, { status: 'failed', error: (error as Error).message.slice(0, 500), finished_at: new Date() })
      .catch(() => undefined);
  }
}
