// npm's `prepare` hook (after `npm install` and `npm ci`): builds the webapp when its sources changed, so
// `npm install && npm start` serves the admin pages on a fresh machine. Plain JavaScript, because npm also runs
// this hook where the dev tools are absent (`--omit=dev`, `--package-lock-only`): it then only says so.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const needed = ['tsx', 'vite', 'react', 'react-dom'].filter((name) => !existsSync(`${root}node_modules/${name}/package.json`));
if (needed.length > 0) {
  process.stderr.write(`[prepare] not building the webapp: ${needed.join(', ')} not installed (run npm run build:webapp after a full install)\n`);
  process.exit(0);
}
const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-webapp.ts', '--if-stale'], { cwd: root, stdio: 'inherit' });
process.exit(build.status ?? 1);
