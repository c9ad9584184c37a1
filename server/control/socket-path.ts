import path from 'node:path';

/** The control socket lives in the data directory, which mamgate keeps at mode 0700: only its OS user gets in. */
export function controlSocketPath(dataDir: string): string {
  return path.join(dataDir, 'mamgate.sock');
}
