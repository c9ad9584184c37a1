// The identity-report population: N office365 accounts (seeded by seedSessions, auth data = objectIdFor(i)), their
// OAuth and SAML identities, and N LDAP entries, shaped so that every report status occurs. The share of each
// kind is fixed by i % 100, so the 10k and 100k populations have the same mix.
import pg from 'pg';
import { personEntry } from '../../test/support/slapd.ts';
import { objectIdFor } from './database.ts';

/** What user i looks like in the sources, by i % 100. */
export type UserKind = 'aligned' | 'aligned-oauth-only' | 'aligned-by-username' | 'saml-mismatch' | 'ldap-without-id' | 'not-in-directory' | 'ldap-not-a-guid' | 'ldap-duplicate';

export function kindOf(i: number): UserKind {
  const k = i % 100;
  if (k < 76) return 'aligned';
  if (k < 80) return 'aligned-by-username';
  if (k < 85) return 'saml-mismatch';
  if (k < 90) return 'ldap-without-id';
  if (k < 93) return 'not-in-directory';
  if (k < 95) return 'ldap-not-a-guid';
  if (k < 96) return 'ldap-duplicate';
  return 'aligned-oauth-only';
}

/** A GUID that belongs to nobody else (the SAML value of a mismatch). */
function otherGuid(i: number): string {
  return objectIdFor(i + 1_000_000_000);
}

function userId(i: number): string {
  return `benchuser${String(i).padStart(8, '0')}`;
}

/**
 * OAuth identities for every user (the oid of a sign-in, which is the account's auth data), SAML identities for
 * the users whose kind has one (a different GUID for the mismatches).
 */
export async function seedIdentities(url: string, users: number, tenantId: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const BATCH = 10_000;
    for (let from = 0; from < users; from += BATCH) {
      const ids: string[] = [];
      const sources: string[] = [];
      const values: string[] = [];
      for (let i = from; i < Math.min(users, from + BATCH); i++) {
        const kind = kindOf(i);
        ids.push(userId(i));
        sources.push('oauth');
        values.push(objectIdFor(i));
        if (kind === 'aligned-oauth-only' || kind === 'ldap-without-id') continue;
        ids.push(userId(i));
        sources.push('saml');
        values.push(kind === 'saml-mismatch' ? otherGuid(i) : objectIdFor(i));
      }
      await client.query(
        `INSERT INTO identities (user_id, source, tenant_id, object_id, raw_value, attribute)
         SELECT user_id, source, $4, object_id, object_id, CASE source WHEN 'oauth' THEN 'oid' ELSE 'objectidentifier' END
           FROM unnest($1::text[], $2::text[], $3::text[]) AS t(user_id, source, object_id)`,
        [ids, sources, values, tenantId],
      );
    }
    await client.query('ANALYZE identities');
  } finally {
    await client.end();
  }
}

/**
 * N LDAP entries: one per user in the directory (some in upper case, some found by uid only, some without
 * msDS-aadObjectId, some with a non-GUID value or another user's id), plus orphan entries matching no account in
 * place of the users left out, so the directory holds exactly N entries.
 */
export function* directoryEntries(users: number): Generator<string> {
  for (let i = 0; i < users; i++) {
    const kind = kindOf(i);
    const uid = `bench.user${i}`;
    const mail = `bench.user${i}@example.com`;
    const id = objectIdFor(i);
    switch (kind) {
      case 'not-in-directory':
        yield personEntry({ uid: `orphan${i}`, mail: `orphan${i}@elsewhere.example`, aadObjectId: otherGuid(i) });
        break;
      case 'aligned-by-username':
        yield personEntry({ uid, aadObjectId: id });
        break;
      case 'ldap-without-id':
        yield personEntry({ uid, mail });
        break;
      case 'ldap-not-a-guid':
        yield personEntry({ uid, mail, aadObjectId: mail });
        break;
      case 'ldap-duplicate':
        yield personEntry({ uid, mail, aadObjectId: objectIdFor(i - 1) });
        break;
      default:
        yield personEntry({ uid, mail, aadObjectId: i % 7 === 0 ? id.toUpperCase() : id });
    }
  }
}
