// The service as it runs: the TypeScript sources (server/, migrations/) bundled by esbuild into one ES module,
// dist/server/main.<hash>.mjs, with the packages left to node_modules. Running that file instead of the sources
// through tsx saves tsx's loader thread and transpiled copies: about 35 MiB of resident memory per node, and the
// transpiling at start. The file name carries a hash of everything the build reads, so changed sources get a new
// build; concurrent callers each write a temporary file and rename it into place (same content either way).
// Plain JavaScript: bin/mamgate.js loads this before any TypeScript can run.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { filesUnder, hashFiles } from './source-hash.mjs';

const INSTALL_ROOT = fileURLToPath(new URL('..', import.meta.url));
const ESBUILD_PACKAGE = createRequire(import.meta.url).resolve('esbuild/package.json');
/** Age after which another build (or a temporary file a build left) is removed. */
const STALE_BUILD_MS = 10 * 60_000;

/** A hash of the sources, the build's settings (this file) and esbuild's version. */
function sourceHash(root) {
  const sources = [...filesUnder(path.join(root, 'server')), ...filesUnder(path.join(root, 'migrations'))];
  return hashFiles(root, [...sources, fileURLToPath(import.meta.url), ESBUILD_PACKAGE]).digest('hex').slice(0, 16);
}

async function build(root, outfile) {
  const esbuild = await import('esbuild');
  const temporary = `${outfile}.${process.pid}.tmp`;
  try {
    await esbuild.build({
      entryPoints: [path.join(root, 'server/cli/main.ts')],
      outfile: temporary,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      keepNames: true, // function and class names as written, for stack traces
      logLevel: 'silent',
    });
  } finally {
    await esbuild.stop?.(); // its service process would otherwise live as long as this one
  }
  renameSync(temporary, outfile);
  // Builds of earlier sources, once no process that just chose one can still be about to load it.
  const out = path.dirname(outfile);
  for (const name of readdirSync(out)) {
    const file = path.join(out, name);
    if (file !== outfile && Date.now() - statSync(file).mtimeMs > STALE_BUILD_MS) rmSync(file, { force: true });
  }
}

/**
 * The URL of the built service for the current sources under `root`, built when missing. Answers undefined
 * when it cannot be built (a source that does not compile, dist/ not writable): the caller then runs the sources.
 */
export async function builtServer({ root = INSTALL_ROOT } = {}) {
  try {
    const out = path.join(root, 'dist/server');
    const outfile = path.join(out, `main.${sourceHash(root)}.mjs`);
    if (!existsSync(outfile)) {
      mkdirSync(out, { recursive: true });
      await build(root, outfile);
    }
    return pathToFileURL(outfile).href;
  } catch (error) {
    process.stderr.write(`mamgate: running the TypeScript sources; the service could not be built: ${error.message.split('\n')[0]}\n`);
    return undefined;
  }
}
