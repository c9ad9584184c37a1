// Migration 20261206000101: objectIds written in another letter case before mamgate canonicalised them are
// rewritten lower case; nothing else is touched, and two accounts differing only by case are left for the report.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Database, openDatabase } from '../../server/db/connect.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import * as migration from '../../migrations/20261206000101_canonical_object_ids.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';

let database: TestDatabase;
let db: Database;

before(async () => {
  database = await createTestDatabase();
  db = openDatabase({ databaseUrl: database.url, dataDir: '/nonexistent' });
  await migrateToLatest(db);
});
after(async () => {
  await db.destroy();
  await database.drop();
});

const GUID = '5F1B2C3D-4E5F-4A6B-8C7D-00000000000A';
const TWIN = 'ABCDEF01-2222-4333-8444-555555555555';

test('GUID-shaped auth data and identities are lower-cased; other values and case duplicates stay as they are', async () => {
  await migration.down(db); // back to the rows as an older mamgate left them
  const user = (id: string, auth_service: string, auth_data: string | null) =>
    ({ id, username: id, email: `${id}@example.com`, auth_service, auth_data });
  await db('users').insert([
    user('upper', 'office365', ` ${GUID} `),
    user('samlupper', 'saml', GUID.replace('0000', 'AAAA')),
    user('byemail', 'office365', 'Dave@Example.com'),
    user('gitlab', 'gitlab', GUID),
    user('twin1', 'office365', TWIN),
    user('twin2', 'office365', TWIN.toLowerCase()),
    user('twin3', 'saml', TWIN),
  ]);
  // twin2 holds TWIN in lower case: with twin1 it differs only by case (twin3 is another auth service: no clash).
  await db('identities').insert([
    { user_id: 'upper', source: 'ldap', object_id: GUID, raw_value: GUID, attribute: 'msDS-aadObjectId' },
    { user_id: 'byemail', source: 'saml', object_id: 'not-a-guid', raw_value: 'not-a-guid', attribute: 'objectidentifier' },
  ]);
  await migration.up(db);
  const auth = Object.fromEntries((await db('users').select('id', 'auth_data')).map((r) => [r.id, r.auth_data]));
  assert.equal(auth.upper, GUID.toLowerCase(), 'trimmed and lower-cased');
  assert.equal(auth.samlupper, GUID.replace('0000', 'AAAA').toLowerCase());
  assert.equal(auth.byemail, 'Dave@Example.com', 'not a GUID: kept, for the report to flag');
  assert.equal(auth.gitlab, GUID, 'not an Entra account: kept');
  assert.equal(auth.twin1, TWIN, 'a case duplicate: neither rewritten (users_auth_unique would refuse it)');
  assert.equal(auth.twin2, TWIN.toLowerCase());
  assert.equal(auth.twin3, TWIN.toLowerCase(), 'the saml account has no twin among saml accounts');
  const ids = Object.fromEntries((await db('identities').select('user_id', 'object_id', 'raw_value')).map((r) => [r.user_id, r]));
  assert.equal(ids.upper.object_id, GUID.toLowerCase());
  assert.equal(ids.upper.raw_value, GUID, 'the value as the source sent it is kept');
  assert.equal(ids.byemail.object_id, 'not-a-guid');
});
