// Whether Intune's records prove that a user's mobile app is protected (DESIGN.md, Enrollment evidence, source
// "graph"), as a pure function of the registrations read from Graph. Each registration goes through the checks in
// this order; the first that fails says how far it got:
//   user → app → policy → sync age → flags → verified
// With several registrations, a verified one wins; otherwise the one that got furthest (the most specific failure)
// is reported, so "stale" beats "no policy" beats "another app" beats "nothing for this user".
import { AppError } from '../errors/app-error.ts';
import type { ManagedAppRegistrationWithPolicies } from '../graph/resources.ts';

// The defaults (app ids, 12 h sync age and why) are settings: server/settings/model.ts.
export { DEFAULT_MAX_SYNC_AGE_HOURS, DEFAULT_MOBILE_APP_IDS } from '../settings/model.ts';

export type EvidenceOutcome = 'verified' | 'none' | 'other_app' | 'no_policy' | 'stale' | 'flagged';

export interface IntuneEvidence {
  registration_id: string;
  app_id: string;
  platform: 'ios' | 'android';
  last_sync: string;
  policies: string[];
  flags: string[];
  read_at: string;
}

/** A registration as the decision saw it (for audit and the admin pages). */
export interface RegistrationSummary {
  registration_id: string;
  user_id: string;
  app_id: string | null;
  platform: 'ios' | 'android' | null;
  last_sync: string | null;
  policies: string[];
  flags: string[];
}

export interface EvidenceDecision {
  outcome: EvidenceOutcome;
  registration?: RegistrationSummary;
  evidence: IntuneEvidence | null;
  refusal?: AppError;
}

export interface EvidenceRequest {
  objectId: string;
  mobileAppIds: readonly string[];
  maxSyncAgeHours: number;
  /** Milliseconds since the epoch. */
  now: number;
}

const HOUR_MS = 60 * 60 * 1000;
/** Order of specificity: a registration that fails a later check got further. */
const PROGRESS: EvidenceOutcome[] = ['none', 'other_app', 'no_policy', 'stale', 'flagged', 'verified'];

function platformOf(registration: ManagedAppRegistrationWithPolicies): { platform: 'ios' | 'android'; appId: string } | null {
  const identifier = registration.appIdentifier;
  const type = (identifier?.['@odata.type'] ?? '').replace(/^#/, '').toLowerCase();
  if (type === 'microsoft.graph.iosmobileappidentifier' && identifier?.bundleId) return { platform: 'ios', appId: identifier.bundleId };
  if (type === 'microsoft.graph.androidmobileappidentifier' && identifier?.packageId) return { platform: 'android', appId: identifier.packageId };
  return null;
}

function summarise(registration: ManagedAppRegistrationWithPolicies): RegistrationSummary {
  const app = platformOf(registration);
  return {
    registration_id: registration.id,
    user_id: (registration.userId ?? '').toLowerCase(),
    app_id: app?.appId ?? null,
    platform: app?.platform ?? null,
    last_sync: registration.lastSyncDateTime ?? null,
    policies: registration.appliedPolicies.map((policy) => policy.displayName ?? policy.id),
    flags: (registration.flaggedReasons ?? []).filter((reason) => reason !== 'none'),
  };
}

// --- the checks, in order ---

function isOfUser(registration: ManagedAppRegistrationWithPolicies, objectId: string): boolean {
  return (registration.userId ?? '').toLowerCase() === objectId.toLowerCase();
}

function isForMobileApp(summary: RegistrationSummary, mobileAppIds: Set<string>): boolean {
  return summary.app_id !== null && mobileAppIds.has(summary.app_id.toLowerCase());
}

function hasAppliedPolicy(summary: RegistrationSummary): boolean {
  return summary.policies.length > 0;
}

function isFresh(summary: RegistrationSummary, maxSyncAgeHours: number, now: number): boolean {
  const synced = summary.last_sync === null ? Number.NaN : Date.parse(summary.last_sync);
  return !Number.isNaN(synced) && now - synced <= maxSyncAgeHours * HOUR_MS;
}

function isUnflagged(summary: RegistrationSummary): boolean {
  return summary.flags.length === 0;
}

function outcomeOf(registration: ManagedAppRegistrationWithPolicies, request: EvidenceRequest, appIds: Set<string>): EvidenceOutcome {
  if (!isOfUser(registration, request.objectId)) return 'none';
  const summary = summarise(registration);
  if (!isForMobileApp(summary, appIds)) return 'other_app';
  if (!hasAppliedPolicy(summary)) return 'no_policy';
  if (!isFresh(summary, request.maxSyncAgeHours, request.now)) return 'stale';
  if (!isUnflagged(summary)) return 'flagged';
  return 'verified';
}

function refusalFor(outcome: EvidenceOutcome, summary: RegistrationSummary | undefined, request: EvidenceRequest): AppError | undefined {
  const detailed = summary ? `registration ${summary.registration_id} (${summary.platform ?? 'unknown platform'} ${summary.app_id ?? 'unknown app'})` : `user ${request.objectId.toLowerCase()}`;
  switch (outcome) {
    case 'none':
      return new AppError('mamgate.graph.evidence.none.app_error', { detailed });
    case 'other_app':
      return new AppError('mamgate.graph.evidence.other_app.app_error', { params: { AppIds: request.mobileAppIds.join(', ') }, detailed });
    case 'no_policy':
      return new AppError('mamgate.graph.evidence.no_policy.app_error', { detailed });
    case 'stale':
      return new AppError('mamgate.graph.evidence.stale.app_error', {
        params: { LastSync: summary?.last_sync ?? 'never', Hours: request.maxSyncAgeHours },
        detailed,
      });
    case 'flagged': {
      const flags = summary?.flags ?? [];
      if (flags.includes('rootedDevice')) return new AppError('mamgate.graph.evidence.rooted_device.app_error', { detailed: `${detailed}: ${flags.join(', ')}` });
      return new AppError('mamgate.graph.evidence.flagged.app_error', { params: { Reasons: flags.join(', ') }, detailed });
    }
    default:
      return undefined;
  }
}

export function evaluateIntuneEvidence(registrations: readonly ManagedAppRegistrationWithPolicies[], request: EvidenceRequest): EvidenceDecision {
  const appIds = new Set(request.mobileAppIds.map((id) => id.toLowerCase()));
  let best: { outcome: EvidenceOutcome; registration?: ManagedAppRegistrationWithPolicies } = { outcome: 'none' };
  for (const registration of registrations) {
    const outcome = outcomeOf(registration, request, appIds);
    if (outcome === 'none') continue; // another user's record says nothing about this one
    if (PROGRESS.indexOf(outcome) > PROGRESS.indexOf(best.outcome) || !best.registration) best = { outcome, registration };
    if (outcome === 'verified') break;
  }
  const summary = best.registration ? summarise(best.registration) : undefined;
  if (best.outcome !== 'verified' || !summary?.app_id || !summary.platform || !summary.last_sync) {
    return { outcome: best.outcome, registration: summary, evidence: null, refusal: refusalFor(best.outcome, summary, request) };
  }
  const evidence: IntuneEvidence = {
    registration_id: summary.registration_id,
    app_id: summary.app_id,
    platform: summary.platform,
    last_sync: summary.last_sync,
    policies: summary.policies,
    flags: summary.flags,
    read_at: new Date(request.now).toISOString(),
  };
  return { outcome: 'verified', registration: summary, evidence };
}
