// The webapp has its own TypeScript project (DOM, JSX): the root `tsc -p .` does not see it, so it is checked here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './support/build.ts';

test('webapp sources type-check (tsc --noEmit -p webapp)', () => {
  const run = spawnSync(path.join(ROOT, 'node_modules/.bin/tsc'), ['--noEmit', '-p', path.join(ROOT, 'webapp')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
});
