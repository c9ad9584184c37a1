// License tiers in Mattermost's ordering (model/license.go): the Intune feature needs Enterprise Advanced (30);
// the Entry SKU maps to the same tier.
export const ENTERPRISE_ADVANCED_TIER = 30;

const TIER_BY_SKU: Record<string, number> = {
  e10: 10,
  professional: 10,
  e20: 20,
  enterprise: 20,
  advanced: 30,
  entry: 30,
};

export const KNOWN_SKUS = Object.keys(TIER_BY_SKU);

/** The tier of a SKU short name, 0 for an unknown one (which therefore never qualifies). */
export function tierOf(skuShortName: string): number {
  return TIER_BY_SKU[skuShortName.toLowerCase()] ?? 0;
}
