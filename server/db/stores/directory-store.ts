// The directory as of the last good LDAP sync (directory_entries) and the users' 'ldap' identities derived from it.
// A sync stages every entry it reads in a temporary table, then merges in one set-based statement that writes only
// what changed: most syncs of a large directory change a few entries, and rewriting 100,000 unchanged rows (with
// their index and foreign-key work) cost several times the directory read itself.
import type { Knex } from 'knex';
import { tuneForBulk } from '../bulk-settings.ts';

/** One entry as read, ready to stage: values already trimmed, the id attribute normalised (or null). */
export interface StagedEntry {
  dn: string;
  /** The first non-empty value of the email attribute, and of the username attribute. */
  email: string | null;
  username: string | null;
  object_id: string | null;
  raw_value: string | null;
  /**
   * Every value, in the order read, when either attribute has several (the first one that matches an account
   * wins); null otherwise. Kept apart because nearly every entry has one of each: flat rows stage twice as fast.
   */
  all_values: { emails: string[]; usernames: string[] } | null;
}

const STAGING = 'ldap_sync_staging';

// The staged entries, each matched to an account (see merge): shared by the full and the incremental merge. A full
// merge joins all entries to all accounts at once (hash joins); an incremental one stages a few changed entries and
// looks each one up in the accounts' indexes (a hash join would read every account for them).
function matchedEntries(lookup: 'join' | 'probe'): string {
  return `with entry as (
    -- A DN read twice keeps its first reading.
    select distinct on (dn) * from ${STAGING} order by dn, i),
  mail as (
    select i, email as v, cast(1 as bigint) as k from entry where all_values is null and email is not null
    union all
    select s.i, m.v, m.k from entry s cross join lateral json_array_elements_text(s.all_values->'emails') with ordinality m(v, k)
     where s.all_values is not null),
  by_email as (
    select distinct on (m.i) m.i, u.id, m.v as email from mail m ${
      lookup === 'join'
        ? 'join users u on lower(u.email) = lower(m.v)'
        : 'cross join lateral (select x.id from users x where lower(x.email) = lower(m.v) limit 1) u'
    }
     order by m.i, m.k),
  names as (
    select i, username as v, cast(1 as bigint) as k from entry s where all_values is null and username is not null
       and not exists (select 1 from by_email e where e.i = s.i)
    union all
    select s.i, n.v, n.k from entry s cross join lateral json_array_elements_text(s.all_values->'usernames') with ordinality n(v, k)
     where s.all_values is not null and not exists (select 1 from by_email e where e.i = s.i)),
  by_name as (
    select distinct on (n.i) n.i, u.id from names n ${
      lookup === 'join'
        ? 'join users u on u.username = n.v or u.username = lower(n.v)'
        : 'cross join lateral (select x.id, x.username from users x where x.username = n.v or x.username = lower(n.v)) u'
    }
     order by n.i, n.k, u.username <> n.v),
  matched as (
    select s.dn, coalesce(e.id, n.id) as user_id, coalesce(e.email, s.email) as email, s.username, s.object_id, s.raw_value,
           e.id is not null as by_email
      from entry s left join by_email e on e.i = s.i left join by_name n on n.i = s.i)`;
}
const MATCHED = matchedEntries('join');
const MATCHED_BY_PROBES = matchedEntries('probe');

/**
 * The CTEs that make the 'ldap' identities what the CTEs `wanted` (the one each account should have) and `current`
 * (what it has) say, shared by the full and the incremental merge: changed or new ones upserted, unwanted ones
 * deleted. Parameters :tenant and :attribute.
 */
const WRITE_WANTED_IDENTITIES = `identity_difference as (
         select w.user_id as wanted_id, c.user_id as current_id, w.object_id, w.raw_value
           from wanted w full join current c on c.user_id = w.user_id
          where w.user_id is null or c.user_id is null
             or (c.tenant_id, c.object_id, c.raw_value, c.attribute) is distinct from (:tenant, w.object_id, w.raw_value, :attribute)),
       upserted as (
         insert into identities (user_id, source, tenant_id, object_id, raw_value, attribute, seen_at)
         select wanted_id, 'ldap', :tenant, object_id, raw_value, :attribute, now() from identity_difference where wanted_id is not null
         on conflict (user_id, source) do update set tenant_id = excluded.tenant_id, object_id = excluded.object_id,
           raw_value = excluded.raw_value, attribute = excluded.attribute, seen_at = excluded.seen_at),
       gone as (
         delete from identities i using identity_difference g
          where g.wanted_id is null and i.user_id = g.current_id and i.source = 'ldap')`;

export const directoryStore = {
  /** The transaction's staging table (dropped at commit or rollback). */
  async beginStaging(trx: Knex.Transaction): Promise<void> {
    // ANALYZE of the staged entries (see merge) samples 3,000 rows: enough to see their number and their nulls,
    // in 10 ms instead of 80-90 ms for the default 30,000 at 100,000 entries.
    await tuneForBulk(trx, { statisticsTarget: 10 });
    await trx.raw(
      `create temporary table ${STAGING} (i integer not null, dn text collate "C" not null, email text, username text,
         object_id text, raw_value text, all_values json) on commit drop`,
    );
  },

  /** A page of entries as read; `first` is the position of the page's first entry in the whole read (from 1). */
  async stage(trx: Knex.Transaction, first: number, entries: StagedEntry[]): Promise<void> {
    // One JSON parameter: the same on PostgreSQL and PGlite, and one parse for the whole page.
    await trx.raw(
      `insert into ${STAGING}
       select ? + e.k - 1, e.dn, e.email, e.username, e.object_id, e.raw_value, e.all_values
         from rows from (json_to_recordset(?::json)
           as (dn text, email text, username text, object_id text, raw_value text, all_values json))
           with ordinality as e(dn, email, username, object_id, raw_value, all_values, k)`,
      [first, JSON.stringify(entries)],
    );
  },

  /**
   * Makes directory_entries and the users' 'ldap' identities what was staged, in one statement.
   * - Each entry is matched to an account by email (case-insensitive, the first value that matches wins), else by
   *   username (as read, then in lower case), all entries at once: hash joins (probing the users' indexes entry by
   *   entry cost several times more).
   * - Only the added and changed entries are written (`sync_run_id` is the run that last wrote an entry); entries
   *   no longer read are removed.
   * - One identity per matched account (an entry matched by the account's email wins over one matched by username,
   *   then the first DN), none for accounts no longer matched. Only the identities whose value changed are
   *   written: the report dates the others by the last good sync.
   * Answers how many entries matched an account, and how many were written (added, changed or removed).
   */
  async merge(trx: Knex.Transaction, run: { id: number; tenantId: string; attribute: string }): Promise<{ matched: number; changed: number }> {
    // Without statistics the planner takes the staged entries for a few hundred rows and nests loops over them.
    await trx.raw(`analyze ${STAGING}`);
    const { rows } = (await trx.raw(
      `${MATCHED},
       -- One pass over the directory as it was and as it is now: entries added, changed and gone.
       difference as (
         select coalesce(m.dn, d.dn) as dn, m.user_id, m.email, m.username, m.object_id, m.raw_value, m.by_email,
                d.dn is null as added, m.dn is null as gone
           from matched m full join directory_entries d on d.dn = m.dn
          where m.dn is null or d.dn is null
             or (d.user_id, d.email, d.username, d.object_id, d.raw_value, d.by_email)
                is distinct from (m.user_id, m.email, m.username, m.object_id, m.raw_value, m.by_email)),
       updated as (
         update directory_entries d set user_id = c.user_id, email = c.email, username = c.username,
                object_id = c.object_id, raw_value = c.raw_value, by_email = c.by_email, sync_run_id = :run_id
           from difference c where not c.added and not c.gone and d.dn = c.dn),
       inserted as (
         insert into directory_entries (dn, user_id, email, username, object_id, raw_value, by_email, sync_run_id)
         select c.dn, c.user_id, c.email, c.username, c.object_id, c.raw_value, c.by_email, :run_id from difference c where c.added),
       removed as (
         delete from directory_entries d using difference c where c.gone and d.dn = c.dn),
       wanted as (
         select distinct on (user_id) user_id, object_id, raw_value from matched where user_id is not null
          order by user_id, by_email desc, dn),
       current as (
         select user_id, tenant_id, object_id, raw_value, attribute from identities where source = 'ldap'),
       ${WRITE_WANTED_IDENTITIES}
       select count(user_id)::int as matched, (select count(*) from difference)::int as changed from matched`,
      { run_id: run.id, tenant: run.tenantId, attribute: run.attribute },
    )) as { rows: { matched: number; changed: number }[] };
    return { matched: Number(rows[0]!.matched), changed: Number(rows[0]!.changed) };
  },

  /**
   * An incremental sync's merge: the staged entries are the ones changed since the watermark, so nothing is removed
   * (deleted entries are the full pass's), only the staged entries that differ from what is stored are written, and
   * the 'ldap' identities are chosen again for the accounts those entries belonged to before or belong to now, by
   * the full merge's rule (by email first, then the first DN) over every entry of each account, in the same
   * statement.
   * Answers how many staged entries matched an account, how many were written, and the accounts touched.
   */
  async mergeChanged(trx: Knex.Transaction, run: { id: number; tenantId: string; attribute: string }): Promise<{ matched: number; changed: number; affected: string[] }> {
    await trx.raw(`analyze ${STAGING}`);
    // A few changed entries against every account and entry: the planner's hash joins would scan whole tables (a
    // third of a second at 100,000 users on a loaded machine) where index lookups cost a few milliseconds. For the
    // rest of the transaction, so the touched accounts are classified again the same way. The commit does not wait
    // for the WAL flush: a sync lost to a crash loses its watermark with it, so the next one reads the same changes
    // again, and a manual sync's answer follows its audit entry, whose commit flushes this one's too.
    await tuneForBulk(trx, { tableScans: false, asyncCommit: true });
    const { rows } = (await trx.raw(
      `${MATCHED_BY_PROBES},
       difference as (
         select m.*, d.user_id as old_user_id from matched m left join directory_entries d on d.dn = m.dn
          where d.dn is null
             or (d.user_id, d.email, d.username, d.object_id, d.raw_value, d.by_email)
                is distinct from (m.user_id, m.email, m.username, m.object_id, m.raw_value, m.by_email)),
       written as (
         insert into directory_entries (dn, user_id, email, username, object_id, raw_value, by_email, sync_run_id)
         select dn, user_id, email, username, object_id, raw_value, by_email, :run_id from difference
         on conflict (dn) do update set user_id = excluded.user_id, email = excluded.email, username = excluded.username,
           object_id = excluded.object_id, raw_value = excluded.raw_value, by_email = excluded.by_email, sync_run_id = excluded.sync_run_id),
       affected as (
         select user_id from difference where user_id is not null union select old_user_id from difference where old_user_id is not null),
       -- The touched accounts' entries as they are once written: a data-modifying CTE's writes are not visible to
       -- its siblings, so the stored entries not read again, and the entries as read.
       entries_now as (
         select d.user_id, d.dn, d.object_id, d.raw_value, d.by_email from directory_entries d
          where d.user_id = any(array(select user_id from affected)) and not exists (select 1 from matched m where m.dn = d.dn)
         union all
         -- A semi-join: as = any(array), each of the read entries was compared with every touched account.
         select m.user_id, m.dn, m.object_id, m.raw_value, m.by_email from matched m where m.user_id in (select user_id from affected)),
       wanted as (
         select distinct on (user_id) user_id, object_id, raw_value from entries_now order by user_id, by_email desc, dn),
       current as (
         select i.user_id, i.tenant_id, i.object_id, i.raw_value, i.attribute from identities i
          where i.user_id = any(array(select user_id from affected)) and i.source = 'ldap'),
       ${WRITE_WANTED_IDENTITIES}
       select (select count(user_id) from matched)::int as matched, (select count(*) from difference)::int as changed,
              coalesce((select json_agg(user_id) from affected), '[]'::json) as affected`,
      { run_id: run.id, tenant: run.tenantId, attribute: run.attribute },
    )) as { rows: { matched: number; changed: number; affected: string[] }[] };
    const outcome = rows[0]!;
    return { matched: Number(outcome.matched), changed: Number(outcome.changed), affected: outcome.affected };
  },
};
