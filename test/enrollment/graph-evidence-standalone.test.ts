// Graph evidence for mamgate's own sessions (standalone mode): with IntuneSettings.EnrollmentEvidence "graph" a
// signed-in protected session is let through only when the development Graph shows the user's Intune
// registration; the client's "enrolled" report alone opens nothing and only asks for a check.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GRAPH_APP, registerGraphApp, SECRET } from '../graph/fixtures.ts';
import { eventId, eventually, gate, report, saveSettings, signIn, startIntuneService, TENANT, type IntuneService } from '../support/intune.ts';


describe('graph evidence for standalone sessions', () => {
  let started: IntuneService;
  before(async () => {
    started = await startIntuneService({ userCreation: true, env: { graphClientSecret: SECRET } });
    registerGraphApp(started.idp, { tenant: TENANT });
    const saved = await saveSettings(started.service.url, started.service.adminToken, {
      GraphSettings: { Enable: true, ClientId: GRAPH_APP },
    });
    assert.equal(saved.status, 200, saved.text);
  });
  after(() => started?.close());

  test('held until Graph shows the registration; the report alone is a hint', async () => {
    const { service, idp } = started;
    const user = await signIn(service.url, idp, { deviceId: 'graph-standalone-1' });
    const held = await gate(service.url, user.token);
    assert.equal(held.status, 403);
    const lie = await report(service.url, user.token, { event_id: eventId(), status: 'enrolled' });
    assert.equal(lie.status, 200, lie.text);
    await eventually('checked', async () => (await gate(service.url, user.token)).body.id === 'mamgate.graph.evidence.none.app_error', 3000);

    idp.graph.setRegistrations(user.oid, [
      {
        id: 'standalone-reg-1',
        appIdentifier: { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: 'com.mattermost.rn' },
        lastSyncDateTime: new Date().toISOString(),
        appliedPolicies: [{ id: 'p1', displayName: 'iOS protection' }],
      },
    ]);
    await report(service.url, user.token, { event_id: eventId(), status: 'enrolled' });
    await eventually('allowed', async () => (await gate(service.url, user.token)).status === 204, 4000);
    assert.equal((await gate(service.url, user.token)).headers.get('x-mam-state'), 'enrolled');
  });
});
