// The identity-alignment report as a job: users are cut into ranges and each range is classified on the database
// (classifyUsers); progress and the summary are stored as ranges finish, and a cancel request is honoured between
// ranges. Memory holds a few ids per range and the counts, whatever the number of users.
//
// On PostgreSQL two ranges run at once, each on its own connection, all reading one exported snapshot: the
// report is one consistent picture of the sources, and its rows are numbered exactly even while users change.
// PGlite has one connection: ranges run one after the other there.
import type { Logger } from 'pino';
import { type Database, runsOnPostgres } from '../../db/connect.ts';
import { reportStore } from '../../db/stores/report-store.ts';
import { currentSettings } from '../../settings/service.ts';
import { ALIGNMENT_STATUSES, type AlignmentStatus } from './alignment-status.ts';
import { type AlignmentFacts, classifyUsers, duplicateObjectIds, exportSnapshot, type UserRange, userRanges } from './classify-users.ts';

/** Users per statement: progress and cancel points every RANGE users; more statements cost more round trips. */
const RANGE = 5000;
/** Ranges classified at once on PostgreSQL. */
const PARALLEL_RANGES = 2;

type StatusSummary = Record<AlignmentStatus, number>;

function emptySummary(): StatusSummary {
  return Object.fromEntries(ALIGNMENT_STATUSES.map((s) => [s, 0])) as StatusSummary;
}

/** The settings the rules read: LdapSettings.Enable, and the sign-in's provider and user creation. */
type ReportFacts = AlignmentFacts;

interface Plan {
  ranges: UserRange[];
  duplicates: string[];
  snapshot?: string;
}

/** Classifies every range (at most `parallel` at once), then ends the run as completed or cancelled. */
async function classifyAll(db: Database, runId: string, plan: Plan, facts: ReportFacts, parallel: number): Promise<void> {
  const summary = emptySummary();
  let processed = 0;
  let next = 0;
  let cancelled = false;
  let failed = false;
  // A range's first seq follows from the counts before it: exact in a snapshot, where nothing changes under it.
  let before = 0;
  const firstSeqs = plan.ranges.map((range) => {
    const first = before + 1;
    before += range.count;
    return first;
  });
  const worker = async () => {
    while (next < plan.ranges.length && !cancelled && !failed) {
      const k = next++;
      const run = await reportStore.findRun(db, runId);
      if (run?.cancel_requested) {
        cancelled = true;
        return;
      }
      const counts = await classifyUsers(db, {
        runId,
        range: plan.ranges[k]!,
        firstSeq: plan.snapshot ? firstSeqs[k]! : processed + 1,
        ...facts,
        duplicates: plan.duplicates,
        snapshot: plan.snapshot,
      }).catch((error: unknown) => {
        failed = true; // the other worker stops after its range; the job then fails with this error
        throw error;
      });
      // Counted as written (without a snapshot, users created since the ranges were cut are in them too).
      for (const [status, count] of counts) {
        summary[status as AlignmentStatus] += count;
        processed += count;
      }
      await reportStore.updateRun(db, runId, { processed, summary });
    }
  };
  const outcomes = await Promise.allSettled(Array.from({ length: parallel }, worker));
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) throw failure.reason;
  if (cancelled) {
    await reportStore.updateRun(db, runId, { status: 'cancelled', summary, finished_at: new Date() });
    return;
  }
  await reportStore.updateRun(db, runId, { status: 'completed', processed, total: processed, summary, finished_at: new Date() });
}

/** The ranges and the duplicate objectIds, read from `source` (the snapshot's transaction on PostgreSQL); the run starts. */
async function plan(db: Database, source: Database, runId: string): Promise<Omit<Plan, 'snapshot'>> {
  const ranges = await userRanges(source, RANGE);
  const duplicates = await duplicateObjectIds(source);
  await reportStore.updateRun(db, runId, { status: 'running', total: ranges.reduce((sum, range) => sum + range.count, 0) });
  return { ranges, duplicates };
}

export async function runIdentityReport(db: Database, runId: string, log: Logger): Promise<void> {
  try {
    const { settings } = await currentSettings(db);
    const facts: ReportFacts = {
      ldapEnabled: settings.LdapSettings.Enable,
      protectedService: settings.IntuneSettings.AuthService,
      creationEnabled: settings.IntuneSettings.EnableUserCreation,
    };
    if (!runsOnPostgres(db)) {
      await classifyAll(db, runId, await plan(db, db, runId), facts, 1);
      return;
    }
    // The snapshot lives as long as the transaction that exported it: held open until every range is written.
    // (It stays idle in its transaction meanwhile, which holds back vacuum for the length of a report.)
    const holder = await db.transaction(undefined, { isolationLevel: 'repeatable read' });
    try {
      const snapshot = await exportSnapshot(holder);
      await classifyAll(db, runId, { ...(await plan(db, holder, runId)), snapshot }, facts, PARALLEL_RANGES);
    } finally {
      await holder.rollback().catch(() => undefined);
    }
  } catch (error) {
    log.error({ err: error, report_id: runId }, 'identity report failed');
    await reportStore
      .updateRun(db, runId, { status: 'failed', error: (error as Error).message.slice(0, 500), finished_at: new Date() })
      .catch(() => undefined);
  }
}
