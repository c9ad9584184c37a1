// Bad requests answer catalogue AppErrors and store nothing: malformed JSON, wrong types, unknown keys, non-object
// bodies, wrong content type, oversized bodies, unknown routes; request ids are echoed only when well formed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API_BASE } from '../../server/http/app.ts';
import { type ApiAnswer, call, startTestService, type TestService } from '../support/service.ts';

const APP_ERROR_FIELDS = ['id', 'message', 'detailed_error', 'request_id', 'status_code', 'next_step'];

function assertAppError(answer: ApiAnswer, status: number, id: string): void {
  assert.equal(answer.status, status, answer.text);
  assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
  for (const field of APP_ERROR_FIELDS) assert.ok(field in answer.body, `AppError field ${field}`);
  assert.equal(answer.body.id, id);
  assert.equal(answer.body.status_code, status);
  assert.equal(typeof answer.body.message, 'string');
  assert.ok(answer.body.message.length > 0);
  assert.equal(typeof answer.body.detailed_error, 'string');
  assert.ok(answer.body.next_step.length > 0);
  assert.equal(answer.body.request_id, answer.headers.get('x-request-id'));
}

describe('bad input', () => {
  let service: TestService;
  before(async () => {
    service = await startTestService();
  });
  after(() => service.close());

  const settingsUrl = () => `${service.url}${API_BASE}/admin/settings`;
  const licenseUrl = () => `${service.url}${API_BASE}/admin/license`;
  const putSettings = (body: unknown, headers?: Record<string, string>) =>
    call(settingsUrl(), { method: 'PUT', token: service.adminToken, body, headers });

  /** Nothing was stored: both documents are still at version 0. */
  async function assertNothingStored(): Promise<void> {
    const settings = await call(settingsUrl(), { token: service.adminToken });
    assert.equal(settings.headers.get('x-settings-version'), '0');
    assert.equal(settings.body.IntuneSettings.Enable, false);
    const license = await call(licenseUrl(), { token: service.adminToken });
    assert.equal(license.headers.get('x-license-version'), '0');
    const rows = await service.ctx.db('settings_versions').count({ n: '*' });
    assert.equal(Number(rows[0]!.n), 0);
  }

  test('malformed JSON → 400 malformed_json', async () => {
    for (const body of ['{"IntuneSettings": {"Enable": true', "{'IntuneSettings': {}}", '{"a":1}}']) {
      assertAppError(await putSettings(body), 400, 'mamgate.request.malformed_json.app_error');
    }
    assertAppError(
      await call(licenseUrl(), { method: 'PUT', token: service.adminToken, body: '{"IsLicensed": tru' }),
      400,
      'mamgate.request.malformed_json.app_error',
    );
    await assertNothingStored();
  });

  test('wrong types → 400 invalid_body_param naming the field', async () => {
    for (const [body, field] of [
      [{ IntuneSettings: { Enable: 'yes' } }, 'IntuneSettings.Enable'],
      [{ IntuneSettings: { AllowedClientIds: 'x' } }, 'IntuneSettings.AllowedClientIds'],
      [{ IntuneSettings: { AllowedClientIds: [1, 2] } }, 'IntuneSettings.AllowedClientIds.0'],
      [{ IntuneSettings: { TenantId: 12345678 } }, 'IntuneSettings.TenantId'],
      [{ LdapSettings: { SyncIntervalMinutes: '60' } }, 'LdapSettings.SyncIntervalMinutes'],
      [{ LdapSettings: { SyncIntervalMinutes: 1.5 } }, 'LdapSettings.SyncIntervalMinutes'],
      [{ TunnelSettings: { ProxyPort: 70000 } }, 'TunnelSettings.ProxyPort'],
      [{ Office365Settings: 'on' }, 'Office365Settings'],
      [{ IntuneSettings: { TenantId: 'x'.repeat(5000) } }, 'IntuneSettings.TenantId'],
    ] as const) {
      const answer = await putSettings(body);
      assertAppError(answer, 400, 'mamgate.request.invalid_body_param.app_error');
      assert.equal(answer.body.field, field, JSON.stringify(body).slice(0, 80));
      assert.ok(answer.body.message.includes(field));
    }
    await assertNothingStored();
  });

  test('several wrong fields are all listed', async () => {
    const answer = await putSettings({ IntuneSettings: { Enable: 'yes', EnableUserCreation: 'no' } });
    assertAppError(answer, 400, 'mamgate.request.invalid_body_param.app_error');
    assert.deepEqual(
      answer.body.field_errors.map((e: { field: string }) => e.field),
      ['IntuneSettings.Enable', 'IntuneSettings.EnableUserCreation'],
    );
  });

  test('unknown setting keys and sections → 400 invalid_body_param', async () => {
    for (const [body, field] of [
      [{ IntuneSettings: { EnableIntuneMAM: true } }, 'IntuneSettings.EnableIntuneMAM'],
      [{ NativeAppSettings: { EnableIntuneMAM: true } }, 'NativeAppSettings'],
      [{ intunesettings: { Enable: true } }, 'intunesettings'],
    ] as const) {
      const answer = await putSettings(body);
      assertAppError(answer, 400, 'mamgate.request.invalid_body_param.app_error');
      assert.equal(answer.body.field, field);
      assert.match(answer.body.message, /unknown setting/);
    }
    await assertNothingStored();
  });

  test('a body that is not an object → 400', async () => {
    for (const body of ['[]', '"IntuneSettings"', '42', 'null', 'true']) {
      const answer = await putSettings(body);
      assertAppError(answer, 400, 'mamgate.request.invalid_body_param.app_error');
    }
    const missing = await call(settingsUrl(), { method: 'PUT', token: service.adminToken });
    assertAppError(missing, 400, 'mamgate.request.invalid_body_param.app_error');
    for (const body of ['[]', '"advanced"', 'null']) {
      assertAppError(
        await call(licenseUrl(), { method: 'PUT', token: service.adminToken, body }),
        400,
        'mamgate.license.invalid.app_error',
      );
    }
    await assertNothingStored();
  });

  test('a content type other than JSON → 415', async () => {
    const json = JSON.stringify({ Office365Settings: { Enable: true } });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      assertAppError(
        await putSettings(json, { 'content-type': type }),
        415,
        'mamgate.request.unsupported_media_type.app_error',
      );
    }
    assertAppError(
      await call(licenseUrl(), {
        method: 'PUT',
        token: service.adminToken,
        body: 'IsLicensed=true&SkuShortName=advanced',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'mamgate.request.unsupported_media_type.app_error',
    );
    await assertNothingStored();
  });

  test('a body over 256 KB → 400 body_too_large', async () => {
    const big = JSON.stringify({ TunnelSettings: { TrustedRootCertificates: 'A'.repeat(300 * 1024) } });
    const answer = await putSettings(big);
    assertAppError(answer, 400, 'mamgate.request.body_too_large.app_error');
    assert.match(answer.body.message, /256kb/i);

    // Without a Content-Length (chunked), the limit holds as the body streams in.
    const chunks = async function* () {
      yield new TextEncoder().encode('{"TunnelSettings":{"TrustedRootCertificates":"');
      for (let i = 0; i < 40; i++) yield new TextEncoder().encode('B'.repeat(10 * 1024));
      yield new TextEncoder().encode('"}}');
    };
    const streamed = await fetch(settingsUrl(), {
      method: 'PUT',
      headers: { authorization: `Bearer ${service.adminToken}`, 'content-type': 'application/json' },
      body: ReadableStream.from(chunks()),
      duplex: 'half',
    } as RequestInit);
    const text = await streamed.text();
    assertAppError(
      { status: streamed.status, headers: streamed.headers, body: JSON.parse(text), text },
      400,
      'mamgate.request.body_too_large.app_error',
    );
    await assertNothingStored();
  });

  test('unknown routes → 404 AppError, with or without a token', async () => {
    for (const [path, method] of [
      ['/nope', 'GET'],
      ['/api/v4/users/me', 'GET'],
      ['/api/v4/config/client', 'POST'],
      [`${API_BASE}/nothing-here`, 'GET'],
    ] as const) {
      const answer = await call(`${service.url}${path}`, { method });
      assertAppError(answer, 404, 'mamgate.request.not_found.app_error');
      assert.ok(answer.body.message.includes(method));
    }
    const admin = await call(`${service.url}${API_BASE}/admin/nothing-here`, { token: service.adminToken });
    assertAppError(admin, 404, 'mamgate.request.not_found.app_error');
  });

  test('X-Request-Id: a well-formed one is echoed, others are replaced', async () => {
    const kept = await call(`${service.url}/nope`, { headers: { 'x-request-id': 'client-req-0001' } });
    assert.equal(kept.headers.get('x-request-id'), 'client-req-0001');
    assert.equal(kept.body.request_id, 'client-req-0001');
    for (const bad of ['short', 'has spaces in it', 'x'.repeat(65), 'semi;colon;value', '../../etc/passwd']) {
      const answer = await call(`${service.url}/nope`, { headers: { 'x-request-id': bad } });
      const id = answer.headers.get('x-request-id') ?? '';
      assert.notEqual(id, bad);
      assert.match(id, /^[A-Za-z0-9._-]{8,64}$/);
      assert.equal(answer.body.request_id, id);
    }
    const plain = await call(`${service.url}/healthz`);
    assert.match(plain.headers.get('x-request-id') ?? '', /^[A-Za-z0-9._-]{8,64}$/);
    const other = await call(`${service.url}/healthz`);
    assert.notEqual(other.headers.get('x-request-id'), plain.headers.get('x-request-id'));
  });

  test('a body just under the limit is accepted (last: this one stores)', async () => {
    const body = JSON.stringify({ TunnelSettings: { TrustedRootCertificates: 'C'.repeat(60 * 1024) } });
    const answer = await putSettings(body);
    assert.equal(answer.status, 200, answer.text.slice(0, 200));
    assert.equal(answer.headers.get('x-settings-version'), '1', 'the first save of this file (the last test: it stores)');
  });
});
