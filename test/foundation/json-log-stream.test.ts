// What `mamgate serve` writes, from its start through requests (answered, refused, failed) to its stop on SIGTERM,
// is JSON log lines only: a log collector reads the stream line by line, and one line of plain text breaks it.
// At LOG_LEVEL=warn the start and stop lines are still written (a supervisor waits for the url), as JSON.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { API_BASE, PLUGIN_BASE } from '../../server/http/app.ts';
import { cliEnv, type ServeProcess, startServe, waitForReady } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';

/** Every line of the text, parsed; fails naming the first line that is not a JSON object. */
function jsonLines(text: string, stream: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        assert.fail(`a ${stream} line is not JSON: ${line}`);
      }
      assert.ok(parsed && typeof parsed === 'object' && !Array.isArray(parsed), `a ${stream} line is not a JSON object: ${line}`);
      return parsed as Record<string, unknown>;
    });
}

describe('the service log stream', { timeout: 180_000 }, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function serve(logLevel: string): Promise<ServeProcess> {
    const database: TestDatabase = await createTestDatabase();
    const dataDir = mkdtempSync('/tmp/mgj-');
    const node = await startServe(
      cliEnv({ DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1', MAMGATE_DATA_DIR: dataDir, LOG_LEVEL: logLevel }),
    );
    cleanups.push(
      () => node.kill(),
      () => database.drop(),
      () => rmSync(dataDir, { recursive: true, force: true }),
    );
    await waitForReady(node.url);
    return node;
  }

  test('debug: start, answered and refused requests, a bad sign-in, SIGTERM → every line on stdout and stderr is JSON', async () => {
    const node = await serve('debug');
    await fetch(`${node.url}/healthz`);
    await fetch(`${node.url}/no/such/route`);
    await fetch(`${node.url}${API_BASE}/admin/settings`);
    await fetch(`${node.url}/oauth/intune`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"token":' });
    await fetch(`${node.url}/oauth/intune`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ access_token: 'a.b.c', device_id: 'apple_rnbeta-x' }),
    });
    await fetch(`${node.url}${PLUGIN_BASE}/saml/metadata`);
    assert.deepEqual(await node.stop('SIGTERM'), { code: 0, signal: null });

    assert.deepEqual(jsonLines(node.stdout(), 'stdout'), [], 'nothing on standard output');
    const lines = jsonLines(node.stderr(), 'stderr');
    const messages = lines.map((line) => line.msg);
    for (const msg of ['database ready', 'mamgate listening', 'request', 'signal received: stopping', 'stopped']) {
      assert.ok(messages.includes(msg), `a "${msg}" line: ${messages.join(' | ')}`);
    }
    const listening = lines.find((line) => line.msg === 'mamgate listening')!;
    assert.equal(listening.url, node.url);
    assert.match(String(listening.database), /^postgres/i);
    assert.equal(lines.find((line) => line.msg === 'signal received: stopping')!.signal, 'SIGTERM');
    for (const line of lines) {
      assert.equal(line.service, 'mamgate', JSON.stringify(line));
      assert.equal(typeof line.level, 'number', JSON.stringify(line));
      assert.equal(typeof line.time, 'string', JSON.stringify(line));
    }
  });

  test('warn: no request lines, but the start and stop lines are still written, as JSON', async () => {
    const node = await serve('warn');
    await fetch(`${node.url}/healthz`);
    assert.deepEqual(await node.stop('SIGTERM'), { code: 0, signal: null });
    const messages = jsonLines(node.stderr(), 'stderr').map((line) => line.msg);
    assert.ok(!messages.includes('request'), messages.join(' | '));
    for (const msg of ['mamgate listening', 'signal received: stopping', 'stopped']) assert.ok(messages.includes(msg), msg);
  });
});
