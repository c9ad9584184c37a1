// The webapp tests need webapp/dist: built here when missing or older than the sources (the build keeps a hash
// of its inputs), so `npm test` on a fresh clone works whether or not `prepare` ran.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../../..');

export function ensureWebappBuilt(): void {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/build-webapp.ts'), '--if-stale'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 180_000,
  });
  if (result.status !== 0) throw new Error(`building the webapp failed (exit ${result.status ?? result.signal})`);
}
