// The enrollment state machine as tables (server/enrollment/mam-state.ts): every mode × state × event → the next
// state and its effects, and every mode × source × state × freshness → the gate's verdict with its catalogue id.
// The expected tables are written out here by hand, so a change of any rule shows up as a row that differs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evidenceRefusal } from '../../server/enrollment/evidence-decision.ts';
import type { GraphEvidenceRecord } from '../../server/enrollment/graph-evidence-record.ts';
import { ENROLLMENT_STATES, EVIDENCE_MODES, EVIDENCE_SOURCES } from '../../server/contract/enrollment.ts';
import {
  effectiveMamState,
  evidenceModeFor,
  graphEvent,
  MAM_EVENTS,
  reportEvent,
  signInState,
  statusTakenAs,
  TRANSITIONS,
  VERDICTS,
  verdict,
} from '../../server/enrollment/mam-state.ts';

/** mode state event → next counts recheck endSessions sessionRefusal ("-": none; "failed": the failure's id). */
const TRANSITION_TABLE = `
graph  pending   report_enrolled          pending   hint     recheck  -                  -
graph  pending   report_declined          pending   hint     -        -                  -
graph  pending   report_failed_retryable  pending   hint     -        -                  -
graph  pending   report_failed            failed    counts   -        enrollment_failed  -
graph  pending   graph_verified           enrolled  counts   -        -                  -
graph  pending   graph_lost               pending   counts   -        -                  -
graph  pending   graph_flagged            pending   counts   -        -                  -
graph  pending   graph_stale              pending   counts   -        -                  -
graph  pending   admin_revoke             pending   counts   -        revoked_by_admin   -
graph  enrolled  report_enrolled          enrolled  hint     recheck  -                  -
graph  enrolled  report_declined          enrolled  hint     -        -                  -
graph  enrolled  report_failed_retryable  enrolled  hint     -        -                  -
graph  enrolled  report_failed            failed    counts   -        enrollment_failed  -
graph  enrolled  graph_verified           enrolled  counts   -        -                  -
graph  enrolled  graph_lost               pending   counts   -        evidence_lost      -
graph  enrolled  graph_flagged            pending   counts   -        evidence_lost      -
graph  enrolled  graph_stale              pending   counts   -        evidence_lost      -
graph  enrolled  admin_revoke             enrolled  counts   -        revoked_by_admin   -
graph  declined  report_enrolled          declined  hint     recheck  -                  -
graph  declined  report_declined          declined  hint     -        -                  -
graph  declined  report_failed_retryable  declined  hint     -        -                  -
graph  declined  report_failed            failed    counts   -        enrollment_failed  -
graph  declined  graph_verified           enrolled  counts   -        -                  -
graph  declined  graph_lost               pending   counts   -        -                  -
graph  declined  graph_flagged            pending   counts   -        -                  -
graph  declined  graph_stale              pending   counts   -        -                  -
graph  declined  admin_revoke             declined  counts   -        revoked_by_admin   -
graph  failed    report_enrolled          failed    hint     recheck  -                  failed
graph  failed    report_declined          failed    hint     -        -                  failed
graph  failed    report_failed_retryable  failed    hint     -        -                  failed
graph  failed    report_failed            failed    counts   -        enrollment_failed  failed
graph  failed    graph_verified           enrolled  counts   -        -                  -
graph  failed    graph_lost               pending   counts   -        -                  -
graph  failed    graph_flagged            pending   counts   -        -                  -
graph  failed    graph_stale              pending   counts   -        -                  -
graph  failed    admin_revoke             failed    counts   -        revoked_by_admin   -
client pending   report_enrolled          enrolled  counts   -        -                  -
client pending   report_declined          declined  counts   -        -                  -
client pending   report_failed_retryable  declined  counts   -        -                  -
client pending   report_failed            failed    counts   -        enrollment_failed  -
client pending   graph_verified           enrolled  counts   -        -                  -
client pending   graph_lost               pending   counts   -        -                  -
client pending   graph_flagged            pending   counts   -        -                  -
client pending   graph_stale              pending   counts   -        -                  -
client pending   admin_revoke             pending   counts   -        revoked_by_admin   -
client enrolled  report_enrolled          enrolled  counts   -        -                  -
client enrolled  report_declined          declined  counts   -        -                  -
client enrolled  report_failed_retryable  declined  counts   -        -                  -
client enrolled  report_failed            failed    counts   -        enrollment_failed  -
client enrolled  graph_verified           enrolled  counts   -        -                  -
client enrolled  graph_lost               pending   counts   -        -                  -
client enrolled  graph_flagged            pending   counts   -        -                  -
client enrolled  graph_stale              pending   counts   -        -                  -
client enrolled  admin_revoke             enrolled  counts   -        revoked_by_admin   -
client declined  report_enrolled          enrolled  counts   -        -                  -
client declined  report_declined          declined  counts   -        -                  -
client declined  report_failed_retryable  declined  counts   -        -                  -
client declined  report_failed            failed    counts   -        enrollment_failed  -
client declined  graph_verified           enrolled  counts   -        -                  -
client declined  graph_lost               pending   counts   -        -                  -
client declined  graph_flagged            pending   counts   -        -                  -
client declined  graph_stale              pending   counts   -        -                  -
client declined  admin_revoke             declined  counts   -        revoked_by_admin   -
client failed    report_enrolled          enrolled  counts   -        -                  failed
client failed    report_declined          declined  counts   -        -                  failed
client failed    report_failed_retryable  declined  counts   -        -                  failed
client failed    report_failed            failed    counts   -        enrollment_failed  failed
client failed    graph_verified           enrolled  counts   -        -                  -
client failed    graph_lost               pending   counts   -        -                  -
client failed    graph_flagged            pending   counts   -        -                  -
client failed    graph_stale              pending   counts   -        -                  -
client failed    admin_revoke             failed    counts   -        revoked_by_admin   -
`;

/** mode source state freshness → opens refusal effective shown. */
const VERDICT_TABLE = `
graph  graph          pending   fresh  refuse  graph_record                              pending   -
graph  graph          pending   stale  refuse  graph_record                              pending   -
graph  graph          enrolled  fresh  open    -                                         enrolled  verified
graph  graph          enrolled  stale  refuse  graph_stale                               pending   -
graph  graph          declined  fresh  refuse  graph_record                              pending   -
graph  graph          declined  stale  refuse  graph_record                              pending   -
graph  graph          failed    fresh  refuse  ent.intune.enrollment.failed.app_error    failed    -
graph  graph          failed    stale  refuse  ent.intune.enrollment.failed.app_error    failed    -
graph  client_report  pending   fresh  refuse  ent.intune.enrollment.required.app_error  pending   -
graph  client_report  pending   stale  refuse  ent.intune.enrollment.required.app_error  pending   -
graph  client_report  enrolled  fresh  refuse  ent.intune.enrollment.required.app_error  pending   -
graph  client_report  enrolled  stale  refuse  ent.intune.enrollment.required.app_error  pending   -
graph  client_report  declined  fresh  refuse  ent.intune.enrollment.required.app_error  pending   -
graph  client_report  declined  stale  refuse  ent.intune.enrollment.required.app_error  pending   -
graph  client_report  failed    fresh  refuse  ent.intune.enrollment.failed.app_error    failed    -
graph  client_report  failed    stale  refuse  ent.intune.enrollment.failed.app_error    failed    -
client graph          pending   fresh  refuse  ent.intune.enrollment.required.app_error  pending   -
client graph          pending   stale  refuse  ent.intune.enrollment.required.app_error  pending   -
client graph          enrolled  fresh  refuse  ent.intune.enrollment.required.app_error  pending   -
client graph          enrolled  stale  refuse  ent.intune.enrollment.required.app_error  pending   -
client graph          declined  fresh  refuse  ent.intune.enrollment.required.app_error  pending   -
client graph          declined  stale  refuse  ent.intune.enrollment.required.app_error  pending   -
client graph          failed    fresh  refuse  ent.intune.enrollment.failed.app_error    failed    -
client graph          failed    stale  refuse  ent.intune.enrollment.failed.app_error    failed    -
client client_report  pending   fresh  refuse  ent.intune.enrollment.required.app_error  pending   -
client client_report  pending   stale  refuse  ent.intune.enrollment.required.app_error  pending   -
client client_report  enrolled  fresh  open    -                                         enrolled  unverified
client client_report  enrolled  stale  open    -                                         enrolled  unverified
client client_report  declined  fresh  refuse  ent.intune.enrollment.declined.app_error  declined  -
client client_report  declined  stale  refuse  ent.intune.enrollment.declined.app_error  declined  -
client client_report  failed    fresh  refuse  ent.intune.enrollment.failed.app_error    failed    -
client client_report  failed    stale  refuse  ent.intune.enrollment.failed.app_error    failed    -
`;

const rows = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));
const dash = (value: string | null) => value ?? '-';

describe('enrollment state machine (mam-state.ts)', () => {
  test('every mode × state × event has exactly the expected transition', () => {
    const expected = rows(TRANSITION_TABLE);
    assert.equal(expected.length, EVIDENCE_MODES.length * ENROLLMENT_STATES.length * MAM_EVENTS.length);
    const seen = new Set<string>();
    for (const [mode, state, event, next, counts, recheck, end, refusal] of expected) {
      const key = `${mode} ${state} ${event}`;
      seen.add(key);
      const t = TRANSITIONS[mode as 'graph'][state as 'pending'][event as 'admin_revoke'];
      assert.ok(t, key);
      assert.deepEqual(
        [t.next, t.counts ? 'counts' : 'hint', t.recheck ? 'recheck' : '-', dash(t.endSessions), t.sessionRefusal ? t.sessionRefusal : '-'],
        [next, counts, recheck, end, refusal === 'failed' ? 'ent.intune.enrollment.failed.app_error' : '-'],
        key,
      );
    }
    assert.equal(seen.size, expected.length, 'no row twice');
  });

  test('every mode × source × state × freshness has exactly the expected verdict and catalogue id', () => {
    const expected = rows(VERDICT_TABLE);
    assert.equal(expected.length, EVIDENCE_MODES.length * EVIDENCE_SOURCES.length * ENROLLMENT_STATES.length * 2);
    for (const [mode, source, state, freshness, opens, refusal, effective, shown] of expected) {
      const v = VERDICTS[mode as 'graph'][source as 'graph'][state as 'pending'][freshness as 'fresh'];
      assert.deepEqual([v.opens ? 'open' : 'refuse', dash(v.refusal), v.effective, dash(v.shown)], [opens, refusal, effective, shown], `${mode} ${source} ${state} ${freshness}`);
    }
  });

  test('graph mode opens only fresh Graph evidence; client mode opens only as unverified; a source never counts in the other mode', () => {
    for (const mode of EVIDENCE_MODES) {
      for (const source of EVIDENCE_SOURCES) {
        for (const state of ENROLLMENT_STATES) {
          for (const fresh of [true, false]) {
            const v = verdict({ evidence: state, source }, mode, fresh);
            if (!v.opens) continue;
            if (mode === 'graph') assert.deepEqual([source, state, fresh, v.shown], ['graph', 'enrolled', true, 'verified']);
            else assert.deepEqual([source, state, v.shown], ['client_report', 'enrolled', 'unverified']);
          }
        }
      }
      // No record at all: enroll, in either mode.
      assert.equal(verdict({ evidence: null, source: null }, mode, true).refusal, 'ent.intune.enrollment.required.app_error');
    }
  });

  test('the Graph rows answer the refusal the check recorded, or stale with its last sync', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    const flagged: GraphEvidenceRecord = {
      outcome: 'flagged',
      checked_at: '2026-12-07T11:59:00Z',
      max_sync_age_hours: 12,
      refusal_id: 'mamgate.graph.evidence.rooted_device.app_error',
    };
    assert.equal(evidenceRefusal({ evidence: 'pending', source: 'graph', graph: flagged }, 'graph', now)?.id, 'mamgate.graph.evidence.rooted_device.app_error');
    const once: GraphEvidenceRecord = {
      outcome: 'verified',
      checked_at: '2026-12-06T20:00:00Z',
      max_sync_age_hours: 12,
      evidence: { registration_id: 'r1', app_id: 'com.mattermost.rn', platform: 'ios', last_sync: '2026-12-06T20:00:00Z', policies: ['p'], flags: [], read_at: '2026-12-06T20:00:00Z' },
      valid_until: '2026-12-07T08:00:00Z',
    };
    const stale = evidenceRefusal({ evidence: 'enrolled', source: 'graph', graph: once }, 'graph', now);
    assert.equal(stale?.id, 'mamgate.graph.evidence.stale.app_error');
    assert.deepEqual(stale?.params, { LastSync: '2026-12-06T20:00:00Z', Hours: 12 });
    // The same record before its limit opens the gate; in client mode it opens nothing.
    assert.equal(evidenceRefusal({ evidence: 'enrolled', source: 'graph', graph: once }, 'graph', Date.parse('2026-12-07T07:00:00Z')), undefined);
    assert.equal(evidenceRefusal({ evidence: 'enrolled', source: 'graph', graph: once }, 'client', Date.parse('2026-12-07T07:00:00Z'))?.id, 'ent.intune.enrollment.required.app_error');
  });

  test('sign-in starts enrolled only on a device the user enrolled on', () => {
    assert.equal(signInState(true), 'enrolled');
    assert.equal(signInState(false), 'pending');
  });

  test('a failure a retry can clear is taken as declined; every other failure as failed', () => {
    assert.equal(reportEvent('failed', 'msal_cancelled'), 'report_failed_retryable');
    assert.equal(reportEvent('failed', 'intune_network'), 'report_failed_retryable');
    assert.equal(reportEvent('failed', 'missing_mam_permission'), 'report_failed');
    assert.equal(reportEvent('failed', 'unknown'), 'report_failed');
    assert.equal(reportEvent('enrolled', 'none'), 'report_enrolled');
    assert.equal(reportEvent('declined', 'none'), 'report_declined');
    assert.equal(statusTakenAs('failed', 'intune_auth_required'), 'declined');
    assert.equal(statusTakenAs('failed', 'intune_device_blocked'), 'failed');
  });

  test("Graph's outcomes: a registration gone, for another app or without policy is lost; flagged and stale are their own", () => {
    assert.deepEqual(
      (['verified', 'none', 'other_app', 'no_policy', 'flagged', 'stale'] as const).map(graphEvent),
      ['graph_verified', 'graph_lost', 'graph_lost', 'graph_lost', 'graph_flagged', 'graph_stale'],
    );
  });

  test('the effective state in rule order: failed, not required, Android unprotected, then evidence or the session', () => {
    assert.equal(effectiveMamState('failed', false, true, 'enrolled'), 'failed');
    assert.equal(effectiveMamState('enrolled', false, false, undefined), 'not_required');
    assert.equal(effectiveMamState('pending', true, true, 'pending'), 'android_unprotected');
    assert.equal(effectiveMamState('enrolled', true, false, 'pending'), 'pending');
    assert.equal(effectiveMamState('not_required', true, false, undefined), 'pending');
    assert.equal(effectiveMamState('declined', true, false, undefined), 'declined');
  });

  test('IntuneSettings.EnrollmentEvidence: auto follows GraphSettings.Enable; graph and client are kept as chosen', () => {
    assert.deepEqual(
      [evidenceModeFor('auto', true), evidenceModeFor('auto', false), evidenceModeFor('graph', false), evidenceModeFor('client', true)],
      ['graph', 'client', 'graph', 'client'],
    );
  });
});
