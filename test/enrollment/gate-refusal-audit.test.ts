// Gate refusals reach the audit log off the request path: one entry per session and error within a window, with
// the number of repeats it stood for.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import { configureIntune, gate, intuneEnv, pollUntil, signIn } from '../support/intune.ts';
import { startTestService, type TestService } from '../support/service.ts';

describe('gate refusals in the audit log', () => {
  let idp: DevIdp;
  let service: TestService;
  before(async () => {
    idp = await startDevIdp();
    service = await startTestService({ env: intuneEnv(idp) });
    await configureIntune(service.url, service.adminToken, { userCreation: true });
  });
  after(async () => {
    await service.close();
    await idp.stop();
  });

  test('ten refusals of one pending session are one audit entry with its request id', async () => {
    const session = await signIn(service.url, idp);
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await gate(service.url, session.token));
    assert.ok(answers.every((a) => a.status === 403));
    const rows = () => service.ctx.db('audit_log').where({ action: 'gate.refused' }).select();
    assert.ok(await pollUntil(async () => (await rows()).length > 0, 5000), 'a refusal was written');
    await new Promise((r) => setTimeout(r, 1500)); // another flush interval: repeats must not add entries
    const written = await rows();
    assert.equal(written.length, 1);
    assert.equal(written[0].outcome, 'refused');
    assert.equal(written[0].details.error_id, 'ent.intune.enrollment.required.app_error');
    const stored = await service.ctx.db('sessions').where({ user_id: session.userId }).first();
    assert.equal(written[0].target, `session:${stored.id}`);
    assert.equal(written[0].request_id, answers[0]!.headers.get('x-request-id'));
    assert.ok(!JSON.stringify(written).includes(session.token), 'the session token is not in the audit log');
  });
});
