import { z } from 'zod';
import { AppError } from '../errors/app-error.ts';
import { ENTERPRISE_ADVANCED_TIER, KNOWN_SKUS, tierOf } from './tier.ts';

/** The license as the operator sets it. Extra scalar fields of a full chat-server license are kept as given. */
export interface License {
  IsLicensed: true;
  SkuShortName: string;
  SkuName?: string;
  /** Milliseconds since the epoch; past it the license no longer counts. */
  ExpiresAt?: number;
  [extra: string]: string | number | boolean | undefined;
}

const scalar = z.union([z.string().max(1024), z.number(), z.boolean()]);
export const licenseShape = z.looseObject({
  IsLicensed: z.boolean(),
  SkuShortName: z.string().max(64).optional(),
  SkuName: z.string().max(256).optional(),
  ExpiresAt: z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true })]).optional(),
});

function invalid(problem: string): AppError {
  return new AppError('mamgate.license.invalid.app_error', { params: { Problem: problem } });
}

/** Parses an operator's license document; `null` is "no license". */
export function parseLicense(input: unknown): License | null {
  const parsed = licenseShape.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(`${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  const { IsLicensed, SkuShortName, ExpiresAt, ...rest } = parsed.data;
  if (!IsLicensed) return null;
  if (!SkuShortName) throw invalid('SkuShortName is required when IsLicensed is true');
  const sku = SkuShortName.trim().toLowerCase();
  if (!KNOWN_SKUS.includes(sku)) throw invalid(`SkuShortName "${SkuShortName}" is not one of ${KNOWN_SKUS.join(', ')}`);
  for (const [key, value] of Object.entries(rest)) {
    if (value !== undefined && !scalar.safeParse(value).success) throw invalid(`${key} must be a string, number or boolean`);
  }
  const license: License = { ...(rest as Record<string, string | number | boolean>), IsLicensed: true, SkuShortName: sku };
  if (ExpiresAt !== undefined) license.ExpiresAt = typeof ExpiresAt === 'number' ? ExpiresAt : Date.parse(ExpiresAt);
  return license;
}

/** A license counts when it is set and not past its expiry. */
export function activeLicense(license: License | null, now: number): License | null {
  if (!license) return null;
  if (license.ExpiresAt !== undefined && license.ExpiresAt <= now) return null;
  return license;
}

/** Mattermost's MinimumEnterpriseAdvancedLicense: tier of the SKU ≥ 30. */
export function qualifiesForIntune(license: License | null, now: number): boolean {
  const active = activeLicense(license, now);
  return active !== null && tierOf(active.SkuShortName) >= ENTERPRISE_ADVANCED_TIER;
}
