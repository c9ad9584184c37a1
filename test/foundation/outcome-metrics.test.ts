// /metrics after real traffic: sign-ins (POST /oauth/intune with tokens of the development issuer, the SAML ACS
// with responses signed by the test IdP) by method and outcome, enrollment reports by the status taken and the
// classified cause (a replay not counted twice), signing-key fetches by outcome, and the HTTP route label of a
// failed admin call and of the admin pages. Every label is a fixed value: no user data in any series.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import { API_BASE, PLUGIN_BASE } from '../../server/http/app.ts';
import { DEFAULT_ACS_URL, TestIdp } from '../support/saml-idp.ts';
import { CLIENT_ID, configureIntune, eventId, intuneEnv, MOBILE_CLIENT, report, saveSettings, signIn, TENANT } from '../support/intune.ts';
import { call, startTestService, type TestService } from '../support/service.ts';

const SP = 'https://chat.example.com/saml/sp';

describe('outcome metrics', () => {
  let idp: DevIdp;
  let service: TestService;
  const samlIdp = new TestIdp(TENANT);

  before(async () => {
    idp = await startDevIdp();
    service = await startTestService({ env: intuneEnv(idp, { jwksCooldownMs: 0 }) });
    await configureIntune(service.url, service.adminToken);
  });
  after(async () => {
    await service?.close();
    await idp?.stop();
  });

  async function scrape(): Promise<string> {
    const answer = await call(`${service.url}/metrics`);
    assert.equal(answer.status, 200);
    return answer.text;
  }

  /** The value of the series with exactly these labels (in the counter's label order), 0 when it has none yet. */
  function value(text: string, name: string, labels: Record<string, string>): number {
    const series = `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}} `;
    const line = text.split('\n').find((l) => l.startsWith(series));
    return line ? Number(line.slice(series.length)) : 0;
  }

  /** How much each series moved while `run` ran. */
  async function moved(series: [string, Record<string, string>][], run: () => Promise<void>): Promise<number[]> {
    const before = await scrape();
    await run();
    const after = await scrape();
    return series.map(([name, labels]) => value(after, name, labels) - value(before, name, labels));
  }

  const mintFor = (oid: string, extra: Record<string, unknown> = {}) =>
    idp.mint({ tenant: TENANT, aud: CLIENT_ID, azp: MOBILE_CLIENT, oid, scp: 'login.mattermost', email: `u${oid.slice(0, 8)}@example.com`, ...extra });

  test('sign-ins: a success and each refusal counted under its catalogue id', async () => {
    let refusals: string[] = [];
    const deltas = await moved([['mamgate_sign_ins_total', { method: 'intune', outcome: 'success' }]], async () => {
      await signIn(service.url, idp);
      await signIn(service.url, idp);
      const wrongAudience = await call(`${service.url}/oauth/intune`, { body: { access_token: mintFor(randomUUID(), { aud: randomUUID() }) } });
      const empty = await call(`${service.url}/oauth/intune`, { body: { access_token: '' } });
      const malformed = await call(`${service.url}/oauth/intune`, { body: '{"access_token":', headers: { 'content-type': 'application/json' } });
      refusals = [wrongAudience.body.id, empty.body.id, malformed.body.id];
      for (const answer of [wrongAudience, empty, malformed]) assert.ok(answer.status >= 400 && typeof answer.body.id === 'string', answer.text);
    });
    assert.deepEqual(deltas, [2]);
    const text = await scrape();
    for (const id of new Set(refusals)) {
      const expected = refusals.filter((r) => r === id).length;
      assert.ok(value(text, 'mamgate_sign_ins_total', { method: 'intune', outcome: id }) >= expected, `intune refusals counted as ${id}`);
    }
    const lines = text.split('\n').filter((l) => l.startsWith('mamgate_sign_ins_total{'));
    for (const line of lines) {
      const outcome = /outcome="([^"]*)"/.exec(line)![1]!;
      assert.ok(outcome === 'success' || /^[a-z0-9_.]+\.app_error$/.test(outcome), `only catalogue ids as outcomes: ${line}`);
    }
  });

  test('key-set fetches: a failure while the key endpoint is down, then ok; the refused sign-in counted', async () => {
    const { kid } = await idp.rotate();
    assert.ok(kid);
    idp.setJwksMode('down');
    let refusedId = '';
    const [failed] = await moved([['mamgate_key_set_fetches_total', { outcome: 'failed' }]], async () => {
      // A token signed by the new key: its kid is unknown, so the node fetches the keys, and the fetch fails.
      const answer = await call(`${service.url}/oauth/intune`, { body: { access_token: mintFor(randomUUID()) } });
      assert.ok(answer.status >= 400, answer.text);
      refusedId = answer.body.id;
    });
    assert.equal(failed, 1);
    idp.setJwksMode('up');
    const [ok, success, refused] = await moved(
      [
        ['mamgate_key_set_fetches_total', { outcome: 'ok' }],
        ['mamgate_sign_ins_total', { method: 'intune', outcome: 'success' }],
        ['mamgate_sign_ins_total', { method: 'intune', outcome: refusedId }],
      ],
      async () => {
        await signIn(service.url, idp);
      },
    );
    assert.deepEqual([ok, success, refused], [1, 1, 0]);
  });

  test('enrollment reports: by status taken and cause; a cancelled sign-in is declined; a replay is not counted again', async () => {
    const series = (outcome: string, cause: string): [string, Record<string, string>] => ['mamgate_enrollment_reports_total', { outcome, cause }];
    const deltas = await moved(
      [series('enrolled', 'none'), series('declined', 'msal_cancelled'), series('failed', 'missing_mam_permission'), series('failed', 'msal_cancelled')],
      async () => {
        const a = await signIn(service.url, idp);
        const enrolled = { event_id: eventId('ok'), status: 'enrolled' };
        assert.equal((await report(service.url, a.token, enrolled)).status, 200);
        assert.equal((await report(service.url, a.token, enrolled)).status, 200, 'the replay gets its first answer');
        const b = await signIn(service.url, idp);
        const cancelled = await report(service.url, b.token, { event_id: eventId('cancel'), status: 'failed', error_code: '-50005' });
        assert.equal(cancelled.body.state, 'declined', cancelled.text);
        const c = await signIn(service.url, idp);
        const failed = await report(service.url, c.token, { event_id: eventId('fail'), status: 'failed', error_code: 'AADSTS650057' });
        assert.equal(failed.body.state, 'failed', failed.text);
      },
    );
    assert.deepEqual(deltas, [1, 1, 1, 0]);
  });

  test('SAML sign-ins: success, wrong recipient and a missing SAMLResponse, each under its outcome', async () => {
    await saveSettings(service.url, service.adminToken, { SamlSettings: samlIdp.samlSettings(SP) });
    const acs = (body: string) =>
      call(`${service.url}${PLUGIN_BASE}/saml/acs`, { body, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' } });
    const post = (samlResponse: string) => acs(new URLSearchParams({ SAMLResponse: samlResponse }).toString());
    const saml = (outcome: string): [string, Record<string, string>] => ['mamgate_sign_ins_total', { method: 'saml', outcome }];
    const base = { audience: SP, email: 'jane.doe@example.com', name: 'jane.doe@example.com' };
    const deltas = await moved(
      [saml('success'), saml('mamgate.saml.wrong_recipient.app_error'), saml('mamgate.request.invalid_body_param.app_error'), saml('mamgate.saml.status_not_success.app_error')],
      async () => {
        await service.ctx.db('users').insert({ id: 'samlmetric01', username: 'jane', email: 'jane.doe@example.com', auth_service: 'office365', auth_data: randomUUID() });
        const ok = await post(samlIdp.response({ ...base, objectId: randomUUID() }));
        assert.equal(ok.status, 200, ok.text);
        const wrong = await post(samlIdp.response({ ...base, objectId: randomUUID(), recipient: 'https://elsewhere.example.com/acs', destination: DEFAULT_ACS_URL }));
        assert.equal(wrong.body.id, 'mamgate.saml.wrong_recipient.app_error', wrong.text);
        const browser = await call(`${service.url}${PLUGIN_BASE}/saml/acs`, {
          body: new URLSearchParams({ SAMLResponse: samlIdp.response({ ...base, objectId: randomUUID(), recipient: 'https://elsewhere.example.com/acs', destination: DEFAULT_ACS_URL }) }).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        });
        assert.equal(browser.status, 401, 'the HTML refusal page is counted the same way');
        const missing = await acs('RelayState=x');
        assert.equal(missing.body.id, 'mamgate.request.invalid_body_param.app_error', missing.text);
      },
    );
    assert.deepEqual(deltas, [1, 2, 1, 0]);
  });

  test('HTTP route label: a failed admin settings call keeps its full pattern; admin pages get one fixed label', async () => {
    const paths = ['users/0b1c2d3e', 'enrollments?user=jane.doe@example.com', ''];
    // The pages answer 200 when built (npm run build:webapp) and 503 otherwise: either way under one label.
    const pageRequests = (text: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith('mamgate_http_requests_total{') && l.includes(`route="${PLUGIN_BASE}/admin/*"`))
        .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
    const before = await scrape();
    const refused = await call(`${service.url}${API_BASE}/admin/settings`, {
      method: 'PUT',
      token: service.adminToken,
      body: { IntuneSettings: { Enable: true, TenantId: 'not-a-guid' } },
    });
    assert.equal(refused.status, 400, refused.text);
    for (const path of paths) await call(`${service.url}${PLUGIN_BASE}/admin/${path}`);
    const after = await scrape();
    const refusedSave = { method: 'PUT', route: `${API_BASE}/admin/settings`, status: '400' };
    assert.equal(value(after, 'mamgate_http_requests_total', refusedSave) - value(before, 'mamgate_http_requests_total', refusedSave), 1);
    assert.equal(pageRequests(after) - pageRequests(before), paths.length);
    assert.ok(!after.includes('route="/settings"'), 'no label without its mount path');
    assert.ok(!after.includes('0b1c2d3e') && !after.includes('jane.doe'), 'no raw path in any label');
  });
});
