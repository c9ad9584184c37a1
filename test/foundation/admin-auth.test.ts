import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAdminToken, revokeAdminToken } from '../../server/admin/tokens.ts';
import { API_BASE } from '../../server/http/app.ts';
import { call, startTestService, type TestService } from '../support/service.ts';

describe('admin API authentication', () => {
  let service: TestService;
  before(async () => {
    service = await startTestService();
  });
  after(() => service.close());

  const settingsUrl = () => `${service.url}${API_BASE}/admin/settings`;

  test('a valid admin token reads the settings', async () => {
    const answer = await call(settingsUrl(), { token: service.adminToken });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.IntuneSettings.Enable, false);
  });

  for (const [label, headers] of [
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Bearer mga_not-a-real-token' }],
    ['a non-bearer scheme', { authorization: 'Basic YWRtaW46YWRtaW4=' }],
  ] as const) {
    test(`${label} → 401 AppError`, async () => {
      const answer = await call(settingsUrl(), { headers });
      assert.equal(answer.status, 401);
      assert.equal(answer.body.id, 'mamgate.admin.unauthorized.app_error');
      assert.equal(answer.body.status_code, 401);
      assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer/);
      assert.ok(answer.body.request_id);
    });
  }

  test('a revoked token → 401, and it stops working at once', async () => {
    const actor = { name: 'test', requestId: null };
    const { info, token } = await createAdminToken(service.ctx.db, 'to-revoke', actor);
    assert.equal((await call(settingsUrl(), { token })).status, 200);
    await revokeAdminToken(service.ctx.db, info.id, actor);
    const answer = await call(settingsUrl(), { token });
    assert.equal(answer.status, 401);
    assert.equal(answer.body.id, 'mamgate.admin.unauthorized.app_error');
  });

  test('a refused request writes nothing', async () => {
    const answer = await call(settingsUrl(), { method: 'PUT', body: { Office365Settings: { Enable: true } } });
    assert.equal(answer.status, 401);
    const stored = await call(settingsUrl(), { token: service.adminToken });
    assert.equal(stored.body.Office365Settings.Enable, false);
    assert.equal(stored.headers.get('x-settings-version'), '0');
  });
});
