// The folder mamgate is installed in (package.json, migrations/, webapp/dist/), found from this module's place:
// the sources run from server/, the built service from dist/server/ (scripts/server-build.mjs).
import { existsSync } from 'node:fs';
import path from 'node:path';

function installRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'plugin.json')) && existsSync(path.join(dir, 'migrations'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`mamgate's install folder (with plugin.json and migrations/) is not above ${from}`);
  }
}

export const INSTALL_ROOT = installRoot(import.meta.dirname);
