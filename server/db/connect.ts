// One knex instance on PostgreSQL (DATABASE_URL) or on the embedded PGlite in the data directory.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// pg answers int8 (COUNT, bigserial) as strings, PGlite as numbers: make both numbers.
pg.types.setTypeParser(20, (value) => Number(value));

export type Database = Knex;
/** A database transaction (commit or rollback are its owner's). */
export type Transaction = Knex.Transaction;

export interface DatabaseTarget {
  databaseUrl?: string;
  dataDir: string;
}

export function describeTarget(target: DatabaseTarget): string {
  if (!target.databaseUrl) return `embedded PGlite in ${pglitePath(target.dataDir)}`;
  const url = new URL(target.databaseUrl);
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
}

export function pglitePath(dataDir: string): string {
  return path.join(dataDir, 'pglite');
}

/** Where knex's own warnings go (pool errors while the database is away): the service's logger, not the console. */
export interface DatabaseLog {
  warn(message: string): void;
  error(message: string): void;
}

function knexLog(log: DatabaseLog | undefined) {
  if (!log) return undefined;
  const text = (message: unknown) => (message instanceof Error ? message.message : String(message));
  return {
    warn: (m: unknown) => log.warn(text(m)),
    error: (m: unknown) => log.error(text(m)),
    deprecate: (m: unknown) => log.warn(text(m)),
    debug: () => undefined,
  };
}

export function openDatabase(target: DatabaseTarget, log?: DatabaseLog): Database {
  if (target.databaseUrl) {
    return knexFactory({
      log: knexLog(log),
      client: 'pg',
      connection: target.databaseUrl,
      pool: { min: 0, max: 10, acquireTimeoutMillis: 5000 },
      acquireConnectionTimeout: 5000,
    });
  }
  mkdirSync(target.dataDir, { recursive: true, mode: 0o700 });
  // Loaded only when the service runs on it: on PostgreSQL the embedded build would cost ~18 MB of memory.
  const ClientPgLite = createRequire(import.meta.url)('knex-pglite') as typeof import('knex-pglite');
  return knexFactory({
    log: knexLog(log),
    client: ClientPgLite as unknown as typeof Knex.Client,
    dialect: 'postgres',
    connection: { filename: pglitePath(target.dataDir) },
    useNullAsDefault: false,
  });
}

/** True on PostgreSQL (several connections), false on the embedded PGlite (one). */
export function runsOnPostgres(db: Database): boolean {
  return db.client.config.client === 'pg';
}

/** True when the database answers a trivial query. */
export async function databaseReachable(db: Database): Promise<boolean> {
  try {
    await db.raw('select 1');
    return true;
  } catch {
    return false;
  }
}
