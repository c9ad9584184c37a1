// `npm test`: type check, lint, then every test file through node's test runner (files passed explicitly:
// Node 20 does not expand globs and finds nothing without them). A test that hangs fails after 10 minutes, and a file
// whose tests have ended exits even if it left a handle open, so no run waits out CI's limit.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'support' ? [] : testFiles(full);
    return name.endsWith('.test.ts') ? [full] : [];
  });
}

function step(label: string, command: string, args: string[]): number {
  process.stderr.write(`\n== ${label}\n`);
  return spawnSync(command, args, { stdio: 'inherit' }).status ?? 1;
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : testFiles('test').sort();
if (only.length === 0) {
  if (step('type check (tsc --noEmit)', 'node_modules/.bin/tsc', ['--noEmit', '-p', '.']) !== 0) process.exit(1);
  if (step('lint (biome)', 'node_modules/.bin/biome', ['lint', '--diagnostic-level=error']) !== 0) process.exit(1);
}
if (files.length === 0) {
  process.stderr.write('no test files found\n');
  process.exit(1);
}
process.exit(step(`tests (${files.length} files)`, process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000', '--test-force-exit', ...files]));
