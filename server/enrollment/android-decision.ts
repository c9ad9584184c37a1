// The rule for a protected client on Android (IntuneSettings.AndroidPolicy). Intune MAM is not available for the
// chat mobile app on Android (seed 003), so holding it until evidence would keep it pending forever: by default it
// is refused with an error that says so. The gates and the sign-in apply this rule right after deciding that MAM
// is required, before any evidence is looked at.
import { AppError } from '../errors/app-error.ts';
import type { AndroidPolicy } from '../settings/model.ts';
import type { MobilePlatform } from './mobile-request.ts';

/** evidence: go on as for iOS (not Android, or require_enrollment); unprotected: let through, audited. */
export type AndroidStep = { outcome: 'evidence' } | { outcome: 'refuse'; refusal: AppError } | { outcome: 'unprotected' };

const GO_ON: AndroidStep = { outcome: 'evidence' };
const UNPROTECTED: AndroidStep = { outcome: 'unprotected' };

export function androidStep(policy: AndroidPolicy, platform: MobilePlatform): AndroidStep {
  if (platform !== 'android') return GO_ON;
  switch (policy) {
    case 'allow_unprotected':
      return UNPROTECTED;
    case 'require_enrollment':
      return GO_ON;
    default:
      return { outcome: 'refuse', refusal: new AppError('mamgate.intune.android_not_supported.app_error') };
  }
}
