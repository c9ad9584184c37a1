import type { Knex } from 'knex';

// The audit log filtered by user (the admin pages' user detail and audit filter): an index on the entry's user,
// the same expression as AUDIT_SUBJECT_USER_SQL in server/db/stores/audit-store.ts, with id for newest-first paging.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    "CREATE INDEX audit_log_subject_user ON audit_log ((coalesce(details->>'user_id', case when target like 'user:%' then substr(target, 6) when target like 'chat-user:%' then substr(target, 11) end)), id)",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX audit_log_subject_user');
}
