// One step of a report: the users of an id range, their sources, and the alignment rules, evaluated and written as
// report rows in one statement on the database (see alignment-status.ts for why the rules run there).
import type { Knex } from 'knex';
import { tuneForBulk } from '../../db/bulk-settings.ts';
import type { Database } from '../../db/connect.ts';
import { GUID_PATTERN, outcomeSql, ruleSql, signInErrorSql } from './alignment-status.ts';
import { duplicateObjectIdsOf, SOURCES_IN_RANGE, SOURCES_OF_USERS } from './sources-query.ts';

export interface UserRange {
  /** First and last user id of the range (inclusive), and how many users it holds. */
  lo: string;
  hi: string;
  count: number;
}

/** Every user, in id order, cut into ranges of `size` users (one short query: a few ids per range). */
export async function userRanges(db: Database, size: number): Promise<UserRange[]> {
  const { rows } = (await db.raw(
    `select min(id) as lo, max(id) as hi, count(*)::int as count
       from (select id, (row_number() over (order by id) - 1) / ? as k from users) numbered
      group by k order by k`,
    [size],
  )) as { rows: { lo: string; hi: string; count: number }[] };
  return rows.map((row) => ({ lo: row.lo, hi: row.hi, count: Number(row.count) }));
}

// trim() as the rest of mamgate does it (spaces, tabs, line ends); objectIds are compared trimmed, in lower case
// (ASCII lower case: objectIds are GUIDs, and the duplicate check lower-cases them the same way).
const trimmed = (column: string) => `btrim(${column}, ' ' || chr(9) || chr(10) || chr(13))`;
const normalised = (column: string) => `case when ${column} <> '' then lower(${trimmed(column)} collate "C") end`;
const ACCOUNT = `nullif(${trimmed('s.auth_data')}, '')`;
const ENTRA = "s.auth_service in ('office365', 'saml')";

// The sign-in facts of login/sign-in-rules.ts for this user signing in with the objectId Entra reports for them (the
// token's oid as last seen, else SAML's, else the directory's, else the account's own). The provider is
// IntuneSettings.AuthService; before Intune is configured, each Entra account is judged under its own provider.
const ACCOUNT_OBJECT_ID = `case when ${ACCOUNT} ~ '${GUID_PATTERN}' then lower(${ACCOUNT} collate "C") end`;
const SIGN_IN_FACTS = `coalesce(nullif(cast(:protected_service as text), ''), case when ${ENTRA} then s.auth_service else 'office365' end) as protected_service,
                       coalesce(s.auth_service, '') as account_service, ${ACCOUNT_OBJECT_ID} as account_object_id,
                       coalesce(${normalised('s.oauth_object_id')}, ${normalised('s.saml_object_id')}, ${normalised('s.ldap_object_id')}, ${ACCOUNT_OBJECT_ID}) as token_object_id,
                       cast(:creation_enabled as boolean) as creation_enabled, coalesce(s.email, '') <> '' as has_email`;

// Each level is a subquery kept apart by OFFSET 0: its columns are computed once per user and read by the level
// above. Flattened, every use of a fact would recompute it (the rules read some of them a dozen times).
/** Every user of `sourcesQuery` with its alignment facts, rule, sign-in error and outcome (columns of o below). */
function classified(sourcesQuery: string): string {
  return `        select r.*, ${outcomeSql} from (
          select f.*, ${ruleSql}, ${signInErrorSql} from (
            select v.*,
                   -- The sign-in fact held_twice, as sign-in reads it: two accounts of the provider hold the objectId.
                   (select count(*) from users x
                     where x.auth_service = v.protected_service and lower(x.auth_data) = (v.token_object_id collate "default")
                       and x.auth_data is not null and x.auth_data <> '') > 1 as held_twice,
                   case when da.object_id is not null then 'account' when dpo.object_id is not null then 'oauth'
                        when dps.object_id is not null then 'saml' when dpl.object_id is not null then 'ldap' end as duplicate_source,
                   coalesce(da.object_id, dpo.object_id, dps.object_id, dpl.object_id) as duplicate_id
              from (
                select s.*, ${ENTRA} as entra, ${ACCOUNT} as account, ${SIGN_IN_FACTS},
                       case when ${ENTRA} then lower(${ACCOUNT} collate "C") end as account_id,
                       ${normalised('s.oauth_object_id')} as oauth_id, ${normalised('s.saml_object_id')} as saml_id,
                       ${normalised('s.ldap_object_id')} as ldap_id, s.ldap_raw_value as ldap_raw,
                       cast(:ldap_enabled as boolean) as ldap_enabled
                  from (${sourcesQuery}) s offset 0) v
              left join duplicate da on da.object_id = v.account_id
              left join duplicate dpo on dpo.object_id = v.oauth_id
              left join duplicate dps on dps.object_id = v.saml_id
              left join duplicate dpl on dpl.object_id = v.ldap_id
            offset 0) f
          offset 0) r`;
}

const CLASSIFY_RANGE = `with duplicate as (select value as object_id from json_array_elements_text(cast(:duplicates as json))),
  written as (
    insert into report_rows (run_id, seq, user_id, username, email, auth_service, auth_data, oauth_object_id, oauth_seen_at,
                             saml_object_id, saml_seen_at, ldap_object_id, ldap_seen_at, status, error_id, mam_error, next_step)
    select :run_id, :first_seq + row_number() over (order by o.id) - 1, o.id, o.username, o.email, o.auth_service, o.auth_data,
           o.oauth_object_id, o.oauth_seen_at, o.saml_object_id, o.saml_seen_at,
           coalesce(o.ldap_object_id, o.ldap_raw), o.ldap_seen_at, o.status, o.error_id, o.mam_error, o.next_step
      from (
        ${classified(SOURCES_IN_RANGE)}
        ) o
     where exists (select 1 from report_runs where id = :run_id)
    returning status)
  select status, count(*)::int as count from written group by status`;

export interface ClassifyOptions {
  runId: string;
  range: UserRange;
  /** seq of the range's first row (rows are numbered from 1 across the report). */
  firstSeq: number;
  ldapEnabled: boolean;
  /** IntuneSettings.AuthService ('' before Intune is configured) and EnableUserCreation: the sign-in facts. */
  protectedService: string;
  creationEnabled: boolean;
  /** Objectids (lower case) that more than one account claims. */
  duplicates: string[];
  /** An exported snapshot (pg_export_snapshot) the statement reads, so that ranges read in parallel agree. */
  snapshot?: string;
}

/** Writes the range's report rows; answers how many rows got each status. */
export async function classifyUsers(db: Database, options: ClassifyOptions): Promise<Map<string, number>> {
  const snapshot = options.snapshot;
  if (snapshot !== undefined && !/^[0-9A-F]+(-[0-9A-F]+)+$/i.test(snapshot)) throw new Error('not a snapshot id');
  // In a transaction: to read the snapshot, and to scope the settings below.
  const run = async (trx: Knex.Transaction) => {
    // A utility statement takes no parameters; the id was checked above.
    if (snapshot) await trx.raw(`set transaction snapshot '${snapshot}'`);
    // No nested loops: statistics that lagged a sync's writes made the planner loop over one side once per user of
    // the other (ten times slower). The rows count only once the run is marked completed, by an ordinary commit.
    await tuneForBulk(trx, { nestedLoops: false, asyncCommit: true });
    const result = (await trx.raw(CLASSIFY_RANGE, {
      lo: options.range.lo,
      hi: options.range.hi,
      duplicates: JSON.stringify(options.duplicates),
      ldap_enabled: options.ldapEnabled,
      protected_service: options.protectedService,
      creation_enabled: options.creationEnabled,
      run_id: options.runId,
      first_seq: options.firstSeq,
    })) as { rows: { status: string; count: number }[] };
    return result.rows;
  };
  const rows = snapshot ? await db.transaction(run, { isolationLevel: 'repeatable read' }) : await db.transaction(run);
  return new Map(rows.map((row) => [row.status, Number(row.count)]));
}


const CLASSIFY_USERS = `with duplicate as (select value as object_id from json_array_elements_text(cast(:duplicates as json)))
  select o.status, count(*)::int as count from (${classified(SOURCES_OF_USERS)}) o group by o.status`;

/**
 * The alignment statuses of some users (an incremental sync's touched accounts) by the report's own rules, read in
 * `db` (the sync's transaction, so they see its writes); nothing is written. Answers how many got each status.
 */
export async function classifySomeUsers(
  db: Database,
  userIds: string[],
  facts: Pick<ClassifyOptions, 'ldapEnabled' | 'protectedService' | 'creationEnabled'>,
): Promise<Record<string, number>> {
  if (userIds.length === 0) return {};
  const duplicates = await duplicateObjectIdsOf(db, userIds);
  const { rows } = (await db.raw(CLASSIFY_USERS, {
    user_ids: JSON.stringify(userIds),
    duplicates: JSON.stringify(duplicates),
    ldap_enabled: facts.ldapEnabled,
    protected_service: facts.protectedService,
    creation_enabled: facts.creationEnabled,
  })) as { rows: { status: string; count: number }[] };
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}
