// last_used_at of admin tokens: shown on the Admin tokens page, recorded at most once a minute per token so that a
// busy page does not write a row per request (the statement's own condition, and this node skipping it).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAdminToken } from '../../server/admin/tokens.ts';
import { adminTokenStore } from '../../server/db/stores/admin-token-store.ts';
import { API_BASE } from '../../server/http/app.ts';
import { eventually } from '../support/intune.ts';
import { call, startTestService, type TestService } from '../support/service.ts';

describe('admin token last use', () => {
  let service: TestService;
  before(async () => {
    service = await startTestService();
  });
  after(() => service.close());
  const lastUsed = async (id: string) => (await service.ctx.db('admin_tokens').where({ id }).first('last_used_at')).last_used_at as Date | null;

  test('touch writes when never used or older than the interval, and not within it', async () => {
    const { info } = await createAdminToken(service.ctx.db, 'store-touch', { name: 'test', requestId: null });
    const db = service.ctx.db;
    assert.equal(await lastUsed(info.id), null);
    await adminTokenStore.touch(db, info.id, '1 minute');
    const first = await lastUsed(info.id);
    assert.ok(first, 'the first use is recorded');
    await adminTokenStore.touch(db, info.id, '1 minute');
    assert.equal((await lastUsed(info.id))?.getTime(), first.getTime(), 'a use within the minute writes nothing');
    await db('admin_tokens').where({ id: info.id }).update({ last_used_at: db.raw("now() - interval '2 minutes'") });
    const old = (await lastUsed(info.id))!;
    await adminTokenStore.touch(db, info.id, '1 minute');
    assert.ok((await lastUsed(info.id))!.getTime() > old.getTime(), 'a use after the minute is recorded');
  });

  test('requests record the first use and leave the value alone within the minute; the list shows it', async () => {
    const { info, token } = await createAdminToken(service.ctx.db, 'http-touch', { name: 'test', requestId: null });
    const url = `${service.url}${API_BASE}/admin/admin-tokens`;
    assert.equal((await call(url, { token })).status, 200);
    await eventually('the first use is recorded', async () => (await lastUsed(info.id)) !== null, 10_000);
    const first = (await lastUsed(info.id))!;
    for (let i = 0; i < 5; i++) assert.equal((await call(url, { token })).status, 200);
    assert.equal((await lastUsed(info.id))!.getTime(), first.getTime());
    const listed = (await call(url, { token })).body.items.find((t: { id: string }) => t.id === info.id);
    assert.equal(listed.last_used_at, first.toISOString());
    assert.equal(listed.name, 'http-touch');
    assert.equal(listed.revoked_at, null);
    assert.ok(!JSON.stringify(listed).includes(token), 'the secret is never listed');
    assert.ok(!('token_hash' in listed));
  });
});
