// What every source last saw of the users of an id range, and which objectIds more than one account claims.
import type { Database } from '../../db/connect.ts';
import { GUID_PATTERN } from './alignment-status.ts';

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

export const SOURCES_IN_RANGE = sources('u.id >= :lo and u.id <= :hi', (alias) => `and ${alias}.user_id >= :lo and ${alias}.user_id <= :hi`);

/** The users whose ids are in the JSON array :user_ids (an incremental sync's touched accounts), and their sources. */
// As an array (an InitPlan): each lookup is then an index condition, not a join over the whole identities table.
const USER_IDS = 'any(array(select value from json_array_elements_text(cast(:user_ids as json))))';
export const SOURCES_OF_USERS = sources(`u.id = ${USER_IDS}`, (alias) => `and ${alias}.user_id = ${USER_IDS}`);

/** Objectids (lower case) that more than one account claims, through its auth data or any source. */
export async function duplicateObjectIds(db: Database): Promise<string[]> {
  const rows = await db.raw(
    // Byte order ("C") for the ids: the same equality for GUIDs, without the locale's cost on 100,000s of values.
    `select object_id from (
       select id collate "C" as user_id, lower(auth_data collate "C") as object_id from users
        where auth_service in ('office365', 'saml') and auth_data ~ ?
       union all
       select user_id collate "C", lower(object_id collate "C") from identities where object_id is not null
     ) claimed
     group by object_id having min(user_id) <> max(user_id)`, // two users or more: no dedup, no sort per group
    [GUID_PATTERN],
  );
  return (rows.rows as { object_id: string }[]).map((r) => r.object_id);
}

/**
 * Of the objectIds the users in :user_ids claim, those more than one account claims (the duplicates rule for
 * those users, without reading every claim of every account as duplicateObjectIds does).
 */
export async function duplicateObjectIdsOf(db: Database, userIds: string[]): Promise<string[]> {
  // Index lookups only: the users' own claims by id, then every claim of those objectIds (users_auth_object_id,
  // identities_object_id_lower), so the cost follows the number of users, not the size of the tables.
  const rows = await db.raw(
    `with mine as (select value as id from json_array_elements_text(cast(? as json))),
     theirs as (
       select lower(u.auth_data) as object_id from users u
        where u.id = any(array(select id from mine)) and u.auth_service in ('office365', 'saml') and u.auth_data ~ ?
       union
       -- ASCII GUIDs: lower() is the same in every collation; the default one here, so users_auth_object_id serves below.
       select lower(i.object_id) from identities i where i.user_id = any(array(select id from mine)) and i.object_id is not null),
     claims as (
       select u.id collate "C" as user_id, lower(u.auth_data collate "C") as object_id from users u
        where u.auth_service in ('office365', 'saml') and u.auth_data is not null and u.auth_data <> ''
          and lower(u.auth_data) = any(array(select object_id from theirs)) and u.auth_data ~ ?
       union all
       select i.user_id collate "C", lower(i.object_id collate "C") from identities i
        where lower(i.object_id collate "C") = any(array(select object_id collate "C" from theirs)))
     select object_id from claims group by object_id having min(user_id) <> max(user_id)`,
    [JSON.stringify(userIds), GUID_PATTERN, GUID_PATTERN],
  );
  return (rows.rows as { object_id: string }[]).map((r) => r.object_id);
}
