// A fresh PostgreSQL database for one bench run (dropped afterwards), migrated with the service's own migrations,
// and bulk seeding of users, live enrolled mobile sessions and their enrollments.
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { hashToken } from '../../server/util/secret-token.ts';

/** Where the bench creates its databases; the same default as the test suite. */
export function adminDatabaseUrl(): string {
  return process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `mamgate_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = adminDatabaseUrl();
  await withClient(admin, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE template0`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const db = openDatabase({ databaseUrl: url.toString(), dataDir: '/nonexistent-unused' });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  return {
    url: url.toString(),
    name,
    drop: () => withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** Deterministic GUID-shaped object id for seeded user i. */
export function objectIdFor(i: number): string {
  const h = createHash('sha256').update(`bench-user-${i}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface SeedOptions {
  tenantId: string;
  authService: string;
  users: number;
  sessions: number;
  lifetimeMs: number;
}

export interface Seeded {
  /** Bearer tokens of the seeded sessions, in insertion order; each session is live, mobile and enrolled. */
  tokens: string[];
}

const BATCH = 5000;

/**
 * Inserts users and sessions in bulk (unnest arrays, a few thousand rows per statement), each session with a
 * random token stored only as its hash (as the service stores them) and an enrollment for its device.
 */
export async function seedSessions(url: string, options: SeedOptions): Promise<Seeded> {
  const tokens: string[] = [];
  await withClient(url, async (client) => {
    for (let from = 0; from < options.users; from += BATCH) {
      const ids: string[] = [];
      const names: string[] = [];
      const emails: string[] = [];
      const oids: string[] = [];
      for (let i = from; i < Math.min(options.users, from + BATCH); i++) {
        ids.push(`benchuser${String(i).padStart(8, '0')}`);
        names.push(`bench.user${i}`);
        emails.push(`bench.user${i}@example.com`);
        oids.push(objectIdFor(i));
      }
      await client.query(
        `INSERT INTO users (id, username, email, auth_service, auth_data)
         SELECT id, username, email, $5, auth_data FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
           AS t(id, username, email, auth_data)`,
        [ids, names, emails, oids, options.authService],
      );
    }
    const expires = new Date(Date.now() + options.lifetimeMs);
    for (let from = 0; from < options.sessions; from += BATCH) {
      const ids: string[] = [];
      const hashes: string[] = [];
      const users: string[] = [];
      const devices: string[] = [];
      const oids: string[] = [];
      for (let i = from; i < Math.min(options.sessions, from + BATCH); i++) {
        const token = `mgs_${randomBytes(32).toString('base64url')}`;
        tokens.push(token);
        const user = i % options.users;
        ids.push(`benchsession${String(i).padStart(10, '0')}`);
        hashes.push(hashToken(token));
        users.push(`benchuser${String(user).padStart(8, '0')}`);
        devices.push(`bench-device-${i}`);
        oids.push(objectIdFor(user));
      }
      await client.query(
        `INSERT INTO sessions (id, token_hash, user_id, device_id, is_mobile, auth_service, tenant_id, object_id, mam_state, expires_at)
         SELECT id, token_hash, user_id, device_id, true, $6, $7, object_id, 'enrolled', $8
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(id, token_hash, user_id, device_id, object_id)`,
        [ids, hashes, users, devices, oids, options.authService, options.tenantId, expires],
      );
      await client.query(
        `INSERT INTO enrollments (tenant_id, object_id, device_id, state, last_event_id)
         SELECT $3, object_id, device_id, 'enrolled', 'bench-seed' FROM unnest($1::text[], $2::text[]) AS t(object_id, device_id)`,
        [oids, devices, options.tenantId],
      );
    }
    await client.query('ANALYZE users; ANALYZE sessions; ANALYZE enrollments');
  });
  return { tokens };
}

/** One ordinary office365 account for the sign-in scenario. */
export async function insertUser(url: string, user: { id: string; username: string; email: string; authService: string; objectId: string }): Promise<void> {
  await withClient(url, (c) =>
    c.query('INSERT INTO users (id, username, email, auth_service, auth_data) VALUES ($1, $2, $3, $4, $5)', [
      user.id,
      user.username,
      user.email,
      user.authService,
      user.objectId,
    ]),
  );
}

/** Users whose evidence record a Graph check wrote (the re-check scenario: how many were checked). */
export async function countGraphEvidence(url: string): Promise<number> {
  return withClient(url, async (c) => Number((await c.query(`SELECT count(*) AS n FROM user_evidence WHERE source = 'graph'`)).rows[0].n));
}

export async function countRows(url: string, table: 'sessions' | 'users'): Promise<number> {
  return withClient(url, async (c) => Number((await c.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n));
}
