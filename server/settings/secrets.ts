// Write-only settings: answered masked, and a masked value sent back keeps the stored secret.
import type { Settings } from './model.ts';

export const MASKED_SECRET = '********************************';

/** Section and key of every secret setting. */
export const SECRET_SETTINGS = [
  ['ChatServerSettings', 'AdminToken'],
  ['GraphSettings', 'ClientSecret'],
  ['LdapSettings', 'BindPassword'],
] as const;

type SecretRef = (typeof SECRET_SETTINGS)[number];

/** Every secret is a text setting; one typed door to them, since their sections differ. */
function sectionOf(settings: Settings, [section]: SecretRef): Record<string, string> {
  return settings[section] as unknown as Record<string, string>;
}

export function readSecret(settings: Settings, ref: SecretRef): string {
  return sectionOf(settings, ref)[ref[1]]!;
}

export function writeSecret(settings: Settings, ref: SecretRef, value: string): void {
  sectionOf(settings, ref)[ref[1]] = value;
}

export function maskSecrets(settings: Settings): Settings {
  const copy = structuredClone(settings);
  for (const ref of SECRET_SETTINGS) {
    if (readSecret(copy, ref)) writeSecret(copy, ref, MASKED_SECRET);
  }
  return copy;
}

/** The secret values of a settings document, for tests and log redaction checks. */
export function secretValues(settings: Settings): string[] {
  return SECRET_SETTINGS.map((ref) => readSecret(settings, ref)).filter((v) => v !== '');
}
