import type { Knex } from 'knex';

// The sign-in budgets shared by every node: attempts per budget key (scope and address or tenant) per one-minute
// window. Each node adds its attempts in batches (one upsert per sync) and reads the totals back from the same
// statement; rows older than the previous window are purged.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('login_attempt_windows', (t) => {
    t.text('key').notNullable();
    t.bigInteger('window_start').notNullable(); // milliseconds since the epoch, a multiple of the window
    t.integer('count').notNullable();
    t.primary(['key', 'window_start']);
    t.index(['window_start']); // the purge
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('login_attempt_windows');
}
