// What the builds (scripts/server-build.mjs, scripts/build-webapp.ts) use to tell whether their inputs changed:
// every file under a folder, and one hash of many files' names and contents. Plain JavaScript, so that
// bin/mamgate.js can use it before any TypeScript runs.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Every file under `dir`, in a stable order. */
export function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? filesUnder(full) : [full];
    })
    .sort();
}

/** sha256 (hex) of each file's path relative to `root` and its content, in the order given. */
export function hashFiles(root, files) {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(path.relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash;
}
