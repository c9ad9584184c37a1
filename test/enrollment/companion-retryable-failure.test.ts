// A chat user's report of `failed` whose cause a retry can clear (the user cancelled the Microsoft sign-in) is
// taken as declined: no revocation is queued on the chat server and the evidence says declined; a real failure
// still queues one.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ChatUser } from '../../server/chatserver/chat-user.ts';
import { reportCompanionEnrollment } from '../../server/enrollment/report-companion-enrollment.ts';
import { startTestService, type TestService } from '../support/service.ts';

let service: TestService;
before(async () => {
  service = await startTestService();
});
after(() => service.close());

const actor = { name: 'test', requestId: null };
const chatUser = (id: string): ChatUser => ({ id, username: id, email: `${id}@example.com`, authService: 'office365', isSystemAdmin: false });
const revocations = async (userId: string) => Number(((await service.ctx.db('chat_revocations').where({ user_id: userId }).count('* as n').first()) as { n: number }).n);

test('failed with -50005 → retry, treated as declined, no chat revocation; failed with AADSTS650057 → remove_server, revocation queued', async () => {
  const cancelled = await reportCompanionEnrollment(service.ctx, chatUser('cancelled1'), { event_id: 'ev-cancel', status: 'failed', error_code: '-50005' }, actor);
  assert.equal(cancelled.cause, 'msal_cancelled');
  assert.equal(cancelled.action, 'retry');
  assert.equal(cancelled.wipe, false);
  assert.equal(cancelled.treated_as, 'declined');
  assert.equal(await revocations('cancelled1'), 0, 'nothing is revoked on the chat server');
  assert.equal((await service.ctx.db('user_evidence').where({ user_id: 'cancelled1' }).first()).state, 'declined');

  const failed = await reportCompanionEnrollment(service.ctx, chatUser('failed1'), { event_id: 'ev-fail', status: 'failed', error_code: 'AADSTS650057' }, actor);
  assert.equal(failed.action, 'remove_server');
  assert.equal(failed.wipe, true);
  assert.equal(failed.treated_as, undefined);
  assert.equal(await revocations('failed1'), 1);
});
