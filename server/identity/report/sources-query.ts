// Reads users with what every source last saw of them, a page at a time in user-id order (keyset paging), so the
// report's memory does not grow with the number of users.
import type { Database } from '../../db/connect.ts';
import type { AccountSources } from '../../db/stores/report-store.ts';

export interface UserWithSources extends AccountSources {
  id: string;
  ldap_raw_value: string | null;
  in_directory: boolean;
}

export function usersWithSources(db: Database, afterId: string | null, limit: number): Promise<UserWithSources[]> {
  const query = db('users as u')
    .leftJoin('identities as o', function () {
      this.on('o.user_id', 'u.id').andOnVal('o.source', 'oauth');
    })
    .leftJoin('identities as s', function () {
      this.on('s.user_id', 'u.id').andOnVal('s.source', 'saml');
    })
    .leftJoin('identities as l', function () {
      this.on('l.user_id', 'u.id').andOnVal('l.source', 'ldap');
    })
    .select(
      'u.id',
      'u.username',
      'u.email',
      'u.auth_service',
      'u.auth_data',
      'o.object_id as oauth_object_id',
      'o.seen_at as oauth_seen_at',
      's.object_id as saml_object_id',
      's.seen_at as saml_seen_at',
      'l.object_id as ldap_object_id',
      'l.raw_value as ldap_raw_value',
      'l.seen_at as ldap_seen_at',
      db.raw('exists (select 1 from directory_entries d where d.user_id = u.id) as in_directory'),
    )
    .orderBy('u.id')
    .limit(limit);
  if (afterId !== null) query.where('u.id', '>', afterId);
  return query;
}

const GUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** Objectids (lower case) that more than one account claims, through its auth data or any source. */
export async function duplicateObjectIds(db: Database): Promise<Set<string>> {
  const rows = await db.raw(
    `select object_id from (
       select id as user_id, lower(auth_data) as object_id from users
        where auth_service in ('office365', 'saml') and auth_data ~ ?
       union
       select user_id, lower(object_id) from identities where object_id is not null
     ) claimed
     group by object_id having count(distinct user_id) > 1`,
    [GUID_PATTERN],
  );
  return new Set((rows.rows as { object_id: string }[]).map((r) => r.object_id));
}
