// The real `mamgate` command on PostgreSQL with no service running: it opens the database itself.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { authenticateAdmin } from '../../server/admin/tokens.ts';
import { type Database, openDatabase } from '../../server/db/connect.ts';
import { currentSettings } from '../../server/settings/service.ts';
import { cliEnv, lastLine, runCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';

const TENANT = '12345678-1234-1234-1234-123456789012';
const CLIENT = '87654321-4321-4321-4321-210987654321';

describe('CLI on PostgreSQL without a running service', { timeout: 300_000 }, () => {
  let database: TestDatabase;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let db: Database;
  before(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync('/tmp/mgc-');
    env = cliEnv({ DATABASE_URL: database.url, MAMGATE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    db = openDatabase({ databaseUrl: database.url, dataDir });
  });
  after(async () => {
    await db.destroy();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => runCli(args, env);

  test('migrate applies the migrations, then says the database is up to date', async () => {
    const first = await cli('migrate');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^applied: \d+_/);
    const second = await cli('migrate');
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout.trim(), 'database is up to date');
  });

  test('admin token create / list / revoke', async () => {
    const created = await cli('admin', 'token', 'create', '--name', 'ci');
    assert.equal(created.code, 0, created.stderr);
    const token = lastLine(created.stdout);
    assert.match(token, /^mga_\S{20,}$/);
    const admin = await authenticateAdmin(db, token);
    assert.equal(admin.name, 'ci');

    const listed = await cli('admin', 'token', 'list');
    assert.equal(listed.code, 0, listed.stderr);
    const tokens = JSON.parse(listed.stdout) as { id: string; name: string; created_by: string; revoked_at: string | null }[];
    const entry = tokens.find((t) => t.id === admin.tokenId);
    assert.ok(entry);
    assert.equal(entry.name, 'ci');
    assert.match(entry.created_by, /^cli:/);
    assert.equal(entry.revoked_at, null);
    assert.ok(!listed.stdout.includes(token), 'list never shows the token');
    assert.ok(!listed.stdout.includes('token_hash'));

    // Token ids are base64url and may start with "-", which the argument parser takes for an option: "--" ends options.
    const idArgs = admin.tokenId.startsWith('-') ? ['--', admin.tokenId] : [admin.tokenId];
    const revoked = await cli('admin', 'token', 'revoke', ...idArgs);
    assert.equal(revoked.code, 0, revoked.stderr);
    await assert.rejects(authenticateAdmin(db, token), { id: 'mamgate.admin.unauthorized.app_error' });
    const relisted = JSON.parse((await cli('admin', 'token', 'list')).stdout) as { id: string; revoked_at: string | null }[];
    assert.ok(relisted.find((t) => t.id === admin.tokenId)?.revoked_at);

    const unknown = await cli('admin', 'token', 'revoke', 'no-such-id');
    assert.equal(unknown.code, 1, unknown.stderr);
    assert.match(unknown.stderr, /mamgate\.admin\.token_not_found\.app_error/);
    const missing = await cli('admin', 'token', 'revoke');
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /mamgate\.cli\.usage\.app_error/);
  });

  test('license get / set', async () => {
    const none = await cli('license', 'get');
    assert.equal(none.code, 0, none.stderr);
    assert.deepEqual(JSON.parse(none.stdout), { IsLicensed: false });
    const set = await cli('license', 'set', '--sku', 'entry');
    assert.equal(set.code, 0, set.stderr);
    const got = JSON.parse((await cli('license', 'get')).stdout) as Record<string, unknown>;
    assert.equal(got.IsLicensed, true);
    assert.equal(got.SkuShortName, 'entry');

    const file = path.join(dataDir, 'license.json');
    writeFileSync(file, JSON.stringify({ IsLicensed: true, SkuShortName: 'advanced', SkuName: 'Enterprise Advanced' }));
    assert.equal((await cli('license', 'set', '--file', file)).code, 0);
    assert.equal((JSON.parse((await cli('license', 'get')).stdout) as { SkuName: string }).SkuName, 'Enterprise Advanced');

    const fromStdin = await runCli(['license', 'set', '--file', '-'], env, { input: '{"IsLicensed": false}' });
    assert.equal(fromStdin.code, 0, fromStdin.stderr);
    assert.deepEqual(JSON.parse((await cli('license', 'get')).stdout), { IsLicensed: false });

    const bad = await cli('license', 'set', '--sku', 'gold');
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stderr, /mamgate\.license\.invalid\.app_error/);
    const both = await cli('license', 'set', '--sku', 'entry', '--none');
    assert.equal(both.code, 2, both.stderr);
  });

  test('settings set / get', async () => {
    const set = await cli(
      'settings',
      'set',
      'Office365Settings.Enable=true',
      'IntuneSettings.Enable=true',
      `IntuneSettings.TenantId=${TENANT}`,
      `IntuneSettings.ClientId=${CLIENT}`,
      'IntuneSettings.AuthService=office365',
      'LdapSettings.BindPassword=cli-secret-123',
    );
    assert.equal(set.code, 0, set.stderr);
    const stored = await currentSettings(db);
    assert.equal(stored.settings.IntuneSettings.Enable, true);
    assert.equal(stored.settings.IntuneSettings.TenantId, TENANT);
    assert.equal(stored.settings.LdapSettings.BindPassword, 'cli-secret-123');
    assert.equal(stored.settings.LdapSettings.IdAttribute, 'msDS-aadObjectId', 'keys not named keep their values');
    assert.match(stored.saved_by, /^cli:/);

    const got = await cli('settings', 'get');
    assert.equal(got.code, 0, got.stderr);
    assert.match(got.stderr, new RegExp(`settings version ${stored.version}`));
    const shown = JSON.parse(got.stdout) as { IntuneSettings: { ClientId: string }; LdapSettings: { BindPassword: string } };
    assert.equal(shown.IntuneSettings.ClientId, CLIENT);
    assert.ok(!got.stdout.includes('cli-secret-123'), 'settings get masks secrets');

    // One key changed: the masked secret that `set` sends back keeps the stored password.
    assert.equal((await cli('settings', 'set', 'LdapSettings.UserFilter=(objectClass=user)')).code, 0);
    const after = await currentSettings(db);
    assert.equal(after.settings.LdapSettings.BindPassword, 'cli-secret-123');
    assert.equal(after.settings.LdapSettings.UserFilter, '(objectClass=user)');

    // Text keys keep their text even when it looks like JSON; lists take comma-separated values.
    const typed = await cli(
      'settings',
      'set',
      'LdapSettings.BindPassword=123456',
      'LdapSettings.SyncIntervalMinutes=15',
      `IntuneSettings.AllowedClientIds=${CLIENT.toUpperCase()}, ${TENANT}`,
    );
    assert.equal(typed.code, 0, typed.stderr);
    const typedSettings = (await currentSettings(db)).settings;
    assert.equal(typedSettings.LdapSettings.BindPassword, '123456');
    assert.equal(typedSettings.LdapSettings.SyncIntervalMinutes, 15);
    assert.deepEqual(typedSettings.IntuneSettings.AllowedClientIds, [CLIENT, TENANT]);
    assert.equal((await cli('settings', 'set', `IntuneSettings.AllowedClientIds=["${CLIENT}"]`)).code, 0);
    assert.deepEqual((await currentSettings(db)).settings.IntuneSettings.AllowedClientIds, [CLIENT]);

    const bad = await cli('settings', 'set', 'IntuneSettings.ClientId=not-a-guid');
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stderr, /model\.config\.is_valid\.intune_client_id_format\.app_error/);
    const latest = (await currentSettings(db)).version;
    assert.equal((await cli('settings', 'set', 'IntuneSettings.ClientId=x')).code, 1);
    assert.equal((await currentSettings(db)).version, latest, 'nothing stored');
    const malformed = await cli('settings', 'set', 'IntuneSettings');
    assert.equal(malformed.code, 2, malformed.stderr);
  });

  test('as a companion (by the environment or the stored ChatServerSettings.Url) license set is refused and stores nothing', async () => {
    const before = await cli('license', 'get');
    const refusedByEnvironment = await runCli(['license', 'set', '--sku', 'entry'], { ...env, MAMGATE_CHAT_SERVER_URL: 'http://127.0.0.1:9' });
    assert.equal(refusedByEnvironment.code, 1, refusedByEnvironment.stderr);
    assert.match(refusedByEnvironment.stderr, /mamgate\.chatserver\.owned_setting\.app_error/);
    assert.match(refusedByEnvironment.stderr, /Edition and License/, 'says where to change it');

    assert.equal((await cli('settings', 'set', 'ChatServerSettings.Url=http://127.0.0.1:9')).code, 0);
    const refusedByStore = await cli('license', 'set', '--none');
    assert.equal(refusedByStore.code, 1, refusedByStore.stderr);
    assert.match(refusedByStore.stderr, /mamgate\.chatserver\.owned_setting\.app_error/);
    assert.equal((await cli('license', 'get')).stdout, before.stdout, 'nothing stored');

    assert.equal((await cli('settings', 'set', 'ChatServerSettings.Url=')).code, 0);
    assert.equal((await cli('license', 'set', '--none')).code, 0, 'standalone again: mamgate keeps its own license');
  });

  test('an unknown command exits 2 and prints the overview on stderr', async () => {
    const result = await cli('frobnicate');
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /usage: mamgate/);
    const partial = await cli('admin', 'token');
    assert.equal(partial.code, 2, partial.stderr);
    const badOption = await cli('settings', 'get', '--bogus');
    assert.equal(badOption.code, 2, badOption.stderr);
    assert.match(badOption.stderr, /mamgate\.cli\.usage\.app_error/);
  });
});
