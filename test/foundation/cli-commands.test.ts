// The real `mamgate` command beside a running service: --version, an unknown command with the closest one named,
// missing paths as file errors (not usage errors), and users import showing how far the service has read the file.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cliEnv, REPO_ROOT, runCli } from '../support/cli.ts';
import { startTestService, type TestService } from '../support/service.ts';

describe('mamgate command line', { timeout: 180_000 }, () => {
  let service: TestService;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    service = await startTestService();
    env = cliEnv({ MAMGATE_DATA_DIR: service.dataDir, DATABASE_URL: service.database!.url, LOG_LEVEL: 'warn' });
  });
  after(() => service.close());

  test('--version prints the version in package.json', async () => {
    const result = await runCli(['--version'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version);
  });

  test('an unknown command exits 2 and names the closest command by edit distance', async () => {
    for (const [typed, closest] of [
      [['tunel', 'validat'], 'tunnel validate'],
      [['user', 'import', 'x.csv'], 'users import'],
      [['prefligt', '--json'], 'preflight'],
    ] as const) {
      const result = await runCli([...typed], env);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /id: mamgate\.cli\.unknown_command\.app_error/);
      assert.ok(result.stderr.includes(`the closest is "mamgate ${closest}"`), result.stderr);
      assert.match(result.stderr, /usage: mamgate/, 'the overview follows');
    }
  });

  test('a path that does not exist is a file error from the catalogue (exit 1), for every command taking a path', async () => {
    const missing = path.join(service.dataDir, 'no-such-file.json');
    for (const args of [
      ['users', 'import', missing],
      ['tunnel', 'validate', missing],
      ['settings', 'set', '--file', missing],
      ['license', 'set', '--file', missing],
      ['report', 'identity', '--output', path.join(service.dataDir, 'no-such-folder', 'report.csv')],
    ]) {
      const result = await runCli(args, env);
      assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /id: mamgate\.cli\.file_not_found\.app_error/, args.join(' '));
      assert.doesNotMatch(result.stderr, /mamgate\.cli\.usage\.app_error|internal/, args.join(' '));
    }
    const directory = await runCli(['users', 'import', service.dataDir], env);
    assert.equal(directory.code, 1);
    assert.match(directory.stderr, /cannot be read: it is a directory/);
    assert.match(directory.stderr, /id: mamgate\.cli\.file_access\.app_error/);
  });

  test('users import runs in the service and reports how much of the file it has read', async () => {
    const file = path.join(service.dataDir, 'users.jsonl');
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: `imp${i}`, username: `imp${i}`, email: `imp${i}@example.com` }));
    writeFileSync(file, `${lines.join('\n')}\n`);
    const size = readFileSync(file).length;
    const result = await runCli(['users', 'import', file], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /imported 3000 of 3000 rows; 0 failed/);
    // Not a terminal here: a plain line per tenth, ending at the whole file.
    const progress = [...result.stderr.matchAll(/^users import: (\d+)\/(\d+)$/gm)].map((m): [number, number] => [Number(m[1]), Number(m[2])]);
    assert.ok(progress.length >= 2, result.stderr);
    assert.deepEqual(progress.at(-1), [size, size]);
    for (const [done, total] of progress) assert.ok(done <= total && total === size);
    assert.equal(Number((await service.ctx.db('users').where('id', 'like', 'imp%').count({ n: '*' }))[0]!.n), 3000, 'imported by the service');
  });
});
