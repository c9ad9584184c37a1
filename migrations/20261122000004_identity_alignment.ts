import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One row per LDAP sync: a failed sync keeps the last good data and says why here.
  await knex.schema.createTable('ldap_sync_runs', (t) => {
    t.bigIncrements('id').primary();
    t.text('status').notNullable(); // running | succeeded | failed
    t.text('trigger').notNullable(); // manual | schedule
    t.text('requested_by').notNullable();
    t.integer('entries').notNullable().defaultTo(0);
    t.integer('matched').notNullable().defaultTo(0);
    t.integer('without_id').notNullable().defaultTo(0);
    t.text('error_id');
    t.text('error');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.index(['status', 'id']);
  });

  // The directory as of the last good sync: every entry, matched to an account or not.
  await knex.schema.createTable('directory_entries', (t) => {
    t.text('dn').primary();
    t.text('user_id').references('id').inTable('users').onDelete('SET NULL');
    t.text('email');
    t.text('username');
    t.text('object_id'); // normalised lower-case GUID, or null
    t.text('raw_value'); // as read (string, or hex of the bytes)
    t.bigInteger('sync_run_id').notNullable();
    t.index(['user_id']);
    t.index(['object_id']);
  });

  // SAML AuthnRequests started here, for InResponseTo checks shared by every node.
  await knex.schema.createTable('saml_requests', (t) => {
    t.text('id').primary();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('report_runs', (t) => {
    t.text('id').primary();
    t.text('kind').notNullable(); // identity-alignment
    t.text('status').notNullable(); // queued | running | completed | failed | cancelled
    t.integer('total').notNullable().defaultTo(0);
    t.integer('processed').notNullable().defaultTo(0);
    t.jsonb('summary').notNullable().defaultTo('{}');
    t.text('requested_by').notNullable();
    t.text('error');
    t.boolean('cancel_requested').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true });
  });

  await knex.schema.createTable('report_rows', (t) => {
    t.text('run_id').notNullable().references('id').inTable('report_runs').onDelete('CASCADE');
    t.integer('seq').notNullable();
    t.text('user_id').notNullable();
    t.text('username').notNullable();
    t.text('email').notNullable();
    t.text('auth_service').notNullable();
    t.text('auth_data');
    t.text('oauth_object_id');
    t.timestamp('oauth_seen_at', { useTz: true });
    t.text('saml_object_id');
    t.timestamp('saml_seen_at', { useTz: true });
    t.text('ldap_object_id');
    t.timestamp('ldap_seen_at', { useTz: true });
    t.text('status').notNullable();
    t.text('error_id');
    t.text('mam_error');
    t.text('next_step').notNullable();
    t.primary(['run_id', 'seq']);
    t.index(['run_id', 'status', 'seq']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('report_rows');
  await knex.schema.dropTable('report_runs');
  await knex.schema.dropTable('saml_requests');
  await knex.schema.dropTable('directory_entries');
  await knex.schema.dropTable('ldap_sync_runs');
}
