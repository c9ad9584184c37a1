// The preflight: every check of the seed's checklists that a server can make, in the order an operator fixes
// them (license and settings before the identity provider, identities before enrollments).
import { currentLicense } from '../license/service.ts';
import type { ServiceContext } from '../runtime/context.ts';
import { currentSettings } from '../settings/service.ts';
import type { Check, CheckResult, CheckState, PreflightInput } from './check.ts';
import { enrollmentFailuresCheck, identityAlignmentCheck, recentTokensCheck, samlObjectIdCheck } from './checks/activity.ts';
import {
  allowedClientsCheck,
  idAttributeCheck,
  intuneEnabledCheck,
  licenseCheck,
  providerCheck,
  scopeCheck,
  settingsValidCheck,
} from './checks/configuration.ts';
import { directoryCheck } from './checks/directory.ts';
import { signingKeysCheck } from './checks/signing-keys.ts';
import { tunnelCheck } from './checks/tunnel.ts';

export const PREFLIGHT_CHECKS: Check[] = [
  licenseCheck,
  intuneEnabledCheck,
  settingsValidCheck,
  providerCheck,
  idAttributeCheck,
  scopeCheck,
  allowedClientsCheck,
  signingKeysCheck,
  recentTokensCheck,
  samlObjectIdCheck,
  directoryCheck,
  identityAlignmentCheck,
  enrollmentFailuresCheck,
  tunnelCheck,
];

export interface PreflightReport {
  ran_at: string;
  summary: Record<CheckState, number>;
  checks: ({ id: string; title: string } & CheckResult)[];
}

export async function runPreflight(ctx: ServiceContext, options: { jwksTimeoutMs?: number } = {}): Promise<PreflightReport> {
  const now = Date.now();
  const [{ settings }, { license }] = await Promise.all([currentSettings(ctx.db), currentLicense(ctx.db)]);
  const input: PreflightInput = {
    db: ctx.db,
    settings,
    license,
    now,
    authority: ctx.entraAuthority,
    jwksTimeoutMs: options.jwksTimeoutMs ?? 5000,
  };
  const checks = await Promise.all(
    PREFLIGHT_CHECKS.map(async (check) => {
      try {
        return { id: check.id, title: check.title, ...(await check.run(input)) };
      } catch (error) {
        // A check that cannot run is a failure to look at, never a pass.
        ctx.log.error({ err: error, check: check.id }, 'preflight check failed to run');
        return { id: check.id, title: check.title, state: 'fail' as const, evidence: `the check could not run: ${(error as Error).message}`, next_step: 'See the service log.' };
      }
    }),
  );
  const summary: Record<CheckState, number> = { pass: 0, warn: 0, fail: 0 };
  for (const check of checks) summary[check.state]++;
  return { ran_at: new Date(now).toISOString(), summary, checks };
}
