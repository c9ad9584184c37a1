// Faults the other suites do not cover, through the service's real HTTP surface:
//  - the signing-key endpoint slow beyond the fetch timeout, down, answering garbage (HTML, truncated JSON, no
//    usable key, an 8 MB body), and keys rotating mid-load — all through POST /oauth/intune;
//  - PostgreSQL cut and restored during a burst of gate and enrollment traffic;
//  - a second node (`mamgate serve`, a child process) killed with SIGKILL while enrollment reports are in flight.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import { hashToken } from '../../server/util/secret-token.ts';
import { cliEnv, type ServeProcess, startServe, waitForReady } from '../support/cli.ts';
import {
  CLIENT_ID,
  configureIntune,
  eventId,
  gate,
  gateBecomes,
  intuneEnv,
  MOBILE_CLIENT,
  report,
  type SignedIn,
  signIn,
  TENANT,
} from '../support/intune.ts';
import { type JwksFront, startJwksFront } from '../support/jwks-front.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';
import { type ApiAnswer, call, startTestService, type TestService } from '../support/service.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const JWKS_INIT = 'ent.intune.validate_token.jwks_init.app_error';
const DB_UNAVAILABLE = 'mamgate.database.unavailable.app_error';
const COOLDOWN_MS = 2000;
const FETCH_TIMEOUT_MS = 5000; // the verifier's, documented in the README

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** fetch with a client timeout, so a hang fails the test instead of stalling it. */
async function bounded(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<ApiAnswer> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs ?? 15_000) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, body, text };
}

describe('signing-key endpoint faults through POST /oauth/intune', { timeout: 180_000 }, () => {
  let idp: DevIdp;
  let front: JwksFront;
  let service: TestService;

  before(async () => {
    idp = await startDevIdp();
    front = await startJwksFront(idp.url);
    service = await startTestService({ env: intuneEnv(idp, { entraAuthority: front.url, jwksCooldownMs: COOLDOWN_MS }) });
    await configureIntune(service.url, service.adminToken);
  });
  after(async () => {
    await service?.close();
    await front?.stop();
    await idp?.stop();
  });

  /** A sign-in with a fresh token of the current key, issued under the front's authority. */
  const attempt = () => {
    const oid = randomUUID();
    const access = idp.mint({ tenant: TENANT, iss: front.issuerFor(TENANT), aud: CLIENT_ID, azp: MOBILE_CLIENT, oid, scp: 'login.mattermost', email: `k${oid.slice(0, 8)}@example.com` });
    return bounded(`${service.url}/oauth/intune`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ access_token: access, device_id: oid }) });
  };
  const assertJwksInit = (answer: ApiAnswer, what: string) => {
    assert.equal(answer.status, 503, `${what}: ${answer.text}`);
    assert.equal(answer.body.id, JWKS_INIT, what);
    assert.equal(answer.body.status_code, 503, what);
    assert.ok(answer.body.request_id && answer.body.next_step, what);
  };

  test('no keys ever fetched: down, HTML, truncated JSON, no usable key, an 8 MB body → 503 jwks_init, each fetched once', async () => {
    const faults: Array<[string, () => void]> = [
      ['down (HTTP 503)', () => idp.setJwksMode('down')],
      ['an HTML page', () => {
        idp.setJwksMode('up');
        front.mode = 'html';
      }],
      ['truncated JSON', () => {
        front.mode = 'text';
      }],
      ['no usable RSA key', () => {
        front.mode = 'no-keys';
      }],
      ['an 8 MB body', () => {
        front.mode = 'huge';
      }],
    ];
    for (const [label, apply] of faults) {
      apply();
      await sleep(COOLDOWN_MS + 100); // the no-keys retry interval: each attempt really fetches
      const before = front.keyFetches;
      const started = Date.now();
      assertJwksInit(await attempt(), label);
      assert.ok(Date.now() - started < FETCH_TIMEOUT_MS, `${label}: the refusal took ${Date.now() - started} ms`);
      assert.equal(front.keyFetches - before, 1, `${label}: one fetch`);
      // Right after a failure, another attempt is refused without a new fetch.
      assertJwksInit(await attempt(), `${label}, again`);
      assert.equal(front.keyFetches - before, 1, `${label}: no second fetch inside the retry interval`);
    }
    assert.equal(await service.ctx.db('sessions').count({ n: '*' }).first().then((r) => Number(r?.n)), 0, 'no session was created');
  });

  test('slow beyond the fetch timeout: concurrent sign-ins share one fetch and all answer 503 jwks_init after ~5 s', { timeout: 30_000 }, async () => {
    front.mode = 'slow';
    front.slowMs = FETCH_TIMEOUT_MS + 3000;
    await sleep(COOLDOWN_MS + 100);
    const before = front.keyFetches;
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 10 }, attempt));
    const elapsed = Date.now() - started;
    for (const [i, answer] of answers.entries()) assertJwksInit(answer, `slow, attempt ${i}`);
    assert.ok(elapsed >= FETCH_TIMEOUT_MS - 500 && elapsed < FETCH_TIMEOUT_MS + 2500, `answered after ${elapsed} ms`);
    assert.equal(front.keyFetches - before, 1, 'single-flight: one fetch for ten sign-ins');
  });

  test('the endpoint back: sign-in works again without a restart', async () => {
    front.mode = 'pass';
    await sleep(COOLDOWN_MS + 100);
    const answer = await attempt();
    assert.equal(answer.status, 200, answer.text);
    assert.ok(answer.headers.get('token')?.startsWith('mgs_'));
  });

  test('with cached keys, sign-in keeps working while the endpoint is down, hangs, is slow or answers garbage', { timeout: 60_000 }, async () => {
    const faults: Array<[string, () => void]> = [
      ['down', () => idp.setJwksMode('down')],
      ['hanging', () => idp.setJwksMode('hang')],
      ['slow', () => {
        idp.setJwksMode('up');
        front.mode = 'slow';
      }],
      ['HTML', () => {
        front.mode = 'html';
      }],
      ['8 MB body', () => {
        front.mode = 'huge';
      }],
    ];
    for (const [label, apply] of faults) {
      apply();
      const before = front.keyFetches;
      const started = Date.now();
      const answers = await Promise.all(Array.from({ length: 15 }, attempt));
      for (const answer of answers) assert.equal(answer.status, 200, `${label}: ${answer.text}`);
      assert.ok(Date.now() - started < 3000, `${label}: 15 sign-ins took ${Date.now() - started} ms`);
      assert.equal(front.keyFetches, before, `${label}: a known key needs no fetch`);
    }
    idp.setJwksMode('up');
    front.mode = 'pass';
  });

  test('keys rotated mid-load (old key kept): every sign-in succeeds, at most one refresh', { timeout: 60_000 }, async () => {
    await sleep(COOLDOWN_MS + 100); // outside the cooldown: the first new kid may refresh once
    const before = front.keyFetches;
    const statuses: number[] = [];
    let done = 0;
    let rotated = false;
    const worker = async () => {
      for (let i = 0; i < 25; i++) {
        const answer = await attempt();
        statuses.push(answer.status);
        assert.equal(answer.status, 200, `sign-in ${done} (${rotated ? 'after' : 'before'} rotation): ${answer.text}`);
        done++;
        if (done === 60 && !rotated) {
          rotated = true;
          await idp.rotate({ keepOld: true });
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    assert.ok(rotated);
    assert.equal(statuses.length, 200);
    const fetches = front.keyFetches - before;
    assert.ok(fetches <= 1, `${fetches} key fetches for 200 sign-ins across one rotation`);
    assert.equal(idp.stats().publishedKids.length >= 2, true);
  });
});

describe('PostgreSQL restarted during a burst of gate and enrollment traffic', { timeout: 120_000 }, () => {
  let idp: DevIdp;
  let database: TestDatabase;
  let proxy: TcpProxy;
  let service: TestService;

  before(async () => {
    idp = await startDevIdp();
    database = await createTestDatabase();
    const direct = new URL(database.url);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    service = await startTestService({ databaseUrl: proxy.urlFor(database.url), env: intuneEnv(idp, { feedStaleMs: 1000, feedPollMs: 200 }) });
    await configureIntune(service.url, service.adminToken);
  });
  after(async () => {
    proxy?.restore();
    await service?.close();
    await proxy?.close();
    await database?.drop();
    await idp?.stop();
  });

  test('gate answers only 204/401/403/503, never 204 while pending; recovery without restart; no accepted report lost', async () => {
    const pending: SignedIn[] = [];
    const reporting: SignedIn[] = [];
    for (let i = 0; i < 6; i++) pending.push(await signIn(service.url, idp, { deviceId: `pg-pending-${i}` }));
    for (let i = 0; i < 6; i++) reporting.push(await signIn(service.url, idp, { deviceId: `pg-report-${i}` }));
    const pendingTokens = new Set(pending.map((s) => s.token));
    const accepted: string[] = [];
    const problems: string[] = [];
    const seen = { gate: new Map<number, number>(), report: new Map<number, number>() };
    const count = (map: Map<number, number>, status: number) => map.set(status, (map.get(status) ?? 0) + 1);
    let stop = false;

    const gateWorker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const session = (i + w) % 2 === 0 ? pending[i % pending.length]! : reporting[i % reporting.length]!;
        try {
          const answer = await bounded(`${service.url}/plugins/mamgate/api/v1/gate`, { headers: { authorization: `Bearer ${session.token}` }, timeoutMs: 10_000 });
          count(seen.gate, answer.status);
          if (![204, 401, 403, 503].includes(answer.status)) problems.push(`gate ${answer.status} ${answer.text}`);
          if (answer.status === 204 && pendingTokens.has(session.token)) problems.push('gate 204 for a pending session');
          if (answer.status === 503 && answer.body.id !== DB_UNAVAILABLE) problems.push(`gate 503 ${answer.text}`);
        } catch (error) {
          problems.push(`gate: ${String(error)}`);
        }
      }
    };
    const reportWorker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const session = reporting[(i + w) % reporting.length]!;
        const id = eventId('pg');
        try {
          const body = JSON.stringify({ event_id: id, status: i % 3 === 2 ? 'declined' : 'enrolled' });
          const answer = await bounded(`${service.url}/plugins/mamgate/api/v1/enrollment`, {
            method: 'POST',
            headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
            body,
            timeoutMs: 15_000,
          });
          count(seen.report, answer.status);
          if (answer.status === 200) accepted.push(id);
          else if (!(answer.status === 503 && answer.body.id === DB_UNAVAILABLE)) problems.push(`report ${answer.status} ${answer.text}`);
        } catch (error) {
          problems.push(`report: ${String(error)}`);
        }
        await sleep(10);
      }
    };

    const workers = [...Array.from({ length: 4 }, (_, w) => gateWorker(w)), ...Array.from({ length: 3 }, (_, w) => reportWorker(w))];
    await sleep(1500);
    const acceptedBeforeCut = accepted.length;
    proxy.cut();
    await sleep(2500);
    const gateDuringOutage = seen.gate.get(503) ?? 0;
    proxy.restore();
    await sleep(3000);
    stop = true;
    await Promise.all(workers);

    assert.deepEqual(problems.slice(0, 10), [], `statuses seen: gate ${JSON.stringify([...seen.gate])}, reports ${JSON.stringify([...seen.report])}`);
    assert.ok(acceptedBeforeCut > 0, 'reports were accepted before the cut');
    assert.ok(gateDuringOutage > 0, 'the gate failed closed (503) during the outage');
    assert.ok(accepted.length > acceptedBeforeCut, 'reports were accepted again after the restore');

    // Recovered without a restart: the gate decides from the database again.
    const enrolled = reporting[0]!;
    await report(service.url, enrolled.token, { event_id: eventId('after'), status: 'enrolled' });
    await gateBecomes(service.url, enrolled.token, 204, 10_000);
    assert.equal((await gate(service.url, pending[0]!.token)).status, 403);
    assert.equal((await call(`${service.url}/readyz`)).status, 200);

    // Every report answered 200 is stored.
    const stored = new Set(
      (await service.ctx.db('enrollment_events').whereIn('event_id', accepted).select('event_id')).map((r: { event_id: string }) => r.event_id),
    );
    const lost = accepted.filter((id) => !stored.has(id));
    assert.deepEqual(lost, [], `${lost.length} of ${accepted.length} accepted reports are not in the database`);
  });
});

describe('a node killed mid-request', { timeout: 120_000 }, () => {
  let idp: DevIdp;
  let service: TestService;
  let node: ServeProcess | undefined;
  let dataDir: string;

  before(async () => {
    idp = await startDevIdp();
    service = await startTestService({ env: intuneEnv(idp, { feedPollMs: 200 }) });
    await configureIntune(service.url, service.adminToken);
    dataDir = mkdtempSync('/tmp/mgt-node-');
    node = await startServe(
      cliEnv({
        DATABASE_URL: service.database!.url,
        PORT: '0',
        MAMGATE_DATA_DIR: dataDir,
        MAMGATE_ENTRA_AUTHORITY: idp.url,
        MAMGATE_LOGIN_RATE_PER_IP: '0',
        MAMGATE_LOGIN_RATE_PER_TENANT: '0',
        MAMGATE_FEED_POLL_MS: '200',
        LOG_LEVEL: 'warn',
      }),
    );
    await waitForReady(node.url);
  });
  after(async () => {
    node?.kill();
    await service?.close();
    await idp?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('SIGKILL during enrollment reports: no half-written report, the other node agrees with the database', async () => {
    const sessions: SignedIn[] = [];
    for (let i = 0; i < 10; i++) sessions.push(await signIn(service.url, idp, { deviceId: `kill-${i}` }));
    const b = node!;
    // The second node serves the sessions too.
    assert.equal((await gate(b.url, sessions[0]!.token)).status, 403);

    const answered: Array<{ session: SignedIn; id: string; status: string }> = [];
    const failedInFlight: string[] = [];
    let inFlight = 0;
    let killed = false;
    const worker = async (session: SignedIn, w: number) => {
      for (let n = w; !killed; n++) {
        const id = eventId('kill');
        const status = n % 2 === 0 ? 'enrolled' : 'declined';
        inFlight++;
        try {
          const answer = await bounded(`${b.url}/plugins/mamgate/api/v1/enrollment`, {
            method: 'POST',
            headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ event_id: id, status }),
            timeoutMs: 10_000,
          });
          assert.equal(answer.status, 200, answer.text);
          answered.push({ session, id, status });
        } catch (error) {
          if (error instanceof assert.AssertionError) throw error;
          failedInFlight.push(id);
        } finally {
          inFlight--;
        }
      }
    };
    // Two reporters per session; the node is killed once 30 reports were answered, while others are in flight.
    const workers = sessions.flatMap((s, i) => [worker(s, i), worker(s, i + 1)]);
    const deadline = Date.now() + 20_000;
    while (!(answered.length >= 30 && inFlight > 0) && Date.now() < deadline) await sleep(2);
    assert.ok(answered.length >= 30 && inFlight > 0, `no moment with 30 answers and a request in flight (${answered.length} answered)`);
    b.child.kill('SIGKILL');
    killed = true;
    await Promise.all(workers);
    const exit = await b.exited;
    assert.equal(exit.signal, 'SIGKILL');
    assert.ok(failedInFlight.length > 0, 'at least one request was cut by the kill');

    // Every answered report is stored; every stored report is whole: the session's state is its latest event's.
    const db = service.ctx.db;
    const storedIds = new Set((await db('enrollment_events').select('event_id')).map((r: { event_id: string }) => r.event_id));
    for (const one of answered) assert.ok(storedIds.has(one.id), `answered report ${one.id} is stored`);
    for (const session of sessions) {
      const row = await db('sessions').where({ token_hash: hashToken(session.token) }).first();
      const latest = await db('enrollment_events').where({ session_id: row.id }).orderBy('id', 'desc').first();
      if (!latest) {
        assert.equal(row.mam_state, 'pending', 'no event, still pending');
        continue;
      }
      assert.equal(row.mam_state, latest.status, `session ${row.id}: state ${row.mam_state}, latest event ${latest.status}`);
      const enrollment = await db('enrollments').where({ tenant_id: row.tenant_id, object_id: row.object_id, device_id: row.device_id }).first();
      assert.equal(enrollment?.state, latest.status, 'the per-device enrollment agrees');
      const audits = await db('audit_log').where({ target: `session:${row.id}` }).whereLike('action', 'enrollment.%').count({ n: '*' }).first();
      const events = await db('enrollment_events').where({ session_id: row.id }).count({ n: '*' }).first();
      assert.equal(Number(audits?.n), Number(events?.n), 'one audit entry per stored report');
      // The surviving node decides from the same state.
      const expected = latest.status === 'enrolled' ? 204 : 403;
      await gateBecomes(service.url, session.token, expected, 5000);
    }
    assert.equal((await call(`${service.url}/readyz`)).status, 200);
  });
});
