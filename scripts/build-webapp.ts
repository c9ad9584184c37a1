// `npm run build:webapp`: one React source (webapp/src), two Vite builds.
//   1. webapp/dist/main.js: the chat-server plugin bundle, an IIFE that calls window.registerPlugin, with React,
//      ReactDOM and the host's other libraries as externals (reference/tunnel-and-plugin.md B5);
//   2. webapp/dist/admin/: the standalone admin pages with their own React, served at /plugins/mamgate/admin/.
// Both are built into a temporary folder that then replaces webapp/dist, so a reader never sees half a build.
// `--if-stale` builds only when the sources changed since the last build (a hash of them is kept in
// webapp/dist/build-hash.txt); `prepare` (scripts/prepare.mjs) and the webapp tests use it. Concurrent callers take turns (a lock folder).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { filesUnder, hashFiles } from './source-hash.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const WEBAPP = path.join(ROOT, 'webapp');
const SRC = path.join(WEBAPP, 'src');
const DIST = path.join(WEBAPP, 'dist');
const HASH_FILE = path.join(DIST, 'build-hash.txt');
const LOCK = path.join(WEBAPP, '.build-lock');

/** The host's libraries a Mattermost plugin must not bundle, and the globals the host puts them in (B5). */
export const HOST_EXTERNALS: Record<string, string> = {
  react: 'React',
  'react-dom': 'ReactDOM',
  redux: 'Redux',
  'react-redux': 'ReactRedux',
  'prop-types': 'PropTypes',
  'react-bootstrap': 'ReactBootstrap',
  'react-router-dom': 'ReactRouterDom',
};

function say(line: string): void {
  process.stderr.write(`[build:webapp] ${line}\n`);
}

/** A hash of everything the build reads: sources, plugin.json (labels and help texts), this script, Vite's version. */
export function sourceHash(): string {
  const hash = hashFiles(ROOT, [...filesUnder(SRC), path.join(WEBAPP, 'tsconfig.json'), path.join(ROOT, 'plugin.json'), import.meta.filename]);
  const vitePackage = path.join(ROOT, 'node_modules/vite/package.json');
  if (existsSync(vitePackage)) hash.update(JSON.parse(readFileSync(vitePackage, 'utf8')).version as string);
  return hash.digest('hex');
}

export function isFresh(): boolean {
  return (
    existsSync(path.join(DIST, 'main.js')) &&
    existsSync(path.join(DIST, 'admin/index.html')) &&
    existsSync(HASH_FILE) &&
    readFileSync(HASH_FILE, 'utf8').trim() === sourceHash()
  );
}

async function withLock<T>(run: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock left by a build that died is older than any real build takes.
      if (Date.now() - statSync(LOCK, { throwIfNoEntry: false })!.mtimeMs > 60_000) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`another webapp build holds ${LOCK}; remove it if no build runs`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await run();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

async function buildInto(out: string): Promise<void> {
  const { build } = await import('vite');
  const common = {
    configFile: false as const,
    logLevel: 'warn' as const,
    publicDir: false as const,
    oxc: { jsx: { runtime: 'automatic' as const, importSource: 'react' } },
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  };

  // 1. The plugin bundle: React and the host's libraries come from window (externals), JSX through a shim over
  //    window.React.createElement, since the host publishes no react/jsx-runtime.
  await build({
    ...common,
    root: WEBAPP,
    resolve: { alias: [{ find: /^react\/jsx-runtime$/, replacement: path.join(SRC, 'plugin/jsx-runtime.ts') }] },
    build: {
      outDir: out,
      emptyOutDir: false,
      target: 'es2022',
      minify: true,
      sourcemap: false,
      copyPublicDir: false,
      lib: { entry: path.join(SRC, 'plugin/index.tsx'), formats: ['iife'], name: 'MamgatePlugin', fileName: () => 'main.js' },
      rolldownOptions: {
        external: Object.keys(HOST_EXTERNALS),
        output: { globals: HOST_EXTERNALS, entryFileNames: 'main.js' },
      },
    },
  });

  // 2. The standalone admin pages, with their own React, under the base they are served at.
  await build({
    ...common,
    root: path.join(SRC, 'admin'),
    base: '/plugins/mamgate/admin/',
    build: {
      outDir: path.join(out, 'admin'),
      emptyOutDir: true,
      target: 'es2022',
      minify: true,
      sourcemap: false,
      assetsDir: 'assets',
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      copyPublicDir: false,
    },
  });
}

export async function buildWebapp(options: { ifStale?: boolean } = {}): Promise<'built' | 'fresh'> {
  return withLock(async () => {
    if (options.ifStale && isFresh()) return 'fresh';
    const started = Date.now();
    const hash = sourceHash();
    const temp = path.join(WEBAPP, `.dist-${process.pid}`);
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(temp, { recursive: true });
    try {
      await buildInto(temp);
      writeFileSync(path.join(temp, 'build-hash.txt'), `${hash}\n`);
      const old = path.join(WEBAPP, `.dist-old-${process.pid}`);
      if (existsSync(DIST)) renameSync(DIST, old);
      renameSync(temp, DIST);
      rmSync(old, { recursive: true, force: true });
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
    say(`built webapp/dist/main.js and webapp/dist/admin/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return 'built';
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const ifStale = process.argv.includes('--if-stale');
  try {
    const result = await buildWebapp({ ifStale });
    if (result === 'fresh') say('webapp/dist is up to date');
  } catch (error) {
    say(`failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  }
}
