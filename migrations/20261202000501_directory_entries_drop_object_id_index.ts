import type { Knex } from 'knex';

// Nothing looks directory entries up by object_id (the report and the duplicate check read identities), and every
// sync rewrites the whole table: the index only cost each sync one more btree insert per entry.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('directory_entries', (t) => {
    t.dropIndex(['object_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('directory_entries', (t) => {
    t.index(['object_id']);
  });
}
