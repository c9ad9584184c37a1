import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('settings_versions', (t) => {
    t.increments('version').primary();
    t.jsonb('settings').notNullable();
    t.text('saved_by').notNullable();
    t.text('request_id');
    t.timestamp('saved_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('license_versions', (t) => {
    t.increments('version').primary();
    // null: no license (a valid state: the Intune feature is then off for clients).
    t.jsonb('license');
    t.text('saved_by').notNullable();
    t.text('request_id');
    t.timestamp('saved_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('admin_tokens', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    t.text('token_hash').notNullable().unique();
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
  });
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id').primary();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('request_id');
    t.text('actor').notNullable();
    t.text('action').notNullable();
    t.text('target');
    t.text('outcome').notNullable();
    t.jsonb('details').notNullable().defaultTo('{}');
    t.index(['at']);
    t.index(['action', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_log');
  await knex.schema.dropTable('admin_tokens');
  await knex.schema.dropTable('license_versions');
  await knex.schema.dropTable('settings_versions');
}
