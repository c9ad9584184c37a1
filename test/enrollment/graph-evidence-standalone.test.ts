// Graph evidence for mamgate's own sessions (standalone mode): with IntuneSettings.EnrollmentEvidence "graph" a
// signed-in protected session is let through only when the development Graph shows the user's Intune
// registration; the client's "enrolled" report alone opens nothing and only asks for a check.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GRAPH_APP, registerGraphApp, SECRET } from '../graph/fixtures.ts';
import { CLIENT_ID, eventId, eventually, gate, report, saveSettings, signIn, startIntuneService, TENANT, type IntuneService } from '../support/intune.ts';

const INTUNE_SETTINGS = { Enable: true, TenantId: TENANT, ClientId: CLIENT_ID, AuthService: 'office365' };


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

  test('a hint is never evidence: switched to client mode, the session and its device are still pending', async () => {
    const { service, idp } = started;
    const deviceId = 'graph-standalone-hint';
    const user = await signIn(service.url, idp, { deviceId });
    assert.equal((await report(service.url, user.token, { event_id: eventId(), status: 'enrolled' })).status, 200);
    // A settings section is saved whole: Intune as the service was set up, with the evidence mode changed.
    const intune = (mode: string) => ({ ...INTUNE_SETTINGS, EnableUserCreation: true, EnrollmentEvidence: mode });
    const client = await saveSettings(service.url, service.adminToken, { IntuneSettings: intune('client') });
    assert.equal(client.status, 200, client.text);
    try {
      await eventually('client mode', async () => (await gate(service.url, user.token)).body.id === 'ent.intune.enrollment.required.app_error', 3000);
      // A new sign-in on the same device does not start enrolled either: the hint did not record the device.
      const again = await signIn(service.url, idp, { deviceId, oid: user.oid });
      assert.equal((await gate(service.url, again.token)).body.id, 'ent.intune.enrollment.required.app_error');
    } finally {
      const back = await saveSettings(service.url, service.adminToken, { IntuneSettings: intune('auto') });
      assert.equal(back.status, 200, back.text);
    }
  });
});
