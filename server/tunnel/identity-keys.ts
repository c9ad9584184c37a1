// The identity tokens a line-of-business app needs in its app-configuration policy before Tunnel for MAM can sign
// the user in (seed 000, "Intune configuration requirements"): IntuneMAMUPN and IntuneMAMOID. Since service release
// 2409 Intune sends them by itself only to a few Microsoft apps (reference/tunnel-and-plugin.md A1), so a Mattermost
// policy must carry them. Checked when the validator is given the policy; otherwise the operator confirms them.
import { type Finding, finding } from './finding.ts';

export const IDENTITY_KEYS = [
  { key: 'IntuneMAMUPN', token: '{{userprincipalname}}' },
  { key: 'IntuneMAMOID', token: '{{userid}}' },
] as const;

export type IdentityKey = (typeof IDENTITY_KEYS)[number]['key'];

/** The two keys as found in a pasted policy (matched without regard to case, as Intune matches key names). */
export function identityKeysFrom(pairs: readonly [string, unknown][]): Partial<Record<IdentityKey, unknown>> {
  const found: Partial<Record<IdentityKey, unknown>> = {};
  for (const [rawKey, value] of pairs) {
    const match = IDENTITY_KEYS.find((k) => k.key.toLowerCase() === rawKey.trim().toLowerCase());
    if (match) found[match.key] = value;
  }
  return found;
}

/** A missing or wrong identity key is an error: without it the SDK cannot tell which account the tunnel is for. */
export function identityKeyFindings(found: Partial<Record<IdentityKey, unknown>>): Finding[] {
  const out: Finding[] = [];
  for (const { key, token } of IDENTITY_KEYS) {
    const value = found[key];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      out.push(
        finding('error', 'appconfig.identity_keys', key, value ?? null, `The app-configuration policy has no ${key}; line-of-business apps get it only from the policy, and MAM Tunnel needs it (seed 000).`, `Add ${key} = ${token} to the policy's General configuration settings (Intune admin center › Apps › App configuration policies).`),
      );
    } else if (typeof value !== 'string' || value.trim().toLowerCase() !== token) {
      // Spaces inside the braces, or a fixed value: Intune substitutes only the exact token.
      out.push(
        finding('error', 'appconfig.identity_keys', key, value, `${key} is ${JSON.stringify(value)}, not the token ${token}: Intune replaces only the exact token (no spaces inside the braces), so every user would get this literal value.`, `Set ${key} to ${token}.`),
      );
    }
  }
  return out;
}
