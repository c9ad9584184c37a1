// Starting and stopping one mamgate node: database and migrations, the HTTP listener, the control socket.
import { chmodSync, mkdirSync } from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DestinationStream, Logger } from 'pino';
import { ChangeBus } from '../changes/bus.ts';
import type { Environment } from '../config/env.ts';
import { assertNoServiceRunning, startControlServer } from '../control/server.ts';
import { describeTarget, openDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createApp } from '../http/app.ts';
import { createLogger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import type { ServiceContext } from './context.ts';

export interface RunningService {
  url: string;
  ctx: ServiceContext;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), then closes the pool. */
  stop(): Promise<void>;
}

export interface StartOptions {
  logDestination?: DestinationStream;
  logger?: Logger;
  /** How long in-flight requests may take to finish on shutdown. */
  shutdownGraceMs?: number;
}

function prepareDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
}

export async function startService(env: Environment, options: StartOptions = {}): Promise<RunningService> {
  const log = options.logger ?? createLogger(env.logLevel, options.logDestination);
  prepareDataDir(env.dataDir);
  const changes = new ChangeBus();
  // A second service on the same data directory stops here, before it opens an embedded database the first holds.
  await assertNoServiceRunning(env.dataDir);
  const db = openDatabase({ databaseUrl: env.databaseUrl, dataDir: env.dataDir });
  try {
    const applied = await migrateToLatest(db);
    log.info({ database: describeTarget({ databaseUrl: env.databaseUrl, dataDir: env.dataDir }), applied }, 'database ready');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const ctx: ServiceContext = { db, log, changes };
  const control = await startControlServer(ctx, env.dataDir);
  const metrics = createMetrics();
  const app = createApp(ctx, metrics);
  const server: http.Server = await new Promise((resolve, reject) => {
    const s = app.listen(env.port, env.host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  server.keepAliveTimeout = 65_000;
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  log.info({ url, data_dir: env.dataDir }, 'mamgate listening');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      log.info('shutting down: finishing in-flight requests');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs ?? 10_000);
      await closed;
      clearTimeout(grace);
      await new Promise<void>((resolve) => control.close(() => resolve()));
      await db.destroy();
      log.info('stopped');
      log.flush?.();
    })();
    return stopping;
  };
  return { url, ctx, stop };
}
