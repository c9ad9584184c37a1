// The built service (scripts/server-build.mjs), on a small install folder of its own: built once per set of
// sources, rebuilt when a source changes (old builds removed after a while), and not used when the sources do
// not compile.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { builtServer } from '../../scripts/server-build.mjs';
import { INSTALL_ROOT } from '../../server/install-root.ts';
import { REPO_ROOT } from '../support/cli.ts';

describe('the built service', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'mamgate-build-'));
  mkdirSync(path.join(root, 'server/cli'), { recursive: true });
  mkdirSync(path.join(root, 'migrations'));
  const main = path.join(root, 'server/cli/main.ts');
  const source = (answer: number) =>
    writeFileSync(main, `import { step } from '../../migrations/001_step.ts';\nexport const main = (): number => step + ${answer};\n`);
  writeFileSync(path.join(root, 'migrations/001_step.ts'), 'export const step: number = 1;\n');
  after(() => rmSync(root, { recursive: true, force: true }));

  const built = async () => {
    const url = await builtServer({ root });
    assert.ok(url, 'a build');
    return { url, file: fileURLToPath(url) };
  };

  test('is one module under dist/server named by a hash of the sources, built once', async () => {
    source(1);
    const first = await built();
    assert.match(path.relative(root, first.file), /^dist\/server\/main\.[0-9a-f]{16}\.mjs$/);
    assert.equal(((await import(first.url)) as { main: () => number }).main(), 2, 'the sources it was built from, bundled');
    const mtime = statSync(first.file).mtimeMs;
    const again = await built();
    assert.equal(again.url, first.url);
    assert.equal(statSync(again.file).mtimeMs, mtime, 'not built again');
  });

  test('a changed source gets a new build, and builds older than ten minutes are removed', async () => {
    source(1);
    const before = await built();
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(before.file, hourAgo, hourAgo);
    const leftover = `${before.file}.999.tmp`; // what a build that died leaves
    writeFileSync(leftover, '');
    utimesSync(leftover, hourAgo, hourAgo);
    source(41);
    const after = await built();
    assert.notEqual(after.url, before.url);
    assert.equal(existsSync(before.file), false);
    assert.deepEqual(readdirSync(path.dirname(after.file)), [path.basename(after.file)]);
    assert.equal(((await import(after.url)) as { main: () => number }).main(), 42);
  });

  test('a recent build of other sources is kept: a process may have just chosen it', async () => {
    source(41);
    const recent = await built();
    source(5);
    const current = await built();
    assert.ok(existsSync(recent.file));
    assert.equal(((await import(current.url)) as { main: () => number }).main(), 6);
  });

  test('sources that do not compile give no build, and say so on standard error', () => {
    writeFileSync(main, 'export const main = ( => ;\n');
    // In a process of its own, to read what it writes on standard error.
    const script = `import { builtServer } from ${JSON.stringify(path.join(REPO_ROOT, 'scripts/server-build.mjs'))};
      process.stdout.write(String(await builtServer({ root: ${JSON.stringify(root)} })));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, 'undefined');
    assert.match(run.stderr, /^mamgate: running the TypeScript sources; the service could not be built: /);
  });

  test('the install folder is found from the sources', () => {
    assert.equal(INSTALL_ROOT, REPO_ROOT);
  });
});
