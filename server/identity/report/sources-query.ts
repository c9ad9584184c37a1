// Reads users with what every source last saw of them, a page at a time in user-id order (keyset paging), so the
// report's memory does not grow with the number of users.
import type { Database } from '../../db/connect.ts';
import type { AccountSources } from '../../db/stores/report-store.ts';

export interface UserWithSources extends AccountSources {
  id: string;
  ldap_raw_value: string | null;
  in_directory: boolean;
}

// The page's sources are read by user-id range [lo, hi]: every join is then a merge over one short index range.
// Joined by keyset alone, the planner merges from the start of identities and scans directory_entries whole on
// every page, so each page costs more than the last (quadratic over a report).
const SOURCES_IN_RANGE = `select u.id, u.username, u.email, u.auth_service, u.auth_data,
    o.object_id as oauth_object_id, o.seen_at as oauth_seen_at,
    s.object_id as saml_object_id, s.seen_at as saml_seen_at,
    l.object_id as ldap_object_id, l.raw_value as ldap_raw_value,
    -- A sync rewrites only the LDAP identities that changed: every one present was seen by the last good sync.
    case when l.user_id is not null then greatest(l.seen_at, last_sync.at) end as ldap_seen_at,
    d.user_id is not null as in_directory
  from users u
  cross join (select max(finished_at) as at from ldap_sync_runs where status = 'succeeded') last_sync
  left join identities o on o.user_id = u.id and o.source = 'oauth' and o.user_id >= :lo and o.user_id <= :hi
  left join identities s on s.user_id = u.id and s.source = 'saml' and s.user_id >= :lo and s.user_id <= :hi
  left join identities l on l.user_id = u.id and l.source = 'ldap' and l.user_id >= :lo and l.user_id <= :hi
  left join (select distinct user_id from directory_entries where user_id >= :lo and user_id <= :hi) d on d.user_id = u.id
  where u.id >= :lo and u.id <= :hi
  order by u.id`;

export async function usersWithSources(db: Database, afterId: string | null, limit: number): Promise<UserWithSources[]> {
  // The first and last id of the page (the first page has no lower bound, so every id — even '' — is read once).
  const bound = (await db.raw(
    'select min(id) as lo, max(id) as hi from (select id from users where (cast(? as text) is null or id > ?) order by id limit ?) page',
    [afterId, afterId, limit],
  )) as { rows: { lo: string | null; hi: string | null }[] };
  const { lo, hi } = bound.rows[0] ?? { lo: null, hi: null };
  if (lo === null || hi === null) return [];
  return ((await db.raw(SOURCES_IN_RANGE, { lo, hi })) as { rows: UserWithSources[] }).rows;
}

const GUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** Objectids (lower case) that more than one account claims, through its auth data or any source. */
export async function duplicateObjectIds(db: Database): Promise<Set<string>> {
  const rows = await db.raw(
    `select object_id from (
       select id as user_id, lower(auth_data) as object_id from users
        where auth_service in ('office365', 'saml') and auth_data ~ ?
       union all
       select user_id, lower(object_id) from identities where object_id is not null
     ) claimed
     group by object_id having min(user_id) <> max(user_id)`, // two users or more: no dedup, no sort per group
    [GUID_PATTERN],
  );
  return new Set((rows.rows as { object_id: string }[]).map((r) => r.object_id));
}
