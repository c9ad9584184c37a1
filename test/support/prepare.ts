// `npm test`'s pretest: makes sure what the whole suite needs is on the machine, or says the exact command.
// - Debian packages the suite uses (slapd and ldap-utils for the directory tests, chromium for the webapp tests
//   driven by playwright-core, nginx for the companion end-to-end test), installed when we are root with apt-get;
// - PostgreSQL at TEST_DATABASE_URL (default 127.0.0.1:5432); when none answers, a throwaway cluster is started
//   from the installed PostgreSQL binaries.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { DEFAULT_TEST_DATABASE_URL, TEST_OUTPUT_DIR, testStateFile } from './test-env.ts';

const DEBIAN_PACKAGES: { binary: string; packages: string[] }[] = [
  { binary: 'slapd', packages: ['slapd', 'ldap-utils'] },
  { binary: 'ldapsearch', packages: ['ldap-utils'] },
  { binary: 'chromium', packages: ['chromium'] },
  { binary: 'nginx', packages: ['nginx'] },
];

function say(line: string): void {
  process.stderr.write(`[pretest] ${line}\n`);
}

function stop(line: string): never {
  say(line);
  process.exit(1);
}

function onPath(binary: string): boolean {
  const dirs = (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin', '/usr/local/bin']);
  return dirs.some((dir) => existsSync(path.join(dir, binary)));
}

function installDebianPackages(): void {
  const missing = [...new Set(DEBIAN_PACKAGES.filter((p) => !onPath(p.binary)).flatMap((p) => p.packages))];
  if (missing.length === 0) return;
  const command = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0 || !onPath('apt-get')) stop(`missing Debian packages; run as root: ${command}`);
  say(`installing ${missing.join(' ')}`);
  // Debian's nginx (and slapd) postinst starts the service through invoke-rc.d: in a container without systemd
  // that runs /etc/init.d/nginx start, which either leaves a root nginx on port 80 behind or fails (the default
  // site also listens on [::]:80, absent without IPv6) and then fails the whole install. The suite starts its own
  // nginx; a policy-rc.d answering 101 ("action forbidden") makes invoke-rc.d skip the start and succeed. Docker's
  // Debian images ship one already; when there is none, one is put in place for the install and removed after.
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\n# written by mamgate test/support/prepare.ts for one apt-get install\nexit 101\n', { mode: 0o755 });
  const result = spawnSync('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (ownPolicy) rmSync(policy, { force: true });
  if (result.status !== 0) stop(`installing Debian packages failed; run as root: ${command}`);
}

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => path.join(root, v, 'bin')).find((dir) => existsSync(path.join(dir, 'initdb')));
}

/** initdb refuses root, so the cluster belongs to the postgres user (stack-notes). */
function startThrowawayCluster(): string {
  const bin = postgresBinDir();
  const port = 55432;
  const dir = mkdtempSync('/tmp/mamgate-pg-');
  const asRoot = process.getuid?.() === 0;
  const exact = `initdb -D ${dir} -A trust -U postgres && pg_ctl -D ${dir} -o "-p ${port} -k /tmp -c listen_addresses=127.0.0.1" -w start`;
  if (!bin) stop(`no PostgreSQL answers at ${DEFAULT_TEST_DATABASE_URL} and no PostgreSQL binaries were found; install postgresql and run: ${exact}`);
  try {
    if (asRoot) execFileSync('chown', ['postgres', dir]);
    const run = (args: string[]) => {
      const [command, ...rest] = asRoot ? ['runuser', '-u', 'postgres', '--', ...args] : args;
      execFileSync(command!, rest, { stdio: 'ignore' });
    };
    run([path.join(bin, 'initdb'), '-D', dir, '-A', 'trust', '-U', 'postgres']);
    run([path.join(bin, 'pg_ctl'), '-D', dir, '-l', path.join(dir, 'log'), '-o', `-p ${port} -k /tmp -c listen_addresses=127.0.0.1`, '-w', 'start']);
  } catch {
    stop(`starting a throwaway PostgreSQL failed; start one yourself: ${exact}, then set TEST_DATABASE_URL`);
  }
  say(`started a throwaway PostgreSQL cluster in ${dir} on port ${port}`);
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

async function ensurePostgres(): Promise<string> {
  const url = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
  if (await postgresAnswers(url)) return url;
  if (process.env.TEST_DATABASE_URL) stop(`TEST_DATABASE_URL=${url} does not answer`);
  const fallback = 'postgres://postgres@127.0.0.1:55432/postgres';
  if (await postgresAnswers(fallback)) return fallback;
  return startThrowawayCluster();
}

installDebianPackages();
const databaseUrl = await ensurePostgres();
mkdirSync(TEST_OUTPUT_DIR, { recursive: true });
writeFileSync(testStateFile(), JSON.stringify({ databaseUrl }, null, 2));
say(`PostgreSQL for tests: ${databaseUrl.replace(/\/\/[^@]*@/, '//')}`);
