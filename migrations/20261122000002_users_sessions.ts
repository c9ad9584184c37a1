import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The chat-server accounts this service knows, with Mattermost's field names.
  await knex.schema.createTable('users', (t) => {
    t.text('id').primary();
    t.text('username').notNullable().unique();
    t.text('email').notNullable();
    t.text('auth_service').notNullable().defaultTo('');
    t.text('auth_data');
    t.text('first_name').notNullable().defaultTo('');
    t.text('last_name').notNullable().defaultTo('');
    t.boolean('is_bot').notNullable().defaultTo(false);
    t.timestamp('deleted_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('CREATE UNIQUE INDEX users_email_lower_unique ON users (lower(email))');
  // One account per (auth service, auth data): the sign-in's lookup and the guard against duplicate creation.
  await knex.raw(
    "CREATE UNIQUE INDEX users_auth_unique ON users (auth_service, auth_data) WHERE auth_data IS NOT NULL AND auth_data <> ''",
  );

  // The Entra objectId of a user as each source last saw it, scoped by tenant.
  await knex.schema.createTable('identities', (t) => {
    t.bigIncrements('id').primary();
    t.text('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('source').notNullable(); // oauth | saml | ldap
    t.text('tenant_id').notNullable().defaultTo('');
    t.text('object_id');
    t.text('raw_value');
    t.text('attribute').notNullable();
    t.timestamp('seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['user_id', 'source']);
    t.index(['tenant_id', 'object_id']);
  });

  await knex.schema.createTable('sessions', (t) => {
    t.text('id').primary();
    t.text('token_hash').notNullable().unique();
    t.text('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('device_id');
    t.text('voip_device_id');
    t.boolean('is_mobile').notNullable().defaultTo(false);
    t.text('auth_service').notNullable().defaultTo('');
    t.text('tenant_id');
    t.text('object_id');
    t.text('mam_state').notNullable(); // not_required | pending | enrolled | declined | failed
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true });
    t.text('revoked_reason');
    t.index(['user_id']);
    t.index(['user_id', 'device_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sessions');
  await knex.schema.dropTable('identities');
  await knex.schema.dropTable('users');
}
