import type { Knex } from 'knex';

// Incremental LDAP syncs: each run says whether it read the whole directory (full) or only what changed since the
// watermark (incremental), why a sync asked to be incremental read everything instead, the watermark it leaves for
// the next one (the directory's change mark and the server it belongs to), how many entries it wrote, and the
// alignment statuses of the users it touched. directory_entries keeps whether an entry matched its account by email,
// so an incremental sync can choose a touched user's identity among entries it did not read again.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('ldap_sync_runs', (t) => {
    t.text('kind').notNullable().defaultTo('full'); // full | incremental
    t.text('fallback_reason');
    t.jsonb('watermark');
    t.integer('changed').notNullable().defaultTo(0);
    t.integer('affected_users').notNullable().defaultTo(0);
    t.jsonb('reclassified');
  });
  await knex.schema.alterTable('directory_entries', (t) => {
    t.boolean('by_email').notNullable().defaultTo(false);
  });
  // Who else claims an objectId, for the accounts an incremental sync classifies again (duplicateObjectIdsOf).
  await knex.raw('create index identities_object_id_lower on identities (lower(object_id collate "C")) where object_id is not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists identities_object_id_lower');
  await knex.schema.alterTable('directory_entries', (t) => {
    t.dropColumn('by_email');
  });
  await knex.schema.alterTable('ldap_sync_runs', (t) => {
    for (const column of ['kind', 'fallback_reason', 'watermark', 'changed', 'affected_users', 'reclassified']) t.dropColumn(column);
  });
}
