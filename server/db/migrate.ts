// Migrations live in migrations/ as TypeScript modules; knex is given them through a source of our own because
// its CLI cannot load TypeScript here (stack-notes).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { INSTALL_ROOT } from '../install-root.ts';
import type { Database } from './connect.ts';

const MIGRATIONS_DIR = path.join(INSTALL_ROOT, 'migrations');

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

function migrationNames(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d+_[\w-]+\.ts$/.test(f))
    .sort();
}

const source: Knex.MigrationSource<string> = {
  getMigrations: async () => migrationNames(),
  getMigrationName: (name) => name,
  // A path pattern relative to this file, not a computed path: the service's build (scripts/server-build.mjs)
  // then bundles every migration, and the sources import them as they are.
  getMigration: async (name) => (await import(`../../migrations/${name}`)) as MigrationModule,
};

export async function migrateToLatest(db: Database): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource: source })) as [number, string[]];
  return applied;
}

/** Migrations present in migrations/ that the database has not applied yet. */
export async function pendingMigrations(db: Database): Promise<string[]> {
  const exists = await db.schema.hasTable('knex_migrations');
  if (!exists) return migrationNames();
  const done = new Set((await db('knex_migrations').select('name')).map((r: { name: string }) => r.name));
  return migrationNames().filter((name) => !done.has(name));
}
