// The real `mamgate tunnel validate` command on PostgreSQL (no service running): exit codes and output.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cliEnv, runCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { goodAppConfig, goodServerConfiguration, goodSite, TUNNEL_CLIENT } from './fixtures.ts';

describe('mamgate tunnel validate', { timeout: 300_000 }, () => {
  let database: TestDatabase;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    database = await createTestDatabase();
    dir = mkdtempSync('/tmp/mgtun-');
    env = cliEnv({ DATABASE_URL: database.url, MAMGATE_DATA_DIR: dir, LOG_LEVEL: 'warn' });
  });
  after(async () => {
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const file = (name: string, content: unknown) => {
    const target = path.join(dir, name);
    writeFileSync(target, typeof content === 'string' ? content : JSON.stringify(content));
    return target;
  };

  test('exit 0 for a good gateway, 1 when any error, 2 for unreadable input; no FILE checks the stored settings', async () => {
    const stored = await runCli(['tunnel', 'validate'], env);
    assert.equal(stored.code, 0, stored.stderr);
    assert.match(stored.stdout, /INFO +appconfig\.required/);

    const gateway = file('good.json', { appConfig: goodAppConfig(), serverConfiguration: goodServerConfiguration(), site: goodSite() });
    const noClient = await runCli(['tunnel', 'validate', gateway], env);
    assert.equal(noClient.code, 1, 'the tunnel-enabled client id is not set on this server yet');
    assert.match(noClient.stdout, /^ERROR +appconfig\.tunnel_client_id +IntuneSettings\.TunnelClientId$/m);
    const set = await runCli(['settings', 'set', `IntuneSettings.TunnelClientId=${TUNNEL_CLIENT}`], env);
    assert.equal(set.code, 0, set.stderr);

    const good = await runCli(['tunnel', 'validate', gateway], env);
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /0 error\(s\), 0 warning\(s\), 0 note\(s\); app configuration from app configuration, checked against the server configuration and site/);
    // Prerequisites the file cannot show are listed to confirm, with where to look; they do not change the exit code.
    assert.match(good.stdout, /^CONFIRM +prerequisite\.gateway_service_principal$/m);
    assert.match(good.stdout, /^CONFIRM +prerequisite\.license$/m);
    assert.match(good.stdout, /Confirm in the Microsoft Entra admin center › Enterprise applications/);
    assert.doesNotMatch(good.stdout, /prerequisite\.identity_keys/, 'the file carries IntuneMAMUPN and IntuneMAMOID');
    assert.match(good.stdout, /prerequisite\(s\) to confirm$/m);

    const badFile = file('bad.json', { serverConfiguration: { ...goodServerConfiguration(), network: '10.88.0.0/16' }, site: goodSite() });
    const bad = await runCli(['tunnel', 'validate', badFile], env);
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stdout, /^ERROR +network\.overlap\.bridge +serverConfiguration\.network$/m);
    assert.match(bad.stdout, /fix: /);

    const json = await runCli(['tunnel', 'validate', badFile, '--json'], env);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout) as { summary: { error: number }; findings: { rule: string }[] };
    assert.ok(report.summary.error >= 1);
    assert.ok(report.findings.some((f) => f.rule === 'network.overlap.bridge'));

    const notJson = await runCli(['tunnel', 'validate', file('broken.json', '{"site": ')], env);
    assert.equal(notJson.code, 2);
    assert.match(notJson.stderr, /is not valid JSON/);
    const wrongShape = await runCli(['tunnel', 'validate', file('shape.json', { gateway: {} })], env);
    assert.equal(wrongShape.code, 1);
    assert.match(wrongShape.stderr, /mamgate\.request\.invalid_body_param\.app_error/);
  });
});
