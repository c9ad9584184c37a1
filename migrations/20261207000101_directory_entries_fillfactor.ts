import type { Knex } from 'knex';

// An incremental sync updates the few entries that changed, nearly always in columns no index holds (the id
// attribute's value, the email): with room left on each page the update stays on its page (a HOT update) and
// neither index of the table is written. At the default fillfactor (100) every page a full pass writes is full.
// Pages already written keep no room until a full pass rewrites their entries.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table directory_entries set (fillfactor = 85)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table directory_entries reset (fillfactor)');
}
