// Operator endpoints and lifecycle: liveness, readiness (database and migrations), Prometheus metrics labelled by
// route pattern, and a graceful shutdown that lets an in-flight request finish.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { createAdminToken } from '../../server/admin/tokens.ts';
import { readEnvironment } from '../../server/config/env.ts';
import { API_BASE } from '../../server/http/app.ts';
import { type RunningService, startService } from '../../server/runtime/service.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { call, LogCapture, startTestService, type TestService } from '../support/service.ts';

describe('operations', () => {
  let service: TestService;
  before(async () => {
    service = await startTestService();
  });
  after(() => service.close());

  test('/healthz and /readyz answer 200', async () => {
    const health = await call(`${service.url}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'ok');
    const ready = await call(`${service.url}/readyz`);
    assert.equal(ready.status, 200, ready.text);
    assert.equal(ready.body.database, 'ok');
    assert.equal(ready.body.migrations, 'current');
  });

  test('/readyz answers 503 migrations_pending while a migration is not applied', async () => {
    const db = service.ctx.db;
    const row = await db('knex_migrations').orderBy('id', 'desc').first();
    assert.ok(row, 'migrations were applied at start');
    await db('knex_migrations').where({ id: row.id }).del();
    try {
      const answer = await call(`${service.url}/readyz`);
      assert.equal(answer.status, 503, answer.text);
      assert.equal(answer.body.id, 'mamgate.database.migrations_pending.app_error');
      assert.equal(answer.body.status_code, 503);
      assert.match(answer.body.message, /1 migration/);
      assert.ok(answer.body.detailed_error.includes(row.name), 'the pending migration is named');
      assert.equal((await call(`${service.url}/healthz`)).status, 200, 'liveness does not depend on migrations');
    } finally {
      await db('knex_migrations').insert(row);
    }
    assert.equal((await call(`${service.url}/readyz`)).status, 200);
  });

  test('/metrics counts requests by route pattern, never by raw path', async () => {
    const rawIds = ['raw-id-3f9a7c21', 'user-0b1c2d3e4f', 'token-abc123def456'];
    await call(`${service.url}/api/v4/config/client?format=old`);
    await call(`${service.url}${API_BASE}/admin/settings`, { token: service.adminToken });
    await call(`${service.url}${API_BASE}/admin/settings/history?limit=5`, { token: service.adminToken });
    await call(`${service.url}/api/v4/users/${rawIds[0]}`);
    await call(`${service.url}${API_BASE}/admin/tokens/${rawIds[1]}`, { token: service.adminToken });
    await call(`${service.url}${API_BASE}/admin/${rawIds[2]}`);

    const answer = await call(`${service.url}/metrics`);
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /^text\/plain/);
    const lines = answer.text.split('\n').filter((l) => l.startsWith('mamgate_http_requests_total{'));
    const labels = lines.map((l) => {
      const route = /route="([^"]*)"/.exec(l)?.[1];
      const status = /status="([^"]*)"/.exec(l)?.[1];
      assert.ok(route !== undefined && status !== undefined, l);
      return { route, status };
    });
    const has = (route: string, status: string) => labels.some((l) => l.route === route && l.status === status);
    assert.ok(has('/api/v4/config/client', '200'), 'the client config route');
    assert.ok(has(`${API_BASE}/admin/settings`, '200'), 'the admin settings route, mount path included');
    assert.ok(has(`${API_BASE}/admin/settings/history`, '200'));
    assert.ok(has('unmatched', '404'), 'unknown paths share one label');
    assert.ok(has('unmatched', '401'), 'refused admin calls share one label');
    for (const { route } of labels) {
      assert.ok(route === 'unmatched' || route.startsWith('/'), route);
      for (const id of rawIds) assert.ok(!route.includes(id), `raw id in route label ${route}`);
      assert.ok(!route.includes('?'), 'no query strings in labels');
    }
    assert.ok(!answer.text.includes(service.adminToken));
    assert.match(answer.text, /mamgate_http_request_duration_seconds_bucket\{/);
    assert.match(answer.text, /mamgate_process_cpu_user_seconds_total/);
  });

  test('errors answered by the operator routes are AppErrors with request ids', async () => {
    const answer = await call(`${service.url}/readyz`, { method: 'POST', body: {} });
    assert.equal(answer.status, 404);
    assert.equal(answer.body.id, 'mamgate.request.not_found.app_error');
    assert.equal(answer.body.request_id, answer.headers.get('x-request-id'));
  });
});

describe('graceful shutdown', () => {
  // Started here rather than through startTestService so the grace period is long: the test then does not race it.
  let database: TestDatabase;
  let dataDir: string;
  let service: RunningService;
  let stopped: Promise<void> | undefined;
  before(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync('/tmp/mgt-');
    const env = { ...readEnvironment({}), port: 0, dataDir, databaseUrl: database.url, logLevel: 'warn' };
    service = await startService(env, { logDestination: new LogCapture(), shutdownGraceMs: 60_000 });
  });
  after(async () => {
    await (stopped ?? service.stop());
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('an in-flight request finishes after stop() is called, new connections are refused, stop() resolves', async () => {
    const { token } = await createAdminToken(service.ctx.db, 'shutdown', { name: 'test', requestId: null });
    const target = new URL(`${service.url}${API_BASE}/admin/settings`);
    const body = Buffer.from(JSON.stringify({ Office365Settings: { Enable: true } }));
    const req = http.request({
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      method: 'PUT',
      agent: false,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-length': String(body.length),
        // The server answers "100 Continue" once it has parsed the headers and is handling the request.
        expect: '100-continue',
      },
    });
    const handling = new Promise<void>((resolve) => req.once('continue', () => resolve()));
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
    req.flushHeaders();
    await handling;

    stopped = service.stop();
    let stopResolved = false;
    void stopped.then(() => {
      stopResolved = true;
    });
    await assert.rejects(fetch(`${service.url}/healthz`), 'new connections are refused once stop() began');
    assert.equal(stopResolved, false, 'stop() waits for the in-flight request');

    req.end(body);
    const answer = await answered;
    assert.equal(answer.status, 200, answer.text);
    assert.equal(JSON.parse(answer.text).Office365Settings.Enable, true);
    await stopped;
    assert.equal(stopResolved, true);
    await assert.rejects(service.ctx.db.raw('select 1'), 'the pool is closed');
  });
});
