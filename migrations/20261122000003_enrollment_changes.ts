import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Enrollment is per (tenant, objectId, device): another server or session of the same user on the same device
  // reuses it, as the mobile client's multi-server enrollment does.
  await knex.schema.createTable('enrollments', (t) => {
    t.text('tenant_id').notNullable();
    t.text('object_id').notNullable();
    t.text('device_id').notNullable();
    t.text('state').notNullable(); // enrolled | declined | failed
    t.text('last_event_id').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'object_id', 'device_id']);
  });

  await knex.schema.createTable('enrollment_events', (t) => {
    t.bigIncrements('id').primary();
    t.text('event_id').notNullable();
    t.text('session_id').notNullable().references('id').inTable('sessions').onDelete('CASCADE');
    t.text('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('tenant_id');
    t.text('device_id');
    t.text('status').notNullable(); // enrolled | declined | failed
    t.text('error_code');
    t.text('error_message');
    t.text('cause').notNullable();
    t.jsonb('answer').notNullable();
    t.text('request_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['session_id', 'event_id']);
    t.index(['user_id', 'created_at']);
    t.index(['status', 'created_at']);
    t.index(['cause', 'created_at']);
    t.index(['created_at']);
  });

  // Every change another node must hear about (settings, license, a session's state). Nodes LISTEN for a wake-up
  // and read what follows the last sequence number they saw; polling the same table covers a missed notification.
  await knex.schema.createTable('changes', (t) => {
    t.bigIncrements('seq').primary();
    t.text('kind').notNullable(); // settings | license | session
    t.text('ref');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.alterTable('sessions', (t) => {
    t.index(['revoked_at', 'expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sessions', (t) => {
    t.dropIndex(['revoked_at', 'expires_at']);
  });
  await knex.schema.dropTable('changes');
  await knex.schema.dropTable('enrollment_events');
  await knex.schema.dropTable('enrollments');
}
