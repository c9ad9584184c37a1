import type { Knex } from 'knex';

// Entra objectIds are GUIDs, which compare without regard to letter case; mamgate stores them in one canonical
// form (trimmed, lower case) and sign-in compares lower(auth_data). Rows written before in another case (an
// import, a chat-server export) are rewritten here. Nothing is refused and nothing else is changed: auth data that
// is not GUID-shaped (an email, a UPN) is kept as it is, for the identity report to flag as unsupported_attribute.
//
// users_auth_unique is on (auth_service, auth_data): two accounts of one service whose auth data differ only by
// case would collide once both are lower case. Neither of them is rewritten (the rewrite would fail or silently
// pick one owner); the report flags them both as duplicate_object_id and sign-in refuses that objectId until an
// operator keeps it on one account.
const GUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const TRIM = `' ' || chr(9) || chr(10) || chr(13)`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `update users u set auth_data = lower(btrim(u.auth_data, ${TRIM})), updated_at = now()
      where u.auth_service in ('office365', 'saml') and btrim(u.auth_data, ${TRIM}) ~ ?
        and u.auth_data <> lower(btrim(u.auth_data, ${TRIM}))
        and not exists (select 1 from users o where o.auth_service = u.auth_service and o.id <> u.id
                          and lower(btrim(o.auth_data, ${TRIM})) = lower(btrim(u.auth_data, ${TRIM})))`,
    [GUID],
  );
  // identities has no unique index on object_id: every GUID-shaped value is rewritten (raw_value keeps what the
  // source sent).
  await knex.raw(
    `update identities set object_id = lower(btrim(object_id, ${TRIM}))
      where btrim(object_id, ${TRIM}) ~ ? and object_id <> lower(btrim(object_id, ${TRIM}))`,
    [GUID],
  );
  // Sign-in finds an account by lower(auth_data): this index serves it (users_auth_unique serves exact lookups).
  await knex.raw(
    `create index users_auth_object_id on users (auth_service, lower(auth_data)) where auth_data is not null and auth_data <> ''`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists users_auth_object_id');
}
