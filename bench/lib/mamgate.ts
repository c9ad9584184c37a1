// mamgate for the bench: a fresh PostgreSQL database (migrated, seeded in bulk, dropped afterwards), an admin
// token made through the library before start, and nodes — each `node bin/mamgate.js serve` in its own pinned
// process (one per scenario, so one scenario's garbage and memory do not show in another's figures) — with Intune
// and an Enterprise Advanced license configured through the admin API, as an administrator would (unless the node is
// the companion of a chat server, which owns both).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAdminToken } from '../../server/admin/tokens.ts';
import { openDatabase } from '../../server/db/connect.ts';
import { type BenchDatabase, createBenchDatabase, seedSessions } from './database.ts';
import { type ServerProcess, startServer } from './processes.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const API_BASE = '/plugins/mamgate/api/v1';

export interface MamgateOptions {
  authority: string;
  tenantId: string;
  clientId: string;
  users: number;
  sessions: number;
  pin: string[];
  /** Write a V8 CPU profile of the server process into this directory (on exit). */
  cpuProfileDir?: string;
  /** Seeds the fresh database instead of the default bulk seeding of `users` and `sessions` (returns the tokens it wants used). */
  seed?: (url: string) => Promise<{ tokens: string[] }>;
  /** More environment for every node (e.g. MAMGATE_CHAT_SERVER_URL and _TOKEN for a companion of a chat server). */
  env?: NodeJS.ProcessEnv;
  /** false: leave the license and Intune settings alone (a companion takes them from the chat server). Default true. */
  configure?: boolean;
  log: (line: string) => void;
}

export interface MamgateNode {
  name: string;
  url: string;
  server: ServerProcess;
}

/** One seeded database and the mamgate nodes started on it (one per scenario, or several for a multi-node test). */
export interface MamgateDeployment {
  database: BenchDatabase;
  /** Bearer tokens of the seeded live enrolled sessions. */
  tokens: string[];
  adminToken: string;
  /** Starts (once per name) a mamgate process on the deployment's database, pinned like the servers unless `pin` says otherwise. */
  node(name: string, options?: { pin?: string[] }): Promise<MamgateNode>;
  stop(): Promise<void>;
}

async function adminCall(url: string, token: string, method: string, body: unknown): Promise<void> {
  const answer = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!answer.ok) throw new Error(`${method} ${url} → ${answer.status} ${await answer.text()}`);
}

export async function deployMamgate(o: MamgateOptions): Promise<MamgateDeployment> {
  const database = await createBenchDatabase();
  const dataDirs: string[] = [];
  const nodes = new Map<string, Promise<MamgateNode>>();
  let configured: Promise<void> | undefined;
  const stop = async () => {
    for (const node of nodes.values()) await (await node.catch(() => undefined))?.server.stop();
    await database.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const seedStart = Date.now();
    const { tokens } = o.seed
      ? await o.seed(database.url)
      : await seedSessions(database.url, {
          tenantId: o.tenantId,
          authService: 'office365',
          users: o.users,
          sessions: o.sessions,
          lifetimeMs: 30 * 24 * 3_600_000,
        });
    o.log(`seeded ${o.users} users and ${o.sessions} live enrolled sessions in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);
    const db = openDatabase({ databaseUrl: database.url, dataDir: os.tmpdir() });
    let adminToken: string;
    try {
      ({ token: adminToken } = await createAdminToken(db, 'bench', { name: 'bench-setup', requestId: null }));
    } finally {
      await db.destroy();
    }

    const startNode = async (name: string, pin: string[]): Promise<MamgateNode> => {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mamgate-bench-data-'));
      dataDirs.push(dataDir);
      const nodeFlags: string[] = [];
      if (o.cpuProfileDir) {
        mkdirSync(o.cpuProfileDir, { recursive: true });
        nodeFlags.push('--cpu-prof', `--cpu-prof-dir=${o.cpuProfileDir}`);
      }
      const server = await startServer({
        name: `mamgate-${name}`,
        argv: [process.execPath, ...nodeFlags, path.join(REPO, 'bin/mamgate.js'), 'serve'],
        pin,
        env: {
          NODE_ENV: 'production',
          DATABASE_URL: database.url,
          HOST: '127.0.0.1',
          PORT: '0',
          MAMGATE_DATA_DIR: dataDir,
          MAMGATE_ENTRA_AUTHORITY: o.authority,
          MAMGATE_LOGIN_RATE_PER_IP: '0',
          MAMGATE_LOGIN_RATE_PER_TENANT: '0',
          LOG_LEVEL: 'warn',
          ...o.env,
        },
        // The JSON start line, written at info whatever LOG_LEVEL.
        ready: /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"mamgate listening"/,
      });
      // Intune and the license are set once, through the first node's admin API; later nodes hear of them from
      // the database like any node of a cluster.
      configured ??= (async () => {
        if (o.configure === false) return;
        const admin = `${server.url}${API_BASE}/admin`;
        await adminCall(`${admin}/license`, adminToken, 'PUT', { IsLicensed: true, SkuShortName: 'advanced' });
        await adminCall(`${admin}/settings`, adminToken, 'PUT', {
          Office365Settings: { Enable: true },
          IntuneSettings: { Enable: true, TenantId: o.tenantId, ClientId: o.clientId, AuthService: 'office365', EnableUserCreation: false },
        });
      })();
      await configured;
      o.log(`mamgate node "${name}" at ${server.url} (pid ${server.pid})`);
      return { name, url: server.url, server };
    };

    return {
      database,
      tokens,
      adminToken,
      node(name, options) {
        let started = nodes.get(name);
        if (!started) {
          started = startNode(name, options?.pin ?? o.pin);
          nodes.set(name, started);
        }
        return started;
      },
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
