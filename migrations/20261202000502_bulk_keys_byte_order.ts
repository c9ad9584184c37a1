import type { Knex } from 'knex';

// The keys that bulk work sorts, hashes and indexes by the 100,000 compare in byte order (collation "C"): under
// the database's default locale every comparison goes through strcoll, which doubled the cost of writing a
// report's rows. Equality is the same under both (both are deterministic), so no key changes meaning.
// A report's rows lose their foreign key to the run: the check was a lookup per row (a third of the time the rows
// took to write). Rows are only ever written by their run's job, in statements that check the run exists, and
// nothing deletes runs.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table directory_entries alter column dn type text collate "C"');
  await knex.raw('alter table report_rows drop constraint report_rows_run_id_foreign');
  await knex.raw('alter table report_rows alter column run_id type text collate "C", alter column status type text collate "C"');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table report_rows alter column run_id type text collate "default", alter column status type text collate "default"');
  await knex.raw('delete from report_rows r where not exists (select 1 from report_runs u where u.id = r.run_id)');
  await knex.raw('alter table report_rows add constraint report_rows_run_id_foreign foreign key (run_id) references report_runs (id) on delete cascade');
  await knex.raw('alter table directory_entries alter column dn type text collate "default"');
}
