// The PGlite smoke suite, as a newcomer runs it: `mamgate serve` with no DATABASE_URL in one process, the CLI
// beside it in others (through the control socket), then the CLI alone on the embedded database, then a restart.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { commands } from '../../server/cli/main.ts';
import { API_BASE } from '../../server/http/app.ts';
import { cliEnv, lastLine, runCli, type ServeProcess, startServe, waitForReady } from '../support/cli.ts';

const TENANT = 'ABCDEF01-2345-6789-ABCD-EF0123456789';
const CLIENT = '0fedcba9-8765-4321-0fed-cba987654321';

describe('embedded database smoke test (real CLI, PGlite)', { timeout: 300_000 }, () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let serve: ServeProcess | undefined;
  let restarted: ServeProcess | undefined;
  let token = '';

  before(async () => {
    // Short: the control socket path must fit a Unix socket address.
    dataDir = mkdtempSync('/tmp/mgs-');
    env = cliEnv({ MAMGATE_DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
    serve = await startServe(env);
  });
  after(() => {
    serve?.kill();
    restarted?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => runCli(args, env);
  const adminGet = (url: string, path: string) =>
    fetch(`${url}${API_BASE}/admin/${path}`, { headers: { authorization: `Bearer ${token}` } });

  test('serve listens on a free port and answers /readyz on the embedded database', async () => {
    assert.match(serve!.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.doesNotMatch(serve!.url, /:8080$/);
    assert.match(serve!.stderr(), /embedded PGlite/);
    await waitForReady(serve!.url);
  });

  test('admin token create beside the running service prints a working token on the last line', async () => {
    const result = await cli('admin', 'token', 'create', '--name', 't');
    assert.equal(result.code, 0, result.stderr);
    token = lastLine(result.stdout);
    assert.match(token, /^mga_\S+$/);
    const answer = await adminGet(serve!.url, 'settings');
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('x-settings-version'), '0');
  });

  test('license set and settings set through the CLI turn Intune on for clients', async () => {
    const license = await cli('license', 'set', '--sku', 'advanced');
    assert.equal(license.code, 0, license.stderr);
    const settings = await cli(
      'settings',
      'set',
      'Office365Settings.Enable=true',
      'IntuneSettings.Enable=true',
      `IntuneSettings.TenantId=${TENANT}`,
      `IntuneSettings.ClientId=${CLIENT}`,
      'IntuneSettings.AuthService=office365',
    );
    assert.equal(settings.code, 0, settings.stderr);
    const config = (await (await fetch(`${serve!.url}/api/v4/config/client?format=old`)).json()) as Record<string, string>;
    assert.equal(config.IntuneMAMEnabled, 'true');
    assert.equal(config.IntuneAuthService, 'office365');
    assert.equal(config.IntuneScope, `api://${CLIENT}/login.mattermost`);
    const clientLicense = (await (await fetch(`${serve!.url}/api/v4/license/client?format=old`)).json()) as Record<string, string>;
    assert.deepEqual([clientLicense.IsLicensed, clientLicense.SkuShortName], ['true', 'advanced']);
    const stored = (await (await adminGet(serve!.url, 'settings')).json()) as { IntuneSettings: { TenantId: string } };
    assert.equal(stored.IntuneSettings.TenantId, TENANT.toLowerCase());
  });

  test('a bad settings set exits non-zero with the catalogue id on stderr, and changes nothing', async () => {
    const before = await adminGet(serve!.url, 'settings');
    const result = await cli('settings', 'set', 'IntuneSettings.TenantId=contoso.onmicrosoft.com');
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /model\.config\.is_valid\.intune_tenant_id_format\.app_error/);
    const afterAnswer = await adminGet(serve!.url, 'settings');
    assert.equal(afterAnswer.headers.get('x-settings-version'), before.headers.get('x-settings-version'));

    const typeError = await cli('settings', 'set', 'IntuneSettings.Enable=yes');
    assert.notEqual(typeError.code, 0);
    assert.match(typeError.stderr, /mamgate\.request\.invalid_body_param\.app_error/);
    const badLicense = await cli('license', 'set', '--sku', 'platinum');
    assert.notEqual(badLicense.code, 0);
    assert.match(badLicense.stderr, /mamgate\.license\.invalid\.app_error/);
  });

  test('every command answers --help with exit 0', async () => {
    const results = await Promise.all([
      runCli(['--help'], env),
      ...commands.map((command) => runCli([...command.path, '--help'], env)),
    ]);
    for (const [i, result] of results.entries()) {
      const name = i === 0 ? 'mamgate' : commands[i - 1]!.path.join(' ');
      assert.equal(result.code, 0, `${name} --help: ${result.stderr}`);
      assert.ok(result.stdout.includes(i === 0 ? 'usage: mamgate' : `mamgate ${name}`), `${name} --help prints its usage`);
    }
  });

  test('a second serve on the same data directory refuses to start', async () => {
    const second = await runCli(['serve'], env, { timeoutMs: 60_000 });
    assert.notEqual(second.code, 0);
    assert.match(second.stderr, /mamgate\.service\.already_running\.app_error/);
    await waitForReady(serve!.url, 10_000);
  });

  test('SIGTERM stops the service with exit code 0', async () => {
    const exit = await serve!.stop('SIGTERM');
    assert.deepEqual(exit, { code: 0, signal: null });
    await assert.rejects(fetch(`${serve!.url}/healthz`));
  });

  test('without a service, the CLI opens the embedded database itself and sees the same data', async () => {
    const settings = await cli('settings', 'get');
    assert.equal(settings.code, 0, settings.stderr);
    const document = JSON.parse(settings.stdout) as { IntuneSettings: { Enable: boolean; TenantId: string } };
    assert.equal(document.IntuneSettings.Enable, true);
    assert.equal(document.IntuneSettings.TenantId, TENANT.toLowerCase());
    const license = await cli('license', 'get');
    assert.equal(license.code, 0, license.stderr);
    assert.equal((JSON.parse(license.stdout) as { SkuShortName: string }).SkuShortName, 'advanced');
    const tokens = await cli('admin', 'token', 'list');
    assert.equal(tokens.code, 0, tokens.stderr);
    const list = JSON.parse(tokens.stdout) as { name: string; revoked_at: string | null }[];
    assert.ok(list.some((t) => t.name === 't' && t.revoked_at === null));
    assert.ok(!tokens.stdout.includes(token), 'the list never shows a token');
    const migrate = await cli('migrate');
    assert.equal(migrate.code, 0, migrate.stderr);
    assert.match(migrate.stdout, /database is up to date/);
  });

  test('a restart reopens the same data', async () => {
    restarted = await startServe(env);
    await waitForReady(restarted.url);
    const config = (await (await fetch(`${restarted.url}/api/v4/config/client?format=old`)).json()) as Record<string, string>;
    assert.equal(config.IntuneMAMEnabled, 'true');
    const answer = await adminGet(restarted.url, 'settings');
    assert.equal(answer.status, 200, 'the token made before the restart still works');
    const exit = await restarted.stop('SIGTERM');
    assert.equal(exit.code, 0);
  });
});
