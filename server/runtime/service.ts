// Starting and stopping one mamgate node: database and migrations, the HTTP listener, the control socket.
import { chmodSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import type { Express } from 'express';
import type { AddressInfo } from 'node:net';
import type { DestinationStream, Logger } from 'pino';
import { ChangeFeed } from '../changes/feed.ts';
import { ChatServerLink } from '../chatserver/link.ts';
import { TokenIdentities } from '../chatserver/token-identities.ts';
import { CompanionGate } from '../enrollment/companion-gate.ts';
import { ChatRevocationWorker } from '../sessions/chat-revocations.ts';
import { GraphRechecks } from '../enrollment/graph-rechecks.ts';
import { GraphLink } from '../graph/graph-link.ts';
import type { Environment } from '../config/env.ts';
import { assertNoServiceRunning, startControlServer } from '../control/server.ts';
import { describeTarget, openDatabase } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createApp } from '../http/app.ts';
import { httpEntry } from '../http/entry.ts';
import { createGateHandler } from '../http/gate-handler.ts';
import { startLdapSchedule } from '../identity/ldap/schedule.ts';
import { GateRefusalAudit } from '../enrollment/gate-refusal-audit.ts';
import { GateService } from '../enrollment/gate-service.ts';
import { createLogger, lifecycleLogger } from '../observability/logger.ts';
import { chatServerCallCounter, registerCompanionGauges } from '../observability/companion-metrics.ts';
import { registerLdapGauges } from '../observability/ldap-metrics.ts';
import { createMetrics } from '../observability/metrics.ts';
import { LoginRateLimit } from '../login/login-rate-limit.ts';
import { attemptWindowStore } from '../db/stores/attempt-window-store.ts';
import { SharedWindows } from '../ratelimit/shared-windows.ts';
import { MobileSessionOpener } from '../login/open-session.ts';
import { createSignInHandler } from '../http/sign-in-handler.ts';
import type { LoginDependencies } from '../login/login-by-intune.ts';
import { TokenVerifier } from '../token/verifier.ts';
import type { ServiceContext } from '../context.ts';
import { applyConnectionLimits, httpServerOptions } from '../http/listener-limits.ts';

export interface RunningService {
  url: string;
  ctx: ServiceContext;
  gate: GateService;
  link: ChatServerLink;
  identities: TokenIdentities;
  /** The Express app behind the plain node:http paths (gate, sign-in): its routes are listed by tests. */
  app: Express;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), then closes the pool. */
  stop(): Promise<void>;
}

export interface StartOptions {
  logDestination?: DestinationStream;
  logger?: Logger;
  /** How long in-flight requests may take to finish on shutdown. */
  shutdownGraceMs?: number;
  /** Interval of the comment lines that keep event streams open through proxies. */
  sseHeartbeatMs?: number;
}

function prepareDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
}

export async function startService(env: Environment, options: StartOptions = {}): Promise<RunningService> {
  const log = options.logger ?? createLogger(env.logLevel, options.logDestination);
  prepareDataDir(env.dataDir);
  // A second service on the same data directory stops here, before it opens an embedded database the first holds.
  await assertNoServiceRunning(env.dataDir);
  const db = openDatabase(
    { databaseUrl: env.databaseUrl, dataDir: env.dataDir },
    { warn: (m) => log.warn({ source: 'knex' }, m), error: (m) => log.error({ source: 'knex' }, m) },
  );
  try {
    const applied = await migrateToLatest(db);
    log.info({ database: describeTarget({ databaseUrl: env.databaseUrl, dataDir: env.dataDir }), applied }, 'database ready');
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const changes = new ChangeFeed(db, {
    databaseUrl: env.databaseUrl,
    pollMs: env.feedPollMs,
    staleAfterMs: env.feedStaleMs,
    log,
  });
  await changes.start();
  const metrics = createMetrics();
  const chatServerCalls = chatServerCallCounter(metrics.registry);
  const link = new ChatServerLink(
    {
      url: env.chatServerUrl,
      token: env.chatServerToken,
      pollMs: env.chatServerPollMs,
      staleMs: env.chatServerStaleMs,
      timeoutMs: env.chatServerTimeoutMs,
      onCall: (call, outcome) => chatServerCalls.inc({ call, outcome }),
    },
    log,
  );
  const ctx: ServiceContext = { db, log, changes, entraAuthority: env.entraAuthority, chatServer: link, outcomes: metrics.outcomes };
  const control = await startControlServer(ctx, env.dataDir);
  const ldapSchedule = startLdapSchedule(ctx);
  const verifier = new TokenVerifier({
    authority: env.entraAuthority,
    cooldownMs: env.jwksCooldownMs,
    log,
    onKeySetFetch: (outcome) => metrics.outcomes.keySetFetch(outcome),
  });
  const gate = new GateService(db, changes, link);
  // Connects to the chat server (when one is configured) before the first request is answered.
  await gate.policies.get().catch((error: unknown) => log.warn({ error_id: (error as { id?: string }).id }, 'policy not loaded at start'));
  const identities = new TokenIdentities(() => link.connection);
  const graph = new GraphLink({ authority: env.entraAuthority, graphUrl: env.graphUrl, clientSecret: env.graphClientSecret }, log);
  ctx.graph = graph;
  const rechecks = new GraphRechecks(ctx, graph, gate.policies, log);
  ctx.graphRechecks = rechecks;
  gate.attachGraphRechecks(rechecks);
  const companionGate = new CompanionGate(identities, gate.subjects, gate.policies, rechecks);
  const revocations = new ChatRevocationWorker(db, link, log, (userId) => identities.forgetUser(userId));
  ctx.wakeRevocations = () => revocations.wake();
  registerCompanionGauges(metrics.registry, { link, rechecks, db });
  registerLdapGauges(metrics.registry, db);
  revocations.start();
  const shutdown = new AbortController();
  // The budgets every node shares: attempts are added to the database in batches, never a round trip per sign-in.
  const attemptWindows = new SharedWindows(
    { add: (rows) => attemptWindowStore.add(db, rows), purgeBefore: (start) => attemptWindowStore.purgeBefore(db, start) },
    { syncMs: env.loginRateSyncMs, onSyncError: (error) => log.warn({ err: error }, 'sign-in budgets not shared: the database did not answer') },
  );
  const signInRateLimit = new LoginRateLimit(
    attemptWindows,
    {
      perIpPerMinute: env.loginRatePerIpPerMinute,
      perTenantPerMinute: env.loginRatePerTenantPerMinute,
      unverifiedPerTenantPerMinute: env.loginRateUnverifiedPerMinute,
    },
    (budget) => metrics.signInRateLimited.inc({ budget }),
  );
  const app = createApp(ctx, {
    signInRateLimit,
    stopping: shutdown.signal,
    metrics,
    gate,
    companion: companionGate,
    trustProxy: env.trustProxy,
    sseHeartbeatMs: options.sseHeartbeatMs ?? 25_000,
  });
  const login: LoginDependencies = {
    verifier,
    config: gate.policies,
    rateLimit: signInRateLimit,
    sessions: new MobileSessionOpener(db, (size) => metrics.signInBatchSize.observe(size)),
    mobileSessionLifetimeMs: env.mobileSessionHours * 3_600_000,
  };
  // The gate and the sign-in answer on plain node:http ahead of Express: they are the hot paths. The sign-in
  // reads client addresses through the Express app's own compiled "trust proxy" rule.
  const refusals = new GateRefusalAudit(db, log);
  const gateHandler = createGateHandler(gate, metrics, log, refusals, { link, gate: companionGate });
  const signInHandler = createSignInHandler(ctx, login, metrics, app.get('trust proxy fn'));
  const server = http.createServer(httpServerOptions(env), httpEntry({ gate: gateHandler, signIn: signInHandler, app }));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.port, env.host, () => resolve());
  });
  applyConnectionLimits(server, env);
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  const lifecycle = lifecycleLogger(log);
  lifecycle.info(
    { url, data_dir: env.dataDir, database: describeTarget({ databaseUrl: env.databaseUrl, dataDir: env.dataDir }) },
    'mamgate listening',
  );

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      lifecycle.info('shutting down: finishing in-flight requests');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      shutdown.abort();
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs ?? 10_000);
      await closed;
      clearTimeout(grace);
      await new Promise<void>((resolve) => control.close(() => resolve()));
      verifier.close();
      gate.close();
      rechecks.close();
      await revocations.stop();
      link.close();
      await ldapSchedule.stop();
      await refusals.close();
      await attemptWindows.close();
      await changes.close();
      await db.destroy();
      lifecycle.info('stopped');
      lifecycle.flush?.();
      log.flush?.();
    })();
    return stopping;
  };
  return { url, ctx, gate, link, identities, app, stop };
}
