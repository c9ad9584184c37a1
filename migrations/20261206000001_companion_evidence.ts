import type { Knex } from 'knex';

// Companion mode: the chat server's users are gated by evidence per user (not per mamgate session), and the
// sessions mamgate must end on the chat server wait in a table until the chat server confirms, so a restart or
// an outage of the chat server never drops one.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('user_evidence', (t) => {
    t.text('user_id').primary(); // the chat server's user id
    t.text('state').notNullable(); // pending | enrolled | declined | failed
    t.text('source').notNullable(); // client_report | graph
    t.jsonb('details').notNullable().defaultTo('{}');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['updated_at', 'user_id']); // the admin page's newest-first pages
  });
  // A chat user's enrollment reports, idempotent on (user, event_id) like the standalone reports per session.
  await knex.schema.createTable('user_evidence_events', (t) => {
    t.bigIncrements('id').primary();
    t.text('user_id').notNullable();
    t.text('event_id').notNullable();
    t.text('status').notNullable();
    t.text('error_code');
    t.text('cause').notNullable();
    t.jsonb('answer').notNullable();
    t.text('request_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['user_id', 'event_id']);
    t.index(['cause', 'created_at']);
  });
  await knex.schema.createTable('chat_revocations', (t) => {
    t.bigIncrements('id').primary();
    t.text('user_id').notNullable();
    t.text('reason').notNullable();
    t.text('request_id');
    t.timestamp('requested_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('last_error');
    t.integer('sessions_ended');
    t.timestamp('done_at', { useTz: true });
  });
  await knex.raw('CREATE INDEX chat_revocations_due ON chat_revocations (next_attempt_at) WHERE done_at IS NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('chat_revocations');
  await knex.schema.dropTable('user_evidence_events');
  await knex.schema.dropTable('user_evidence');
}
