#!/usr/bin/env node
// Entry point of the `mamgate` command: runs the built service (scripts/server-build.mjs builds it from the
// TypeScript sources when they changed), or the sources through tsx when it cannot be built.
import { builtServer } from '../scripts/server-build.mjs';

const built = await builtServer();
let main;
if (built) {
  ({ main } = await import(built));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../server/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
