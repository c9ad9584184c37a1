// When a mobile session must be enrolled: Intune configured, license qualifying, and the session's sign-in
// method is the protected provider. Computed from the current settings and license, never stored with the
// session, so a change of either takes effect on every session at once.
import { type License, qualifiesForIntune } from '../license/model.ts';
import { ANDROID_POLICIES, type AndroidPolicy, type Settings } from '../settings/model.ts';
import { isIntuneConfigured } from '../settings/rules.ts';
import type { EvidenceMode } from '../contract/enrollment.ts';
import { evidenceModeFor } from './mam-state.ts';

export type { EvidenceMode };

export interface MamPolicy {
  enforcing: boolean;
  authService: string;
  /** graph: only registrations read from Microsoft Graph open the gate; client: the client's report (unverified). */
  evidence: EvidenceMode;
  /** What a protected Android client gets (android-decision.ts). */
  android: AndroidPolicy;
  /** The policy must be recomputed after this time (a license expiring), or never. */
  validUntil: number;
}

export function mamPolicy(settings: Settings, license: License | null, now: number): MamPolicy {
  const enforcing = isIntuneConfigured(settings) && qualifiesForIntune(license, now);
  const expires = license?.ExpiresAt;
  return {
    enforcing,
    authService: enforcing ? settings.IntuneSettings.AuthService : '',
    evidence: evidenceModeOf(settings),
    android: androidPolicyOf(settings),
    validUntil: expires !== undefined && expires > now ? expires : Number.POSITIVE_INFINITY,
  };
}

export function mamRequiredFor(policy: MamPolicy, session: { isMobile: boolean; authService: string }): boolean {
  return policy.enforcing && session.isMobile && session.authService === policy.authService;
}

/** Never a silent mix: one source of evidence counts, chosen by the setting ("auto": Graph when it is enabled). */
export function evidenceModeOf(settings: Settings): EvidenceMode {
  return evidenceModeFor(settings.IntuneSettings.EnrollmentEvidence, settings.GraphSettings.Enable);
}

/** The saved value when it is one of the policies; otherwise refuse, the answer that never lets a client through. */
export function androidPolicyOf(settings: Settings): AndroidPolicy {
  const chosen = settings.IntuneSettings.AndroidPolicy as AndroidPolicy;
  return ANDROID_POLICIES.includes(chosen) ? chosen : 'refuse';
}
