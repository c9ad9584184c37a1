// The LDAP source of identity alignment: read every user entry under BaseDn, match each to an account (by email,
// then by username), and in ONE transaction bring directory_entries and the users' 'ldap' identities up to date
// (directoryStore: entries are staged as read, then merged, writing only what changed). A failed
// sync (refused bind, server down, timeout) rolls back, so the last good data stays, and its run row says why.
// Pages stream from the directory into the transaction: memory holds one page, whatever the directory's size.
import { audit } from '../../audit/audit.ts';
import { type Database, runsOnPostgres } from '../../db/connect.ts';
import { directoryStore, type StagedEntry } from '../../db/stores/directory-store.ts';
import { type SyncOutcome, type SyncRun, type SyncTrigger, syncRunStore } from '../../db/stores/sync-run-store.ts';
import { AppError } from '../../errors/app-error.ts';
import { toAppError } from '../../errors/classify.ts';
import type { Actor, ServiceContext } from '../../context.ts';
import { currentSettings } from '../../settings/service.ts';
import { normaliseGuid } from '../../util/guid.ts';
import { type ConnectDirectory, DirectoryClient, type DirectoryRecord, type DirectoryTimeouts, directoryConfig } from './directory-client.ts';
import { classifySomeUsers } from '../report/classify-users.ts';
import { changeAttributeOf, readServerState } from './server-state.ts';
import { changedSinceFilter, type MarksSeen, nextWatermark, noteMarks, nothingChanged, planSync, type SyncMode, settingsDigest } from './sync-plan.ts';

const RAW_VALUE_LIMIT = 1024;

export interface SyncOptions {
  trigger: SyncTrigger;
  actor: Actor;
  timeouts?: Partial<DirectoryTimeouts>;
  /** Entries per page (at most 1000). */
  pageSize?: number;
  /** full (the default): read the whole directory; incremental: only what changed since the watermark, if it holds. */
  mode?: SyncMode;
  /** How to reach the directory (ldapts by default; a test's fake directory for the Active Directory path). */
  connect?: ConnectDirectory;
  /** Where a fallback to a full pass is said (the service's log). */
  log?: ServiceContext['log'];
}

/** Thrown inside the transaction when another sync holds the lock. */
class SyncBusy extends Error {}

/** A page as staged: the values a sync keeps of each entry (see directoryStore). */
function staged(records: DirectoryRecord[]): StagedEntry[] {
  return records.map((record) => {
    const emails = record.emails.map((email) => email.trim());
    const usernames = record.usernames.map((username) => username.trim());
    return {
      dn: record.dn,
      email: emails[0] ?? null,
      username: usernames[0] ?? null,
      object_id: record.id?.objectId ?? null,
      raw_value: record.id?.raw.slice(0, RAW_VALUE_LIMIT) ?? null,
      all_values: emails.length > 1 || usernames.length > 1 ? { emails, usernames } : null,
    };
  });
}

/** The read of a sync the server says nothing was written since (see nothingChanged): no search at all. */
async function* emptyPages(): AsyncGenerator<DirectoryRecord[]> {}

/**
 * Entries per page a sync asks for (a server allows at most directory-client's MAX_PAGE_SIZE). Measured over a full pass of 100,000
 * entries (npm run bench, report): at 1,000 the node peaked at 230-250 MiB, at 250 at 158-167 MiB, and the sync was
 * no slower (the next page is read while one is written either way).
 */
const SYNC_PAGE_SIZE = 250;

/** Progress is written every this many pages (outside the transaction, so the admin page sees it). */
const PROGRESS_EVERY_PAGES = 40;

async function readAndWrite(db: Database, runId: number, options: SyncOptions, settings: Awaited<ReturnType<typeof currentSettings>>['settings']): Promise<SyncOutcome> {
  const config = directoryConfig(settings.LdapSettings);
  const tenantId = normaliseGuid(settings.IntuneSettings.TenantId);
  return db.transaction(async (trx) => {
    const lockedAt = await syncRunStore.tryLock(trx);
    if (!lockedAt) throw new SyncBusy();
    const interrupted = new AppError('mamgate.ldap.sync_interrupted.app_error');
    await syncRunStore.failInterrupted(trx, runId, interrupted.id, interrupted.message);
    const directory = await DirectoryClient.open(config, options.timeouts, options.connect);
    // Progress goes on another connection than the transaction's: PGlite has only one, so it shows at the end there.
    const progress = runsOnPostgres(db) ? (p: Parameters<typeof syncRunStore.progress>[2]) => syncRunStore.progress(db, runId, p) : async () => undefined;
    try {
      // The server's change tracking is read before the search: on AD, what commits during the search is then
      // above the watermark; on OpenLDAP the contextCSN is compared with the watermark's.
      const startedAt = lockedAt;
      const started = performance.now();
      const state = await readServerState(directory, config.server, config.baseDn);
      const digest = settingsDigest(config, tenantId);
      const plan = planSync(options.mode ?? 'full', await syncRunStore.lastWatermark(trx), state, digest, startedAt);
      const fallbackReason = plan.kind === 'full' ? plan.reason : null;
      if (fallbackReason) options.log?.warn({ run_id: runId, reason: fallbackReason }, 'ldap sync: incremental asked, full pass instead');
      await progress({ entries: 0, kind: plan.kind, fallback_reason: fallbackReason });
      const filter = plan.kind === 'incremental' ? changedSinceFilter(directory.userFilter(), state.kind, plan.since) : directory.userFilter();
      const quiet = plan.kind === 'incremental' && nothingChanged(plan.previous, state);
      if (!quiet) await directoryStore.beginStaging(trx);
      let read = 0;
      let withoutId = 0;
      let marks: MarksSeen = { highest: null, unmarked: 0 };
      let pageCount = 0;
      // The next page is asked for while this one is written: at most two pages in memory, and the directory and
      // the database work at the same time.
      const pages = quiet ? emptyPages() : directory.pages(filter, { pageSize: options.pageSize ?? SYNC_PAGE_SIZE, changeAttribute: changeAttributeOf(state.kind) });
      let next = pages.next();
      for (;;) {
        const current = await next;
        if (current.done) break;
        next = pages.next();
        next.catch(() => undefined); // a failed write ends the sync first; the pending page is dropped with the client
        const page = current.value;
        if (page.length === 0) continue;
        await directoryStore.stage(trx, read + 1, staged(page));
        read += page.length;
        withoutId += page.filter((record) => !record.id?.objectId).length;
        marks = noteMarks(page, marks);
        if (++pageCount % PROGRESS_EVERY_PAGES === 0) await progress({ entries: read });
      }
      const readMs = performance.now() - started;
      const watermark = nextWatermark({ plan, state, settings: digest, startedAt, durationMs: readMs, marks });
      const run = { id: runId, tenantId, attribute: settings.LdapSettings.IdAttribute };
      let outcome: SyncOutcome;
      if (plan.kind === 'incremental') {
        const merged = read > 0 ? await directoryStore.mergeChanged(trx, run) : { matched: 0, changed: 0, affected: [] };
        const mergedAt = performance.now();
        // Only the accounts whose entries changed are classified again, by the report's own rules.
        const reclassified = await classifySomeUsers(trx, merged.affected, {
          ldapEnabled: settings.LdapSettings.Enable,
          protectedService: settings.IntuneSettings.AuthService,
          creationEnabled: settings.IntuneSettings.EnableUserCreation,
        });
        options.log?.debug(
          { run_id: runId, read_ms: Math.round(readMs), merge_ms: Math.round(mergedAt - started - readMs), classify_ms: Math.round(performance.now() - mergedAt) },
          'ldap sync phases',
        );
        outcome = {
          kind: 'incremental',
          fallback_reason: null,
          entries: read,
          matched: merged.matched,
          without_id: withoutId,
          changed: merged.changed,
          affected_users: merged.affected.length,
          reclassified,
          watermark,
        };
      } else {
        const merged = await directoryStore.merge(trx, run);
        outcome = {
          kind: 'full',
          fallback_reason: fallbackReason,
          entries: read,
          matched: merged.matched,
          without_id: withoutId,
          changed: merged.changed,
          affected_users: 0,
          reclassified: null,
          watermark,
        };
      }
      await syncRunStore.succeed(trx, runId, outcome);
      return outcome;
    } finally {
      await directory.close();
    }
  });
}

/**
 * One sync. Returns the run; throws the catalogue AppError of a failure after recording it on the run. A scheduled
 * sync that finds another one running returns undefined and leaves no row; a manual one answers sync_in_progress.
 */
export async function runSync(ctx: ServiceContext, options: SyncOptions): Promise<SyncRun | undefined> {
  const { settings } = await currentSettings(ctx.db);
  directoryConfig(settings.LdapSettings); // refuses a disabled or incomplete configuration before any row is written
  const runId = await syncRunStore.start(ctx.db, options.trigger, options.actor.name);
  const started = Date.now();
  try {
    const { watermark, reclassified, ...counts } = await readAndWrite(ctx.db, runId, { log: ctx.log, ...options }, settings);
    ctx.log.info(
      { run_id: runId, trigger: options.trigger, ...counts, reclassified, watermark: watermark.since, duration_ms: Date.now() - started },
      'ldap sync succeeded',
    );
    if (options.trigger === 'manual') {
      await audit(ctx.db, options.actor, { action: 'ldap.sync', target: String(runId), outcome: 'success', details: { ...counts } });
    }
    return (await syncRunStore.find(ctx.db, runId))!;
  } catch (error) {
    if (error instanceof SyncBusy && options.trigger === 'schedule') {
      await syncRunStore.discard(ctx.db, runId);
      return undefined;
    }
    const appError = error instanceof SyncBusy ? new AppError('mamgate.ldap.sync_in_progress.app_error') : toAppError(error);
    await syncRunStore.fail(ctx.db, runId, appError.id, appError.message).catch((recordError: unknown) => {
      ctx.log.error({ run_id: runId, err: recordError }, 'could not record the failed ldap sync');
    });
    const unexpected = appError.id === 'mamgate.internal.app_error' ? { err: appError.cause } : {};
    ctx.log.warn({ run_id: runId, trigger: options.trigger, error_id: appError.id, reason: appError.message, duration_ms: Date.now() - started, ...unexpected }, 'ldap sync failed');
    if (options.trigger === 'manual') {
      await audit(ctx.db, options.actor, { action: 'ldap.sync', target: String(runId), outcome: 'failure', details: { error_id: appError.id } }).catch(() => undefined);
    }
    throw appError;
  }
}

/** The sync mode an admin asked for ('full' when none), or the catalogue error naming what is allowed. */
export function syncModeOf(value: unknown): SyncMode {
  if (value === undefined || value === null || value === '') return 'full';
  if (value === 'full' || value === 'incremental') return value;
  throw new AppError('mamgate.cli.usage.app_error', { params: { Problem: `the sync mode is full or incremental, not "${String(value).slice(0, 40)}"` } });
}

/** A sync asked for by an admin (CLI or API): the run row, or the catalogue error of the failure. */
export async function syncDirectory(ctx: ServiceContext, actor: Actor, options: Omit<SyncOptions, 'trigger' | 'actor'> = {}): Promise<SyncRun> {
  return (await runSync(ctx, { ...options, trigger: 'manual', actor }))!;
}

export async function listSyncRuns(db: Database, limit: number, beforeId?: number) {
  const items = await syncRunStore.recent(db, limit, beforeId);
  return { items, next_before: items.length === limit ? items[items.length - 1]!.id : null };
}
