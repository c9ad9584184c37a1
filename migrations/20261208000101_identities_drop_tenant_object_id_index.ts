import type { Knex } from 'knex';

// No query looks identities up by (tenant_id, object_id): the report and the duplicate check find objectIds through
// identities_object_id_lower, sign-in and the syncs by (user_id, source). Every identity whose objectId changes (an
// incremental sync's 1% of a directory, a sign-in that sees a new oid) wrote this index too.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('identities', (t) => {
    t.dropIndex(['tenant_id', 'object_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('identities', (t) => {
    t.index(['tenant_id', 'object_id']);
  });
}
