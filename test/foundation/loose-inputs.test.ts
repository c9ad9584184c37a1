// Issue 16, item 10: the sign-in's token errors are the token's (401 invalid_token, not 400) while the body shape
// stays validated; a repeated query parameter on an admin route is refused, never silently dropped; and a client
// sending its body slowly, or opening connections beyond the cap, cannot hold the service.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { MAX_TOKEN_LENGTH } from '../../server/token/compact-jws.ts';
import { adminUrl, type IntuneService, startIntuneService } from '../support/intune.ts';
import { call } from '../support/service.ts';

const INVALID_TOKEN = 'ent.intune.validate_token.invalid_token.app_error';
const INVALID_QUERY = 'mamgate.request.invalid_query_param.app_error';
const REQUEST_TIMEOUT_MS = 1500;
const MAX_CONNECTIONS = 8;

describe('loose inputs', { timeout: 60_000 }, () => {
  let intune: IntuneService;
  let port: number;
  before(async () => {
    intune = await startIntuneService({
      env: { httpRequestTimeoutMs: REQUEST_TIMEOUT_MS, httpHeadersTimeoutMs: 1000, httpMaxConnections: MAX_CONNECTIONS },
    });
    port = Number(new URL(intune.service.url).port);
  });
  after(() => intune?.close());

  const signIn = (body: unknown) => call(`${intune.service.url}/oauth/intune`, { body });

  test('an empty or oversized access_token → 401 invalid_token; a token of the wrong type is still 400', async () => {
    for (const access_token of ['', 'a'.repeat(MAX_TOKEN_LENGTH + 1)]) {
      const answer = await signIn({ access_token });
      assert.equal(answer.status, 401, answer.text);
      assert.equal(answer.body.id, INVALID_TOKEN);
    }
    for (const body of [{ access_token: 5 }, {}, { access_token: 'x', device_id: 7 }]) {
      const answer = await signIn(body);
      assert.equal(answer.status, 400, answer.text);
      assert.equal(answer.body.id, 'mamgate.request.invalid_body_param.app_error');
    }
  });

  test('a repeated query parameter on an admin route → 400 invalid_query_param naming it', async () => {
    const { url, adminToken } = intune.service;
    const report = randomUUID(); // the query is read before the report is looked up
    const cases: Array<[string, string]> = [
      ['audit?action=a&action=b', 'action'],
      ['audit?limit=5&limit=6', 'limit'],
      ['enrollments?user_id=a&user_id=b', 'user_id'],
      ['enrollments?cause=a&cause=b', 'cause'],
      ['evidence?user=a&user=b', 'user'],
      ['evidence?before=a&before=b', 'before'],
      [`reports/identity-alignment/${report}/rows?status=matched&status=missing_source`, 'status'],
      [`reports/identity-alignment/${report}/rows?q=a&q=b`, 'q'],
      [`reports/identity-alignment/${report}/download?format=csv&format=jsonl`, 'format'],
      ['reports/identity-alignment?limit=1&limit=2', 'limit'],
      ['settings/history?limit=1&limit=2', 'limit'],
    ];
    for (const [path, field] of cases) {
      const answer = await call(adminUrl(url, path), { token: adminToken });
      assert.equal(answer.status, 400, `${path}: ${answer.text}`);
      assert.equal(answer.body.id, INVALID_QUERY, path);
      assert.match(answer.body.message, new RegExp(field), path);
    }
    // One value still filters.
    assert.equal((await call(adminUrl(url, 'audit?action=settings.update'), { token: adminToken })).status, 200);
  });

  test('a client sending its body one byte at a time is answered 408 and cut off within the request timeout', async () => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('POST /oauth/intune HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
    const trickle = setInterval(() => socket.write(' '), 100);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    const limit = REQUEST_TIMEOUT_MS + 2000 + 1000; // the timeout, node:http's check interval (1 s) and slack
    const outcome = await Promise.race([closed.then(() => 'closed'), new Promise((r) => setTimeout(() => r('still open'), limit))]);
    clearInterval(trickle);
    socket.destroy();
    assert.equal(outcome, 'closed', `the slow client was still connected after ${limit} ms`);
    assert.ok(Date.now() - started >= REQUEST_TIMEOUT_MS - 100);
    assert.match(Buffer.concat(received).toString('latin1'), /^HTTP\/1\.1 408/);
  });

  test(`connections beyond the cap (${MAX_CONNECTIONS}) are refused; the service answers again once they close`, async () => {
    const held: net.Socket[] = [];
    for (let i = 0; i < MAX_CONNECTIONS; i++) {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      held.push(socket);
    }
    await new Promise((r) => setTimeout(r, 100));
    const extra = net.connect(port, '127.0.0.1');
    extra.on('error', () => undefined);
    extra.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const answered = await new Promise<string>((resolve) => {
      extra.once('data', () => resolve('answered'));
      extra.once('close', () => resolve('closed'));
      setTimeout(() => resolve('pending'), 2000);
    });
    extra.destroy();
    assert.equal(answered, 'closed');
    for (const socket of held) socket.destroy();
    await new Promise((r) => setTimeout(r, 100));
    assert.notEqual((await call(`${intune.service.url}/healthz`)).status, 0);
  });
});
