// The Intune evidence rule as a table: one registration set per row, the outcome and catalogue id it must give.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_MAX_SYNC_AGE_HOURS,
  DEFAULT_MOBILE_APP_IDS,
  evaluateIntuneEvidence,
  type EvidenceOutcome,
} from '../../server/enrollment/intune-evidence.ts';
import type { ErrorId } from '../../server/errors/catalogue.ts';
import type { ManagedAppRegistrationWithPolicies } from '../../server/graph/resources.ts';

const USER = '5e7d1c2b-3a49-4f8e-9d6c-1b2a3c4d5e6f';
const OTHER_USER = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const NOW = Date.parse('2026-03-01T12:00:00Z');
const HOUR = 3600 * 1000;

function registration(change: Partial<ManagedAppRegistrationWithPolicies> = {}): ManagedAppRegistrationWithPolicies {
  return {
    '@odata.type': '#microsoft.graph.iosManagedAppRegistration',
    id: `reg-${Math.random().toString(36).slice(2, 8)}`,
    userId: USER,
    appIdentifier: { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: 'com.mattermost.rn' },
    lastSyncDateTime: new Date(NOW - 1 * HOUR).toISOString(),
    flaggedReasons: [],
    appliedPolicies: [{ id: 'pol-1', displayName: 'iOS app protection' }],
    ...change,
  };
}

const android = (change: Partial<ManagedAppRegistrationWithPolicies> = {}) =>
  registration({
    '@odata.type': '#microsoft.graph.androidManagedAppRegistration',
    appIdentifier: { '@odata.type': '#microsoft.graph.androidMobileAppIdentifier', packageId: 'com.mattermost.rnbeta' },
    ...change,
  });

interface Row {
  name: string;
  registrations: ManagedAppRegistrationWithPolicies[];
  outcome: EvidenceOutcome;
  id?: ErrorId;
  objectId?: string;
}

const rows: Row[] = [
  { name: 'no registration at all', registrations: [], outcome: 'none', id: 'mamgate.graph.evidence.none.app_error' },
  { name: 'a good iOS registration', registrations: [registration()], outcome: 'verified' },
  { name: 'a good Android registration (package id, beta app)', registrations: [android()], outcome: 'verified' },
  {
    name: 'synced longer ago than the age allows',
    registrations: [registration({ lastSyncDateTime: new Date(NOW - (DEFAULT_MAX_SYNC_AGE_HOURS + 1) * HOUR).toISOString() })],
    outcome: 'stale',
    id: 'mamgate.graph.evidence.stale.app_error',
  },
  { name: 'never synced', registrations: [registration({ lastSyncDateTime: undefined })], outcome: 'stale', id: 'mamgate.graph.evidence.stale.app_error' },
  { name: 'no applied policy', registrations: [registration({ appliedPolicies: [] })], outcome: 'no_policy', id: 'mamgate.graph.evidence.no_policy.app_error' },
  {
    name: 'flagged: rooted device',
    registrations: [android({ flaggedReasons: ['rootedDevice'] })],
    outcome: 'flagged',
    id: 'mamgate.graph.evidence.rooted_device.app_error',
  },
  {
    name: 'flagged: another reason',
    registrations: [registration({ flaggedReasons: ['androidBootloaderUnlocked'] })],
    outcome: 'flagged',
    id: 'mamgate.graph.evidence.flagged.app_error',
  },
  { name: 'flaggedReasons ["none"] is not a flag', registrations: [registration({ flaggedReasons: ['none'] })], outcome: 'verified' },
  {
    name: 'another app of the same user',
    registrations: [registration({ appIdentifier: { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: 'com.microsoft.Office.Outlook' } })],
    outcome: 'other_app',
    id: 'mamgate.graph.evidence.other_app.app_error',
  },
  {
    name: 'a bundle id under the Android type is not the app',
    registrations: [registration({ appIdentifier: { '@odata.type': '#microsoft.graph.androidMobileAppIdentifier', bundleId: 'com.mattermost.rn' } })],
    outcome: 'other_app',
    id: 'mamgate.graph.evidence.other_app.app_error',
  },
  { name: 'a good registration of another user', registrations: [registration({ userId: OTHER_USER })], outcome: 'none', id: 'mamgate.graph.evidence.none.app_error' },
  {
    name: 'GUIDs and app ids compare case-insensitively',
    registrations: [registration({ userId: USER.toUpperCase(), appIdentifier: { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: 'COM.Mattermost.RN' } })],
    objectId: USER.toUpperCase(),
    outcome: 'verified',
  },
  {
    name: 'several: the verified one wins over failures listed before it',
    registrations: [registration({ appliedPolicies: [] }), registration({ flaggedReasons: ['rootedDevice'] }), android()],
    outcome: 'verified',
  },
  {
    name: 'several failing: the most specific failure is reported',
    registrations: [
      registration({ userId: OTHER_USER }),
      registration({ appIdentifier: { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: 'com.example.other' } }),
      registration({ lastSyncDateTime: new Date(NOW - 48 * HOUR).toISOString() }),
      registration({ appliedPolicies: [] }),
    ],
    outcome: 'stale',
    id: 'mamgate.graph.evidence.stale.app_error',
  },
];

describe('evaluateIntuneEvidence', () => {
  for (const row of rows) {
    test(row.name, () => {
      const decision = evaluateIntuneEvidence(row.registrations, {
        objectId: row.objectId ?? USER,
        mobileAppIds: DEFAULT_MOBILE_APP_IDS,
        maxSyncAgeHours: DEFAULT_MAX_SYNC_AGE_HOURS,
        now: NOW,
      });
      assert.equal(decision.outcome, row.outcome);
      if (row.outcome === 'verified') {
        assert.equal(decision.refusal, undefined);
        assert.ok(decision.evidence);
        assert.equal(decision.evidence.read_at, new Date(NOW).toISOString());
        assert.ok(decision.evidence.policies.length > 0);
        assert.deepEqual(decision.evidence.flags, []);
        assert.ok(['ios', 'android'].includes(decision.evidence.platform));
        assert.equal(decision.registration?.registration_id, decision.evidence.registration_id);
      } else {
        assert.equal(decision.evidence, null);
        assert.equal(decision.refusal?.id, row.id);
        assert.equal(decision.refusal?.status, 403);
      }
    });
  }

  test('the sync age is the configured one, to the hour', () => {
    const synced = registration({ lastSyncDateTime: new Date(NOW - 30 * HOUR).toISOString() });
    const request = { objectId: USER, mobileAppIds: DEFAULT_MOBILE_APP_IDS, now: NOW };
    assert.equal(evaluateIntuneEvidence([synced], { ...request, maxSyncAgeHours: 24 }).outcome, 'stale');
    assert.equal(evaluateIntuneEvidence([synced], { ...request, maxSyncAgeHours: 31 }).outcome, 'verified');
  });

  test('the evidence names the registration, app, platform, sync time and policies', () => {
    const good = android({ id: 'reg-android-1', lastSyncDateTime: '2026-03-01T11:00:00Z' });
    const decision = evaluateIntuneEvidence([good], { objectId: USER, mobileAppIds: ['com.mattermost.rnbeta'], maxSyncAgeHours: 12, now: NOW });
    assert.deepEqual(decision.evidence, {
      registration_id: 'reg-android-1',
      app_id: 'com.mattermost.rnbeta',
      platform: 'android',
      last_sync: '2026-03-01T11:00:00Z',
      policies: ['iOS app protection'],
      flags: [],
      read_at: '2026-03-01T12:00:00.000Z',
    });
  });

  test('the stale refusal says when the app last synced and the allowed age', () => {
    const old = registration({ lastSyncDateTime: '2026-02-27T08:00:00Z' });
    const decision = evaluateIntuneEvidence([old], { objectId: USER, mobileAppIds: DEFAULT_MOBILE_APP_IDS, maxSyncAgeHours: 12, now: NOW });
    assert.match(decision.refusal?.message ?? '', /2026-02-27T08:00:00Z.*12 hours/);
    assert.equal(decision.registration?.registration_id, old.id);
  });
});
