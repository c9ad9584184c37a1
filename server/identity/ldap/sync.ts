// The LDAP source of identity alignment: read every user entry under BaseDn, match each to an account (by email,
// then by username), and in ONE transaction replace directory_entries and the users' 'ldap' identities. A failed
// sync (refused bind, server down, timeout) rolls back, so the last good data stays, and its run row says why.
// Pages stream from the directory into the transaction: memory holds one page, whatever the directory's size.
import type { Knex } from 'knex';
import { audit } from '../../audit/audit.ts';
import type { Database } from '../../db/connect.ts';
import { AppError } from '../../errors/app-error.ts';
import { toAppError } from '../../errors/classify.ts';
import type { Actor, ServiceContext } from '../../runtime/context.ts';
import { currentSettings } from '../../settings/service.ts';
import { normaliseGuid } from '../../util/guid.ts';
import { DirectoryClient, type DirectoryRecord, type DirectoryTimeouts, directoryConfig, MAX_PAGE_SIZE } from './directory-client.ts';
import { type SyncCounts, type SyncRun, type SyncTrigger, syncRuns } from './sync-runs.ts';

/** pg_try_advisory_xact_lock key held for the length of a sync: one sync at a time across every node. */
export const LDAP_SYNC_LOCK_KEY = 7_316_012_001;

const RAW_VALUE_LIMIT = 1024;

export interface SyncOptions {
  trigger: SyncTrigger;
  actor: Actor;
  timeouts?: Partial<DirectoryTimeouts>;
  /** Entries per page (at most 1000). */
  pageSize?: number;
}

/** Thrown inside the transaction when another sync holds the lock. */
class SyncBusy extends Error {}

interface PageCounts {
  matched: number;
  withoutId: number;
}

// One statement per page matches and inserts its entries: the accounts are found by email (case-insensitive, the
// first matching value wins), else by username (as read, then in lower case), and the counts come back. One index
// probe per value (LATERAL … LIMIT 1): a plain join lets the planner hash the whole users table on every page.
const WRITE_PAGE = `with rec as (
    select * from unnest(:dn::text[], :first_email::text[], :username::text[], :object_id::text[], :raw_value::text[])
      with ordinality as t(dn, first_email, username, object_id, raw_value, i)),
  mail as (select * from unnest(:mail_rec::int[], :mail::text[]) with ordinality as m(rec, v, k)),
  by_email as (
    select distinct on (m.rec) m.rec, u.id, m.v as email from mail m
      cross join lateral (select id from users where lower(email) = lower(m.v) limit 1) u
     order by m.rec, m.k),
  names as (
    select * from unnest(:name_rec::int[], :name::text[]) with ordinality as n(rec, v, k)
     where not exists (select 1 from by_email e where e.rec = n.rec)),
  by_name as (
    select distinct on (n.rec) n.rec, u.id from names n
      cross join lateral (
        (select id, 0 as pref from users where username = n.v limit 1)
        union all (select id, 1 from users where username = lower(n.v) limit 1)) u
     order by n.rec, n.k, u.pref),
  written as (
    insert into directory_entries (dn, user_id, email, username, object_id, raw_value, sync_run_id)
    select r.dn, coalesce(e.id, n.id), coalesce(e.email, r.first_email), r.username, r.object_id, r.raw_value, :run_id::bigint
      from rec r left join by_email e on e.rec = r.i left join by_name n on n.rec = r.i
     order by r.i
    on conflict (dn) do nothing
    returning user_id)
  select (select count(user_id)::int from written) as matched`;

async function writePage(trx: Knex.Transaction, runId: number, records: DirectoryRecord[]): Promise<PageCounts> {
  const columns = { dn: [] as string[], first_email: [] as (string | null)[], username: [] as (string | null)[], object_id: [] as (string | null)[], raw_value: [] as (string | null)[] };
  const values = { mail_rec: [] as number[], mail: [] as string[], name_rec: [] as number[], name: [] as string[] };
  let withoutId = 0;
  for (const [index, record] of records.entries()) {
    const rec = index + 1; // ordinality counts from 1
    columns.dn.push(record.dn);
    columns.first_email.push(record.emails[0]?.trim() ?? null);
    columns.username.push(record.usernames[0]?.trim() ?? null);
    columns.object_id.push(record.id?.objectId ?? null);
    columns.raw_value.push(record.id?.raw.slice(0, RAW_VALUE_LIMIT) ?? null);
    if (!record.id?.objectId) withoutId += 1;
    for (const email of record.emails) {
      values.mail_rec.push(rec);
      values.mail.push(email.trim());
    }
    for (const username of record.usernames) {
      values.name_rec.push(rec);
      values.name.push(username.trim());
    }
  }
  const { rows } = (await trx.raw(WRITE_PAGE, { ...columns, ...values, run_id: runId })) as { rows: { matched: number }[] };
  return { matched: Number(rows[0]?.matched ?? 0), withoutId };
}

/**
 * The users' 'ldap' identities from this run's entries: one per matched account (an email match wins over a
 * username match, then the first DN), and none for accounts no longer in the directory. Only the identities whose
 * value changed are written (most syncs change few): the report dates the others by the last good sync.
 */
async function writeIdentities(trx: Knex.Transaction, runId: number, tenantId: string, attribute: string): Promise<void> {
  await trx.raw(
    `insert into identities (user_id, source, tenant_id, object_id, raw_value, attribute, seen_at)
     select distinct on (d.user_id) d.user_id, 'ldap', ?, d.object_id, d.raw_value, ?, now()
     from directory_entries d join users u on u.id = d.user_id
     where d.sync_run_id = ?
     order by d.user_id, (lower(d.email) = lower(u.email)) desc nulls last, d.dn
     on conflict (user_id, source) do update set tenant_id = excluded.tenant_id, object_id = excluded.object_id,
       raw_value = excluded.raw_value, attribute = excluded.attribute, seen_at = excluded.seen_at
     where (identities.tenant_id, identities.object_id, identities.raw_value, identities.attribute)
       is distinct from (excluded.tenant_id, excluded.object_id, excluded.raw_value, excluded.attribute)`,
    [tenantId, attribute, runId],
  );
  await trx.raw(
    `delete from identities i where i.source = 'ldap'
     and not exists (select 1 from directory_entries d where d.user_id = i.user_id and d.sync_run_id = ?)`,
    [runId],
  );
}

async function readAndWrite(db: Database, runId: number, options: SyncOptions, settings: Awaited<ReturnType<typeof currentSettings>>['settings']): Promise<SyncCounts> {
  const config = directoryConfig(settings.LdapSettings);
  return db.transaction(async (trx) => {
    const { rows } = (await trx.raw('select pg_try_advisory_xact_lock(?::bigint) as locked', [LDAP_SYNC_LOCK_KEY])) as { rows: { locked: boolean }[] };
    if (!rows[0]?.locked) throw new SyncBusy();
    const directory = await DirectoryClient.open(config, options.timeouts);
    try {
      await trx('directory_entries').delete();
      const counts: SyncCounts = { entries: 0, matched: 0, without_id: 0 };
      // The next page is asked for while this one is written: at most two pages in memory, and the directory and
      // the database work at the same time.
      const pages = directory.pages(directory.userFilter(), { pageSize: options.pageSize ?? MAX_PAGE_SIZE });
      let next = pages.next();
      for (;;) {
        const current = await next;
        if (current.done) break;
        next = pages.next();
        next.catch(() => undefined); // a failed write ends the sync first; the pending page is dropped with the client
        const page = current.value;
        if (page.length === 0) continue;
        const written = await writePage(trx, runId, page);
        counts.entries += page.length;
        counts.matched += written.matched;
        counts.without_id += written.withoutId;
      }
      await writeIdentities(trx, runId, normaliseGuid(settings.IntuneSettings.TenantId), settings.LdapSettings.IdAttribute);
      await syncRuns.succeed(trx, runId, counts);
      return counts;
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
  const runId = await syncRuns.start(ctx.db, options.trigger, options.actor.name);
  const started = Date.now();
  try {
    const counts = await readAndWrite(ctx.db, runId, options, settings);
    ctx.log.info({ run_id: runId, trigger: options.trigger, ...counts, duration_ms: Date.now() - started }, 'ldap sync succeeded');
    if (options.trigger === 'manual') {
      await audit(ctx.db, options.actor, { action: 'ldap.sync', target: String(runId), outcome: 'success', details: { ...counts } });
    }
    return (await syncRuns.find(ctx.db, runId))!;
  } catch (error) {
    if (error instanceof SyncBusy && options.trigger === 'schedule') {
      await syncRuns.discard(ctx.db, runId);
      return undefined;
    }
    const appError = error instanceof SyncBusy ? new AppError('mamgate.ldap.sync_in_progress.app_error') : toAppError(error);
    await syncRuns.fail(ctx.db, runId, appError.id, appError.message).catch((recordError: unknown) => {
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

/** A sync asked for by an admin (CLI or API): the run row, or the catalogue error of the failure. */
export async function syncDirectory(ctx: ServiceContext, actor: Actor, options: Omit<SyncOptions, 'trigger' | 'actor'> = {}): Promise<SyncRun> {
  return (await runSync(ctx, { ...options, trigger: 'manual', actor }))!;
}

export async function listSyncRuns(db: Database, limit: number, beforeId?: number) {
  const items = await syncRuns.recent(db, limit, beforeId);
  return { items, next_before: items.length === limit ? items[items.length - 1]!.id : null };
}
