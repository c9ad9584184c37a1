import type { Knex } from 'knex';

// One live session per (user, device), held by the database instead of an advisory lock, so a sign-in on a new
// device takes no lock. Older duplicates (none should exist: the lock kept them out) are ended first, with a
// change record each so running nodes drop them from their caches.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    with duplicates as (
      update sessions s set revoked_at = now(), revoked_reason = 'replaced_by_new_session_on_device'
       where s.revoked_at is null and s.device_id is not null
         and exists (select 1 from sessions n
                      where n.user_id = s.user_id and n.device_id = s.device_id and n.revoked_at is null
                        and (n.created_at, n.id) > (s.created_at, s.id))
      returning s.id
    )
    insert into changes (kind, ref) select 'session', id from duplicates`);
  await knex.raw(
    'CREATE UNIQUE INDEX sessions_one_live_per_device ON sessions (user_id, device_id) WHERE revoked_at IS NULL AND device_id IS NOT NULL',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS sessions_one_live_per_device');
}
