// The identity-alignment report's statements: what every source last saw of the users of an id range, which
// objectIds more than one account claims, and the alignment rules evaluated over those facts, written as report
// rows in one statement per range (identity/report/alignment-status.ts says why the rules run on the database).
// The rules come in as SQL (alignmentStore(rules)): they are the report's; this store computes the facts they read
// and runs them.
import type { Knex } from 'knex';
import { tuneForBulk } from '../bulk-settings.ts';
import type { Database } from '../connect.ts';

/** The report's rules as SQL over the fact columns (identity/report/alignment-status.ts). */
export interface AlignmentRulesSql {
  /** An Entra objectId's shape, any case (POSIX regex). */
  guidPattern: string;
  /** Select-list item `rule`: the first rule that holds. */
  rule: string;
  /** Select-list item `sign_in_error`: the error the sign-in meets. */
  signInError: string;
  /** Select-list items `status, error_id, mam_error, next_step`, over a level that has `rule` and `sign_in_error`. */
  outcome: string;
}

export interface UserRange {
  /** First and last user id of the range (inclusive), and how many users it holds. */
  lo: string;
  hi: string;
  count: number;
}

/** The settings the rules read: LdapSettings.Enable, and IntuneSettings.AuthService and EnableUserCreation. */
export interface AlignmentFacts {
  ldapEnabled: boolean;
  /** '' before Intune is configured. */
  protectedService: string;
  creationEnabled: boolean;
}

export interface ClassifyRange extends AlignmentFacts {
  runId: string;
  range: UserRange;
  /** seq of the range's first row (rows are numbered from 1 across the report). */
  firstSeq: number;
  /** Objectids (lower case) that more than one account claims. */
  duplicates: string[];
  /** An exported snapshot (pg_export_snapshot) the statement reads, so that ranges read in parallel agree. */
  snapshot?: string;
}

// The users of the id range [:lo, :hi] (named parameters) and their sources. Every join is bounded by the range, so
// each is a merge over one short index range; bounded by a keyset alone, the planner merged from the start of
// identities for every range, so each range cost more than the last (quadratic over a report).
function sources(users: string, identities: (alias: string) => string): string {
  return `select u.id, u.username, u.email, u.auth_service, u.auth_data,
    o.object_id as oauth_object_id, o.seen_at as oauth_seen_at,
    s.object_id as saml_object_id, s.seen_at as saml_seen_at,
    l.object_id as ldap_object_id, l.raw_value as ldap_raw_value,
    -- A sync rewrites only the LDAP identities that changed: every one present was seen by the last good sync.
    case when l.user_id is not null then greatest(l.seen_at, last_sync.at) end as ldap_seen_at,
    -- A sync gives every account it matched to a directory entry an 'ldap' identity (its value may be null).
    l.user_id is not null as in_directory
  from users u
  cross join (select max(finished_at) as at from ldap_sync_runs where status = 'succeeded') last_sync
  left join identities o on o.user_id = u.id and o.source = 'oauth' ${identities('o')}
  left join identities s on s.user_id = u.id and s.source = 'saml' ${identities('s')}
  left join identities l on l.user_id = u.id and l.source = 'ldap' ${identities('l')}
  where ${users}`;
}

const SOURCES_IN_RANGE = sources('u.id >= :lo and u.id <= :hi', (alias) => `and ${alias}.user_id >= :lo and ${alias}.user_id <= :hi`);

/** The users whose ids are in the JSON array :user_ids (an incremental sync's touched accounts), and their sources. */
// As an array (an InitPlan): each lookup is then an index condition, not a join over the whole identities table.
const USER_IDS = 'any(array(select value from json_array_elements_text(cast(:user_ids as json))))';
const SOURCES_OF_USERS = sources(`u.id = ${USER_IDS}`, (alias) => `and ${alias}.user_id = ${USER_IDS}`);

// trim() as the rest of mamgate does it (spaces, tabs, line ends); objectIds are compared trimmed, in lower case
// (ASCII lower case: objectIds are GUIDs, and the duplicate check lower-cases them the same way).
const trimmed = (column: string) => `btrim(${column}, ' ' || chr(9) || chr(10) || chr(13))`;
const normalised = (column: string) => `case when ${column} <> '' then lower(${trimmed(column)} collate "C") end`;
const ACCOUNT = `nullif(${trimmed('s.auth_data')}, '')`;
const ENTRA = "s.auth_service in ('office365', 'saml')";

/** The statements for one set of rules, built once. */
function statements(rules: AlignmentRulesSql): { classifyRange: string; classifyUsers: string } {
  // The sign-in facts of login/sign-in-rules.ts for this user signing in with the objectId Entra reports for them
  // (the token's oid as last seen, else SAML's, else the directory's, else the account's own). The provider is
  // IntuneSettings.AuthService; before Intune is configured, each Entra account is judged under its own provider.
  const ACCOUNT_OBJECT_ID = `case when ${ACCOUNT} ~ '${rules.guidPattern}' then lower(${ACCOUNT} collate "C") end`;
  const SIGN_IN_FACTS = `coalesce(nullif(cast(:protected_service as text), ''), case when ${ENTRA} then s.auth_service else 'office365' end) as protected_service,
                       coalesce(s.auth_service, '') as account_service, ${ACCOUNT_OBJECT_ID} as account_object_id,
                       coalesce(${normalised('s.oauth_object_id')}, ${normalised('s.saml_object_id')}, ${normalised('s.ldap_object_id')}, ${ACCOUNT_OBJECT_ID}) as token_object_id,
                       cast(:creation_enabled as boolean) as creation_enabled, coalesce(s.email, '') <> '' as has_email`;

  // Each level is a subquery kept apart by OFFSET 0: its columns are computed once per user and read by the level
  // above. Flattened, every use of a fact would recompute it (the rules read some of them a dozen times).
  /** Every user of `sourcesQuery` with its alignment facts, rule, sign-in error and outcome (columns of o below). */
  const classified = (sourcesQuery: string) => `        select r.*, ${rules.outcome} from (
          select f.*, ${rules.rule}, ${rules.signInError} from (
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

  const classifyRange = `with duplicate as (select value as object_id from json_array_elements_text(cast(:duplicates as json))),
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

  // The duplicates rule for these users only: of the objectIds they claim (read once with their sources, which the
  // rules read too), those more than one account claims, by index lookups (users_auth_object_id,
  // identities_object_id_lower), so the cost follows the number of users, not the size of the tables. In the same
  // statement as the rules, which read it.
  const classifyUsers = `with sources as materialized (${SOURCES_OF_USERS}),
  theirs as (
    -- ASCII GUIDs: lower() is the same in every collation; the default one here, so users_auth_object_id serves below.
    select distinct lower(claimed) as object_id from sources
     cross join lateral (values (case when auth_service in ('office365', 'saml') and auth_data ~ '${rules.guidPattern}' then auth_data end),
                                (oauth_object_id), (saml_object_id), (ldap_object_id)) as claim(claimed)
     where claimed is not null),
  claims as (
    select u.id collate "C" as user_id, lower(u.auth_data collate "C") as object_id from users u
     where u.auth_service in ('office365', 'saml') and u.auth_data is not null and u.auth_data <> ''
       and lower(u.auth_data) = any(array(select object_id from theirs)) and u.auth_data ~ '${rules.guidPattern}'
    union all
    select i.user_id collate "C", lower(i.object_id collate "C") from identities i
     where lower(i.object_id collate "C") = any(array(select object_id collate "C" from theirs))),
  duplicate as (select object_id from claims group by object_id having min(user_id) <> max(user_id))
  select o.status, count(*)::int as count from (${classified('select * from sources')}) o group by o.status`;

  return { classifyRange, classifyUsers };
}

/** The report's reads and writes, for these rules. */
export function alignmentStore(rules: AlignmentRulesSql) {
  const sql = statements(rules);

  return {
    /** Every user, in id order, cut into ranges of `size` users (one short query: a few ids per range). */
    async userRanges(db: Database, size: number): Promise<UserRange[]> {
      const { rows } = (await db.raw(
        `select min(id) as lo, max(id) as hi, count(*)::int as count
       from (select id, (row_number() over (order by id) - 1) / ? as k from users) numbered
      group by k order by k`,
        [size],
      )) as { rows: { lo: string; hi: string; count: number }[] };
      return rows.map((row) => ({ lo: row.lo, hi: row.hi, count: Number(row.count) }));
    },

    /** Objectids (lower case) that more than one account claims, through its auth data or any source. */
    async duplicateObjectIds(db: Database): Promise<string[]> {
      const rows = await db.raw(
        // Byte order ("C") for the ids: the same equality for GUIDs, without the locale's cost on 100,000s of values.
        `select object_id from (
       select id collate "C" as user_id, lower(auth_data collate "C") as object_id from users
        where auth_service in ('office365', 'saml') and auth_data ~ ?
       union all
       select user_id collate "C", lower(object_id collate "C") from identities where object_id is not null
     ) claimed
     group by object_id having min(user_id) <> max(user_id)`, // two users or more: no dedup, no sort per group
        [rules.guidPattern],
      );
      return (rows.rows as { object_id: string }[]).map((r) => r.object_id);
    },

    /** Writes the range's report rows; answers how many rows got each status. */
    async classifyRange(db: Database, options: ClassifyRange): Promise<Map<string, number>> {
      const snapshot = options.snapshot;
      if (snapshot !== undefined && !/^[0-9A-F]+(-[0-9A-F]+)+$/i.test(snapshot)) throw new Error('not a snapshot id');
      // In a transaction: to read the snapshot, and to scope the settings below.
      const run = async (trx: Knex.Transaction) => {
        // A utility statement takes no parameters; the id was checked above.
        if (snapshot) await trx.raw(`set transaction snapshot '${snapshot}'`);
        // No nested loops: statistics that lagged a sync's writes made the planner loop over one side once per user
        // of the other (ten times slower). The rows count only once the run is marked completed, by an ordinary commit.
        await tuneForBulk(trx, { nestedLoops: false, asyncCommit: true });
        const result = (await trx.raw(sql.classifyRange, {
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
    },

    /**
     * The alignment statuses of some users by the rules, read in `db` (a sync's transaction, so they see its
     * writes); nothing is written. Answers how many got each status.
     */
    async classifyUsers(db: Database, userIds: string[], facts: AlignmentFacts): Promise<Record<string, number>> {
      if (userIds.length === 0) return {};
      const { rows } = (await db.raw(sql.classifyUsers, {
        user_ids: JSON.stringify(userIds),
        ldap_enabled: facts.ldapEnabled,
        protected_service: facts.protectedService,
        creation_enabled: facts.creationEnabled,
      })) as { rows: { status: string; count: number }[] };
      return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
    },

    /**
     * Exports the snapshot of `holder` (a repeatable-read transaction, tuned for the report's reads) for the ranges
     * to read; it lives as long as that transaction.
     */
    async exportSnapshot(holder: Knex.Transaction): Promise<string> {
      await tuneForBulk(holder);
      const { rows } = (await holder.raw('select pg_export_snapshot() as snapshot')) as { rows: { snapshot: string }[] };
      return rows[0]!.snapshot;
    },
  };
}
