// `npm run bundle`: the chat-server plugin upload, dist/<id>-<version>.tar.gz, laid out as the starter template's
// `make bundle` does (reference/tunnel-and-plugin.md B6): one top-level folder <id>/ holding plugin.json and the
// webapp bundle webapp/dist/main.js. Builds the webapp first when its sources changed. The archive is written by
// the `tar` package from a staging folder: portable (no owners, folders without a time), modes 755/644, the files
// at one time (SOURCE_DATE_EPOCH when set, for a reproducible archive).
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { create } from 'tar';
import { buildWebapp } from './build-webapp.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

/** '', 'webapp', 'webapp/dist' for 'webapp/dist/main.js': the folders above a file inside the top folder. */
function parents(file: string): string[] {
  const dirs = file.split('/').slice(0, -1);
  return ['', ...dirs.map((_, i) => dirs.slice(0, i + 1).join('/'))];
}

export async function createBundle(): Promise<string> {
  await buildWebapp({ ifStale: true });
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'plugin.json'), 'utf8')) as {
    id: string;
    version: string;
    webapp?: { bundle_path?: string };
  };
  const bundlePath = manifest.webapp?.bundle_path ?? 'webapp/dist/main.js';
  const top = manifest.id;
  const staging = mkdtempSync(path.join(os.tmpdir(), 'mamgate-bundle-'));
  try {
    const epoch = Number(process.env.SOURCE_DATE_EPOCH);
    const mtime = new Date((Number.isInteger(epoch) && epoch > 0 ? epoch : Math.floor(Date.now() / 1000)) * 1000);
    const place = (relative: string) => {
      const target = path.join(staging, top, relative);
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(path.join(ROOT, relative), target);
      chmodSync(target, 0o644);
      utimesSync(target, mtime, mtime);
    };
    place('plugin.json');
    place(bundlePath);
    for (const dir of new Set([bundlePath, 'plugin.json'].flatMap((file) => parents(file)))) chmodSync(path.join(staging, top, dir), 0o755);
    const out = path.join(ROOT, 'dist', `${manifest.id}-${manifest.version}.tar.gz`);
    mkdirSync(path.dirname(out), { recursive: true });
    await create({ file: out, cwd: staging, gzip: { level: 9 }, portable: true }, [top]);
    return out;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  try {
    const out = await createBundle();
    process.stdout.write(`${path.relative(process.cwd(), out) || out}\n`);
  } catch (error) {
    process.stderr.write(`[bundle] failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  }
}
