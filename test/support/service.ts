// Starts a real mamgate service in this process on a free loopback port, with its logs captured.
import { mkdtempSync, rmSync } from 'node:fs';
import { Writable } from 'node:stream';
import { createAdminToken } from '../../server/admin/tokens.ts';
import { recordChange } from '../../server/changes/feed.ts';
import { settingsStore } from '../../server/db/stores/settings-store.ts';
import type { Settings } from '../../server/settings/model.ts';
import { type Environment, readEnvironment } from '../../server/config/env.ts';
import { type RunningService, startService } from '../../server/runtime/service.ts';
import { createTestDatabase, type TestDatabase } from './pg.ts';

export interface TestService extends RunningService {
  logs: string[];
  dataDir: string;
  database?: TestDatabase;
  adminToken: string;
  /** Stops the service and drops its database and data directory. */
  close(): Promise<void>;
}

export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

export interface TestServiceOptions {
  /** Use PGlite in the data directory instead of a fresh PostgreSQL database. */
  embedded?: boolean;
  /** Reuse an existing database (several nodes on one PostgreSQL). */
  databaseUrl?: string;
  env?: Partial<Environment>;
}

export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const dataDir = mkdtempSync('/tmp/mgt-');
  const database = options.embedded || options.databaseUrl ? undefined : await createTestDatabase();
  const env: Environment = {
    ...readEnvironment({}),
    port: 0,
    dataDir,
    databaseUrl: options.embedded ? undefined : (options.databaseUrl ?? database?.url),
    logLevel: 'debug',
    ...options.env,
  };
  const capture = new LogCapture();
  const service = await startService(env, { logDestination: capture, shutdownGraceMs: 2000 });
  const { token } = await createAdminToken(service.ctx.db, 'test', { name: 'test-setup', requestId: null });
  return {
    ...service,
    logs: capture.lines,
    dataDir,
    database,
    adminToken: token,
    async close() {
      await service.stop();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ApiAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** One HTTP call; JSON bodies are sent as JSON, strings as they are. */
export async function call<T = any>(
  url: string,
  options: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(url, { method: options.method ?? (body ? 'POST' : 'GET'), headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/**
 * Stores a settings document without the API's validation, as an older version or another tool might have written
 * it, and tells the nodes as every writer does (a change row in the same transaction), so caches read it again.
 */
export async function storeSettingsUnvalidated(service: RunningService, document: Settings, savedBy: string): Promise<void> {
  await service.ctx.db.transaction(async (trx) => {
    const stored = await settingsStore.insert(trx, document, savedBy, null);
    await recordChange(trx, 'settings', String(stored.version));
  });
  await service.ctx.changes.catchUp();
}
