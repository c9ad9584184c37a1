// Seeding for the scale curve: N users, each with one live enrolled mobile session (and its enrollment), made by
// PostgreSQL itself with generate_series in chunks, so 1,000,000 of each takes seconds rather than shipping a
// million tokens over the wire. Session i's token is derived from i (SQL and `scaleToken` agree), so the runner
// knows the token of any seeded session without keeping a million of them.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { hashToken } from '../../server/util/secret-token.ts';

/** Rows per statement: each chunk is its own short transaction, and progress is logged per chunk. */
const CHUNK = 100_000;

/** The bearer token of seeded session i: `mgs_` and 43 base64url characters, like a real session token. */
export function scaleToken(i: number): string {
  return `mgs_${createHash('sha256').update(`bench-scale-${i}`).digest('base64url')}`;
}

// The same derivation in SQL (base64 → base64url without padding), and the stored hash as hashToken computes it.
const TOKEN_SQL = `'mgs_' || translate(rtrim(encode(sha256(convert_to('bench-scale-' || i, 'UTF8')), 'base64'), '='), '+/', '-_')`;
const HASH_SQL = `encode(sha256(convert_to(${TOKEN_SQL}, 'UTF8')), 'hex')`;

export interface ScaleSeedOptions {
  tenantId: string;
  authService: string;
  /** Users, and live enrolled sessions (one per user). */
  size: number;
  lifetimeMs: number;
  /** Indexes of the sessions whose tokens the caller wants back (e.g. spread over the whole table). */
  sample: number[];
  log?: (line: string) => void;
}

export async function seedScale(url: string, o: ScaleSeedOptions): Promise<{ tokens: string[] }> {
  const client = new pg.Client({ connectionString: url });
  // A second connection writes the enrollments while the first writes the sessions (both need only the users).
  const second = new pg.Client({ connectionString: url });
  await client.connect();
  await second.connect();
  try {
    const expires = new Date(Date.now() + o.lifetimeMs);
    const started = Date.now();
    for (let from = 0; from < o.size; from += CHUNK) {
      const to = Math.min(o.size, from + CHUNK) - 1;
      // md5(...)::uuid gives each user a distinct GUID-shaped Entra objectId.
      await client.query(
        `INSERT INTO users (id, username, email, auth_service, auth_data)
         SELECT 'scaleuser' || lpad(i::text, 8, '0'), 'scale.user' || i, 'scale.user' || i || '@example.com', $3,
                md5('bench-scale-user-' || i)::uuid::text
           FROM generate_series($1::int, $2::int) AS i`,
        [from, to, o.authService],
      );
      const sessions = client.query(
        `INSERT INTO sessions (id, token_hash, user_id, device_id, is_mobile, auth_service, tenant_id, object_id, mam_state, expires_at)
         SELECT 'scalesession' || lpad(i::text, 10, '0'), ${HASH_SQL}, 'scaleuser' || lpad(i::text, 8, '0'),
                'scale-device-' || i, true, $3, $4, md5('bench-scale-user-' || i)::uuid::text, 'enrolled', $5
           FROM generate_series($1::int, $2::int) AS i`,
        [from, to, o.authService, o.tenantId, expires],
      );
      const enrollments = second.query(
        `INSERT INTO enrollments (tenant_id, object_id, device_id, state, last_event_id)
         SELECT $3, md5('bench-scale-user-' || i)::uuid::text, 'scale-device-' || i, 'enrolled', 'bench-seed'
           FROM generate_series($1::int, $2::int) AS i`,
        [from, to, o.tenantId],
      );
      await Promise.all([sessions, enrollments]);
      if (o.size > CHUNK) o.log?.(`  seeded ${(to + 1).toLocaleString('en')} / ${o.size.toLocaleString('en')} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
    // VACUUM sets the visibility map and statistics now, so autovacuum does not wake up on these tables during the
    // measured runs; CHECKPOINT writes the seeding's WAL out now rather than in the middle of a measurement.
    await client.query('VACUUM (ANALYZE) users, sessions, enrollments');
    await client.query('CHECKPOINT').catch(() => undefined); // needs superuser or pg_checkpoint: best effort
    const tokens = o.sample.map(scaleToken);
    // The SQL derivation must match scaleToken and hashToken, or every gate request would be refused.
    const check = await client.query('SELECT token_hash FROM sessions WHERE id = $1', [`scalesession${String(o.sample[0] ?? 0).padStart(10, '0')}`]);
    if (check.rows[0]?.token_hash !== hashToken(scaleToken(o.sample[0] ?? 0))) throw new Error('seeded token hashes do not match scaleToken()');
    return { tokens };
  } finally {
    await Promise.allSettled([client.end(), second.end()]);
  }
}
