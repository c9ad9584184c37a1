// The OpenAPI document against the running service: every route of the Express app and of the plain node:http
// paths (gate, sign-in) is in the document and every operation in it is a route; every operation is called with a
// valid request (and where cheap a bad one), the request checked against the document's parameter and body schemas,
// the real answer's status, media type and JSON body against the document's answer (Ajv, JSON Schema 2020-12).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { GATE_PATH } from '../../server/http/gate-handler.ts';
import { listRoutes } from '../../server/http/route-list.ts';
import { SIGN_IN_PATH } from '../../server/http/sign-in-handler.ts';
import { CLIENT_ID, eventId, insertUser, type IntuneService, MOBILE_CLIENT, signIn, startIntuneService, TENANT } from '../support/intune.ts';

const API = '/plugins/mamgate/api/v1';
const ADMIN = `${API}/admin`;
const REPORTS = `${ADMIN}/reports/identity-alignment`;

type Json = Record<string, any>;

interface Case {
  /** The path as the document names it ({id} for a parameter). */
  operation: string;
  method: string;
  /** The URL path and query sent. */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Whether the request is valid by the document (its parameters and body are checked against it either way). */
  valid: boolean;
  /** The status the service must answer. */
  status: number;
}

describe('OpenAPI document and the running service', { timeout: 300_000 }, () => {
  let setup: IntuneService;
  let base: string;
  let admin: Record<string, string>;
  let doc: Json;
  let ajv: Ajv2020;
  let session: string;
  let userId: string;

  before(async () => {
    setup = await startIntuneService();
    base = setup.service.url;
    admin = { authorization: `Bearer ${setup.service.adminToken}` };
    const answer = await fetch(`${base}${API}/openapi.json`);
    assert.equal(answer.status, 200);
    doc = (await answer.json()) as Json;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    // ISO 8601 times as the service writes them (toISOString); Ajv's own formats are a package of their own.
    ajv.addFormat('date-time', { type: 'string', validate: (value: string) => !Number.isNaN(Date.parse(value)) && /T\d{2}:\d{2}/.test(value) });
    ajv.addSchema(doc, 'openapi.json');
    const signedIn = await signIn(base, setup.idp, { deviceId: 'contract-phone' });
    session = signedIn.token;
    userId = signedIn.userId;
  });
  after(() => setup?.close());

  const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

  function validate(path: string[], value: unknown): string | null {
    const check = ajv.compile({ $ref: `openapi.json#/${pointer(...path)}` });
    return check(value) ? null : ajv.errorsText(check.errors);
  }

  function operationOf(c: Case): Json {
    const operation = doc.paths[c.operation]?.[c.method.toLowerCase()];
    assert.ok(operation, `${c.method} ${c.operation} is in the document`);
    return operation;
  }

  /** Each query parameter sent is a documented one, and fits its schema (or, for a bad request, some does not). */
  function requestProblems(c: Case, operation: Json): string[] {
    const problems: string[] = [];
    const url = new URL(c.url, base);
    const params = (operation.parameters ?? []) as Json[];
    params.forEach((param, index) => {
      if (param.in !== 'query') return;
      const value = url.searchParams.get(param.name);
      if (value === null) {
        if (param.required) problems.push(`${param.name} is required`);
        return;
      }
      const problem = validate(['paths', c.operation, c.method.toLowerCase(), 'parameters', String(index), 'schema'], value);
      if (problem) problems.push(`${param.name}: ${problem}`);
    });
    for (const name of url.searchParams.keys()) {
      assert.ok(params.some((p) => p.in === 'query' && p.name === name), `${c.method} ${c.operation}: query parameter ${name} is documented`);
    }
    if (c.body !== undefined && typeof c.body !== 'string') {
      const content = operation.requestBody?.content ?? {};
      const media = Object.keys(content).find((m) => m === 'application/json' || m === 'application/x-www-form-urlencoded');
      assert.ok(media, `${c.method} ${c.operation}: a body is documented`);
      const problem = validate(['paths', c.operation, c.method.toLowerCase(), 'requestBody', 'content', media, 'schema'], c.body);
      if (problem) problems.push(`body: ${problem}`);
    }
    return problems;
  }

  async function send(c: Case): Promise<{ status: number; type: string; text: string }> {
    const headers: Record<string, string> = { ...c.headers };
    let body: string | undefined;
    if (c.body !== undefined) {
      if (typeof c.body === 'string') body = c.body;
      else if (headers['content-type'] === 'application/x-www-form-urlencoded') body = new URLSearchParams(c.body as Record<string, string>).toString();
      else {
        body = JSON.stringify(c.body);
        headers['content-type'] ??= 'application/json';
      }
    }
    const controller = new AbortController();
    const response = await fetch(`${base}${c.url}`, { method: c.method, headers, body, redirect: 'manual', signal: controller.signal });
    const type = response.headers.get('content-type') ?? '';
    // An event stream stays open: its status and media type are the answer.
    const text = type.startsWith('text/event-stream') ? '' : await response.text();
    controller.abort();
    return { status: response.status, type, text };
  }

  async function check(c: Case): Promise<Json | string> {
    const operation = operationOf(c);
    const problems = requestProblems(c, operation);
    if (c.valid) assert.deepEqual(problems, [], `${c.method} ${c.url}: the request fits the document`);
    else assert.notDeepEqual(problems, [], `${c.method} ${c.url}: the document refuses the bad request too`);
    const answer = await send(c);
    assert.equal(answer.status, c.status, `${c.method} ${c.url}: ${answer.text.slice(0, 300)}`);
    const documented = operation.responses[String(answer.status)];
    assert.ok(documented, `${c.method} ${c.operation}: status ${answer.status} is documented`);
    if (answer.status === 204 || answer.status === 302) {
      assert.equal(answer.text, '', 'no body');
      return '';
    }
    const media = answer.type.split(';')[0]!.trim();
    const content = documented.content ?? {};
    assert.ok(media in content, `${c.method} ${c.operation} ${answer.status}: media type ${media} is documented (${Object.keys(content)})`);
    if (media !== 'application/json') return answer.text;
    const body = JSON.parse(answer.text);
    const problem = validate(['paths', c.operation, c.method.toLowerCase(), 'responses', String(answer.status), 'content', media, 'schema'], body);
    assert.equal(problem, null, `${c.method} ${c.url} ${answer.status}: the answer fits the document: ${answer.text.slice(0, 400)}`);
    return body;
  }

  const get = (operation: string, url: string, status: number, headers?: Record<string, string>): Case => ({ operation, method: 'GET', url, status, headers, valid: true });

  test('every route the service answers is in the document, and every operation is a route', () => {
    const served = [
      ...listRoutes(setup.service.app).map((r) => `${r.method.toUpperCase()} ${r.path}`),
      `GET ${GATE_PATH}`,
      `POST ${SIGN_IN_PATH}`,
      'GET /plugins/mamgate/admin/', // the admin pages' static router: no route of its own
    ];
    const documented = Object.entries(doc.paths as Json).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    assert.ok(served.length > 30, `routes listed from the app: ${served.length}`);
    assert.deepEqual(served.filter((r) => !documented.includes(r)), [], 'routes missing from the document');
    assert.deepEqual(documented.filter((r) => !served.includes(r)), [], 'operations no route answers');
    assert.equal(doc.openapi, '3.1.1');
    assert.equal(doc.info.version, JSON.parse(readFileSync('package.json', 'utf8')).version, 'the version is package.json\'s');
  });

  test('every operation answers as the document promises, for a valid request and a bad one', async () => {
    const called = new Set<string>();
    const run = async (c: Case) => {
      called.add(`${c.method} ${c.operation}`);
      return check(c);
    };
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

    // Operations, pre-login, the document itself.
    await run(get('/healthz', '/healthz', 200));
    await run(get('/readyz', '/readyz', 200));
    assert.match(String(await run(get('/metrics', '/metrics', 200))), /mamgate_/);
    await run(get(`${API}/openapi.json`, `${API}/openapi.json`, 200));
    const config = (await run(get('/api/v4/config/client', '/api/v4/config/client', 200))) as Json;
    assert.equal(config.IntuneMAMEnabled, 'true');
    await run(get('/api/v4/license/client', '/api/v4/license/client', 200));
    await run(get('/plugins/mamgate/admin/', '/plugins/mamgate/admin/', (await fetch(`${base}/plugins/mamgate/admin/`)).status));

    // Sign-in: a valid token, and a body without one.
    const minted = setup.idp.mint({ tenant: TENANT, aud: CLIENT_ID, azp: MOBILE_CLIENT, oid: randomUUID(), scp: 'login.mattermost', email: 'contract@example.com' });
    await run({ operation: SIGN_IN_PATH, method: 'POST', url: SIGN_IN_PATH, body: { access_token: minted, device_id: 'd2' }, valid: true, status: 200 });
    await run({ operation: SIGN_IN_PATH, method: 'POST', url: SIGN_IN_PATH, body: { device_id: 'd2' }, valid: false, status: 400 });

    // The mobile session: pending until its report, then the gate passes.
    const sessionHeaders = bearer(session);
    await run(get(GATE_PATH, GATE_PATH, 403, sessionHeaders));
    await run(get(GATE_PATH, GATE_PATH, 401));
    await run(get(`${API}/session`, `${API}/session`, 200, sessionHeaders));
    await run(get(`${API}/events`, `${API}/events`, 200, sessionHeaders));
    await run(get(`${API}/events`, `${API}/events`, 401));
    const enrollment = { operation: `${API}/enrollment`, method: 'POST', url: `${API}/enrollment` };
    await run({ ...enrollment, headers: sessionHeaders, body: { event_id: 'bad id!', status: 'enrolled' }, valid: false, status: 400 });
    await run({ ...enrollment, headers: sessionHeaders, body: { event_id: eventId(), status: 'enrolled' }, valid: true, status: 200 });
    await run(get(GATE_PATH, GATE_PATH, 204, sessionHeaders));

    // SAML, not configured: metadata is still answered; the sign-in routes refuse with the catalogue.
    await run(get('/plugins/mamgate/saml/metadata', '/plugins/mamgate/saml/metadata', 403));
    const spEntity = { SamlSettings: { SpEntityId: 'https://chat.example.com/saml', AssertionConsumerServiceURL: 'https://chat.example.com/plugins/mamgate/saml/acs' } };
    const saved = await fetch(`${base}${ADMIN}/settings`, { method: 'PUT', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify(spEntity) });
    assert.equal(saved.status, 200, await saved.text());
    assert.match(String(await run(get('/plugins/mamgate/saml/metadata', '/plugins/mamgate/saml/metadata', 200))), /EntityDescriptor/);
    const samlLogin = await fetch(`${base}/plugins/mamgate/saml/login`, { redirect: 'manual' });
    await run(get('/plugins/mamgate/saml/login', '/plugins/mamgate/saml/login', samlLogin.status));
    assert.notEqual(samlLogin.status, 302, 'SAML is not configured here');
    const acs = { operation: '/plugins/mamgate/saml/acs', method: 'POST', url: '/plugins/mamgate/saml/acs' };
    const form = { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' };
    await run({ ...acs, headers: form, body: { RelayState: 'x' }, valid: false, status: 400 });
    const acsAnswer = await fetch(`${base}/plugins/mamgate/saml/acs`, { method: 'POST', headers: form, body: 'SAMLResponse=PHNhbWw%2B' });
    await run({ ...acs, headers: form, body: { SAMLResponse: 'PHNhbWw+' }, valid: true, status: acsAnswer.status });

    // Admin: settings and license, without credentials, with a bad document, with a good one.
    await run(get(`${ADMIN}/settings`, `${ADMIN}/settings`, 401));
    await run(get(`${ADMIN}/settings`, `${ADMIN}/settings`, 200, admin));
    const putSettings = { operation: `${ADMIN}/settings`, method: 'PUT', url: `${ADMIN}/settings`, headers: admin };
    await run({ ...putSettings, body: { NoSuchSection: {} }, valid: false, status: 400 });
    await run({ ...putSettings, body: { IntuneSettings: { MaxSyncAgeHours: 48 } }, valid: true, status: 200 });
    await run(get(`${ADMIN}/settings/effective`, `${ADMIN}/settings/effective`, 200, admin));
    await run(get(`${ADMIN}/settings/history`, `${ADMIN}/settings/history?limit=5`, 200, admin));
    await run({ ...get(`${ADMIN}/settings/history`, `${ADMIN}/settings/history?limit=five`, 400, admin), valid: false });
    await run(get(`${ADMIN}/license`, `${ADMIN}/license`, 200, admin));
    const putLicense = { operation: `${ADMIN}/license`, method: 'PUT', url: `${ADMIN}/license`, headers: admin };
    await run({ ...putLicense, body: { IsLicensed: 'yes' }, valid: false, status: 400 });
    await run({ ...putLicense, body: { IsLicensed: true, SkuShortName: 'advanced', SkuName: 'Enterprise Advanced' }, valid: true, status: 200 });

    // Admin: activity lists, each with a bad parameter too.
    for (const [path, query, bad] of [
      ['enrollments', `state=enrolled&user_id=${userId}&limit=10`, 'limit=-1'],
      ['android-attempts', 'days=30', 'days=x'],
      ['evidence', 'state=pending&source=client_report&limit=10', 'source=ldap'],
      ['audit', 'action=login.intune&limit=3', 'before=1.5'],
    ] as const) {
      await run(get(`${ADMIN}/${path}`, `${ADMIN}/${path}?${query}`, 200, admin));
      await run({ ...get(`${ADMIN}/${path}`, `${ADMIN}/${path}?${bad}`, 400, admin), valid: false });
    }
    const audit = (await run(get(`${ADMIN}/audit`, `${ADMIN}/audit?limit=1`, 200, admin))) as Json;
    assert.equal(audit.items.length, 1);
    assert.notEqual(audit.next_before, null, 'the audit has more than one entry');
    await run(get(`${ADMIN}/audit`, `${ADMIN}/audit?before=${audit.next_before}`, 200, admin));

    // Admin: one user's evidence (Graph is not configured: a catalogue error) and sessions.
    const verify = { operation: `${ADMIN}/users/{id}/evidence/verify`, method: 'POST', headers: admin, valid: true };
    const verifyAnswer = await fetch(`${base}${ADMIN}/users/${userId}/evidence/verify`, { method: 'POST', headers: admin });
    assert.ok(verifyAnswer.status >= 400, 'no Graph here');
    await run({ ...verify, url: `${ADMIN}/users/${userId}/evidence/verify`, status: verifyAnswer.status });
    await run({ ...verify, url: `${ADMIN}/users/no-such-user/evidence/verify`, status: 404 });
    const other = await insertUser(setup.service.ctx.db, { authService: 'office365', authData: randomUUID() });
    const revoke = { operation: `${ADMIN}/users/{id}/sessions/revoke`, method: 'POST', headers: admin, valid: true };
    assert.deepEqual(await run({ ...revoke, url: `${ADMIN}/users/${other}/sessions/revoke`, status: 200 }), { revoked: 0 });
    await run({ ...revoke, url: `${ADMIN}/users/no-such-user/sessions/revoke`, status: 404 });
    const detail = (await run(get(`${ADMIN}/users/{id}`, `${ADMIN}/users/${userId}`, 200, admin))) as { user: { id: string } };
    assert.equal(detail.user.id, userId);
    await run(get(`${ADMIN}/users/{id}`, `${ADMIN}/users/no-such-user`, 404, admin));

    // Admin: what a settings version changed, and the admin tokens.
    const diff = (await run(get(`${ADMIN}/settings/history/{version}/diff`, `${ADMIN}/settings/history/1/diff`, 200, admin))) as { version: number };
    assert.equal(diff.version, 1);
    const tokens = (await run(get(`${ADMIN}/admin-tokens`, `${ADMIN}/admin-tokens`, 200, admin))) as { items: { id: string }[] };
    assert.ok(tokens.items.length >= 1);
    const revokeToken = { operation: `${ADMIN}/admin-tokens/{id}/revoke`, method: 'POST', headers: admin, valid: true };
    await run({ ...revokeToken, url: `${ADMIN}/admin-tokens/no-such-token/revoke`, status: 404 });
    const importCase = { operation: `${ADMIN}/users/import`, method: 'POST', url: `${ADMIN}/users/import`, valid: true };
    const csv = `id,username,email,auth_service,auth_data\n${'c'.repeat(26)},carol,carol@example.com,office365,${randomUUID()}\nbad line,,\n`;
    const imported = (await run({ ...importCase, headers: { ...admin, 'content-type': 'text/csv' }, body: csv, status: 200 })) as Json;
    assert.equal(imported.imported, 1);
    assert.equal(imported.failed.length, 1);
    await run({ ...importCase, headers: { ...admin, 'content-type': 'text/plain' }, body: 'x', status: 415 });

    // Admin: an identity report from start to its download.
    const started = (await run({ operation: REPORTS, method: 'POST', url: REPORTS, headers: admin, valid: true, status: 202 })) as Json;
    const runUrl = `${REPORTS}/${started.id}`;
    let status = started.status as string;
    for (let i = 0; i < 200 && status !== 'completed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = ((await run(get(`${REPORTS}/{id}`, runUrl, 200, admin))) as Json).status;
    }
    assert.equal(status, 'completed');
    await run(get(`${REPORTS}/{id}`, `${REPORTS}/${randomUUID()}`, 404, admin));
    await run(get(REPORTS, `${REPORTS}?limit=5`, 200, admin));
    const rows = (await run(get(`${REPORTS}/{id}/rows`, `${runUrl}/rows?status=aligned&q=carol&limit=10&after=0`, 200, admin))) as Json;
    assert.ok(Array.isArray(rows.items));
    await run({ ...get(`${REPORTS}/{id}/rows`, `${runUrl}/rows?status=nope`, 400, admin), valid: false });
    assert.match(String(await run(get(`${REPORTS}/{id}/download`, `${runUrl}/download?format=csv`, 200, admin))), /^user_id|username/);
    await run(get(`${REPORTS}/{id}/download`, `${runUrl}/download?format=jsonl&status=aligned`, 200, admin));
    await run({ ...get(`${REPORTS}/{id}/download`, `${runUrl}/download?format=xml`, 400, admin), valid: false });
    await run({ operation: `${REPORTS}/{id}/cancel`, method: 'POST', url: `${runUrl}/cancel`, headers: admin, valid: true, status: 200 });

    // Admin: the charts' counts (the sign-in, the enrollment and the gate refusal above are in them).
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    const range = `since=${new Date(hour.getTime() - 3_600_000).toISOString()}&until=${new Date(hour.getTime() + 3_600_000).toISOString()}`;
    const counted: Record<string, Json> = {};
    // The last bad request fits the document (no schema bounds a range's bucket count) and is refused by the service.
    for (const [path, bad] of [
      ['enrollments', 'bucket=week'],
      ['sign-ins', 'bucket=minute'],
      ['gate-refusals', 'bucket=hour&since=2020-01-01T00:00:00Z'],
    ] as const) {
      counted[path] = (await run(get(`${ADMIN}/stats/${path}`, `${ADMIN}/stats/${path}?bucket=hour&${range}`, 200, admin))) as Json;
      await run(get(`${ADMIN}/stats/${path}`, `${ADMIN}/stats/${path}?bucket=day`, 200, admin));
      await run({ ...get(`${ADMIN}/stats/${path}`, `${ADMIN}/stats/${path}?${bad}`, 400, admin), valid: path === 'gate-refusals' });
    }
    assert.equal(counted.enrollments!.buckets.length, 2);
    assert.deepEqual(counted.enrollments!.series.map((s: Json) => [s.group, s.total]), [['enrolled', 1]]);
    assert.ok(counted['sign-ins']!.series.some((s: Json) => s.group === 'success' && s.total >= 1), 'the sign-in is counted');
    const alignment = (await run(get(`${ADMIN}/stats/alignment`, `${ADMIN}/stats/alignment?reports=5`, 200, admin))) as Json;
    assert.equal(alignment.reports.at(-1).id, started.id);
    await run({ ...get(`${ADMIN}/stats/alignment`, `${ADMIN}/stats/alignment?reports=ten`, 400, admin), valid: false });
    await run(get(`${ADMIN}/stats/alignment`, `${ADMIN}/stats/alignment?reports=0`, 400, admin));

    // Admin: checks, the tunnel validator, LDAP (not configured).
    const preflight = (await run(get(`${ADMIN}/preflight`, `${ADMIN}/preflight`, 200, admin))) as Json;
    assert.ok(preflight.checks.length > 5);
    const tunnel = { operation: `${ADMIN}/tunnel/validate`, method: 'POST', url: `${ADMIN}/tunnel/validate`, headers: admin };
    await run({ ...tunnel, body: {}, valid: true, status: 200 });
    await run({ ...tunnel, body: { appConfig: { 'com.microsoft.tunnel.connection_type': 'MicrosoftProtect' } }, valid: true, status: 200 });
    await run({ ...tunnel, body: { nope: 1 }, valid: false, status: 400 });
    const sync = { operation: `${ADMIN}/ldap/sync`, url: `${ADMIN}/ldap/sync`, headers: admin, valid: true };
    const syncAnswer = await fetch(`${base}${ADMIN}/ldap/sync`, { method: 'POST', headers: admin });
    assert.ok(syncAnswer.status >= 400, 'LDAP is not configured here');
    await run({ ...sync, method: 'POST', status: syncAnswer.status });
    await run(get(`${ADMIN}/ldap/sync`, `${ADMIN}/ldap/sync?limit=5`, 200, admin));
    await run({ ...get(`${ADMIN}/ldap/sync`, `${ADMIN}/ldap/sync?limit=0x1`, 400, admin), valid: false });

    const documented = Object.entries(doc.paths as Json).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    assert.deepEqual(documented.filter((op) => !called.has(op)), [], 'operations this test does not call');
  });
});
