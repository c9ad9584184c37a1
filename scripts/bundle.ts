// `npm run bundle`: the chat-server plugin upload, dist/<id>-<version>.tar.gz, laid out as the starter template's
// `make bundle` does (reference/tunnel-and-plugin.md B6): one top-level folder <id>/ holding plugin.json and the
// webapp bundle webapp/dist/main.js. Builds the webapp first when its sources changed. The archive is plain
// ustar + gzip written here (no tar binary or package needed), with fixed owners and modes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWebapp } from './build-webapp.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

interface Entry {
  name: string;
  /** undefined for a directory */
  data?: Buffer;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(entry: Entry, mtime: number): Buffer {
  const block = Buffer.alloc(512, 0);
  const isDir = entry.data === undefined;
  const name = isDir && !entry.name.endsWith('/') ? `${entry.name}/` : entry.name;
  if (Buffer.byteLength(name) > 100) throw new Error(`path too long for ustar: ${name}`);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(isDir ? 0o755 : 0o644, 8), 100, 8, 'ascii');
  block.write(octal(0, 8), 108, 8, 'ascii'); // uid
  block.write(octal(0, 8), 116, 8, 'ascii'); // gid
  block.write(octal(entry.data?.length ?? 0, 12), 124, 12, 'ascii');
  block.write(octal(mtime, 12), 136, 12, 'ascii');
  block.fill(' ', 148, 156); // checksum counted as spaces
  block.write(isDir ? '5' : '0', 156, 1, 'ascii');
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  block.write('root', 265, 32, 'ascii');
  block.write('root', 297, 32, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return block;
}

export function tarGz(entries: Entry[], mtime: number): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(header(entry, mtime));
    if (entry.data) {
      parts.push(entry.data);
      const pad = (512 - (entry.data.length % 512)) % 512;
      if (pad) parts.push(Buffer.alloc(pad, 0));
    }
  }
  parts.push(Buffer.alloc(1024, 0));
  return gzipSync(Buffer.concat(parts), { level: 9 });
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
  const dirs = bundlePath.split('/').slice(0, -1);
  const entries: Entry[] = [{ name: top }];
  for (let i = 1; i <= dirs.length; i++) entries.push({ name: `${top}/${dirs.slice(0, i).join('/')}` });
  entries.push({ name: `${top}/plugin.json`, data: readFileSync(path.join(ROOT, 'plugin.json')) });
  entries.push({ name: `${top}/${bundlePath}`, data: readFileSync(path.join(ROOT, bundlePath)) });
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  const mtime = Number.isInteger(epoch) && epoch > 0 ? epoch : Math.floor(Date.now() / 1000);
  const out = path.join(ROOT, 'dist', `${manifest.id}-${manifest.version}.tar.gz`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, tarGz(entries, mtime));
  return out;
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
